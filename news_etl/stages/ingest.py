"""Stage 1, ingestion: every file under the input folder is recorded; new content becomes a raw document.

:func:`ingest_batch` turns read files into one :class:`IngestBatch` (pure); :func:`ingest_folder`
walks the folder and hands each batch to a sink. No dagster imports.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pandas as pd

from news_etl.ingest.reader import DEFAULT_MAX_BYTES, ReadResult, discover, read_source
from news_etl.stages.report import Progress, StageReport, now, say
from news_etl.stages.workers import release_freed_memory
from news_etl.warehouse.batches import IngestBatch
from news_etl.warehouse.store import Store, as_store
from news_etl.warehouse.tables import frame

#: An ingestion batch is written once it holds this many files or this many bytes of documents. Its
#: frames and the write hold ~15x its bytes at once; since writes only append (see
#: :mod:`news_etl.warehouse.storage`), smaller batches cost no time: the 520 pages of the benchmark
#: ingested alone in batches of 100 / 200 / 400 / 1,024 files: 3.2 / 2.5 / 3.7 / 5.5 s, peak 474 /
#: 687 / 1,059 / 1,417 MB (a 1,024-file, 128 MB bound before); 5,000 pages: 26.3 s, 736 MB with
#: 200 files / 64 MB, 62.2 s with 200 files / 32 MB (the bytes cut batches smaller).
INGEST_BATCH_FILES = 200
INGEST_BATCH_BYTES = 64 * 1024 * 1024


def to_timestamp(value) -> datetime | None:
    """A UTC datetime from a date string or value; None when it does not parse."""
    if not value:
        return None
    try:
        ts = pd.Timestamp(value)
        return (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).to_pydatetime()
    except (ValueError, TypeError):
        return None


def same_time(a, b: datetime) -> bool:
    if a is None:
        return False
    try:
        return abs(pd.Timestamp(a).timestamp() - b.timestamp()) < 1e-3
    except (TypeError, ValueError):
        return False


def raw_document_row(d, at: datetime) -> dict:
    return {"article_id": d.article_id, "content_hash": d.content_hash, "source_path": d.source_path,
            "source_record": d.source_record, "format": d.fmt, "encoding": d.encoding, "size_bytes": d.size_bytes,
            "url": d.url, "content": d.content, "ingested_at": at, "fetched_at": to_timestamp(d.fetched_at)}


def reject_row(source_path: str, content_hash: str | None, stage: str, reason: str, at: datetime) -> dict:
    return {"source_path": source_path, "content_hash": content_hash, "stage": stage, "reason": reason,
            "rejected_at": at}


def ingest_batch(results: list[ReadResult], stored: set[str], seen: set[str], at: datetime) -> IngestBatch:
    """One batch of read files -> source_files rows, new raw documents, ingestion rejects.

    ``stored``: content hashes already in the sink; ``seen``: hashes taken earlier in this run
    (updated in place). The same bytes under another name make the file a ``duplicate``.
    """
    src_rows, raw_rows, rej_rows = [], [], []
    for r in results:
        s = r.source
        art, new_docs = None, 0
        if r.rejection is not None:  # the whole file
            rej_rows.append(reject_row(s.source_path, r.content_hash, r.rejection.stage, r.rejection.reason, at))
        for j in r.record_rejections:  # single records of a multi-record file
            rej_rows.append(reject_row(s.source_path, j.content_hash, j.stage, j.reason, at))
        for d in r.documents:
            art = art or d.article_id
            if d.content_hash in stored or d.content_hash in seen:
                continue
            new_docs += 1
            seen.add(d.content_hash)
            raw_rows.append(raw_document_row(d, at))
        if r.rejection is not None or not r.documents:
            status = "rejected"
        else:
            status = "duplicate" if new_docs == 0 else "ingested"
        src_rows.append({"source_path": s.source_path, "content_hash": r.content_hash, "size_bytes": s.size_bytes,
                         "modified_at": s.mtime, "status": status, "article_id": art, "first_seen_at": at,
                         "last_seen_at": at, "documents": len(r.documents), "records_skipped": r.records_skipped})
    return IngestBatch(frame("source_files", src_rows), frame("raw_documents", raw_rows),
                       frame("rejected_files", rej_rows))


def ingest_folder(sink: Store | str | Path, root: str | Path, batch_size: int = INGEST_BATCH_FILES,
                  max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> StageReport:
    """Record every file under ``root``; store the bytes of new content as raw documents.

    A file whose path, size and modification time are unchanged since the last run is
    not read again. New content is identified by its SHA-256: the same bytes under
    another name become a ``duplicate`` of the first article.
    """
    t0 = time.perf_counter()
    store = as_store(sink)
    rep = StageReport("ingest")
    root = Path(root)
    if not root.exists():
        raise FileNotFoundError(f"input folder {str(root)!r} does not exist")
    known = store.known_source_files()
    batch: list[ReadResult] = []
    batch_bytes = 0
    seen: set[str] = set()

    def flush() -> None:
        nonlocal batch_bytes
        if not batch:
            return
        stored = store.known_hashes([d.content_hash for r in batch for d in r.documents])
        b = ingest_batch(batch, stored, seen, now())
        store.write_ingest(b)
        rep.written["raw_documents"] += len(b.raw_documents)
        rep.written["source_files"] += len(b.source_files)
        rep.rejected += len(b.rejected_files)
        if len(b.source_files):  # the batch as Dagster shows it: every file looked at, and what became of it
            rep.add_preview(b.source_files[["source_path", "status", "article_id", "size_bytes", "documents"]], n=20)
        batch.clear()
        batch_bytes = 0
        release_freed_memory()

    for src in discover(root):
        rep.seen += 1
        prev = known.get(src.source_path)
        if prev is not None and prev[0] == src.size_bytes and same_time(prev[1], src.mtime):
            rep.skipped += 1
            continue
        rep.processed += 1
        t = time.perf_counter()
        batch.append(read_source(src, max_bytes=max_bytes))
        batch_bytes += sum(d.size_bytes for d in batch[-1].documents)
        rep.timings["read"] += time.perf_counter() - t
        if len(batch) >= batch_size or batch_bytes >= INGEST_BATCH_BYTES:
            flush()
            say(progress, f"ingest: {rep.seen} files seen, {rep.written['raw_documents']} new documents")
    flush()
    rep.seconds = time.perf_counter() - t0
    say(progress, f"ingest: {rep.seen} files seen, {rep.written['raw_documents']} new documents, "
                  f"{rep.rejected} rejected, {rep.skipped} unchanged")
    return rep
