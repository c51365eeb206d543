"""The news-etl command line, run in-process against real files."""

import json
import os
import subprocess
import sys

from news_etl.cli import main


def test_run_then_query_tables_and_formats(inbox, database, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(["run", "--input", str(inbox), "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert "files seen:      1" in out and "articles stored: 1" in out and "rows per table:" in out
    assert (database.parent / "report" / "report.html").exists()

    # Nothing new: no Dagster run is started; --force starts one anyway.
    assert main(["run", "--input", str(inbox), "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert "nothing to do" in out and "run id" not in out and "articles stored: 1" in out
    # ...and imports none of the pipeline to say so (a fresh interpreter: no pandas, pandera, Dagster, spaCy).
    probe = ("import sys; from news_etl.cli import main; rc = main(['run', '--input', sys.argv[1], '--database', "
             "sys.argv[2]]); print('HEAVY', sorted(m for m in ('pandas', 'pandera', 'dagster', 'spacy') "
             "if m in sys.modules)); sys.exit(rc)")
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    res = subprocess.run([sys.executable, "-c", probe, str(inbox), str(database)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0 and "nothing to do" in res.stdout and "HEAVY []" in res.stdout, res.stdout + res.stderr
    assert main(["run", "--input", str(inbox), "--database", str(database), "--force"]) == 0
    assert "succeeded" in capsys.readouterr().out
    # What makes a run necessary: a changed file, or stored work waiting.
    from news_etl.stages.pending import pending_work
    from news_etl.warehouse.store import Store

    assert pending_work(Store(database), inbox).nothing
    seed = next(p for p in inbox.rglob("*") if p.is_file())
    os.utime(seed, (seed.stat().st_atime, seed.stat().st_mtime + 60))
    assert pending_work(Store(database), inbox).changed_files == 1
    (inbox / "new.txt").write_text("A new story.")
    assert pending_work(Store(database), inbox).changed_files == 2
    Store(database).mark_for_reprocess("enrich")
    assert pending_work(Store(database), inbox).to_enrich == 1

    assert main(["report", "--database", str(database), "--output", str(tmp_path / "rep")]) == 0
    assert (tmp_path / "rep" / "report.html").stat().st_size > 1000
    assert "report:" in capsys.readouterr().out

    assert main(["query", "SELECT title, publisher FROM articles", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert "Ukraine-Russia Talks End" in out and "Newser" in out and "(1 row)" in out

    assert main(["query", "SELECT canonical_name, count(*) AS n FROM entities WHERE label = 'PERSON' GROUP BY 1",
                 "--database", str(database), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["canonical_name"] == "Volodymyr Zelensky" for r in rows)

    csv_path = tmp_path / "out.csv"
    assert main(["query", "SELECT article_id FROM articles", "--database", str(database),
                 "--format", "csv", "--output", str(csv_path)]) == 0
    assert csv_path.read_text().splitlines()[0] == "article_id"

    assert main(["tables", "--database", str(database)]) == 0
    out = capsys.readouterr().out
    assert "articles (table)" in out and "casualty_reports (view)" in out

    # Read-only: writes are refused with a clear message, not a traceback.
    assert main(["query", "DELETE FROM articles", "--database", str(database)]) == 1
    assert "query failed" in capsys.readouterr().err
    assert main(["query", "SELECT 1", "--database", str(tmp_path / "missing.duckdb")]) == 2


def test_a_run_that_fails_says_which_step_and_why(tmp_path, capsys, monkeypatch):
    """A real run whose ingestion cannot be written under a tiny DuckDB memory cap: the summary names
    the failed step and the store's one-line reason (not Dagster's retry wrapper), and exits 1; with
    the cap raised, ingestion stores every file."""
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(20):  # 2 MB of text each: 40 MB in one ingestion batch
        (inbox / f"story{i}.txt").write_text(f"Officials said {i} people were hurt in Springfield. " * 40000)
    db = tmp_path / "db.duckdb"
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY", "8MB")
    assert main(["run", "--input", str(inbox), "--database", str(db), "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "failed step:     raw_documents: " in out
    assert "ran out of its memory cap (NEWS_ETL_DUCKDB_MEMORY=8MB)" in out and "Exceeded max_retries" not in out
    from news_etl.stages.ingest import ingest_folder
    from news_etl.warehouse.store import Store

    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY", "1GB")  # the stage a run starts with (not the 40 MB through spaCy)
    assert ingest_folder(Store(db), inbox).written["raw_documents"] == 20
