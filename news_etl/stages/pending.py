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

from news_etl.ingest.reader import walk_files
from news_etl.warehouse import location as locations
from news_etl.warehouse import queue


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


def pending_work(target, root: str | Path, timeout_s: float = 5.0) -> Pending:
    """What a run over ``root`` would have to do (no database yet: every file is new). ``target``:
    a :class:`~news_etl.warehouse.location.Location` or anything with one (a ``Store``). Plain
    DuckDB, read-only: no pandas, so the CLI can answer "nothing to do" without importing the pipeline."""
    loc = getattr(target, "location", target)
    listing = [(rel, size, mtime_ns // 1_000_000) for _, rel, size, mtime_ns in walk_files(root)]
    if not loc.exists():
        return Pending(files=len(listing), changed_files=len(listing), to_clean=0, to_enrich=0)
    try:
        con = locations.open_connection(loc, read_only=True, timeout_s=timeout_s)
    except locations.LakeMissing:
        return Pending(files=len(listing), changed_files=len(listing), to_clean=0, to_enrich=0)
    try:
        changed = queue.unseen_files(con, listing)
        counts = queue.pending_counts(con)
    finally:
        con.close()
    return Pending(files=len(listing), changed_files=len(changed), to_clean=counts["clean"],
                   to_enrich=counts["enrich"])
