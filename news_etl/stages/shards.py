"""Scale-out core: the same stages over one shard of the input into Parquet; shards merged through the store.

No dagster imports. A shard step never touches the DuckDB file, so any number of them can run
at once, on one machine or many (object storage in place of the local folder): it runs the
ingest, clean and enrich batch functions of :mod:`news_etl.stages` and hands their batches to a
:class:`~news_etl.warehouse.sinks.ParquetSink`. :func:`merge_shards` reads each finished shard
back as batches and writes them with :meth:`Store.write` (one transaction per shard). Both steps
are idempotent: a shard rewrites its own Parquet files, and the merge stores each article once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from news_etl.ingest.reader import DEFAULT_MAX_BYTES, discover, read_source
from news_etl.stages.clean import clean_batch, clean_chunk, link_near_duplicates
from news_etl.stages.enrich import enrich_chunk, enrichment_batch
from news_etl.stages.ingest import ingest_batch
from news_etl.stages.report import now
from news_etl.warehouse.batches import CleanBatch, EnrichmentBatch, IngestBatch
from news_etl.warehouse.sinks import SHARD_TABLES, ParquetSink, finished_shards, read_shard
from news_etl.warehouse.store import Store, as_store
from news_etl.warehouse.tables import frame


def shard_of(source_path: str, n_shards: int) -> int:
    """Stable shard number of a file (by its path relative to the input folder)."""
    return int(hashlib.sha1(source_path.encode("utf-8")).hexdigest()[:8], 16) % n_shards


def process_shard(root: str | Path, shard: int, n_shards: int, staging: str | Path, nlp, model: str,
                  batch_size: int = 64, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, int]:
    """Ingest, clean, enrich and validate the files of one shard; write ``<table>/part-N.parquet``."""
    sink = ParquetSink.for_shard(staging, shard, n_shards)
    files = [s for s in discover(root) if shard_of(s.source_path, n_shards) == shard]
    seen: set[str] = set()
    for start in range(0, len(files), batch_size):
        at = now()
        ingest = ingest_batch([read_source(src, max_bytes=max_bytes) for src in files[start:start + batch_size]],
                              set(), seen, at)
        sink.write_ingest(ingest)
        clean = clean_batch(clean_chunk(ingest.raw_documents.to_dict("records")), at, candidates=None)
        sink.write_clean(clean)
        arts = clean.articles.to_dict("records")
        results, _, _ = enrich_chunk(arts, nlp=nlp)
        sink.write_enrichment(enrichment_batch(results, {a["article_id"]: a["body"] for a in arts}, model, at))
        sink.next_part()
    return sink.finish()


def merge_shards(database: Store | str | Path, staging: str | Path) -> dict[str, int]:
    """Load every finished shard into the store, one transaction per shard; each article once.

    Documents already stored (from an earlier run or another shard) are not stored again and
    their files count as duplicates; near-duplicates are linked against the store as in a
    one-process run.
    """
    store = as_store(database)
    store.ensure_schema()
    merged = {t: 0 for t in SHARD_TABLES}
    for d in finished_shards(staging):
        ingest, clean, enrichment = read_shard(d)
        known = store.known_hashes(ingest.raw_documents["content_hash"].tolist())
        raw = ingest.raw_documents[~ingest.raw_documents["content_hash"].isin(known)]
        new_ids = set(raw["article_id"])
        src = ingest.source_files.copy()
        # The same bytes stored from another path (another shard, an earlier run): a duplicate.
        stored_from = store.raw_sources(src.loc[src["status"] == "ingested", "article_id"].tolist())
        dup = (src["status"] == "ingested") & (src["documents"] == 1) & \
            (src["article_id"].map(stored_from).fillna(src["source_path"]) != src["source_path"])
        src.loc[dup, "status"] = "duplicate"
        arts = clean.articles[clean.articles["article_id"].isin(new_ids)]
        rows = arts.to_dict("records")
        if rows:
            link_near_duplicates(rows, store.near_duplicate_candidates)
        def new(df):  # rows of documents stored by this merge (a retried merge adds nothing twice)
            return df[df["article_id"].isin(new_ids)]

        clean = CleanBatch(frame("articles", rows), clean.rejected_files, new(clean.validation_failures))
        children = {t: new(df) for t, df in enrichment.children.items()}
        enrichment = EnrichmentBatch(new(enrichment.article_status), children, new(enrichment.validation_failures),
                                     enrichment.dimensions)
        store.write(IngestBatch(src, raw, ingest.rejected_files), clean, enrichment)
        for t, n in {"source_files": len(src), "raw_documents": len(raw), "articles": len(rows),
                     **{t: len(df) for t, df in children.items()}}.items():
            merged[t] += n
        (d / "_SUCCESS").rename(d / "_MERGED")  # a stale shard is never merged again
    return merged
