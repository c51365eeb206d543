"""Is there anything for a run to do? (No dagster imports.)

A run over an input folder changes nothing when every file below it is recorded in
``source_files`` with its current size and modification time (ingestion would skip them all),
no raw document waits to be cleaned, and no article waits for enrichment. The CLI asks this
before starting Dagster, so re-running on an unchanged folder costs a listing and one query
instead of a whole job (``news-etl run --force`` runs the job anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from news_etl.ingest.reader import walk_files
from news_etl.warehouse.store import Store


@dataclass
class Pending:
    files: int            # files below the input folder
    changed_files: int    # new, or changed since they were recorded
    to_clean: int         # raw documents not yet articles (nor rejected)
    to_enrich: int        # articles not yet enriched

    @property
    def nothing(self) -> bool:
        return self.changed_files == 0 and self.to_clean == 0 and self.to_enrich == 0

    @property
    def documents(self) -> int:
        """Documents a run would process at most (a file is counted as one document)."""
        return self.changed_files + self.to_clean + self.to_enrich


def pending_work(store: Store, root: str | Path) -> Pending:
    """What a run over ``root`` would have to do (no database yet: every file is new)."""
    listing = pd.DataFrame([(rel, size, mtime_ns // 1_000_000) for _, rel, size, mtime_ns in walk_files(root)],
                           columns=["source_path", "size_bytes", "mtime_ms"])
    if not store.exists():
        return Pending(files=len(listing), changed_files=len(listing), to_clean=0, to_enrich=0)
    changed = store.unseen_files(listing)
    counts = store.pending_counts()
    return Pending(files=len(listing), changed_files=len(changed), to_clean=counts["clean"],
                   to_enrich=counts["enrich"])
