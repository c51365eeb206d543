"""The ``news-etl`` console entry ends the process without Python's teardown (``console_main``):
its exit status, its output and the database it wrote must be what ``main`` produced."""

import subprocess
import sys
from pathlib import Path

import duckdb

from news_etl.warehouse import store


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "news_etl.cli", *args], capture_output=True, text=True, timeout=120)


def test_exit_status_and_output_survive_the_fast_exit(tmp_path):
    db = tmp_path / "news.duckdb"
    store.init_database(db)
    ok = _cli("query", "SELECT 41 + 1 AS answer", "--database", str(db), "--format", "csv")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["answer", "42"]  # flushed although the process ends with os._exit

    bad = _cli("query", "SELECT no_such_column FROM articles", "--database", str(db))
    assert bad.returncode not in (0, None) and "no_such_column" in bad.stderr

    missing = _cli("run", "--input", str(tmp_path / "nowhere"), "--database", str(db))
    assert missing.returncode == 2 and "does not exist" in missing.stderr

    usage = _cli("no-such-command")  # argparse's SystemExit leaves the normal way
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def test_what_a_command_writes_is_complete_after_the_fast_exit(tmp_path):
    db, out = tmp_path / "news.duckdb", tmp_path / "rows.csv"
    store.init_database(db)
    sql = "SELECT i, repeat('x', 100) AS filler FROM range(20000) t(i)"
    res = _cli("query", sql, "--database", str(db), "--format", "csv", "--output", str(out))
    assert res.returncode == 0, res.stderr
    assert "wrote 20000 rows" in res.stderr
    assert len(out.read_text().splitlines()) == 20001
    with duckdb.connect(str(db), read_only=True) as con:  # the file is closed and whole
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(0,)]


def test_the_installed_command_is_the_fast_exit_entry():
    scripts = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert 'news-etl = "news_etl.cli:console_main"' in scripts
