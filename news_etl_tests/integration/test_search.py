"""`news-etl search` on the seed, end to end: the real command with no network, bad input, the asset."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from news_etl.cli import main
from news_etl_tests.conftest import copy_database, no_network_prefix

SEED_TITLE = "Ukraine-Russia Talks End, as Bombing Escalates"
NEWS_ETL = Path(sys.executable).parent / "news-etl"


@pytest.fixture(scope="module")
def seeded(seed_run, tmp_path_factory) -> Path:
    """A copy of the session's seed run (its search index built by the ``search_index`` asset).
    That a whole `news-etl run` downloads nothing, with a fresh HOME and no network, is
    test_concurrency's subject (its runs build the index too)."""
    return copy_database(seed_run.database, tmp_path_factory.mktemp("search") / "news.duckdb")


def _search(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, **({"HOME": str(home)} if home else {}))
    return subprocess.run([*no_network_prefix(), str(NEWS_ETL), "search", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_search_kharkiv_shelling_prints_the_seed_article(seeded, tmp_path):
    out = _search("Kharkiv shelling", "--database", str(seeded), home=tmp_path / "fresh-home")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == f"  1. {SEED_TITLE}"
    assert lines[1].split(" · ")[:2] == ["     Newser", "2022-02-28"]
    assert "Kharkiv" in lines[2] and len(lines) == 3
    assert out.stderr == ""


def test_the_readme_sql_runs_through_news_etl_query(seeded, capsys):
    sql = ("SELECT title, publisher, fts_main_articles.match_bm25(article_id, 'kharkiv shelling') AS score "
           "FROM articles WHERE score IS NOT NULL ORDER BY score DESC LIMIT 10")
    assert main(["query", sql, "--database", str(seeded), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "title,publisher,score" and out[1].startswith(f'"{SEED_TITLE}",Newser,0.')


@pytest.mark.parametrize("query", ['"Kharkiv" AND (shelling)', "title:Kharkiv*", "Kharkiv'); DROP TABLE articles; --"])
def test_fts_syntax_characters_search_the_words(seeded, capsys, query):
    assert main(["search", query, "--database", str(seeded)]) == 0
    assert SEED_TITLE in capsys.readouterr().out


@pytest.mark.parametrize("args, code, message", [
    (["", ], 2, "empty query"),
    (["  "], 2, "empty query"),
    (["the of and"], 2, "nothing to search for"),
    (['"()" : *'], 2, "nothing to search for"),
    (["xyzzyplugh"], 1, "no article matches 'xyzzyplugh'"),
])
def test_bad_queries_get_one_line_and_an_exit_code(seeded, capsys, args, code, message):
    assert main(["search", *args, "--database", str(seeded)]) == code
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and captured.err.count("\n") == 1


def test_missing_database_unindexed_database_and_not_a_database(tmp_path, capsys):
    from news_etl.warehouse import store

    assert main(["search", "Kharkiv", "--database", str(tmp_path / "missing.duckdb")]) == 2
    assert "does not exist" in capsys.readouterr().err
    store.init_database(tmp_path / "empty.duckdb")
    assert main(["search", "Kharkiv", "--database", str(tmp_path / "empty.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "no search index yet: run `news-etl run`" in err and err.count("\n") == 1
    (tmp_path / "junk.duckdb").write_text("not a database")
    assert main(["search", "Kharkiv", "--database", str(tmp_path / "junk.duckdb")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("news-etl: search failed:") and err.count("\n") == 1 and "Traceback" not in err


def test_a_missing_extension_wheel_is_one_clear_line(seeded, capsys, monkeypatch):
    from news_etl.warehouse import extensions

    monkeypatch.setattr(extensions, "package_name", lambda name: f"duckdb_extension_{name}_removed")
    assert main(["search", "Kharkiv", "--database", str(seeded)]) == 1
    err = capsys.readouterr().err
    assert "full-text search is unavailable" in err and "pip install duckdb-extension-fts==" in err
    assert err.count("\n") == 1


def test_limit_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["search", "Kharkiv", "--limit", "0"])
    assert exit_.value.code == 2 and "must be at least 1" in capsys.readouterr().err


def test_search_index_is_a_mart_of_the_main_job_refreshed_by_articles(seeded, tmp_path):
    from news_etl.definitions import defs
    from news_etl.defs.resources import NewsStore
    from news_etl.defs.search import search_index

    d = defs()
    job = d.resolve_job_def("news_etl_job")
    assert dg.AssetKey("search_index") in job.asset_layer.executable_asset_keys
    spec = d.resolve_assets_def("search_index").specs_by_key[dg.AssetKey("search_index")]
    assert spec.group_name == "marts" and dg.AssetKey("articles") in {dep.asset_key for dep in spec.deps}
    assert spec.automation_condition is not None and "eager" in spec.automation_condition.get_label().lower()
    assert d.resolve_assets_def("search_index").op.pool == "duckdb"

    db = tmp_path / "copy.duckdb"
    shutil.copy(seeded, db)
    with dg.instance_for_test() as instance:
        result = dg.materialize([search_index], resources={"news_store": NewsStore(database=str(db))},
                                instance=instance)
    assert result.success
    md = result.asset_materializations_for_node("search_index")[0].metadata
    assert md["dagster/row_count"].value == 1 and md["terms"].value > 50
    assert md["rebuilt"].value is False  # the run already indexed these articles
