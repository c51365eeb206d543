"""Preflight for a distributed run: can every service the run needs be reached? No dagster imports.

``news-etl preflight`` (and ``make cluster-test`` before it launches ``scaleout_celery_job``)
checks the store (a DuckLake catalog on PostgreSQL), the Celery broker (Redis) and Dagster's
own storage (PostgreSQL, ``DAGSTER_POSTGRES_URL``), each with a short timeout, and names what
could not be reached; nothing is written. A run started without it would hang on the broker or
fail deep inside a step.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from news_etl.warehouse.location import StoreUnreachable
from news_etl.warehouse.store import Store


def _where(url: str) -> str:
    u = urlsplit(url)
    return f"{u.hostname or 'localhost'}:{u.port or ''}".rstrip(":")


def check_store(database: str, data_path: str | None = None, timeout_s: float = 5.0) -> str | None:
    try:
        Store(database, data_path).check_reachable(timeout_s=timeout_s)
    except StoreUnreachable as err:
        return str(err)
    return None


def check_redis(url: str, timeout_s: float = 3.0) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s).ping()
    except redis.RedisError as err:
        return f"could not reach the Celery broker (Redis) at {_where(url)}: {str(err).splitlines()[0]}"
    return None


def check_postgres_url(url: str, what: str = "Dagster's storage", timeout_s: float = 3.0) -> str | None:
    import psycopg2

    try:
        dsn = url.replace("+psycopg2", "", 1)  # SQLAlchemy's driver suffix (dagster.yaml's postgres_url)
        psycopg2.connect(dsn, connect_timeout=int(max(1, timeout_s))).close()
    except psycopg2.Error as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return f"could not reach {what} (PostgreSQL) at {_where(url)}: {first}"
    return None


def problems(database: str | None, data_path: str | None, broker: str | None, dagster_postgres: str | None) -> list[str]:
    """What could not be reached (empty: all good). ``None`` skips a check."""
    out = []
    if database:
        out.append(check_store(database, data_path))
    if broker:
        out.append(check_redis(broker))
    if dagster_postgres:
        out.append(check_postgres_url(dagster_postgres))
    return [p for p in out if p]
