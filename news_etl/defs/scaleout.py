"""Scale-out: the same core code, fanned out over shards by Dagster's multiprocess executor.

``sharded_load`` is a graph-backed asset: ``plan_shards`` fans out one ``process_shard`` step
per shard (each writes Parquet, never touching DuckDB, so steps run in parallel processes
or, with the k8s/celery/docker executors, on other machines), and ``merge_shards`` (pool
``duckdb``) loads the Parquet files into the DuckDB tables. ``scaleout_job`` runs it with
the multiprocess executor; only configuration changes to run it elsewhere (docs/scaling.md).
"""

import dagster as dg

from news_etl.stages import shards
from news_etl.defs.resources import NewsInbox, NewsStore, ScaleOut, SpacyModel
from news_etl.nlp.pipeline import model_label


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


@dg.op(pool="duckdb", description="Load every finished shard into the DuckDB tables (rows replaced by key).")
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
