"""What waits for a run, read with plain DuckDB (no pandas, pandera or Dagster imports).

The CLI asks these before it imports the pipeline, so a run over an unchanged folder ends in a
fraction of a second (the store, :mod:`news_etl.warehouse.store`, imports pandas and pandera,
which alone take over a second). The store counts its own pending work with the same SQL and
reads it with :func:`pending_for_cleaning` and :func:`pending_for_enrichment` (rows as dicts).
"""

from __future__ import annotations

from typing import Sequence

import duckdb

#: What each stage has pending, counted cheaply before a run decides on worker processes.
PENDING_COUNT_SQL = {
    "clean": """SELECT count(*) FROM raw_documents r
                WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = r.article_id
                                  AND a.reclean_requested IS NOT TRUE)""",
    "enrich": "SELECT count(*) FROM articles WHERE enrichment_status IS NULL",
}

#: Exactly what the store's ``pending_for_cleaning`` and ``pending_for_enrichment`` would return, counted.
EXACT_PENDING_SQL = {
    "clean": """SELECT count(*) FROM raw_documents r LEFT JOIN articles a USING (article_id)
                WHERE (a.article_id IS NULL OR a.reclean_requested)
                  AND r.content_hash NOT IN (SELECT content_hash FROM rejected_files
                                             WHERE stage IN ('clean', 'validate') AND content_hash IS NOT NULL)""",
    "enrich": "SELECT count(*) FROM articles WHERE enrichment_status IS NULL",
}


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the database has table ``name`` (written into the SQL: a query parameter would
    import pandas, see :func:`unseen_files`)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a table name: {name!r}")
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                            f"'{name}' AND database_name = current_database()").fetchall()[0][0])


def pending_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Raw documents to clean and articles to enrich (zeros for a database without tables)."""
    try:
        return {stage: con.execute(sql).fetchall()[0][0] for stage, sql in EXACT_PENDING_SQL.items()}
    except duckdb.CatalogException:
        return {stage: 0 for stage in EXACT_PENDING_SQL}


def unseen_files(con: duckdb.DuckDBPyConnection, listing: Sequence[tuple[str, int, int]]) -> list[tuple]:
    """The (source_path, size_bytes, mtime_ms) rows of ``listing`` that ``source_files`` has no record
    of with that size and modification time (to the millisecond), in path order.

    The comparison runs here, not in SQL: DuckDB's Python client imports pandas for any query
    parameter (measured: 0.7 s), and the point of this module is not to."""
    if not has_table(con, "source_files"):
        return sorted(listing)
    known = {path: (size, ms) for path, size, ms in con.execute(
        "SELECT source_path, size_bytes, epoch_ms(modified_at) FROM source_files").fetchall()}
    unseen = []
    for row in listing:
        rec = known.get(row[0])
        if rec is None or rec[0] != row[1] or (rec[1] is not None and abs(rec[1] - row[2]) > 1):
            unseen.append(row)
    return sorted(unseen)


def row_counts(con: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}


#: Content read per query when cleaning (bounded by bytes, not rows). ``raw_documents.content``
#: is stored uncompressed: DuckDB's default for long strings (ZSTD in blocks of 2,048 rows)
#: decompresses a whole block -- hundreds of MB of pages -- to read any one row, which made
#: the cleaning read quadratic in the corpus and its memory proportional to page size x 2,048.
#: A read holds several times its bytes at once (DuckDB's result, then Python strings of up to
#: 4 bytes a character): reading 1,000 pages, the peak rose by 705 MB with 64 MB reads into a
#: DataFrame, 370 MB with 64 MB read as dicts, 116 MB with 16 MB as dicts (and no slower).
CLEAN_FETCH_ROWS = 2048
CLEAN_FETCH_BYTES = 16 * 2**20


def _records(cur) -> list[dict]:
    """A query's rows as dicts (``fetchall``: no DataFrame, whose columns would be a second copy
    of every string while the dicts are made)."""
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def pending_for_cleaning(con, limit: int = CLEAN_FETCH_ROWS, after: int = -1,
                         max_bytes: int = CLEAN_FETCH_BYTES) -> list[dict]:
    """Raw documents to clean (not yet an article, or marked to clean again; not rejected), in
    storage order (``pos`` = rowid; raw documents are never deleted, so it is a stable cursor).

    Ids are chosen first (at most ``limit`` rows and ``max_bytes`` of content, at least one
    row), then the content is read for that rowid range only.
    """
    todo = con.execute(
        """SELECT r.rowid AS pos, a.article_id IS NOT NULL AS is_reclean, r.size_bytes
           FROM raw_documents r LEFT JOIN articles a USING (article_id)
           WHERE r.rowid > ? AND (a.article_id IS NULL OR a.reclean_requested)
             AND r.content_hash NOT IN (SELECT content_hash FROM rejected_files
                                        WHERE stage IN ('clean', 'validate') AND content_hash IS NOT NULL)
           ORDER BY r.rowid LIMIT ?""", [after, limit]).fetchall()
    picked, total = {}, 0
    for pos, is_reclean, size in todo:
        if picked and total + (size or 0) > max_bytes:
            break
        picked[pos] = bool(is_reclean)
        total += size or 0
    if not picked:
        return []
    rows = _records(con.execute(
        """SELECT rowid AS pos, article_id, content_hash, source_path, format, url, content
           FROM raw_documents WHERE rowid BETWEEN ? AND ? AND rowid IN (SELECT unnest(?)) ORDER BY rowid""",
        [min(picked), max(picked), list(picked)]))
    for r in rows:
        r["is_reclean"] = picked[r["pos"]]
    return rows


def pending_for_enrichment(con, limit: int, after: str = "") -> list[dict]:
    """Articles not yet enriched, in id order (ids first, then their bodies)."""
    return _records(con.execute(
        """WITH todo AS (SELECT article_id FROM articles WHERE enrichment_status IS NULL AND article_id > ?
                         ORDER BY article_id LIMIT ?)
           SELECT a.article_id, a.body, a.published_at, a.language, a.source_path, a.content_hash
           FROM todo JOIN articles a USING (article_id) ORDER BY a.article_id""",
        [after, limit]))
