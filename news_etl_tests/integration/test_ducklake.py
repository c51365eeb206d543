"""DuckLake as the store (a local ``.ducklake`` catalog with a data path): the same tables, views and
SQL as the DuckDB file, the CLI on it, concurrent writers storing each article once, and clear
errors (exit 2) for malformed URIs. PostgreSQL-backed lakes are tested by ``make cluster-test``."""

import subprocess
import sys

import pytest

from news_etl import stages
from news_etl.cli import main
from news_etl.warehouse import compare, location, store
from news_etl_tests.conftest import ROOT, html_article, query


def _pipeline(database, inbox, nlp):
    stages.ingest_folder(database, inbox)
    stages.clean_pending(database)
    stages.enrich_pending(database, nlp)


@pytest.fixture
def lake(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_ETL_CACHE_DIR", str(tmp_path / "cache"))  # the lake's search index goes here
    monkeypatch.delenv("NEWS_ETL_DATA_PATH", raising=False)
    return f"ducklake:{tmp_path / 'lake' / 'news.ducklake'}"


def test_a_lake_holds_the_same_rows_as_the_duckdb_file_and_the_cli_reads_it(tmp_path, inbox, nlp, lake, capsys):
    for i in range(2):
        (inbox / f"story {i}.html").write_text(html_article(i), encoding="utf-8")
    (inbox / "empty.txt").write_text("")
    data = tmp_path / "lake-data"
    lake_store = store.Store(lake, str(data))
    _pipeline(lake_store, inbox, nlp)
    _pipeline(tmp_path / "one.duckdb", inbox, nlp)
    assert compare.differences(lake_store, tmp_path / "one.duckdb") == {}
    assert compare.duplicate_keys(lake_store) == {}
    assert list(data.rglob("*.parquet")), "the table data is under the data path"
    assert store.Store(lake).count_rows()["articles"] == 3
    # Running again stores nothing twice.
    _pipeline(lake_store, inbox, nlp)
    assert compare.differences(lake_store, tmp_path / "one.duckdb") == {}

    assert main(["tables", "--database", lake]) == 0
    out = capsys.readouterr().out
    assert "articles (table)" in out and "who_said_what (view)" in out and "_news_etl" not in out
    assert main(["query", "SELECT count(*) AS n FROM who_said_what", "--database", lake, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == str(query(tmp_path / "one.duckdb",
                                                                "SELECT count(*) FROM who_said_what")[0][0])
    # fts cannot store its index in a lake: search keeps it in a local file, and says so for raw SQL.
    assert main(["search", "Kharkiv", "--database", lake]) == 0
    assert "Ukraine-Russia Talks End" in capsys.readouterr().out
    assert main(["query", "SELECT fts_main_articles.match_bm25(article_id, 'x') FROM articles",
                 "--database", lake]) == 2
    assert "news-etl search" in capsys.readouterr().err
    assert main(["report", "--database", lake, "--output", str(tmp_path / "rep")]) == 0
    # A data path other than the one the lake was made with: one clear line (the CLI: exit 2).
    with pytest.raises(location.LocationError, match="is not the data path"):
        store.Store(lake, str(tmp_path / "elsewhere")).count_rows()
    assert (tmp_path / "rep" / "report.html").stat().st_size > 1000


def _ingest_and_clean(inbox, lake):
    code = ("import sys; from news_etl import stages; "
            "stages.ingest_folder(sys.argv[2], sys.argv[1]); stages.clean_pending(sys.argv[2])")
    return subprocess.Popen([sys.executable, "-c", code, str(inbox), lake], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_concurrent_writers_store_each_article_once(tmp_path, inbox, lake):
    for i in range(8):
        (inbox / f"story {i}.html").write_text(html_article(i), encoding="utf-8")
    procs = [_ingest_and_clean(inbox, lake) for _ in range(2)]
    for p in procs:
        out = p.communicate(timeout=300)[0]
        assert p.returncode == 0, out
    assert compare.duplicate_keys(lake) == {}
    assert query(lake, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(9, 9)]
    assert query(lake, "SELECT count(*) FROM source_files") == [(9,)]


@pytest.mark.slow
def test_two_concurrent_news_etl_runs_into_one_lake(tmp_path, inbox, lake):
    for i in range(3):
        (inbox / f"story {i}.html").write_text(html_article(i), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NEWS_ETL_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.Popen([sys.executable, "-m", "news_etl.cli", "run", "--input", str(inbox), "--database", lake,
                              "--data-path", str(tmp_path / "data"), "--workers", "1",
                              "--report-dir", str(tmp_path / f"rep{i}")],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
             for i in range(2)]
    for r in runs:
        out = r.communicate(timeout=600)[0]
        assert r.returncode == 0, out
    assert compare.duplicate_keys(lake) == {}
    assert query(lake, "SELECT count(*), count(DISTINCT article_id) FROM articles") == [(4, 4)]
    assert query(lake, "SELECT count(*) FROM (SELECT DISTINCT article_id FROM entities)") == [(4,)]
    dupes = query(lake, "SELECT count(*) FROM (SELECT article_id, entity_index FROM entities GROUP BY ALL "
                        "HAVING count(*) > 1)")
    assert dupes == [(0,)]


@pytest.mark.parametrize("uri", ["ducklake:", "ducklake:postgres:host=db", "ducklake:news.sqlite",
                                 "ducklake:postgres:dbname=x what"])
def test_a_malformed_uri_is_exit_2_with_a_message(uri, inbox, capsys):
    for cmd in (["run", "--input", str(inbox)], ["query", "SELECT 1"], ["tables"], ["search", "x"], ["report"]):
        assert main([*cmd, "--database", uri]) == 2
        err = capsys.readouterr().err
        assert "malformed DuckLake URI" in err and "Traceback" not in err


def test_a_lake_that_does_not_exist_is_exit_2(tmp_path, capsys):
    assert main(["query", "SELECT 1", "--database", f"ducklake:{tmp_path / 'none.ducklake'}"]) == 2
    assert "does not exist" in capsys.readouterr().err
