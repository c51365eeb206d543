"""Stage 3, enrichment: spaCy with the news components over every article, then validated rows.

:func:`enrich_chunk` runs in worker processes (``nlp.pipe`` + the serializer);
:func:`enrichment_batch` validates a batch of results (pure); :func:`enrich_pending` drives
them over a store. No dagster imports.
"""

from __future__ import annotations

import time
import traceback
from datetime import datetime
from functools import partial
from pathlib import Path

import pandas as pd

from news_etl.nlp.model import model_label
from news_etl.stages.report import Progress, StageReport, now, say, text_or_none
from news_etl.stages.workers import chunk_size, chunks, mapper, release_freed_memory, use_workers
from news_etl.warehouse.batches import EnrichmentBatch
from news_etl.warehouse.store import Store, as_store
from news_etl.warehouse.tables import ARTICLE_CHILD_TABLES as CHILD_TABLES
from news_etl.warehouse.tables import frame
from news_etl.warehouse.validate import empty_failures, validate

ENGLISH = {"en"}

#: Documents per ``nlp.pipe`` batch. spaCy holds a batch's activations at once, so a process's peak
#: memory follows the longest documents that meet in one batch, not the number of documents; with
#: batches of two it is set by about the two longest documents of the corpus. Measured on the 160
#: longest distinct articles of the benchmark corpus, longest first, in tasks of 16, one process:
#: peak 1,143 / 910 / 831 / 743 / 700 MB with batches of 16 / 8 / 4 / 2 / 1, 35.7 / 38.6 / 34.7 /
#: 34.6 / 37.0 s, identical rows.
PIPE_BATCH = 2

#: (article id, status, rows by table | {"_error": text} | None) for each article of a chunk.
EnrichResult = tuple[str, str, "dict | None"]

def init_nlp_worker(model: str | None) -> None:
    """Load the spaCy pipeline in a worker process (:func:`~news_etl.nlp.pipeline.load_nlp`
    caches it per process, so every later chunk gets the same pipeline)."""
    from news_etl.nlp.pipeline import load_nlp

    load_nlp(model)


def published_datetime(value) -> datetime | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def _docs(nlp, recs: list[dict], pipe_batch_size: int) -> list:
    """Docs for the articles (each knows its publication time), or the exception per article."""
    def make(r):
        d = nlp.make_doc(r["body"])
        d._.published_at = published_datetime(r["published_at"])
        return d

    try:
        return list(nlp.pipe((make(r) for r in recs), batch_size=pipe_batch_size))
    except Exception:  # one bad document must not fail the chunk: process one by one
        docs = []
        for r in recs:
            try:
                docs.append(nlp(make(r)))
            except Exception as err:
                docs.append(err)
        return docs


def enrich_chunk(recs: list[dict], nlp=None, pipe_batch_size: int = PIPE_BATCH,
                 model: str | None = None) -> tuple[list[EnrichResult], float, float]:
    """spaCy + extractors over articles (runs in a worker): (results, nlp seconds, extract seconds).

    ``nlp``: a loaded pipeline; else the model ``model``, loaded once per process."""
    from news_etl.nlp.pipeline import load_nlp  # spaCy: imported where documents are processed
    from news_etl.nlp.serialize import rows_for_doc

    nlp = nlp or load_nlp(model)
    out: list[EnrichResult] = []
    english = []
    for r in recs:
        lang = text_or_none(r["language"])
        if (lang or "en") in ENGLISH:
            english.append(r)
        else:
            out.append((r["article_id"], f"skipped: language {lang!r} is not English", None))
    t = time.perf_counter()
    t_extract = 0.0
    for r, doc in zip(english, _docs(nlp, english, pipe_batch_size)):
        if isinstance(doc, Exception):
            out.append((r["article_id"], f"failed: spaCy: {type(doc).__name__}: {doc}"[:300],
                        {"_error": f"{type(doc).__name__}: {doc}"[:500]}))
            continue
        te = time.perf_counter()
        try:
            out.append((r["article_id"], "done", rows_for_doc(r["article_id"], doc)))
        except Exception as err:  # an extractor bug on one article must not stop the run
            out.append((r["article_id"], f"failed: {type(err).__name__}: {err}"[:300],
                        {"_error": traceback.format_exc(limit=3)[-500:]}))
        t_extract += time.perf_counter() - te
    t_nlp = time.perf_counter() - t - t_extract
    doc = None  # the chunk's last Doc: the worker waits for the next chunk at its baseline
    release_freed_memory()
    return out, t_nlp, t_extract


def enrichment_batch(results: list[EnrichResult], bodies: dict[str, str], model: str, at: datetime,
                     rep: StageReport | None = None) -> EnrichmentBatch:
    """Validate every child table's rows against the stored bodies; record extractor errors."""
    rows: dict[str, list[dict]] = {t: [] for t in (*CHILD_TABLES, "places")}
    status: dict[str, str] = {}
    errors = []
    for aid, st, r in results:
        status[aid] = st
        if st == "done":
            for table, rs in r.items():
                rows[table].extend(rs)
        elif st.startswith("skipped"):
            if rep is not None:
                rep.skipped += 1
        else:
            errors.append({"table_name": "enrichment", "article_id": aid, "column_name": None,
                           "check_name": "extractor_error", "failure_case": (r or {}).get("_error", st),
                           "failed_at": at})
    frames: dict[str, pd.DataFrame] = {}
    batch_failures = [frame("validation_failures", errors)] if errors else []
    for table in CHILD_TABLES:
        v = validate(table, frame(table, rows[table]), bodies)
        frames[table] = v.valid
        if not v.ok:
            batch_failures.append(v.failures)
    places = frame("places", rows["places"]).drop_duplicates("place_id", ignore_index=True)
    v = validate("places", places)
    if not v.ok:
        batch_failures.append(v.failures)
    failures = pd.concat(batch_failures, ignore_index=True) if batch_failures else empty_failures()
    status_df = pd.DataFrame({"article_id": list(status), "enriched_at": at, "nlp_model": model,
                              "enrichment_status": list(status.values())})
    return EnrichmentBatch(status_df, frames, failures, {"places": v.valid})


def _write(store: Store, results: list[EnrichResult], model: str, rep: StageReport) -> None:
    t = time.perf_counter()
    b = enrichment_batch(results, store.bodies([aid for aid, _, _ in results]), model, now(), rep)
    rep.add_failures(b.validation_failures)
    rep.timings["validate"] += time.perf_counter() - t
    t = time.perf_counter()
    store.write_enrichment(b)
    rep.timings["write"] += time.perf_counter() - t
    rep.seen += len(results)
    rep.processed += sum(1 for _, st, _ in results if not st.startswith("skipped"))
    for table, df in b.children.items():
        rep.written[table] += len(df)
        if table == "entities" and len(df):
            rep.add_preview(df[["article_id", "text", "label", "canonical_name", "start_char", "end_char"]], n=10)


def enrich_pending(sink: Store | str | Path, nlp, batch_size: int = 128, pipe_batch_size: int = PIPE_BATCH,
                   progress: Progress | None = None, workers: int | None = 1,
                   model_name: str | None = None) -> StageReport:
    """Run the spaCy pipeline and the extractors over every article not yet enriched.

    ``nlp`` is a loaded pipeline or a function that loads it (called only when the work is
    done in this process). With several workers, each loads the model ``model_name`` once
    and processes chunks of articles; the parent validates and writes.
    """
    t0 = time.perf_counter()
    store = as_store(sink)
    rep = StageReport("enrich")
    model = model_label(model_name)
    n = store.count_pending("enrich")
    workers = use_workers(workers, n, batch_size)
    rep.notes.append(f"workers: {workers}")
    if n == 0:
        rep.seconds = time.perf_counter() - t0
        return rep
    if workers == 1 and callable(nlp) and not hasattr(nlp, "pipe"):
        nlp = nlp()
    fn = partial(enrich_chunk, model=model_name) if workers > 1 else \
        partial(enrich_chunk, nlp=nlp, pipe_batch_size=pipe_batch_size)
    size = chunk_size(batch_size, workers)
    with mapper(workers, init_nlp_worker if workers > 1 else None, (model_name,)) as pmap:
        pending: list[EnrichResult] = []
        batches = _longest_first(store.pending("enrich", batch_size), workers, n, 2 * batch_size)
        for chunk, t_nlp, t_extract in pmap(fn, chunks(batches, size, n, workers)):
            rep.timings["nlp"] += t_nlp
            rep.timings["extract"] += t_extract
            pending.extend(chunk)
            if len(pending) >= batch_size:
                _write(store, pending, model, rep)
                pending = []
                say(progress, _progress_line(rep))
        if pending:
            _write(store, pending, model, rep)
            say(progress, _progress_line(rep))
    rep.seconds = time.perf_counter() - t0
    return rep


def _longest_first(batches, workers: int, pending: int, tail: int):
    """The batches of the stage's last ``tail`` (of ``pending``) articles longest first, when several
    workers share them (longest processing time first): the short ones then fill the gaps at the end,
    instead of one worker still parsing a long article while the other waits. Only at the end: a
    sorted batch puts its longest articles into one task, and the largest task sets a worker's peak
    memory. The results are the same in any order."""
    left = pending
    for batch in batches:
        if workers > 1 and left <= tail:
            batch = sorted(batch, key=lambda r: -len(r["body"] or ""))
        left -= len(batch)
        yield batch


def _progress_line(rep: StageReport) -> str:
    return (f"enrich: {rep.processed} articles, {rep.written['entities']} entities, "
            f"{rep.written['quotes']} quotes, {rep.written['casualties']} casualty figures")
