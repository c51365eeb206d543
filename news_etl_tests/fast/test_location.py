"""``--database`` values: a DuckDB file or a DuckLake catalog; malformed ``ducklake:`` URIs are refused
with one clear line. The DuckLake DDL is derived from the same table declarations."""

import pytest

from news_etl.warehouse import location
from news_etl.warehouse.tables import TABLES, ddl


def test_a_plain_path_is_a_duckdb_file():
    loc = location.parse("data/news.duckdb")
    assert loc.kind == "duckdb" and loc.path == "data/news.duckdb" and not loc.is_lake


def test_a_local_lake_gets_a_default_data_path():
    loc = location.parse("ducklake:/tmp/x/news.ducklake")
    assert loc.is_lake and loc.path == "/tmp/x/news.ducklake" and loc.data_path is None
    assert loc.data_path_to_attach() == "/tmp/x/news.ducklake.files/"  # a new catalog; an existing one keeps its own
    assert location.parse("ducklake:/tmp/x/news.ducklake", "/data/lake").data_path == "/data/lake"


def test_a_postgres_lake_keeps_its_connection_and_never_shows_the_password():
    loc = location.parse("ducklake:postgres:dbname=news host=db port=5433 user=etl password=s3cret", "s3://b/lake/")
    assert loc.on_postgres and loc.postgres == "dbname=news host=db port=5433 user=etl password=s3cret"
    assert loc.data_path == "s3://b/lake/"
    assert "s3cret" not in loc.describe() and "password=***" in loc.describe()
    assert loc.postgres_server() == "PostgreSQL at db:5433 (dbname=news, user=etl)"


@pytest.mark.parametrize("uri, says", [
    ("ducklake:", "nothing after 'ducklake:'"),
    ("ducklake:postgres:", "no connection after 'postgres:'"),
    ("ducklake:postgres:dbname=x oops", "'oops' is not a key=value pair"),
    ("ducklake:postgres:host=db", "dbname=… is required"),
    ("ducklake:postgres:dbname=x colour=blue", "unknown PostgreSQL connection key(s) colour"),
    ("ducklake:news.db", "ending in .ducklake"),
    ("ducklake:sqlite:news.db", "catalog 'sqlite' is not supported"),
])
def test_malformed_ducklake_uris_are_refused_in_one_line(uri, says):
    with pytest.raises(location.LocationError) as err:
        location.parse(uri)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_malformed_uri_password_is_not_echoed():
    with pytest.raises(location.LocationError) as err:
        location.parse("ducklake:postgres:password=hunter2 junk")
    assert "hunter2" not in str(err.value)


def test_the_ducklake_ddl_is_the_same_declaration_without_compression():
    for t in TABLES.values():
        duck, lake = ddl(t), ddl(t, lake=True)
        assert "PRIMARY KEY" not in lake + duck and "USING COMPRESSION" not in lake
        assert lake == duck.replace(" USING COMPRESSION uncompressed", "")
        for c in t.columns:
            assert f'"{c.name}" {c.type}' in lake
            if c.primary_key:  # keys are kept by the store's writes, never by an index
                assert f'"{c.name}" {c.type} NOT NULL' in lake
    assert "USING COMPRESSION" in ddl(TABLES["raw_documents"])
