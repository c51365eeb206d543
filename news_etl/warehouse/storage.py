"""How the pipeline's writes lay rows out in a DuckDB file: row groups appended, merged on request.

DuckDB's checkpoint "vacuums" a table: adjacent row groups holding few rows are merged into one,
which rewrites them. Each write of the pipeline appends a batch (a few hundred rows); with the
merge, every checkpoint (one per write: the store closes its connection between writes) rewrites
all the pages appended since the last full row group (2,048 rows), so for ``raw_documents`` each
write costs more time and memory than the one before (ingesting 2,600 pages in 200-file batches:
0.57 s -> 2.66 s per write, the process's peak 656 -> 1,268 MB; appending, 0.4-0.7 s each and a
788-811 MB peak). So the writing connections merge nothing (:func:`merge_on_write`), and
:func:`compact` (``news-etl compact``) merges the row groups and drops deleted rows when asked.
"""

from __future__ import annotations

from news_etl import settings
from news_etl.warehouse.queue import has_table
from news_etl.warehouse.tables import TABLES


def merge_on_write() -> bool:
    """Whether the writing connections let DuckDB merge small row groups at each checkpoint
    (``NEWS_ETL_DUCKDB_MERGE_ON_WRITE``; off: DuckDB's ``max_vacuum_tasks = 0``)."""
    return bool(settings.get("NEWS_ETL_DUCKDB_MERGE_ON_WRITE"))


def row_groups(con) -> dict[str, int]:
    """Row groups per table of the DuckDB file (what :func:`compact` merges)."""
    return {name: con.execute(f"SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('{name}')").fetchone()[0]
            for name in TABLES if has_table(con, name)}


def compact(con, transaction) -> dict[str, tuple[int, int]]:
    """Merge each table's small row groups and drop its deleted rows (DuckDB's vacuum, at a
    checkpoint) on a writing connection of the store: ``{table: (row groups before, after)}``.
    ``transaction(con)``: the store's write transaction (takes the write lock like any write). Costs
    one rewrite of the merged row groups (its memory is that of the largest merged row group)."""
    before = row_groups(con)
    con.execute("RESET max_vacuum_tasks")  # DuckDB's default: the checkpoint merges
    with transaction(con):
        pass  # a write (the lock row), so that the checkpoint has something to do
    con.execute("CHECKPOINT")
    after = row_groups(con)
    return {t: (before[t], after.get(t, 0)) for t in before}
