"""The Dagster code location ``news_etl``: assets, checks, jobs, sensor, schedule, resources.

Wiring only; the work lives in the functional core (``news_etl.pipeline`` and friends).
"""

import dagster as dg

from news_etl.defs.assets import articles, daily_counts, enrichment, raw_documents
from news_etl.defs.automation import news_automation
from news_etl.defs.checks import integrity_checks
from news_etl.defs.report import news_report
from news_etl.defs.scaleout import scaleout_job, scaleout_resource, sharded_load
from news_etl.defs.jobs import daily_rollup_schedule, inbox_sensor, news_etl_job, rollup_job
from news_etl.defs.resources import default_resources


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[raw_documents, articles, enrichment, daily_counts, news_report, sharded_load],
        asset_checks=integrity_checks,
        jobs=[news_etl_job, rollup_job, scaleout_job],
        schedules=[daily_rollup_schedule],
        sensors=[inbox_sensor, news_automation],
        resources={**default_resources(), "scaleout": scaleout_resource()},
        executor=dg.in_process_executor,
    )
