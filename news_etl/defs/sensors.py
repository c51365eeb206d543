"""Sensors: new files in the inbox start the main job; the automation sensor keeps the marts fresh."""

import hashlib
import json

import dagster as dg
import duckdb

from news_etl import settings
from news_etl.defs.jobs import news_etl_job
from news_etl.defs.resources import NewsInbox, NewsStore
from news_etl.ingest import watch

IN_FLIGHT = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
             dg.DagsterRunStatus.STARTED]


def _run_in_flight(instance) -> bool:
    return bool(instance.get_run_records(dg.RunsFilter(job_name=news_etl_job.name, statuses=IN_FLIGHT), limit=1))


@dg.sensor(job=news_etl_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a run of the main job when files are added to or changed in the inbox.")
def inbox_sensor(context: dg.SensorEvaluationContext, inbox: NewsInbox, news_store: NewsStore):
    """New files (the database, not the cursor, remembers what was seen) trigger one run.

    While a run of the main job is queued or running, the tick waits (that run will record its
    files). Files changed in the last few seconds wait for the next tick, so a file still being
    copied is never taken half-way. The cursor keeps only short digests of files already found
    stored by content (bounded), so it stays small whatever the inbox holds.
    """
    cursor = json.loads(context.cursor) if context.cursor else {}
    if _run_in_flight(context.instance):
        return dg.SkipReason("a run of the main job is queued or running; new files wait for the next tick")
    try:
        scan = watch.scan_inbox(inbox.path, news_store.store, settings.get("NEWS_ETL_SETTLE_SECONDS"),
                                cursor.get("stored", []))
    except duckdb.IOException as err:  # a writer holds the file lock: ask again next tick
        return dg.SkipReason(f"the database is busy ({str(err)[:120]}); next tick")
    context.update_cursor(json.dumps({"v": 2, "stored": scan.remembered}))
    if not scan.new:
        why = "no new or changed files in the inbox" if not scan.already_stored else \
            f"{scan.already_stored} changed file(s), all with content already stored"
        return dg.SkipReason(why + (f" ({scan.waiting} still being written)" if scan.waiting else ""))
    batch = hashlib.sha256(json.dumps([[p, scan.hashes.get(p)] for p in scan.new]).encode()).hexdigest()[:20]
    return dg.RunRequest(tags={"news_etl/new_files": str(len(scan.new)), "news_etl/batch": batch,
                               "news_etl/first_file": scan.new[0][:200]})


#: The implicit automation sensor starts STOPPED, so declare one that runs.
news_automation = dg.AutomationConditionSensorDefinition(
    "news_automation",
    target=dg.AssetSelection.groups("marts"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the marts' automation conditions: daily_counts, news_report and search_index are brought up to "
                "date whenever the tables they read were updated by a run that did not include them.",
)
