"""The asset graph: raw files -> raw_documents -> articles -> enrichment tables -> daily roll-up.

Thin wrappers: the work is done by :mod:`news_etl.stages`; these functions turn its reports
into Dagster metadata and asset-check results. Descriptions and column schemas come from the
table declarations (:mod:`news_etl.warehouse.tables`).
"""

import dagster as dg
import pandas as pd

from news_etl import stages
from news_etl.warehouse import tables
from news_etl.defs.checks import eager_after_checks, integrity_results, integrity_specs
from news_etl.defs.resources import NewsInbox, NewsStore, RunWorkers, SpacyModel
from news_etl.nlp.model import model_label
from news_etl.stages import StageReport
from news_etl.stages.workers import run_pool_size

POOL = "duckdb"
RETRY = dg.RetryPolicy(max_retries=2, delay=1, backoff=dg.Backoff.EXPONENTIAL)


class ReprocessConfig(dg.Config):
    """Launchpad config for the backfill path (articles, enrichment): process stored articles again.

    ``reprocess``: "" (only new work, the default), "all", or comma-separated article ids.
    """

    reprocess: str = ""


class IngestConfig(dg.Config):
    """Launchpad config for raw_documents: ``retry_rejected`` tries every rejected file and document again."""

    retry_rejected: bool = False


def _mark(news_store: NewsStore, stage: str, cfg: ReprocessConfig, log) -> None:
    if not cfg.reprocess:
        return
    ids = None if cfg.reprocess == "all" else [x.strip() for x in cfg.reprocess.split(",") if x.strip()]
    out = news_store.store.mark_for_reprocess(stage, ids)
    log.info(f"reprocess ({stage}): {out}")  # every step that touches the DuckDB file runs in this pool (limit 1 in dagster.yaml)
ENRICHMENT_TABLES = tables.ARTICLE_CHILD_TABLES

_PROCESS = {
    "raw_documents": " New input files are decoded and stored by content (SHA-256); duplicates and rejects are "
                     "recorded in source_files / rejected_files.",
    "articles": " trafilatura for HTML, the text-dump parser for .txt; validated with pandera.",
    "daily_counts": " Roll-up of articles, entities, quotes and casualty figures per day.",
}


def _description(table: str) -> str:
    return tables.describe(table).capitalize() + "." + _PROCESS.get(table, "")


def _md(df: pd.DataFrame | None, n: int = 10) -> dg.MetadataValue:
    if df is None or not len(df):
        return dg.MetadataValue.md("_no new rows_")
    return dg.MetadataValue.md(df.head(n).astype(str).to_markdown(index=False))


def _schema(table: str) -> dg.TableSchema:
    return dg.TableSchema(columns=[
        dg.TableColumn(c.name, c.type, description=c.description,
                       constraints=dg.TableColumnConstraints(nullable=c.nullable, unique=c.primary_key))
        for c in tables.table(table).columns])


def _table_metadata(table: str, total: int, new: int, preview: pd.DataFrame | None, rep: StageReport) -> dict:
    md = {
        "dagster/row_count": total,
        "new_rows": new,
        "dagster/column_schema": _schema(table),
        "dagster/table_name": f"news.main.{table}",
        "preview": _md(preview),
        "stage_seconds": round(rep.seconds, 3),
    }
    for k, v in rep.timings.items():
        md[f"seconds_{k}"] = round(v, 3)
    return md


def _schema_check(table: str, rep: StageReport) -> dg.AssetCheckResult:
    fails = rep.failures[rep.failures["table_name"] == table] if len(rep.failures) else rep.failures
    if not len(fails):
        return dg.AssetCheckResult(check_name=f"{table}_schema", asset_key=table, passed=True,
                                   metadata={"rows_checked": rep.written.get(table, 0)})
    summary = fails[["article_id", "column_name", "check_name", "failure_case"]].head(20)
    return dg.AssetCheckResult(
        check_name=f"{table}_schema", asset_key=table, passed=False, severity=dg.AssetCheckSeverity.ERROR,
        description=f"{len(fails)} failing value(s) in {table}; the rows were kept out of the table "
                    f"and recorded in validation_failures",
        metadata={"failures": dg.MetadataValue.md(summary.astype(str).to_markdown(index=False)),
                  "n_failures": len(fails)},
    )


def _check_spec(table: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(f"{table}_schema", asset=table,
                             description=f"pandera schema for {table}: failing rows are named, kept out, recorded")


@dg.asset(group_name="ingest", kinds={"python", "duckdb"}, pool=POOL, check_specs=integrity_specs("raw_documents"),
          description=_description("raw_documents"), retry_policy=RETRY)
def raw_documents(context: dg.AssetExecutionContext, config: IngestConfig, news_store: NewsStore,
                  inbox: NewsInbox, run_workers: RunWorkers) -> dg.MaterializeResult:
    if config.retry_rejected:  # before ingestion, so the files are read again in this run
        context.log.info(f"retry rejected: {news_store.store.mark_for_reprocess('enrich', [], retry_rejected=True)}")
    rep = stages.ingest_folder(news_store.store, inbox.path, progress=context.log.info)
    counts = news_store.store.count_rows(["raw_documents", "source_files", "rejected_files"])
    md = _table_metadata("raw_documents", counts["raw_documents"], rep.written["raw_documents"], rep.preview, rep)
    md["preview"] = _md(rep.preview, n=20)
    md.update({"input_folder": inbox.path, "files_seen": rep.seen, "files_unchanged": rep.skipped,
               "files_in_this_batch": rep.processed,
               "files_rejected": rep.rejected, "source_files": counts["source_files"],
               "run_worker_processes": run_pool_size()})
    return dg.MaterializeResult(metadata=md, check_results=integrity_results(news_store, "raw_documents"))


@dg.asset(group_name="clean", kinds={"python", "duckdb"}, pool=POOL, deps=[raw_documents],
          description=_description("articles"), retry_policy=RETRY,
          check_specs=[_check_spec("articles"), *integrity_specs("articles")])
def articles(context: dg.AssetExecutionContext, config: ReprocessConfig, news_store: NewsStore) -> dg.MaterializeResult:
    _mark(news_store, "clean", config, context.log)
    rep = stages.clean_pending(news_store.store, batch_size=news_store.batch_size, progress=context.log.info,
                                 workers=news_store.workers or None)
    total = news_store.store.count_rows(["articles"])["articles"]
    md = _table_metadata("articles", total, rep.written["articles"], rep.preview, rep)
    md["rejected"] = rep.rejected
    return dg.MaterializeResult(metadata=md, check_results=[_schema_check("articles", rep),
                                                            *integrity_results(news_store, "articles")])


@dg.multi_asset(
    specs=[dg.AssetSpec(t, group_name="enrich", kinds={"spacy", "duckdb"}, deps=[articles],
                        description=_description(t)) for t in ENRICHMENT_TABLES],
    check_specs=[*(_check_spec(t) for t in ENRICHMENT_TABLES), *integrity_specs(*ENRICHMENT_TABLES)],
    pool=POOL,
    name="enrichment",
    retry_policy=RETRY,
)
def enrichment(context: dg.AssetExecutionContext, config: ReprocessConfig, news_store: NewsStore,
               spacy_model: SpacyModel):
    _mark(news_store, "enrich", config, context.log)
    # The model is loaded here only if the work is done in this process (see enrich_pending).
    rep = stages.enrich_pending(news_store.store, spacy_model.get, batch_size=news_store.batch_size,
                                   progress=context.log.info, workers=news_store.workers or None,
                                   model_name=spacy_model.model)
    totals = news_store.store.count_rows(list(ENRICHMENT_TABLES))
    with news_store.connection(read_only=True) as con:
        previews = {t: con.execute(f'SELECT * EXCLUDE (article_id) FROM "{t}" ORDER BY article_id DESC LIMIT 5').df()
                    for t in ENRICHMENT_TABLES}
    for t in ENRICHMENT_TABLES:
        md = _table_metadata(t, totals[t], rep.written[t], previews[t], rep)
        md.update({"nlp_model": model_label(spacy_model.model),
                   "workers": rep.notes[0] if rep.notes else "", "articles_enriched": rep.processed,
                   "articles_skipped": rep.skipped})
        yield dg.MaterializeResult(asset_key=t, metadata=md)
    for t in ENRICHMENT_TABLES:
        yield _schema_check(t, rep)
    yield from integrity_results(news_store, *ENRICHMENT_TABLES)


@dg.asset(group_name="marts", kinds={"duckdb"}, pool=POOL, deps=list(ENRICHMENT_TABLES),
          description=_description("daily_counts"), automation_condition=eager_after_checks())
def daily_counts(news_store: NewsStore) -> dg.MaterializeResult:
    df = news_store.store.refresh_daily_counts()
    return dg.MaterializeResult(metadata={"dagster/row_count": len(df), "preview": _md(df.tail(10))})
