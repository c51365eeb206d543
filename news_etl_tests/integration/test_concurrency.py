"""Two materialisations at once against one DuckDB file: no lock error, every row exactly once."""

import subprocess
import sys

from news_etl.cli import main
from news_etl_tests.conftest import ROOT, html_article, no_network_prefix, query

TABLES = ("source_files", "raw_documents", "articles", "sentences", "entities", "quotes", "citations", "casualties",
          "rejected_files")


def _run(inbox, database):
    """A real `news-etl run` process with a fresh HOME and, where the kernel allows, no network
    (so it also proves that a run, search index included, downloads nothing)."""
    return subprocess.Popen([*no_network_prefix(), sys.executable, "-m", "news_etl.cli", "run", "--input", str(inbox),
                             "--database", str(database)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(inbox.parent)})


def test_two_concurrent_runs_store_every_row_exactly_once(tmp_path, inbox, monkeypatch):
    for i in range(6):
        (inbox / f"story {i}.html").write_text(html_article(i), encoding="utf-8")
    (inbox / "empty.txt").write_text("")
    shared = tmp_path / "shared.duckdb"
    a, b = _run(inbox, shared), _run(inbox, shared)
    out_a, out_b = a.communicate(timeout=400)[0], b.communicate(timeout=400)[0]
    assert a.returncode == 0, out_a
    assert b.returncode == 0, out_b
    assert "lock" not in (out_a + out_b).lower()

    # The same input through one run alone is the reference: the same command, run in-process
    # (two processes at once are this test's subject; the reference needs no process of its own).
    alone = tmp_path / "alone.duckdb"
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(["run", "--input", str(inbox), "--database", str(alone)]) == 0

    for t in TABLES:
        assert query(shared, f"SELECT count(*) FROM {t}") == query(alone, f"SELECT count(*) FROM {t}"), t
    assert query(shared, "SELECT count(*) FROM articles") == [(7,)]
    # The runs built the search index with no network (fts from its wheel, nothing downloaded).
    assert query(shared, "SELECT count(*) FROM fts_main_articles.docs") == [(7,)]
    dupes = query(shared, """SELECT count(*) FROM (SELECT article_id, entity_index FROM entities
                             GROUP BY ALL HAVING count(*) > 1)""")
    assert dupes == [(0,)]
    same = query(shared, "SELECT article_id, title, body FROM articles ORDER BY 1")
    assert same == query(alone, "SELECT article_id, title, body FROM articles ORDER BY 1")
