"""Schedules: the nightly roll-up."""

import dagster as dg

from news_etl.defs.jobs import rollup_job

daily_rollup_schedule = dg.ScheduleDefinition(
    name="daily_rollup", job=rollup_job, cron_schedule="15 2 * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night: recompute daily_counts (articles, entities, quotes, casualty figures per day).",
)
