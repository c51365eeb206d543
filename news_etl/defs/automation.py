"""Declarative automation: the implicit automation sensor starts STOPPED, so declare one that runs."""

import dagster as dg

news_automation = dg.AutomationConditionSensorDefinition(
    "news_automation",
    target=dg.AssetSelection.all() - dg.AssetSelection.groups("scaleout"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the assets' automation conditions (none by default; the inbox sensor drives runs).",
)
