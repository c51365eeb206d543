"""Stage 2, cleaning: raw documents become validated articles (or rejects with a reason).

:func:`clean_chunk` runs in worker processes (trafilatura or the text-dump parser, SimHash);
:func:`clean_batch` validates a batch and links near-duplicates (pure but for the candidate
lookup it is given); :func:`clean_pending` drives them over a store. No dagster imports.
"""

from __future__ import annotations

import itertools
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from news_etl.clean import dedup
from news_etl.clean.article import CleanedArticle, CleaningError, check_body_length
from news_etl.clean.core import clean_document
from news_etl.stages.report import Progress, StageReport, now, say, text_or_none
from news_etl.stages.workers import chunk_size, chunks, mapper, use_workers
from news_etl.warehouse.batches import CleanBatch
from news_etl.warehouse.store import CLEAN_FETCH_ROWS, Store, as_store
from news_etl.warehouse.tables import frame
from news_etl.warehouse.validate import validate

#: (stored id, stored SimHash, stored body) of originals near each new article's SimHash.
Candidates = Callable[[Sequence[tuple[str, int]], int], list[tuple]]
CleanResult = tuple[dict, "CleanedArticle | None", "str | None"]


def clean_chunk(raws: list[dict]) -> list[CleanResult]:
    """Clean raw documents (runs in a worker): (raw without content, article or None, reject reason)."""
    out = []
    for raw in raws:
        try:
            c = clean_document(raw["format"], raw["content"], text_or_none(raw["url"]))
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


#: A small page for :func:`warm_up`: written for it, with the parts the cleaner reads (JSON-LD,
#: meta tags, a headline and enough paragraphs for trafilatura and language identification).
_WARM_UP_PAGE = """<html lang="en"><head><title>Warm-up page</title>
<meta property="og:title" content="Warm-up page"><meta name="author" content="Jane Roe">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Warm-up page",
"datePublished": "2026-01-02T03:04:05Z"}</script></head><body><article><h1>Warm-up page</h1>
""" + "".join(f"<p>Paragraph {i} of a page that exists to load the cleaner's libraries once, so that "
              "the first real page of a run does not pay for it.</p>" for i in range(8)) + "</article></body></html>"


def warm_up() -> CleanResult:
    """Import the cleaner's libraries and fill their lazy caches (trafilatura, lxml, the language
    identifier, date parsing) by cleaning a small page: what a run-pool worker does while it
    waits for its first task, so that the first chunk of a run does not pay ~1 s for it."""
    return clean_chunk([{"format": "html", "content": _WARM_UP_PAGE, "url": None}])[0]


def article_row(raw: dict, c: CleanedArticle, at: datetime) -> dict:
    return {
        "article_id": raw["article_id"], "source_path": raw["source_path"], "url": c.url or text_or_none(raw.get("url")),
        "title": c.title, "subtitle": c.subtitle, "authors": list(c.authors or []), "publisher": c.publisher,
        "published_at": c.published_at, "updated_at": c.updated_at, "language": c.language,
        "body": c.body, "word_count": len(c.body.split()), "content_hash": raw["content_hash"],
        "image_caption": c.image_caption, "image_credit": c.image_credit, "extraction_method": c.method,
        "cleaned_at": at, "enriched_at": None, "nlp_model": None, "enrichment_status": None,
        "body_simhash": raw.get("body_simhash"),
    }


def link_near_duplicates(rows: list[dict], candidates: Candidates) -> None:
    """Set ``duplicate_of`` (and ``body_simhash``) on new article rows, in place.

    The original is the earliest stored article (or earlier row of this batch) with a
    close SimHash and a confirming shingle similarity.
    """
    for r in rows:
        if r.get("body_simhash") is None:
            r["body_simhash"] = dedup.simhash(r["body"])
    stored: dict[str, list] = {}
    for new_id, cid, ch, cbody in candidates([(r["article_id"], r["body_simhash"]) for r in rows], dedup.MAX_HAMMING):
        stored.setdefault(new_id, []).append((cid, ch, cbody))
    earlier: list[tuple[str, int, str]] = []
    # Within a batch the original is the earliest published (then the first by path).
    far = datetime.max.replace(tzinfo=timezone.utc)
    for r in sorted(rows, key=lambda r: (pd.Timestamp(r["published_at"]).to_pydatetime()
                                         if r["published_at"] is not None else far, r["source_path"])):
        r["duplicate_of"] = dedup.find_duplicate(r["body"], r["body_simhash"], stored.get(r["article_id"], []) + earlier)
        if r["duplicate_of"] is None:
            earlier.append((r["article_id"], r["body_simhash"], r["body"]))


def _reject(raw: dict, stage: str, reason: str, at: datetime) -> dict:
    return {"source_path": raw["source_path"], "content_hash": raw["content_hash"], "stage": stage,
            "reason": reason, "rejected_at": at}


def clean_batch(results: list[CleanResult], at: datetime, candidates: Candidates | None,
                rep: StageReport | None = None) -> CleanBatch:
    """Validate cleaned articles; failing documents become rejects (a failing re-clean keeps the
    stored article and is recorded as a failure); valid articles are linked to near-duplicates
    among the ``candidates`` (None: not linked here, e.g. in a scale-out shard)."""
    rows, rejects, reclean_failed, failures = [], [], [], []
    for raw, c, why in results:
        if c is not None:
            rows.append(article_row(raw, c, at))
        elif raw.get("is_reclean"):
            reclean_failed.append(raw["article_id"])
            failures.append({"table_name": "articles", "article_id": raw["article_id"], "column_name": None,
                             "check_name": "reclean_failed", "failure_case": why, "failed_at": at})
        else:
            rejects.append(_reject(raw, "clean", why, at))
    t = time.perf_counter()
    arts = frame("articles", rows)
    v = validate("articles", arts)
    if not v.ok:
        src = {raw["article_id"]: raw for raw, _, _ in results}
        for aid in sorted(set(arts["article_id"]) - set(v.valid["article_id"])):
            if src[aid].get("is_reclean"):
                reclean_failed.append(aid)
                continue
            why = "; ".join(sorted({f"{r.column_name or 'row'} failed {r.check_name}"
                                    for r in v.failures.itertuples() if r.article_id == aid}))
            rejects.append(_reject(src[aid], "validate", f"articles schema: {why}", at))
    t_dedup = time.perf_counter()
    valid = v.valid
    if len(valid) and candidates is not None:
        keep = set(valid["article_id"])
        good_rows = [r for r in rows if r["article_id"] in keep]
        link_near_duplicates(good_rows, candidates)
        valid = frame("articles", good_rows)
    if rep is not None:
        rep.timings["validate"] += t_dedup - t
        rep.timings["dedup"] += time.perf_counter() - t_dedup
        rep.add_failures(v.failures)
    all_failures = pd.concat([v.failures, frame("validation_failures", failures)], ignore_index=True) \
        if failures else v.failures
    return CleanBatch(valid, frame("rejected_files", rejects), all_failures, reclean_failed)


def clean_pending(sink: Store | str | Path, batch_size: int = 100, progress: Progress | None = None,
                  workers: int | None = 1) -> StageReport:
    """Clean every raw document that is not yet an article (nor rejected), batch by batch."""
    t0 = time.perf_counter()
    store = as_store(sink)
    rep = StageReport("clean")
    n = store.count_pending("clean")
    workers = use_workers(workers, n, batch_size)
    rep.notes.append(f"workers: {workers}")
    with mapper(workers) as pmap:
        pending = store.pending("clean", CLEAN_FETCH_ROWS)
        results = (r for chunk in pmap(clean_chunk, chunks(pending, chunk_size(batch_size, workers), n, workers))
                   for r in chunk)
        while True:
            t = time.perf_counter()
            batch = list(itertools.islice(results, batch_size))
            rep.timings["clean"] += time.perf_counter() - t
            if not batch:
                break
            b = clean_batch(batch, now(), store.near_duplicate_candidates, rep)
            t = time.perf_counter()
            store.write_clean(b)
            rep.timings["write"] += time.perf_counter() - t
            rep.seen += len(batch)
            rep.processed += len(batch)
            rep.written["articles"] += len(b.articles)
            rep.rejected += len(b.rejected_files)
            if len(b.articles):
                rep.add_preview(b.articles[["article_id", "title", "publisher", "published_at", "word_count"]])
            say(progress, f"clean: {rep.written['articles']} articles, {rep.rejected} rejected")
    rep.seconds = time.perf_counter() - t0
    return rep
