"""The ``news_report`` asset: a self-contained HTML report (charts + tables) built from the DuckDB views.

Thin wrapper over :func:`news_etl.report.build_report`. The output folder is the run config
``output_dir`` if given, else ``NEWS_ETL_REPORT_DIR`` (default ``data/report``).
(No ``from __future__ import annotations`` here: Dagster reads the context/config annotations at runtime.)
"""

import base64
from typing import Optional

import dagster as dg

from news_etl import settings
from news_etl.defs.checks import eager_after_checks
from news_etl.defs.resources import NewsStore
from news_etl.report.build import CHARTS, build_report
from news_etl.stages.workers import shared_map

REPORT_DIR_ENV = "NEWS_ETL_REPORT_DIR"
DEFAULT_REPORT_DIR = settings.SETTINGS[REPORT_DIR_ENV].default
POOL = "duckdb"


class ReportConfig(dg.Config):
    output_dir: Optional[str] = None  # None: $NEWS_ETL_REPORT_DIR, else data/report


def report_dir(config_value: Optional[str] = None) -> str:
    return config_value or settings.get(REPORT_DIR_ENV) or DEFAULT_REPORT_DIR


@dg.asset(
    group_name="marts",
    kinds={"html", "duckdb"},
    pool=POOL,
    deps=["quotes", "casualties", "entities", "citations"],
    automation_condition=eager_after_checks(),
    description="Self-contained HTML report (PNG charts embedded): casualty figures over time and by place, "
                "most-quoted speakers, outlets cited, entity mentions over time, top quotes and casualty reports. "
                f"Written to ${REPORT_DIR_ENV} (default {DEFAULT_REPORT_DIR})/report.html.",
)
def news_report(context: dg.AssetExecutionContext, config: ReportConfig, news_store: NewsStore) -> dg.MaterializeResult:
    out_dir = report_dir(config.output_dir)
    result = build_report(news_store.database, out_dir, map_charts=shared_map)  # the run's workers, if it has them
    context.log.info(f"report: {result.html_path} ({len(result.chart_paths)} charts, "
                     f"{result.counts.get('articles', 0)} articles{', unchanged' if result.unchanged else ''})")
    for note in result.notes:
        context.log.warning(f"report: {note}")
    preview = base64.b64encode(result.preview_png).decode("ascii")
    md = {
        "path": dg.MetadataValue.path(str(result.html_path.resolve())),
        "chart_preview": dg.MetadataValue.md(
            f"**{CHARTS[result.preview_chart]}**\n\n![chart](data:image/png;base64,{preview})"),
        "charts": dg.MetadataValue.json({k: str(p.resolve()) for k, p in result.chart_paths.items()}),
        "html_bytes": result.html_bytes,
        "empty": result.empty,
        "unchanged": result.unchanged,
    }
    for name, n in result.counts.items():
        if name != "charts":
            md[f"rows_{name}"] = n
    return dg.MaterializeResult(metadata=md)
