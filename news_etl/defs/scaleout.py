"""Scale-out: the same core code, fanned out over shards by Dagster's multiprocess executor.

``sharded_load`` is a graph-backed asset: ``plan_shards`` fans out one ``process_shard`` step
per shard (each writes Parquet, never touching the store, so steps run in parallel processes
or, with the celery/k8s/docker executors, on other machines), and ``merge_shards`` (pool
``duckdb``) loads the Parquet files into the store's tables (a DuckDB file or a DuckLake catalog).

Two jobs run the same asset: ``scaleout_job`` with the multiprocess executor (one machine), and
``scaleout_celery_job`` with ``dagster_celery``'s executor: each step is a Celery task on a
Redis queue, run by whichever worker takes it (``dagster-celery worker start``); Dagster's
storage must then be shared (PostgreSQL, ``dagster_home_cluster/dagster.yaml``), and so must the
staging path and the store (a DuckLake catalog on PostgreSQL). A worker killed mid-step loses
nothing: tasks are acknowledged only when done (``task_acks_late``) and re-queued when their
worker process dies (``task_reject_on_worker_lost``), and a shard step rewrites its own staging
folder while the merge stores each article once (docs/scaling.md).
"""

import dagster as dg
from dagster_celery import celery_executor

from news_etl import settings
from news_etl.stages import shards
from news_etl.defs.resources import NewsInbox, NewsStore, ScaleOut, SpacyModel
from news_etl.nlp.model import model_label


@dg.op(out=dg.DynamicOut(int), description="One dynamic output per shard of the input folder.")
def plan_shards(scaleout: ScaleOut):
    for i in range(scaleout.shards):
        yield dg.DynamicOutput(i, mapping_key=f"shard_{i:03d}")


@dg.op(description="Ingest, clean, enrich and validate one shard; write its rows as Parquet (no DuckDB).",
       retry_policy=dg.RetryPolicy(max_retries=1))
def process_shard(context: dg.OpExecutionContext, shard: int, inbox: NewsInbox, spacy_model: SpacyModel,
                  scaleout: ScaleOut) -> int:
    nlp = spacy_model.get()
    counts = shards.process_shard(inbox.path, shard, scaleout.shards, scaleout.staging_dir, nlp, model_label(spacy_model.model))
    context.log.info(f"shard {shard}: {counts}")
    context.add_output_metadata({f"rows_{t}": n for t, n in counts.items()})
    return shard


@dg.op(pool="duckdb", retry_policy=dg.RetryPolicy(max_retries=2, delay=2),
       description="Load every finished shard into the store's tables (rows replaced by key; each article once).")
def merge_shards(context: dg.OpExecutionContext, done: list[int], news_store: NewsStore, scaleout: ScaleOut) -> dict:
    merged = shards.merge_shards(news_store.store, scaleout.staging_dir)
    context.log.info(f"merged {len(done)} shards: {merged}")
    return merged


@dg.graph_asset(group_name="scaleout", kinds={"duckdb", "parquet"},
                description="The whole pipeline over the input folder, sharded across processes (or machines) "
                            "and merged into DuckDB: the path for large backfills. Not part of news_etl_job.")
def sharded_load():
    return merge_shards(plan_shards().map(process_shard).collect())


scaleout_job = dg.define_asset_job(
    "scaleout_job", selection=dg.AssetSelection.assets("sharded_load"),
    executor_def=dg.multiprocess_executor,
    config={"execution": {"config": {"max_concurrent": 2}}},
    description="sharded_load under the multiprocess executor (run config execution.config."
                "max_concurrent = worker processes; 2 by default).",
)


def celery_config() -> dict:
    """The Celery executor's config (also what the workers are started with: scripts/cluster_test.sh).

    ``task_acks_late`` + ``task_reject_on_worker_lost``: a step whose worker process dies is put
    back on the queue and run again by another worker; prefetch 1: a worker holds one step at a time.
    """
    return {
        "broker": settings.get("NEWS_ETL_CELERY_BROKER"),
        "backend": settings.get("NEWS_ETL_CELERY_BACKEND"),
        "config_source": {
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "broker_connection_retry_on_startup": True,
            "result_expires": 3600,
        },
    }


scaleout_celery_job = dg.define_asset_job(
    "scaleout_celery_job", selection=dg.AssetSelection.assets("sharded_load"),
    executor_def=celery_executor,
    config={"execution": {"config": celery_config()}},
    description="sharded_load with each step a Celery task (dagster-celery, Redis broker: "
                "NEWS_ETL_CELERY_BROKER); needs Dagster storage every worker reaches (PostgreSQL).",
)
