"""What one batch of each stage hands to a sink: typed, validated frames shaped like the tables.

The stages (:mod:`news_etl.stages`) build these; a sink (:mod:`news_etl.warehouse.sinks`) writes them:
the DuckDB store (:class:`news_etl.warehouse.store.Store`, the only writer of the database) or
the Parquet staging sink of the scale-out job. No dagster imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from news_etl.warehouse.tables import frame


def _empty(table: str):
    return field(default_factory=lambda: frame(table, []))


@dataclass
class IngestBatch:
    """Files looked at (``source_files``), new raw documents, and ingestion rejects."""

    source_files: pd.DataFrame = _empty("source_files")
    raw_documents: pd.DataFrame = _empty("raw_documents")
    rejected_files: pd.DataFrame = _empty("rejected_files")


@dataclass
class CleanBatch:
    """Valid new (or re-cleaned) articles, cleaning/validation rejects and failures.

    ``reclean_failed``: stored articles whose re-clean failed; they keep their stored version.
    """

    articles: pd.DataFrame = _empty("articles")
    rejected_files: pd.DataFrame = _empty("rejected_files")
    validation_failures: pd.DataFrame = _empty("validation_failures")
    reclean_failed: list[str] = field(default_factory=list)


@dataclass
class EnrichmentBatch:
    """Per article: its enrichment status; per child table: its validated rows; the failures.

    ``article_status`` has article_id, enriched_at, nlp_model, enrichment_status.
    """

    article_status: pd.DataFrame
    children: dict[str, pd.DataFrame]
    validation_failures: pd.DataFrame = _empty("validation_failures")
    #: Rows of shared tables the articles refer to (``places``): added when new, never replaced.
    dimensions: dict[str, pd.DataFrame] = field(default_factory=dict)


class Sink(Protocol):
    """Where a stage's batches go. Each write is one atomic unit (one transaction for DuckDB)."""

    def write_ingest(self, batch: IngestBatch) -> None: ...

    def write_clean(self, batch: CleanBatch) -> None: ...

    def write_enrichment(self, batch: EnrichmentBatch) -> None: ...
