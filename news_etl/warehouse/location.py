"""Where the tables live: a DuckDB file (the default) or a DuckLake catalog, and how to open it.

``--database`` / ``NEWS_ETL_DATABASE`` is either a DuckDB file (``data/news.duckdb``) or
``ducklake:<metadata>``, where ``<metadata>`` is a local ``.ducklake`` file
(``ducklake:data/news.ducklake``) or a PostgreSQL catalog given as libpq ``key=value`` pairs
(``ducklake:postgres:dbname=news host=db.internal user=etl password=…``). A lake's table data
(Parquet) goes under ``--data-path`` / ``NEWS_ETL_DATA_PATH`` (a local folder or an object-storage
path); a local lake defaults to ``<metadata>.files/`` next to its file. Once a lake exists, its
data path is stored in the catalog, so readers need not give it.

:func:`parse` checks the text and raises :class:`LocationError` (one line, meant for the user);
:func:`open_connection` opens a DuckDB connection on it: a DuckDB file directly, a lake as an
in-memory DuckDB with the catalog attached as ``lake`` and made the default (``USE lake``), so
the same unqualified SQL works on both. Extensions come from their wheels (no download). An
unreachable PostgreSQL raises :class:`StoreUnreachable` naming the server. No dagster imports.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from news_etl.warehouse import extensions

PREFIX = "ducklake:"
PG_PREFIX = "postgres:"
ALIAS = "lake"
#: libpq connection keywords accepted in a ``ducklake:postgres:`` URI.
PG_KEYS = frozenset({
    "dbname", "host", "hostaddr", "port", "user", "password", "passfile", "connect_timeout", "sslmode",
    "sslrootcert", "sslcert", "sslkey", "application_name", "options", "target_session_attrs", "service",
})
_PAIR = re.compile(r"([a-z_]+)=('(?:[^'\\]|\\.)*'|\S+)")
EXAMPLES = ("ducklake:data/news.ducklake, or ducklake:postgres:dbname=news host=127.0.0.1 user=etl "
            "password=secret")


class LocationError(ValueError):
    """A ``--database`` value that cannot be used; the message is one line, meant for the user."""


class LakeMissing(LocationError):
    """A DuckLake catalog opened for reading that has not been created yet."""


class StoreUnreachable(RuntimeError):
    """The DuckLake catalog's PostgreSQL could not be reached (nothing was written)."""


@dataclass(frozen=True)
class Location:
    """A parsed ``--database``: ``kind`` is ``duckdb`` or ``ducklake``."""

    text: str
    kind: str
    path: str = ""              # duckdb: the file; ducklake: the local metadata file ('' for postgres)
    postgres: str = ""          # ducklake on PostgreSQL: the libpq key=value string
    data_path: str | None = None

    @property
    def is_lake(self) -> bool:
        return self.kind == "ducklake"

    @property
    def on_postgres(self) -> bool:
        return bool(self.postgres)

    def data_path_to_attach(self) -> str | None:
        """The data path given, else for a local catalog not created yet ``<catalog>.files/``
        (an existing catalog keeps the data path it was created with)."""
        if self.data_path or self.on_postgres:
            return self.data_path
        return None if Path(self.path).exists() else self.path + ".files/"

    def exists(self) -> bool:
        """Whether there is something to read (a PostgreSQL catalog is assumed to exist)."""
        if self.on_postgres:
            return True
        p = Path(self.path)
        return p.exists() and (self.path == ":memory:" or p.stat().st_size > 0 or not self.is_lake)

    def describe(self) -> str:
        """The location for messages (a password is never shown)."""
        if not self.is_lake:
            return self.path
        meta = f"postgres:{redact(self.postgres)}" if self.on_postgres else self.path
        return f"DuckLake {meta}" + (f" (data {self.data_path})" if self.data_path else "")

    def postgres_server(self) -> str:
        kv = pg_pairs(self.postgres)
        return (f"PostgreSQL at {kv.get('host', 'localhost')}:{kv.get('port', '5432')} "
                f"(dbname={kv.get('dbname', '?')}, user={kv.get('user', '?')})")


def pg_pairs(text: str) -> dict[str, str]:
    return {k: v.strip("'") for k, v in _PAIR.findall(text)}


def redact(text: str) -> str:
    return re.sub(r"(password=)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", text)


def parse_configured(database: str | Path, data_path: str | None = None) -> Location:
    """:func:`parse` with the configured data path when none is given (``NEWS_ETL_DATA_PATH``)."""
    from news_etl import settings

    return parse(database, data_path if data_path is not None else settings.get("NEWS_ETL_DATA_PATH"))


def parse(database: str | Path, data_path: str | None = None) -> Location:
    """The location of ``database`` (raises :class:`LocationError` for a malformed ``ducklake:`` URI)."""
    text = str(database).strip()
    if not text:
        raise LocationError("no database given: a DuckDB file, or " + EXAMPLES)
    if not text.lower().startswith(PREFIX):
        return Location(text=text, kind="duckdb", path=text)
    rest = text[len(PREFIX):].strip()
    data_path = (data_path or "").strip() or None
    if not rest:
        raise LocationError(f"malformed DuckLake URI {text!r}: nothing after 'ducklake:' (e.g. {EXAMPLES})")
    if rest.lower().startswith(PG_PREFIX):
        return Location(text=text, kind="ducklake", postgres=_check_pg(text, rest[len(PG_PREFIX):].strip()),
                        data_path=data_path)
    scheme = re.match(r"([a-z][a-z0-9+]*):(?!\\|/)", rest, re.I)
    if scheme and len(scheme.group(1)) > 1:
        raise LocationError(f"malformed DuckLake URI {redact(text)!r}: catalog {scheme.group(1)!r} is not "
                            f"supported (a local .ducklake file or postgres:…; e.g. {EXAMPLES})")
    if not rest.endswith(".ducklake"):
        raise LocationError(f"malformed DuckLake URI {text!r}: a local catalog is a file ending in .ducklake "
                            f"(e.g. {EXAMPLES})")
    return Location(text=text, kind="ducklake", path=rest, data_path=data_path)


def _check_pg(text: str, conn: str) -> str:
    shown = redact(text)
    if not conn:
        raise LocationError(f"malformed DuckLake URI {shown!r}: no connection after 'postgres:' (e.g. {EXAMPLES})")
    leftover = _PAIR.sub("", conn).strip()
    if leftover:
        raise LocationError(f"malformed DuckLake URI {shown!r}: {leftover.split()[0]!r} is not a key=value pair "
                            f"(e.g. {EXAMPLES})")
    keys = [k for k, _ in _PAIR.findall(conn)]
    unknown = sorted(set(keys) - PG_KEYS)
    if unknown:
        raise LocationError(f"malformed DuckLake URI {shown!r}: unknown PostgreSQL connection key(s) "
                            f"{', '.join(unknown)} (known: dbname, host, port, user, password, …)")
    if "dbname" not in keys:
        raise LocationError(f"malformed DuckLake URI {shown!r}: dbname=… is required")
    return conn


def _sql_text(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


class Backoff:
    """Waiting for another process (a DuckDB file lock, a catalog being created): jittered
    exponential back-off from 0.05 s up to 1 s between tries, until ``timeout_s`` has passed."""

    def __init__(self, timeout_s: float):
        self.deadline = time.monotonic() + timeout_s
        self.delay = 0.05

    @property
    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def wait(self) -> None:
        time.sleep(self.delay * (1 + random.random()))
        self.delay = min(self.delay * 2, 1.0)


def open_connection(loc: Location, read_only: bool, timeout_s: float) -> duckdb.DuckDBPyConnection:
    """A connection on ``loc``, waiting (jittered back-off) while another process holds a file lock."""
    if not read_only and loc.path and loc.path != ":memory:":
        Path(loc.path).parent.mkdir(parents=True, exist_ok=True)
    backoff = Backoff(timeout_s)
    while True:
        try:
            if not loc.is_lake:
                return duckdb.connect(loc.path, read_only=read_only)
            try:
                return _attach_lake(loc, read_only)
            except duckdb.Error as err:
                # Several processes creating one new lake at once: DuckLake's own catalog set-up races
                # (one creates its tables, the others fail); try again, the catalog then exists.
                if "Failed to initialize DuckLake" not in str(err) or backoff.expired:
                    raise
                backoff.wait()
                continue
        except duckdb.InvalidInputException as err:
            if "does not exist" in str(err) and read_only:
                raise LakeMissing(f"database {loc.describe()!r} does not exist yet; run `news-etl run` first") from None
            raise
        except duckdb.IOException as err:
            msg = str(err)
            if loc.on_postgres and "postgres" in msg.lower() and "lock" not in msg.lower():
                detail = msg.split("Unable to connect to Postgres", 1)[-1].split(":", 1)[-1]
                raise StoreUnreachable(f"could not reach the DuckLake catalog's {loc.postgres_server()}: "
                                       f"{redact(detail).strip().splitlines()[0]}") from None
            if "lock" not in msg.lower() or backoff.expired:
                raise
            backoff.wait()


def check_reachable(loc: Location, timeout_s: float = 10.0) -> None:
    """Raise :class:`StoreUnreachable` when a lake's PostgreSQL catalog cannot be reached (writes nothing)."""
    if loc.on_postgres:
        try:
            open_connection(loc, read_only=True, timeout_s=timeout_s).close()
        except LakeMissing:  # reached; the first write creates the lake
            pass


def _attach_lake(loc: Location, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        extensions.load(con, "ducklake")
        meta = loc.path
        if loc.on_postgres:
            extensions.load(con, "postgres")
            meta = PG_PREFIX + loc.postgres
            if "connect_timeout" not in pg_pairs(loc.postgres):  # an unreachable host fails in seconds, not minutes
                meta += " connect_timeout=10"
        opts = []
        data_path = loc.data_path_to_attach()
        if data_path and not read_only:
            if not re.match(r"[a-z][a-z0-9+]*://", data_path):
                Path(data_path).mkdir(parents=True, exist_ok=True)
            opts.append(f"DATA_PATH {_sql_text(data_path)}")
        if read_only:
            opts.append("READ_ONLY")
        try:
            con.execute(f"ATTACH {_sql_text(PREFIX + meta)} AS {ALIAS}" + (f" ({', '.join(opts)})" if opts else ""))
        except duckdb.Error as err:
            if "does not match existing data path" in str(err):
                raise LocationError(f"--data-path {data_path!r} is not the data path {loc.describe()!r} was created "
                                    "with; leave it out to use the catalog's own") from None
            raise
        con.execute(f"USE {ALIAS}")
        return con
    except BaseException:
        con.close()
        raise


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con``'s default database is a DuckLake catalog."""
    rows = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return bool(rows) and rows[0][0] == "ducklake"
