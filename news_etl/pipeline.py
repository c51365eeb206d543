"""The pipeline's stages as plain functions over a DuckDB file (no dagster imports).

Each stage streams in batches: it reads a batch of pending work with a short
connection, processes it without holding the database lock, and writes the result
in one transaction. Memory is bounded by the batch size, not the corpus; a crash
loses at most the batch in flight, which the next run picks up again (work is
"pending" until its write commits). Dagster assets are thin wrappers around these.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import logging
import multiprocessing
import os
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

from news_etl import store
from news_etl import dedup
from news_etl.cleaning import (CleanedArticle, CleaningError, check_body_length, clean_html, clean_record,
                               clean_text_dump)
from news_etl.enrich import CHILD_TABLES, rows_for_doc
from news_etl.ingest import DEFAULT_MAX_BYTES, discover, read_source
from news_etl.schemas import empty_failures, validate

Progress = Callable[[str], None]

ENGLISH = {"en"}


@dataclass
class StageReport:
    stage: str
    seen: int = 0            # items looked at (files, raw documents, articles)
    processed: int = 0       # items that needed work
    written: Counter = field(default_factory=Counter)   # table -> rows written
    rejected: int = 0
    skipped: int = 0
    failures: pd.DataFrame = field(default_factory=empty_failures)
    preview: pd.DataFrame | None = None
    seconds: float = 0.0
    timings: Counter = field(default_factory=Counter)    # sub-step -> seconds
    notes: list[str] = field(default_factory=list)

    def add_failures(self, df: pd.DataFrame) -> None:
        if len(df):
            self.failures = pd.concat([self.failures, df], ignore_index=True) if len(self.failures) else df

    def add_preview(self, df: pd.DataFrame, n: int = 5) -> None:
        if self.preview is None or len(self.preview) < n:
            self.preview = df.head(n) if self.preview is None else pd.concat([self.preview, df]).head(n)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _str(v) -> str | None:
    """A string column value from a DataFrame row, with pandas' missing markers as None."""
    return v if isinstance(v, str) else None


_log = logging.getLogger("news_etl.progress")


def _say(progress: Progress | None, msg: str) -> None:
    _log.info(msg)
    if progress:
        progress(msg)


# --------------------------------------------------------------------------------------
# Stage 1: ingestion
# --------------------------------------------------------------------------------------

#: An ingestion batch is written once it holds this many bytes of documents (memory stays bounded).
INGEST_BATCH_BYTES = 128 * 1024 * 1024


def ingest_folder(database: str | Path, root: str | Path, batch_size: int = 200,
                  max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> StageReport:
    """Record every file under ``root``; store the bytes of new content as raw documents.

    A file whose path, size and modification time are unchanged since the last run is
    not read again. New content is identified by its SHA-256: the same bytes under
    another name become a ``duplicate`` of the first article.
    """
    t0 = time.perf_counter()
    rep = StageReport("ingest")
    root = Path(root)
    if not root.exists():
        raise FileNotFoundError(f"input folder {str(root)!r} does not exist")
    with store.connection(database) as con:
        store.ensure_schema(con)
        known = store.known_source_files(con)
    batch: list = []
    seen_hashes: dict[str, str] = {}

    def flush() -> None:
        if not batch:
            return
        now = _now()
        hashes = [d.content_hash for r in batch for d in r.documents]
        with store.connection(database) as con:
            existing = store.known_hashes(con, hashes)
        src_rows, raw_rows, rej_rows = [], [], []
        for r in batch:
            s = r.source
            art, new_docs = None, 0
            if r.rejection is not None:
                rej_rows.append({"source_path": s.source_path, "content_hash": r.content_hash,
                                 "stage": r.rejection.stage, "reason": r.rejection.reason, "rejected_at": now})
            for j in r.record_rejections:
                rej_rows.append({"source_path": s.source_path, "content_hash": j.content_hash,
                                 "stage": j.stage, "reason": j.reason, "rejected_at": now})
            for d in r.documents:
                art = art or d.article_id
                if d.content_hash in existing or d.content_hash in seen_hashes:
                    continue
                new_docs += 1
                seen_hashes[d.content_hash] = d.source_path
                raw_rows.append({"article_id": d.article_id, "content_hash": d.content_hash,
                                 "source_path": d.source_path, "source_record": d.source_record,
                                 "format": d.fmt, "encoding": d.encoding, "size_bytes": d.size_bytes,
                                 "url": d.url, "content": d.content, "ingested_at": now,
                                 "fetched_at": _timestamp(d.fetched_at)})
            if r.rejection is not None or not r.documents:
                status = "rejected"
            elif new_docs == 0:
                status = "duplicate"
            else:
                status = "ingested"
            src_rows.append({"source_path": s.source_path, "content_hash": r.content_hash,
                             "size_bytes": s.size_bytes, "modified_at": s.mtime, "status": status,
                             "article_id": art, "first_seen_at": now, "last_seen_at": now,
                             "documents": len(r.documents), "records_skipped": r.records_skipped})
        raw_df = store.frame("raw_documents", raw_rows)
        with store.connection(database) as con:
            store.write_ingest_batch(con, store.frame("source_files", src_rows), raw_df,
                                     store.frame("rejected_files", rej_rows))
        rep.written["raw_documents"] += len(raw_rows)
        rep.written["source_files"] += len(src_rows)
        rep.rejected += len(rej_rows)
        if src_rows:  # the batch as Dagster shows it: every file looked at, and what became of it
            rep.add_preview(pd.DataFrame(src_rows)[["source_path", "status", "article_id", "size_bytes", "documents"]],
                            n=20)
        batch.clear()

    for src in discover(root):
        rep.seen += 1
        prev = known.get(src.source_path)
        if prev is not None and prev[0] == src.size_bytes and _same_time(prev[1], src.mtime):
            rep.skipped += 1
            continue
        rep.processed += 1
        t = time.perf_counter()
        batch.append(read_source(src, max_bytes=max_bytes))
        rep.timings["read"] += time.perf_counter() - t
        if len(batch) >= batch_size or sum(d.size_bytes for r in batch for d in r.documents) >= INGEST_BATCH_BYTES:
            flush()
            _say(progress, f"ingest: {rep.seen} files seen, {rep.written['raw_documents']} new documents")
    flush()
    rep.seconds = time.perf_counter() - t0
    _say(progress, f"ingest: {rep.seen} files seen, {rep.written['raw_documents']} new documents, "
                   f"{rep.rejected} rejected, {rep.skipped} unchanged")
    return rep


def _timestamp(value) -> datetime | None:
    if not value:
        return None
    try:
        ts = pd.Timestamp(value)
        return (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).to_pydatetime()
    except (ValueError, TypeError):
        return None


def _same_time(a, b: datetime) -> bool:
    if a is None:
        return False
    try:
        return abs(pd.Timestamp(a).timestamp() - b.timestamp()) < 1e-3
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------------------
# Stage 2: cleaning
# --------------------------------------------------------------------------------------

def clean_one(fmt: str, content: str, url: str | None) -> CleanedArticle:
    if fmt == "html":
        return clean_html(content, url=url)
    if fmt == "record":
        return clean_record(content)
    return clean_text_dump(content, url=url)


def link_near_duplicates(database, rows: list[dict]) -> None:
    """Set ``duplicate_of`` (and ``body_simhash``) on new article rows, in place.

    The original is the earliest stored article (or earlier row of this batch) with a
    close SimHash and a confirming shingle similarity.
    """
    for r in rows:
        if r.get("body_simhash") is None:
            r["body_simhash"] = dedup.simhash(r["body"])
    with store.connection(database) as con:  # same config as the other connections of this process
        cands = store.near_duplicate_candidates(con, [(r["article_id"], r["body_simhash"]) for r in rows],
                                                dedup.MAX_HAMMING)
    stored: dict[str, list] = {}
    for new_id, cid, ch, cbody in cands:
        stored.setdefault(new_id, []).append((cid, ch, cbody))
    earlier: list[tuple[str, int, str]] = []
    # Within a batch the original is the earliest published (then the first by path).
    far = datetime.max.replace(tzinfo=timezone.utc)
    for r in sorted(rows, key=lambda r: (pd.Timestamp(r["published_at"]).to_pydatetime()
                                         if r["published_at"] is not None else far, r["source_path"])):
        r["duplicate_of"] = dedup.find_duplicate(r["body"], r["body_simhash"], stored.get(r["article_id"], []) + earlier)
        if r["duplicate_of"] is None:
            earlier.append((r["article_id"], r["body_simhash"], r["body"]))


def article_row(raw: dict, c: CleanedArticle, now: datetime) -> dict:
    return {
        "article_id": raw["article_id"], "source_path": raw["source_path"], "url": c.url or _str(raw.get("url")),
        "title": c.title, "subtitle": c.subtitle, "authors": list(c.authors or []), "publisher": c.publisher,
        "published_at": c.published_at, "updated_at": c.updated_at, "language": c.language,
        "body": c.body, "word_count": len(c.body.split()), "content_hash": raw["content_hash"],
        "image_caption": c.image_caption, "image_credit": c.image_credit, "extraction_method": c.method,
        "cleaned_at": now, "enriched_at": None, "nlp_model": None, "enrichment_status": None,
        "body_simhash": raw.get("body_simhash"),
    }


# --------------------------------------------------------------------------------------
# Worker pools: the heavy per-article work (cleaning, spaCy + extractors) runs in worker
# processes when there is enough of it; the parent validates and writes. Small runs stay
# in-process (a pool costs a model load per worker).
# --------------------------------------------------------------------------------------

def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _pending_batches(database, fetch, batch_size: int, key: str = "article_id",
                     after: object = "") -> Iterator[list[dict]]:
    """Batches from ``fetch(con, batch_size, after)``, each on its own short connection (the
    file lock is free between batches); ``key`` of the last row is the next cursor."""
    first = True
    while True:
        with store.connection(database) as con:
            if first:
                store.ensure_schema(con)
                first = False
            df = fetch(con, batch_size, after)
        if not len(df):
            return
        after = df[key].tolist()[-1]  # a Python value (DuckDB does not bind numpy scalars)
        yield df.to_dict("records")


def _chunks(batches: Iterable[list[dict]], size: int) -> Iterator[list[dict]]:
    for batch in batches:
        for i in range(0, len(batch), size):
            yield batch[i:i + size]


@contextlib.contextmanager
def _mapper(workers: int, initializer=None, initargs=()):
    """``map``-like function: in-process for one worker, else a process pool.

    The pool keeps at most ``2 * workers`` tasks in flight (memory stays bounded, results come
    back in order), and a worker that dies or fails to start raises ``BrokenProcessPool``
    instead of hanging the run.
    """
    if workers <= 1:
        if initializer:
            initializer(*initargs)
        yield map
        return
    from concurrent.futures import ProcessPoolExecutor

    ex = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                             initializer=initializer, initargs=initargs)

    def bounded_map(fn, iterable):
        window: collections.deque = collections.deque()
        for item in iterable:
            window.append(ex.submit(fn, item))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    try:
        yield bounded_map
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def _count_pending(database, sql: str) -> int:
    with store.connection(database) as con:
        store.ensure_schema(con)
        return con.execute(sql).fetchall()[0][0]


def _use_workers(workers: int | None, pending: int, batch_size: int) -> int:
    workers = default_workers() if workers is None else workers
    return workers if workers > 1 and pending >= 2 * batch_size else 1


# --------------------------------------------------------------------------------------
# Stage 2: cleaning
# --------------------------------------------------------------------------------------

def _clean_chunk(raws: list[dict]) -> list[tuple[dict, CleanedArticle | None, str | None]]:
    """Clean raw documents (runs in a worker): (raw without content, article or None, reject reason)."""
    out = []
    for raw in raws:
        try:
            c = clean_one(raw["format"], raw["content"], _str(raw["url"]))
            if not c.body or not c.body.strip():
                raise CleaningError("no extractable article text: the cleaner returned an empty body")
            check_body_length(c.body)
            res = (c, None)
        except CleaningError as err:
            res = (None, str(err))
        except Exception as err:  # a cleaner bug must not stop the run: record it
            res = (None, f"cleaner failed: {type(err).__name__}: {err}".strip()[:500])
        meta = {k: v for k, v in raw.items() if k != "content"}
        if res[0] is not None:  # the SimHash too is per-article work: done here, not in the writer
            meta["body_simhash"] = dedup.simhash(res[0].body)
        out.append((meta, *res))
    return out


def clean_pending(database: str | Path, batch_size: int = 100, progress: Progress | None = None,
                  workers: int | None = 1) -> StageReport:
    """Clean every raw document that is not yet an article (nor rejected), batch by batch."""
    t0 = time.perf_counter()
    rep = StageReport("clean")
    n = _count_pending(database, """SELECT count(*) FROM raw_documents r
        WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = r.article_id
                          AND a.reclean_requested IS NOT TRUE)""")
    workers = _use_workers(workers, n, batch_size)
    rep.notes.append(f"workers: {workers}")
    batches = _pending_batches(database, store.pending_for_cleaning, store.CLEAN_FETCH_ROWS, key="pos", after=-1)
    with _mapper(workers) as pmap:
        results = (r for chunk in pmap(_clean_chunk, _chunks(batches, max(1, batch_size // (2 * workers))))
                   for r in chunk)
        while True:
            t = time.perf_counter()
            batch = list(itertools.islice(results, batch_size))
            rep.timings["clean"] += time.perf_counter() - t
            if not batch:
                break
            _write_clean_batch(database, batch, rep)
            _say(progress, f"clean: {rep.written['articles']} articles, {rep.rejected} rejected")
    rep.seconds = time.perf_counter() - t0
    return rep


def _write_clean_batch(database, batch: list[tuple[dict, CleanedArticle | None, str | None]], rep: StageReport) -> None:
    now = _now()
    rows, rejects, reclean_failed, failures = [], [], [], []
    for raw, c, why in batch:
        rep.seen += 1
        if c is not None:
            rows.append(article_row(raw, c, now))
        elif raw.get("is_reclean"):
            # A re-clean that fails keeps the stored article; the failure is recorded, not a reject.
            reclean_failed.append(raw["article_id"])
            failures.append({"table_name": "articles", "article_id": raw["article_id"], "column_name": None,
                             "check_name": "reclean_failed", "failure_case": why, "failed_at": now})
        else:
            rejects.append({"source_path": raw["source_path"], "content_hash": raw["content_hash"],
                            "stage": "clean", "reason": why, "rejected_at": now})
    t = time.perf_counter()
    arts = store.frame("articles", rows)
    v = validate("articles", arts)
    rep.timings["validate"] += time.perf_counter() - t
    if not v.ok:
        bad = set(arts["article_id"]) - set(v.valid["article_id"])
        src = {raw["article_id"]: raw for raw, _, _ in batch}
        for aid in sorted(bad):
            why = "; ".join(sorted({f"{r.column_name or 'row'} failed {r.check_name}"
                                    for r in v.failures.itertuples() if r.article_id == aid}))
            if src[aid].get("is_reclean"):
                reclean_failed.append(aid)
                continue
            rejects.append({"source_path": src[aid]["source_path"], "content_hash": src[aid]["content_hash"],
                            "stage": "validate", "reason": f"articles schema: {why}", "rejected_at": now})
        rep.add_failures(v.failures)
    # Near-duplicates are linked among valid articles only (an original must be stored).
    t = time.perf_counter()
    valid = v.valid
    if len(valid):
        keep = set(valid["article_id"])
        good_rows = [r for r in rows if r["article_id"] in keep]
        link_near_duplicates(database, good_rows)
        valid = store.frame("articles", good_rows)
    rep.timings["dedup"] += time.perf_counter() - t
    all_failures = pd.concat([v.failures, pd.DataFrame(failures)], ignore_index=True) if failures else v.failures
    t = time.perf_counter()
    with store.connection(database) as con:
        store.write_clean_batch(con, valid, store.frame("rejected_files", rejects), all_failures,
                                reclean_failed=reclean_failed)
    rep.timings["write"] += time.perf_counter() - t
    rep.processed += len(batch)
    rep.written["articles"] += len(valid)
    rep.rejected += len(rejects)
    if len(valid):
        rep.add_preview(valid[["article_id", "title", "publisher", "published_at", "word_count"]])


# --------------------------------------------------------------------------------------
# Stage 3: enrichment (spaCy) + validation of every child table
# --------------------------------------------------------------------------------------

_WORKER_NLP = None


def _init_nlp_worker(model: str | None) -> None:
    global _WORKER_NLP
    from news_etl.nlp import load_nlp

    _WORKER_NLP = load_nlp(model)


def _enrich_chunk(recs: list[dict], nlp=None, pipe_batch_size: int = 16) -> tuple[list[tuple[str, str, dict | None]], float, float]:
    """spaCy + extractors over articles (runs in a worker): ((id, status, rows), nlp s, extract s)."""
    nlp = nlp or _WORKER_NLP
    out: list[tuple[str, str, dict | None]] = []
    english = []
    for r in recs:
        lang = _str(r["language"])
        if (lang or "en") in ENGLISH:
            english.append(r)
        else:
            out.append((r["article_id"], f"skipped: language {lang!r} is not English", None))
    t = time.perf_counter()
    t_extract = 0.0
    try:
        docs = list(nlp.pipe((r["body"] for r in english), batch_size=pipe_batch_size))
    except Exception:  # one bad document must not fail the chunk: process one by one
        docs = []
        for r in english:
            try:
                docs.append(nlp(r["body"]))
            except Exception as err:
                docs.append(err)
    for r, doc in zip(english, docs):
        if isinstance(doc, Exception):
            out.append((r["article_id"], f"failed: spaCy: {type(doc).__name__}: {doc}"[:300],
                        {"_error": f"{type(doc).__name__}: {doc}"[:500]}))
            continue
        te = time.perf_counter()
        pub = r["published_at"]
        pub = None if pub is None or pd.isna(pub) else pd.Timestamp(pub).to_pydatetime()
        try:
            out.append((r["article_id"], "done", rows_for_doc(r["article_id"], doc, pub)))
        except Exception as err:  # an extractor bug on one article must not stop the run
            out.append((r["article_id"], f"failed: {type(err).__name__}: {err}"[:300],
                        {"_error": traceback.format_exc(limit=3)[-500:]}))
        t_extract += time.perf_counter() - te
    return out, time.perf_counter() - t - t_extract, t_extract


def enrich_pending(database: str | Path, nlp, batch_size: int = 64, pipe_batch_size: int = 16,
                   progress: Progress | None = None, workers: int | None = 1,
                   model_name: str | None = None) -> StageReport:
    """Run the spaCy pipeline and the extractors over every article not yet enriched.

    ``nlp`` is a loaded pipeline or a function that loads it (called only when the work is
    done in this process). With several workers, each loads the model ``model_name`` once
    and processes chunks of articles; the parent validates and writes.
    """
    from functools import partial

    from news_etl.nlp import model_label

    t0 = time.perf_counter()
    rep = StageReport("enrich")
    model = model_label(model_name)
    n = _count_pending(database, "SELECT count(*) FROM articles WHERE enrichment_status IS NULL")
    workers = _use_workers(workers, n, batch_size)
    rep.notes.append(f"workers: {workers}")
    if n == 0:
        rep.seconds = time.perf_counter() - t0
        return rep
    if workers == 1 and callable(nlp) and not hasattr(nlp, "pipe"):
        nlp = nlp()
    batches = _pending_batches(database, store.pending_for_enrichment, batch_size)
    fn = _enrich_chunk if workers > 1 else partial(_enrich_chunk, nlp=nlp, pipe_batch_size=pipe_batch_size)
    with _mapper(workers, _init_nlp_worker if workers > 1 else None, (model_name,)) as pmap:
        results = pmap(fn, _chunks(batches, max(1, batch_size // (2 * workers)) if workers > 1 else batch_size))
        pending: list[tuple[str, str, dict | None]] = []
        bodies: dict[str, str] = {}
        for chunk, t_nlp, t_extract in results:
            rep.timings["nlp"] += t_nlp
            rep.timings["extract"] += t_extract
            pending.extend(chunk)
            if len(pending) >= batch_size:
                _write_enrichment(database, pending, model, rep)
                pending = []
                _say(progress, f"enrich: {rep.processed} articles, {rep.written['entities']} entities, "
                               f"{rep.written['quotes']} quotes, {rep.written['casualties']} casualty figures")
        if pending:
            _write_enrichment(database, pending, model, rep)
            _say(progress, f"enrich: {rep.processed} articles, {rep.written['entities']} entities, "
                           f"{rep.written['quotes']} quotes, {rep.written['casualties']} casualty figures")
    rep.seconds = time.perf_counter() - t0
    return rep


def _write_enrichment(database, results: list[tuple[str, str, dict | None]], model: str, rep: StageReport) -> None:
    now = _now()
    rows: dict[str, list[dict]] = {t: [] for t in CHILD_TABLES}
    status: dict[str, str] = {}
    errors = []
    for aid, st, r in results:
        status[aid] = st
        if st == "done":
            for table, rs in r.items():
                rows[table].extend(rs)
        elif st.startswith("skipped"):
            rep.skipped += 1
        else:
            errors.append({"table_name": "enrichment", "article_id": aid, "column_name": None,
                           "check_name": "extractor_error", "failure_case": (r or {}).get("_error", st),
                           "failed_at": now})
    t = time.perf_counter()
    with store.connection(database) as con:  # same config as the other connections of this process
        bodies = dict(con.execute("SELECT article_id, body FROM articles WHERE article_id IN (SELECT unnest(?))",
                                  [list(status)]).fetchall())
    frames: dict[str, pd.DataFrame] = {}
    batch_failures = [pd.DataFrame(errors)] if errors else []
    for table in CHILD_TABLES:
        df = store.frame(table, rows[table], extra=["_body"])
        df["_body"] = df["article_id"].map(bodies)
        v = validate(table, df)
        frames[table] = v.valid
        if not v.ok:
            batch_failures.append(v.failures)
    failures = pd.concat(batch_failures, ignore_index=True) if batch_failures else empty_failures()
    rep.add_failures(failures)
    rep.timings["validate"] += time.perf_counter() - t
    status_df = pd.DataFrame({"article_id": list(status), "enriched_at": now, "nlp_model": model,
                              "enrichment_status": list(status.values())})
    t = time.perf_counter()
    with store.connection(database) as con:
        store.write_enrichment_batch(con, status_df, frames, failures)
    rep.timings["write"] += time.perf_counter() - t
    rep.seen += len(results)
    rep.processed += sum(1 for _, st, _ in results if not st.startswith("skipped"))
    for table, df in frames.items():
        rep.written[table] += len(df)
        if table == "entities" and len(df):
            rep.add_preview(df[["article_id", "text", "label", "canonical_name", "start_char", "end_char"]], n=10)
