"""The one module that owns the schema and every write to it, on a DuckDB file or a DuckLake catalog.

The SQL surface (table, column and view names) is a contract: later changes add
columns and views, they never rename. Connections are short-lived: a writer holds
the file lock only while it writes one batch, so readers and other writers can get
in between (they retry while the lock is held).

Keys are kept unique by the writes, not by indexes (why: :func:`news_etl.warehouse.tables.ddl`):
inserts are anti-joins or replace what they delete in the same transaction, and every write
transaction first updates the one row of ``_news_etl_lock``, so two overlapping writes conflict;
the loser is rolled back and :meth:`Store._retrying` runs it again on a fresh snapshot, where its
anti-joins see the winner's rows. Each article is therefore stored once. A DuckDB file's lock keeps
other processes out, the row writers in one process; DuckLake (``ducklake:<metadata>``, see
:mod:`news_etl.warehouse.location`: the same tables, views and SQL) lets concurrent inserts commit,
so its writers (two ``news-etl run``, Dagster steps on other machines) rely on the row. The row
also holds the schema's fingerprint, so DDL and views are only (re)written when they changed (on
a lake, not on every connection, which would make a snapshot). An earlier version's key indexes
are dropped once (:func:`drop_key_indexes`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import random
import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

import duckdb
import pandas as pd

from news_etl import settings
from news_etl.warehouse import location as locations
from news_etl.warehouse import queue
from news_etl.warehouse.queue import (CLEAN_FETCH_ROWS, pending_for_cleaning,  # noqa: F401 (re-exported)
                                      pending_for_enrichment)
from news_etl.warehouse.batches import CleanBatch, EnrichmentBatch, IngestBatch
from news_etl.warehouse.integrity import (CHECKED_TABLE, INTEGRITY_QUERIES, SCOPED_CHECKS,  # noqa: F401 (re-exported)
                                          UNCHECKED_SQL, integrity_query, integrity_violations)
from news_etl.warehouse.tables import ARTICLE_CHILD_TABLES, TABLES, columns, comments, ddl
from news_etl.warehouse.tables import frame  # noqa: F401 (re-exported: frames shaped like the tables)
from news_etl.warehouse import storage
from news_etl.warehouse.queue import EXACT_PENDING_SQL, PENDING_COUNT_SQL  # noqa: F401 (re-exported)
from news_etl.warehouse.views import DAILY_COUNTS_SQL, VIEWS  # the views are part of the schema this module owns

SCHEMA_VERSION = 2  # 2: the _news_etl_checked table


#: DuckDB memory limit of the pipeline's writing connections (read-only ones keep the default): without
#: it DuckDB's buffer pool grows towards 80 % of RAM with the raw-page column; above it DuckDB evicts or spills.
def writer_memory_limit() -> str:
    return settings.get("NEWS_ETL_DUCKDB_MEMORY")


def location_of(database, data_path: str | None = None) -> locations.Location:
    """The parsed location (``data_path`` default: ``NEWS_ETL_DATA_PATH``)."""
    if isinstance(database, locations.Location):
        return database
    if isinstance(database, Store):
        return database.location
    return locations.parse_configured(database, data_path)


def connect(database, read_only: bool = False, timeout_s: float = 120.0,
            data_path: str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file or DuckLake catalog, waiting (with jittered backoff) while another
    process holds a file lock. Raises ``LocationError`` (malformed URI) or ``StoreUnreachable``."""
    con = locations.open_connection(location_of(database, data_path), read_only, timeout_s)
    limit = writer_memory_limit()
    if not read_only and limit:
        con.execute(f"SET memory_limit = '{limit}'")
    if not read_only and not storage.merge_on_write():
        con.execute("SET max_vacuum_tasks = 0")  # writes append, merge nothing: see warehouse/storage.py
    return con


@contextlib.contextmanager
def connection(database, read_only: bool = False, timeout_s: float = 120.0,
               data_path: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(database, read_only=read_only, timeout_s=timeout_s, data_path=data_path)
    try:
        yield con
    finally:
        con.close()


#: One row: the lake's write lock (see the module docstring) and, in lakes and DuckDB files, the
#: fingerprint of the schema last written (:func:`ensure_schema` skips when it is current).
LOCK_TABLE = "_news_etl_lock"


def schema_fingerprint() -> str:
    """A digest of everything :func:`ensure_schema` would write (tables, comments, views)."""
    parts = [str(SCHEMA_VERSION)] + [ddl(t, lake=lake) for t in TABLES.values() for lake in (False, True)]
    parts += [c for t in TABLES.values() for c in comments(t)] + list(VIEWS.values())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def is_conflict(err: Exception) -> bool:
    """A DuckLake commit that lost against a concurrent one (run the transaction again)."""
    return isinstance(err, duckdb.TransactionException) or "conflict" in str(err).lower()


class StoreOutOfMemory(RuntimeError):
    """A write that needed more than the writer's DuckDB memory cap (``NEWS_ETL_DUCKDB_MEMORY``)."""


def is_out_of_memory(err: Exception) -> bool:
    """DuckDB ran out of its memory cap: in a statement, or in the checkpoint after a commit (a FATAL
    error that leaves the commit durable and the database instance to be reopened)."""
    return isinstance(err, duckdb.OutOfMemoryException) or (
        isinstance(err, duckdb.FatalException) and "checkpoint" in str(err) and "pin block" in str(err))


def out_of_memory_message(err: Exception) -> str:
    """What happened and what to do, in one line (the stored rows are safe: every write is one
    transaction and writes are idempotent, so the next run goes on where this one stopped)."""
    when = "checkpointing after a committed write" if isinstance(err, duckdb.FatalException) else "writing"
    return (f"DuckDB ran out of its memory cap (NEWS_ETL_DUCKDB_MEMORY={writer_memory_limit()}) while {when}: "
            "large pages need more (pages averaging 400 KB need about 1GB). Nothing is lost; raise it, e.g. "
            "NEWS_ETL_DUCKDB_MEMORY=1GB, and run again.")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, add columns that newer versions define, drop NOT NULL where a newer
    version allows NULL, (re)create the views -- only when the stored schema fingerprint differs
    (a run opens many short connections; checking costs one query, rewriting ~0.1 s each)."""
    if locations.is_lake(con):
        _ensure_lake_schema(con)
        return
    fingerprint = schema_fingerprint()
    if _stored_fingerprint(con) == fingerprint:
        return
    _ensure_tables(con, lake=False)
    con.execute(f'CREATE TABLE IF NOT EXISTS "{LOCK_TABLE}" (writes BIGINT, schema_fingerprint VARCHAR)')
    if not con.execute(f'SELECT count(*) FROM "{LOCK_TABLE}"').fetchall()[0][0]:
        con.execute(f'INSERT INTO "{LOCK_TABLE}" VALUES (0, NULL)')
    con.execute(f'UPDATE "{LOCK_TABLE}" SET schema_fingerprint = ?', [fingerprint])


def _stored_fingerprint(con) -> str | None:
    try:
        have = con.execute(f'SELECT schema_fingerprint FROM "{LOCK_TABLE}"').fetchall()
    except duckdb.CatalogException:
        return None
    return have[0][0] if have else None


def _ensure_lake_schema(con, attempts: int = 30) -> None:
    fingerprint = schema_fingerprint()
    for attempt in range(attempts):
        if _stored_fingerprint(con) == fingerprint:
            return
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute(f'CREATE TABLE IF NOT EXISTS "{LOCK_TABLE}" (writes BIGINT, schema_fingerprint VARCHAR)')
            if not con.execute(f'SELECT count(*) FROM "{LOCK_TABLE}"').fetchall()[0][0]:
                con.execute(f'INSERT INTO "{LOCK_TABLE}" VALUES (0, NULL)')
            con.execute(f'UPDATE "{LOCK_TABLE}" SET writes = writes + 1, schema_fingerprint = ?', [fingerprint])
            _ensure_tables(con, lake=True)
            con.execute("COMMIT")
            return
        except duckdb.Error as err:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            if not is_conflict(err) or attempt == attempts - 1:
                raise
            time.sleep(min(2.0, 0.05 * 2 ** attempt) * (1 + random.random()))


def _ensure_tables(con, lake: bool) -> None:
    con.execute(f'CREATE TABLE IF NOT EXISTS "{CHECKED_TABLE}" '
                "(check_name VARCHAR, article_id VARCHAR, enriched_at TIMESTAMPTZ)")
    for name, t in TABLES.items():
        con.execute(ddl(t, lake=lake))
        described = con.execute(f'DESCRIBE "{name}"').fetchall()
        have = {r[0] for r in described}
        for col, null in ((r[0], r[2]) for r in described if not lake):
            spec = next((c for c in t.columns if c.name == col), None)
            if spec is not None and spec.nullable and not spec.primary_key and null == "NO":
                con.execute(f'ALTER TABLE "{name}" ALTER COLUMN "{col}" DROP NOT NULL')
        added = False
        for col, typ in columns(name):
            if col not in have:
                con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {typ}')
                added = True
        if not lake and drop_key_indexes(con, t):
            added = True  # the rebuilt table needs its comments again
        if added or not have or lake or not _has_comments(con, name):
            for stmt in comments(t):
                con.execute(stmt)
    for view in VIEWS.values():
        con.execute(view)


def drop_key_indexes(con, t) -> bool:
    """Rebuild table ``t`` without the PRIMARY KEY index an earlier version declared (True when it
    did): a copy from the current declaration, in the stored column order (so ``SELECT *`` fills it;
    a column list or BY NAME made DuckDB hold the copy in memory), replaces it. Once per table."""
    if not _in_catalog(con, "duckdb_constraints", t.name, "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"):
        return False
    order = [r[0] for r in con.execute(f'DESCRIBE "{t.name}"').fetchall()]
    if sorted(order) != sorted(c.name for c in t.columns):  # columns no declaration knows: left alone
        return False
    spec, tmp = {c.name: c for c in t.columns}, f"{t.name}__rebuilt"
    t = dataclasses.replace(t, columns=tuple(spec[name] for name in order))
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]  # 1: rows in order, memory low
    con.execute("SET threads = 1")
    try:
        con.execute(ddl(t).replace(f'CREATE TABLE IF NOT EXISTS "{t.name}"', f'CREATE OR REPLACE TABLE "{tmp}"', 1))
        with transaction(con):  # never a dropped table without its copy (a table new in it would not spill)
            con.execute(f'INSERT INTO "{tmp}" SELECT * FROM "{t.name}"')
            con.execute(f'DROP TABLE "{t.name}"')
            con.execute(f'ALTER TABLE "{tmp}" RENAME TO "{t.name}"')
    finally:
        con.execute(f"SET threads = {int(threads)}")
    return True


def _in_catalog(con, catalog: str, name: str, where: str = "") -> int:
    """How many rows of a DuckDB catalog function (``duckdb_tables``, ...) are about table ``name``."""
    return con.execute(f"SELECT count(*) FROM {catalog}() WHERE table_name = ? AND schema_name = 'main' "
                       f"AND database_name = current_database() {where}", [name]).fetchall()[0][0]


def _has_comments(con, name: str) -> bool:
    return bool(_in_catalog(con, "duckdb_tables", name, "AND comment IS NOT NULL AND comment <> ''"))


def init_database(database: str | Path) -> None:
    with connection(database) as con:
        ensure_schema(con)


# --------------------------------------------------------------------------------------
# Reads the pipeline needs
# --------------------------------------------------------------------------------------

def known_source_files(con) -> dict[str, tuple[int, object, str | None]]:
    rows = con.execute("SELECT source_path, size_bytes, modified_at, content_hash FROM source_files").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def known_hashes(con, hashes: Sequence[str]) -> set[str]:
    if not hashes:
        return set()
    rows = con.execute(
        "SELECT content_hash FROM raw_documents WHERE content_hash IN (SELECT unnest(?))", [list(hashes)]
    ).fetchall()
    return {r[0] for r in rows}


def near_duplicate_candidates(con, hashes: Sequence[tuple[str, int]], max_hamming: int) -> list[tuple]:
    """(new id, stored id, stored simhash, stored body) for stored originals whose SimHash is close."""
    if not hashes:
        return []
    df = pd.DataFrame(hashes, columns=["new_id", "h"]).astype({"h": "int64"})
    con.register("_sim", df)
    try:
        return con.execute(
            """SELECT s.new_id, a.article_id, a.body_simhash, a.body FROM _sim s JOIN articles a
               ON bit_count(xor(a.body_simhash, s.h)) <= ? AND a.duplicate_of IS NULL AND a.article_id <> s.new_id
               ORDER BY s.new_id, a.cleaned_at, a.article_id""", [max_hamming]).fetchall()
    finally:
        con.unregister("_sim")


def count_rows(con, tables: Sequence[str] | None = None) -> dict[str, int]:
    tables = tables or list(TABLES)
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}


# --------------------------------------------------------------------------------------
# Writes (each one transaction; frames go in through Arrow/pandas, never row by row)
# --------------------------------------------------------------------------------------

def insert_frame(con, table: str, df: pd.DataFrame) -> None:
    if df is None or len(df) == 0:
        return
    name = f"_in_{table}"
    con.register(name, df)
    try:
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {name}')
    finally:
        con.unregister(name)


def insert_new(con, table: str, df: pd.DataFrame) -> None:
    """Insert the rows whose key is not stored yet (shared rows such as places)."""
    if df is None or len(df) == 0:
        return
    (key,) = TABLES[table].key
    name = f"_new_{table}"
    con.register(name, df)
    try:
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {name} '
                    f'WHERE "{key}" NOT IN (SELECT "{key}" FROM "{table}")')
    finally:
        con.unregister(name)


@contextlib.contextmanager
def transaction(con) -> Iterator[None]:
    """One transaction that first takes the write lock (a concurrent write then conflicts; the
    store's writes retry it). A database without the lock table yet (a connection that never
    ran :func:`ensure_schema`) writes without it."""
    lock = locations.is_lake(con) or bool(_in_catalog(con, "duckdb_tables", LOCK_TABLE))
    con.execute("BEGIN TRANSACTION")
    try:
        if lock:
            con.execute(f'UPDATE "{LOCK_TABLE}" SET writes = writes + 1')
        yield
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a failed DuckLake commit has already ended it
            con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def write_ingest(con, batch: IngestBatch) -> None:
    """Record seen files, new raw documents and ingestion rejects (inside the caller's transaction)."""
    source_rows, raw_docs = batch.source_files, batch.raw_documents
    if len(source_rows):
        con.register("_src", source_rows)
        # A changed file keeps the time it was first seen.
        con.execute("""CREATE OR REPLACE TEMP TABLE _src_merged AS
                       SELECT s.* REPLACE (coalesce(o.first_seen_at, s.first_seen_at) AS first_seen_at)
                       FROM _src s LEFT JOIN source_files o USING (source_path)""")
        con.execute("DELETE FROM source_files WHERE source_path IN (SELECT source_path FROM _src)")
        con.execute("INSERT INTO source_files BY NAME SELECT * FROM _src_merged")
        con.execute("DROP TABLE _src_merged")
        con.unregister("_src")
    if len(raw_docs):
        # As an Arrow table: DuckDB reads its strings in place, where a pandas column of Python
        # strings is converted string by string (25 inserts of 38 MB of pages: ~4 s less, the
        # conversion to Arrow included).
        import pyarrow as pa

        con.register("_raw", pa.Table.from_pandas(raw_docs, preserve_index=False))
        con.execute("INSERT INTO raw_documents BY NAME SELECT * FROM _raw "
                    "WHERE article_id NOT IN (SELECT article_id FROM raw_documents)")
        con.unregister("_raw")
    replace_rejects(con, batch.rejected_files)


def replace_rejects(con, rejects: pd.DataFrame | None) -> None:
    if rejects is None or len(rejects) == 0:
        return
    con.register("_rej", rejects)
    con.execute("""DELETE FROM rejected_files j USING _rej r
                   WHERE j.source_path = r.source_path AND j.stage = r.stage
                     AND j.content_hash IS NOT DISTINCT FROM r.content_hash""")
    con.execute("INSERT INTO rejected_files BY NAME SELECT * FROM _rej")
    con.unregister("_rej")


def write_clean(con, batch: CleanBatch) -> None:
    """Insert (or replace) articles; a replaced article loses its enrichment rows in the same
    transaction (its body may have changed, so old offsets would be wrong) and is enriched again.
    ``batch.reclean_failed``: articles whose re-clean failed keep their stored version (flag cleared)."""
    articles = batch.articles
    if batch.reclean_failed:
        con.execute("UPDATE articles SET reclean_requested = NULL WHERE article_id IN (SELECT unnest(?))",
                    [list(batch.reclean_failed)])
    if len(articles):
        con.register("_art", articles)
        for t in ARTICLE_CHILD_TABLES:
            con.execute(f'DELETE FROM "{t}" WHERE article_id IN (SELECT article_id FROM _art)')
        con.execute("""DELETE FROM validation_failures WHERE table_name = 'articles'
                       AND article_id IN (SELECT article_id FROM _art)""")
        con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM _art)")
        con.execute("INSERT INTO articles BY NAME SELECT * FROM _art")
        con.unregister("_art")
    replace_rejects(con, batch.rejected_files)
    insert_frame(con, "validation_failures", batch.validation_failures)


def write_enrichment(con, batch: EnrichmentBatch) -> None:
    """Replace every child row of the batch's articles and mark them enriched (one unit)."""
    if len(batch.article_status) == 0:
        return
    con.register("_ids", batch.article_status)
    for t in ARTICLE_CHILD_TABLES:
        con.execute(f'DELETE FROM "{t}" WHERE article_id IN (SELECT article_id FROM _ids)')
    con.execute("""DELETE FROM validation_failures WHERE table_name <> 'articles'
                   AND article_id IN (SELECT article_id FROM _ids)""")
    for t, df in batch.children.items():
        if t not in ARTICLE_CHILD_TABLES:
            raise ValueError(f"unknown child table {t!r}")
        insert_frame(con, t, df)
    con.execute("""UPDATE articles SET enriched_at = s.enriched_at, nlp_model = s.nlp_model,
                          enrichment_status = s.enrichment_status
                   FROM _ids s WHERE articles.article_id = s.article_id""")
    con.unregister("_ids")
    insert_frame(con, "validation_failures", batch.validation_failures)
    for t, df in batch.dimensions.items():
        insert_new(con, t, df)


_WRITERS = {IngestBatch: write_ingest, CleanBatch: write_clean, EnrichmentBatch: write_enrichment}


def write_batches(con, *batches: IngestBatch | CleanBatch | EnrichmentBatch) -> None:
    """Write the batches, in order, in one transaction."""
    with transaction(con):
        for b in batches:
            _WRITERS[type(b)](con, b)


def mark_for_reprocess(con, stage: str, article_ids: Sequence[str] | None = None,
                       retry_rejected: bool = False) -> dict[str, int]:
    """Ask the next run to process stored articles again (all when ``article_ids`` is None).

    ``stage="enrich"``: spaCy and the extractors run again; each article's old rows stay until
    its new rows replace them in one transaction. ``stage="clean"``: the article is cleaned
    again from its raw document (then enriched again). ``retry_rejected``: documents rejected
    at the clean or validate stage, and files rejected at ingestion, are tried again.
    """
    if stage not in ("clean", "enrich"):
        raise ValueError(f"stage must be 'clean' or 'enrich', not {stage!r}")
    where, params = ("", []) if article_ids is None else ("WHERE article_id IN (SELECT unnest(?))", [list(article_ids)])
    out = {}
    with transaction(con):
        col = "reclean_requested = TRUE" if stage == "clean" else "enrichment_status = NULL"
        out["articles"] = con.execute(f"SELECT count(*) FROM articles {where}", params).fetchall()[0][0]
        con.execute(f"UPDATE articles SET {col} {where}", params)
        out["rejects_retried"] = 0
        if retry_rejected:
            out["rejects_retried"] = con.execute("SELECT count(*) FROM rejected_files").fetchall()[0][0]
            # Files with an ingestion reject are read again (their stored records are known by
            # hash and not duplicated); documents rejected later become pending again.
            con.execute("""DELETE FROM source_files WHERE source_path IN
                           (SELECT source_path FROM rejected_files WHERE stage = 'ingest')""")
            con.execute("DELETE FROM rejected_files")
    return out


# --------------------------------------------------------------------------------------
# Roll-ups and integrity checks (SQL the Dagster checks and the schedule run)
# --------------------------------------------------------------------------------------

def refresh_daily_counts(con) -> pd.DataFrame:
    with transaction(con):
        con.execute(DAILY_COUNTS_SQL)
    return con.execute("SELECT * FROM daily_counts ORDER BY day").df()


def run_integrity_check(con, name: str) -> tuple[pd.DataFrame, int]:
    """(violations, articles checked): :data:`SCOPED_CHECKS` look only at the articles enriched
    since the check last passed on them and record them when it passes (a failing article stays
    unchecked, so the check keeps failing until it is mended); the others look at everything."""
    if name not in SCOPED_CHECKS:
        return integrity_violations(con, name), -1
    with transaction(con):
        scope = con.execute(UNCHECKED_SQL, {"name": name}).df()
        if not len(scope):
            return scope.iloc[:0], 0
        con.register("_scope", scope)
        articles = "(SELECT x.* FROM articles x SEMI JOIN _scope s ON x.article_id = s.article_id)"
        bad = con.execute(integrity_query(name, articles)).df()
        if not len(bad):  # one row per check and article: the enrichment it last passed
            con.execute(f'DELETE FROM "{CHECKED_TABLE}" WHERE check_name = $name '
                        "AND article_id IN (SELECT article_id FROM _scope)", {"name": name})
            con.execute(f'INSERT INTO "{CHECKED_TABLE}" SELECT $name, x.article_id, x.enriched_at FROM {articles} x',
                        {"name": name})
        con.unregister("_scope")
    return bad, len(scope)


# --------------------------------------------------------------------------------------
# The handle the stages get: one database, short connections, the DuckDB sink
# --------------------------------------------------------------------------------------

#: How long a write keeps retrying after conflicts with concurrent writers.
CONFLICT_RETRY_SECONDS = 600.0


class Store:
    """A handle on one database (a DuckDB file or a DuckLake catalog): the stages' reads and the sink.

    Every method opens its own short connection (the file lock is free in between), and each
    ``write_*`` is one transaction (retried after a write conflict). This is the only
    writer of the database. ``data_path``: a lake's table data (default ``NEWS_ETL_DATA_PATH``).
    """

    def __init__(self, database: str | Path, data_path: str | None = None):
        self.database = str(database)
        self.location = location_of(self.database, data_path)

    def __repr__(self) -> str:
        return f"Store({self.database!r})"

    @property
    def is_lake(self) -> bool:
        return self.location.is_lake

    def exists(self) -> bool:
        """Whether the database exists (a file, or a lake's local catalog; a PostgreSQL catalog: True)."""
        return self.location.exists()

    def connection(self, read_only: bool = False, timeout_s: float = 120.0):
        return connection(self.location, read_only=read_only, timeout_s=timeout_s)

    def check_reachable(self, timeout_s: float = 10.0) -> None:
        """Raise ``StoreUnreachable`` when a lake's PostgreSQL catalog cannot be reached (writes nothing)."""
        locations.check_reachable(self.location, timeout_s)

    def _retrying(self, fn: Callable, timeout_s: float = CONFLICT_RETRY_SECONDS):
        """``fn(con)`` on a fresh connection with the schema ensured; again after a write conflict
        (another writer's transaction overlapped it: jittered back-off, up to ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        attempt = 0
        while True:
            with self.connection() as con:
                try:
                    ensure_schema(con)
                    return fn(con)
                except duckdb.Error as err:
                    if is_out_of_memory(err):
                        raise StoreOutOfMemory(out_of_memory_message(err)) from err
                    conflict = is_conflict(err) if self.is_lake else isinstance(err, duckdb.TransactionException)
                    if not conflict or time.monotonic() > deadline:
                        raise
            attempt += 1
            time.sleep(min(2.0, 0.05 * 2 ** min(attempt, 6)) * (1 + random.random()))

    def compact(self) -> dict[str, tuple[int, int]]:
        """:func:`news_etl.warehouse.storage.compact` under the store's retries; DuckLake: ``{}``."""
        return {} if self.is_lake else self._retrying(lambda con: storage.compact(con, transaction))

    def run_checks(self, names: Sequence[str]) -> dict[str, tuple[pd.DataFrame, int]]:
        """Integrity checks (:func:`run_integrity_check`) on one connection: {name: (violations,
        articles checked or -1: all)}."""
        return self._retrying(lambda con: {name: run_integrity_check(con, name) for name in names})

    def refresh_daily_counts(self) -> pd.DataFrame:
        def refresh(con):
            ensure_schema(con)
            return refresh_daily_counts(con)
        return self._retrying(refresh)

    def ensure_schema(self) -> None:
        with self.connection() as con:
            ensure_schema(con)

    def known_source_files(self) -> dict[str, tuple[int, object, str | None]]:
        with self.connection() as con:
            ensure_schema(con)
            return known_source_files(con)

    def known_hashes(self, hashes: Sequence[str]) -> set[str]:
        with self.connection() as con:
            return known_hashes(con, hashes)

    def count_pending(self, stage: str) -> int:
        with self.connection() as con:
            ensure_schema(con)
            return con.execute(PENDING_COUNT_SQL[stage]).fetchall()[0][0]

    def pending_counts(self, timeout_s: float = 5.0) -> dict[str, int]:
        """Work waiting, read-only: raw documents to clean (not articles, not rejected by the cleaner,
        or marked to clean again) and articles to enrich. Zeros for a database without tables."""
        if not self.exists():
            return {stage: 0 for stage in EXACT_PENDING_SQL}
        with self.connection(read_only=True, timeout_s=timeout_s) as con:
            return queue.pending_counts(con)

    def pending(self, stage: str, batch_size: int) -> Iterator[list[dict]]:
        """Batches of pending work (``clean``: raw documents; ``enrich``: articles), each read on
        its own short connection; the last row's key is the cursor for the next batch."""
        fetch: Callable
        if stage == "clean":
            fetch, key, after = pending_for_cleaning, "pos", -1
        else:
            fetch, key, after = pending_for_enrichment, "article_id", ""
        first = True
        while True:
            with self.connection() as con:
                if first:
                    ensure_schema(con)
                    first = False
                rows = fetch(con, batch_size, after)
            if not rows:
                return
            after = rows[-1][key]
            yield rows

    def raw_sources(self, article_ids: Sequence[str]) -> dict[str, str]:
        """article id -> the path its raw document was stored from, for stored ids."""
        with self.connection() as con:
            return dict(con.execute("SELECT article_id, source_path FROM raw_documents "
                                    "WHERE article_id IN (SELECT unnest(?))", [list(article_ids)]).fetchall())

    def unseen_files(self, listing: pd.DataFrame, timeout_s: float = 5.0) -> pd.DataFrame:
        """The rows of ``listing`` (source_path, size_bytes, mtime_ms) that ``source_files`` has no
        record of with that size and modification time (read-only; see :func:`queue.unseen_files`)."""
        with self.connection(read_only=True, timeout_s=timeout_s) as con:
            rows = queue.unseen_files(con, list(listing.itertuples(index=False, name=None)))
        return pd.DataFrame(rows, columns=listing.columns)

    def known_content(self, hashes: Sequence[str], timeout_s: float = 5.0) -> set[str]:
        """Which content hashes are stored: raw documents, files seen, or files rejected."""
        if not hashes:
            return set()
        with self.connection(read_only=True, timeout_s=timeout_s) as con:
            rows = con.execute("""
                SELECT content_hash FROM raw_documents WHERE content_hash IN (SELECT unnest($1))
                UNION SELECT content_hash FROM source_files WHERE content_hash IN (SELECT unnest($1))
                UNION SELECT content_hash FROM rejected_files WHERE content_hash IN (SELECT unnest($1))""",
                               [list(hashes)]).fetchall()
        return {r[0] for r in rows}

    def near_duplicate_candidates(self, hashes: Sequence[tuple[str, int]], max_hamming: int) -> list[tuple]:
        with self.connection() as con:
            return near_duplicate_candidates(con, hashes, max_hamming)

    def bodies(self, article_ids: Sequence[str]) -> dict[str, str]:
        with self.connection() as con:
            return dict(con.execute("SELECT article_id, body FROM articles WHERE article_id IN (SELECT unnest(?))",
                                    [list(article_ids)]).fetchall())

    def count_rows(self, tables: Sequence[str] | None = None) -> dict[str, int]:
        with self.connection() as con:
            ensure_schema(con)
            return count_rows(con, tables)

    def mark_for_reprocess(self, stage: str, article_ids: Sequence[str] | None = None,
                           retry_rejected: bool = False) -> dict[str, int]:
        def mark(con):
            ensure_schema(con)
            return mark_for_reprocess(con, stage, article_ids, retry_rejected=retry_rejected)
        return self._retrying(mark)

    def write(self, *batches: IngestBatch | CleanBatch | EnrichmentBatch) -> None:
        """Write several batches in one transaction (e.g. a whole scale-out shard)."""
        self._retrying(lambda con: write_batches(con, *batches))

    def write_ingest(self, batch: IngestBatch) -> None:
        self.write(batch)

    def write_clean(self, batch: CleanBatch) -> None:
        self.write(batch)

    def write_enrichment(self, batch: EnrichmentBatch) -> None:
        self.write(batch)


def as_store(database: "Store | str | Path") -> Store:
    """The handle for a database given as a handle or as a path (the boundary of the stages)."""
    return database if isinstance(database, Store) else Store(database)
