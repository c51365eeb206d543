"""Compare the tables of two stores (DuckDB files or DuckLake catalogs), row for row.

Used by the tests and ``make cluster-test`` to check that a sharded, distributed run into a lake
stored the same rows as a one-process run into a DuckDB file. Processing times (when a row was
written) differ between runs and are left out; everything else, content and ids, must be equal.
No dagster imports.
"""

from __future__ import annotations

from news_etl.warehouse import store
from news_etl.warehouse.tables import TABLES

#: Columns that record when a run did something, not what it found.
VOLATILE = frozenset({"cleaned_at", "enriched_at", "first_seen_at", "last_seen_at", "ingested_at", "rejected_at",
                      "failed_at"})


def table_rows(database, table: str) -> list[tuple]:
    """Every row of ``table`` without the volatile columns, sorted (a canonical form)."""
    cols = [c.name for c in TABLES[table].columns if c.name not in VOLATILE]
    select = ", ".join(f'"{c}"' for c in cols)
    with store.connection(database, read_only=True) as con:
        return con.execute(f'SELECT {select} FROM "{table}" ORDER BY ALL').fetchall()


def differences(a, b, tables=None) -> dict[str, str]:
    """table -> what differs between stores ``a`` and ``b`` (empty: the same rows in every table)."""
    out = {}
    for t in tables or TABLES:
        ra, rb = table_rows(a, t), table_rows(b, t)
        if ra != rb:
            only_a = [r for r in ra if r not in rb][:2]
            only_b = [r for r in rb if r not in ra][:2]
            out[t] = f"{len(ra)} vs {len(rb)} rows; only in first: {only_a}; only in second: {only_b}"
    return out


def duplicate_keys(database) -> dict[str, int]:
    """table -> number of keys stored more than once (empty: every keyed row is stored once)."""
    out = {}
    with store.connection(database, read_only=True) as con:
        for name, t in TABLES.items():
            if not t.key:
                continue
            key = ", ".join(f'"{k}"' for k in t.key)
            n = con.execute(f'SELECT count(*) FROM (SELECT {key} FROM "{name}" GROUP BY ALL HAVING count(*) > 1)'
                            ).fetchall()[0][0]
            if n:
                out[name] = n
    return out
