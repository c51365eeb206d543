"""Jobs, the inbox sensor and the daily schedule."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from news_etl.defs.resources import NewsInbox, NewsStore
from news_etl.ingest import discover
from news_etl import store

MAIN_JOB = "news_etl_job"

#: The main job: the whole asset graph over the input folder (incremental: only new content is processed).
news_etl_job = dg.define_asset_job(MAIN_JOB, selection=dg.AssetSelection.all() - dg.AssetSelection.groups("scaleout"),
                                   description="Ingest, clean, enrich and load every new file of the input folder.")

rollup_job = dg.define_asset_job("daily_rollup_job", selection=dg.AssetSelection.assets("daily_counts"),
                                 description="Refresh the per-day roll-up table.")

daily_rollup_schedule = dg.ScheduleDefinition(
    name="daily_rollup", job=rollup_job, cron_schedule="15 2 * * *", execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night: recompute daily_counts (articles, entities, quotes, casualty figures per day).",
)


def _fingerprint(inbox_path: str) -> dict[str, list]:
    """path -> [size, mtime] for every file in the inbox (cheap: no reads)."""
    return {s.source_path: [s.size_bytes, s.mtime.timestamp()] for s in discover(inbox_path)}


@dg.sensor(job=news_etl_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a run of the main job when files are added to or changed in the inbox.")
def inbox_sensor(context: dg.SensorEvaluationContext, inbox: NewsInbox, news_store: NewsStore):
    """New or changed files (by size/mtime, then by content hash) trigger one run for the batch."""
    prior = json.loads(context.cursor) if context.cursor else {}
    current = _fingerprint(inbox.path)
    changed = sorted(p for p, v in current.items() if prior.get(p) != v)
    if not changed:
        return dg.SkipReason("no new or changed files in the inbox")
    # Content check: a touched file whose bytes are already stored requests nothing.
    root = Path(inbox.path)
    hashes = {}
    for p in changed:
        try:
            hashes[p] = hashlib.sha256((root / p).read_bytes()).hexdigest()
        except OSError:
            hashes[p] = None
    try:
        with store.connection(news_store.database, read_only=True, timeout_s=5) as con:
            known = store.known_hashes(con, [h for h in hashes.values() if h])
            rejected = {r[0] for r in con.execute("SELECT content_hash FROM rejected_files").fetchall()}
    except Exception:  # no database yet, or busy: treat everything as new
        known, rejected = set(), set()
    new = sorted(p for p, h in hashes.items() if h is None or (h not in known and h not in rejected))
    context.update_cursor(json.dumps(current))
    if not new:
        return dg.SkipReason(f"{len(changed)} changed file(s), all with content already stored")
    key = hashlib.sha256(json.dumps([[p, hashes[p]] for p in new]).encode()).hexdigest()[:20]
    return dg.RunRequest(run_key=key, tags={"news_etl/new_files": str(len(new))})
