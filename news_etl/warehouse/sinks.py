"""The Parquet staging sink of the scale-out job (the DuckDB sink is :class:`news_etl.warehouse.store.Store`).

A shard's batches are written as ``<staging>/shard=NNN/<part>/part-NNNNN.parquet``; ``_SUCCESS``
marks a finished shard. :func:`read_shard` gives the batches back for the merge, which writes
them through the store. Local folders here; the same layout works on mounted object storage.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from news_etl.warehouse.batches import CleanBatch, EnrichmentBatch, IngestBatch
from news_etl.warehouse.tables import ARTICLE_CHILD_TABLES, frame

SHARD_TABLES = ("source_files", "raw_documents", "rejected_files", "articles", *ARTICLE_CHILD_TABLES,
                "validation_failures")
#: Parts of a shard that are not tables of their own: the enrichment outcome per article, and
#: the enrichment stage's failures (kept apart from cleaning's: each write replaces its own).
STATUS, ENRICH_FAILURES, CLEAN_REJECTS = "article_status", "enrichment_failures", "clean_rejects"


def shard_dir(staging: str | Path, shard: int) -> Path:
    return Path(staging) / f"shard={shard:03d}"


def finished_shards(staging: str | Path) -> list[Path]:
    return sorted(d for d in Path(staging).glob("shard=*") if (d / "_SUCCESS").exists())


class ParquetSink:
    """Writes a shard's batches as Parquet parts; :meth:`finish` marks the shard done."""

    def __init__(self, out: Path):
        self.out = out
        self.part = 0
        self.counts = {t: 0 for t in SHARD_TABLES}

    @classmethod
    def for_shard(cls, staging: str | Path, shard: int, n_shards: int) -> "ParquetSink":
        """A fresh output folder for the shard (a re-run replaces it; shards of a larger split go)."""
        out = shard_dir(staging, shard)
        if out.exists():
            shutil.rmtree(out)
        for stale in Path(staging).glob("shard=*"):
            if stale.is_dir() and int(stale.name.split("=")[1]) >= n_shards:
                shutil.rmtree(stale, ignore_errors=True)
        out.mkdir(parents=True)
        return cls(out)

    def _put(self, name: str, df: pd.DataFrame, counted: str | None = None) -> None:
        if df is None or not len(df):
            return
        (self.out / name).mkdir(exist_ok=True)
        df.to_parquet(self.out / name / f"part-{self.part:05d}.parquet", index=False)
        if counted:
            self.counts[counted] += len(df)

    def write_ingest(self, batch: IngestBatch) -> None:
        for t in ("source_files", "raw_documents", "rejected_files"):
            self._put(t, getattr(batch, t), t)

    def write_clean(self, batch: CleanBatch) -> None:
        self._put("articles", batch.articles, "articles")
        self._put(CLEAN_REJECTS, batch.rejected_files, "rejected_files")
        self._put("validation_failures", batch.validation_failures, "validation_failures")

    def write_enrichment(self, batch: EnrichmentBatch) -> None:
        self._put(STATUS, batch.article_status)
        for t, df in batch.children.items():
            self._put(t, df, t)
        self._put(ENRICH_FAILURES, batch.validation_failures, "validation_failures")
        for t, df in batch.dimensions.items():
            self._put(t, df)

    def next_part(self) -> None:
        self.part += 1

    def finish(self) -> dict[str, int]:
        (self.out / "_SUCCESS").write_text(str(self.counts))
        return self.counts


def _read(d: Path, name: str, table: str | None = None) -> pd.DataFrame:
    parts = sorted((d / name).glob("*.parquet")) if (d / name).exists() else []
    if parts:
        return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    if table:
        return frame(table, [])
    return pd.DataFrame({c: [] for c in ("article_id", "enriched_at", "nlp_model", "enrichment_status")})


def read_shard(d: Path) -> tuple[IngestBatch, CleanBatch, EnrichmentBatch]:
    """A finished shard's batches (all its parts together)."""
    ingest = IngestBatch(*(_read(d, t, t) for t in ("source_files", "raw_documents", "rejected_files")))
    clean = CleanBatch(_read(d, "articles", "articles"), _read(d, CLEAN_REJECTS, "rejected_files"),
                       _read(d, "validation_failures", "validation_failures"))
    places = _read(d, "places", "places").drop_duplicates("place_id", ignore_index=True)
    enrichment = EnrichmentBatch(_read(d, STATUS), {t: _read(d, t, t) for t in ARTICLE_CHILD_TABLES},
                                 _read(d, ENRICH_FAILURES, "validation_failures"), {"places": places})
    return ingest, clean, enrichment
