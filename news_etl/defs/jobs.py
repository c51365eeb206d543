"""Jobs: the main job (the whole asset graph over the inbox) and the daily roll-up."""

import dagster as dg

MAIN_JOB = "news_etl_job"

#: The main job: the whole asset graph over the input folder (incremental: only new content is processed).
news_etl_job = dg.define_asset_job(MAIN_JOB, selection=dg.AssetSelection.all() - dg.AssetSelection.groups("scaleout"),
                                   description="Ingest, clean, enrich and load every new file of the input folder.")

rollup_job = dg.define_asset_job("daily_rollup_job", selection=dg.AssetSelection.assets("daily_counts"),
                                 description="Refresh the per-day roll-up table.")
