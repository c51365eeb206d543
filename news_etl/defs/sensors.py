"""Sensors: new files in the inbox start the main job; the automation sensor keeps the marts fresh."""

import hashlib
import json
import time
from pathlib import Path

import dagster as dg

from news_etl import settings
from news_etl.defs.jobs import news_etl_job
from news_etl.defs.resources import NewsInbox, NewsStore
from news_etl.ingest.reader import DEFAULT_MAX_BYTES, discover
from news_etl.warehouse import store

def _fingerprint(inbox_path: str) -> dict[str, list]:
    """path -> [size, mtime] for every file in the inbox (cheap: no reads)."""
    return {s.source_path: [s.size_bytes, s.mtime.timestamp()] for s in discover(inbox_path)}


def _settle_seconds() -> float:
    """A file must be unchanged this long before the sensor takes it (so half-copied files wait)."""
    return settings.get("NEWS_ETL_SETTLE_SECONDS")


def _content_hash(path: Path, limit: int = DEFAULT_MAX_BYTES) -> str | None:
    """SHA-256 of a file, read in chunks; None for files over the limit or unreadable (treated as new)."""
    h = hashlib.sha256()
    try:
        if path.stat().st_size > limit:
            return None
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


@dg.sensor(job=news_etl_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a run of the main job when files are added to or changed in the inbox.")
def inbox_sensor(context: dg.SensorEvaluationContext, inbox: NewsInbox, news_store: NewsStore):
    """New or changed files (by size/mtime, then by content hash) trigger one run for the batch.

    No run key: the cursor already remembers what was seen, and a batch whose run failed is
    requested again when its files change (or by `news-etl run`). Files changed in the last
    few seconds wait for the next tick, so a file still being copied is never taken half-way.
    """
    prior = json.loads(context.cursor) if context.cursor else {}
    current = _fingerprint(inbox.path)
    now = time.time()
    settled = {p: v for p, v in current.items() if now - v[1] >= _settle_seconds()}
    changed = sorted(p for p, v in settled.items() if prior.get(p) != v)
    cursor = {p: v for p, v in prior.items() if p in current}
    cursor.update(settled)
    if not changed:
        context.update_cursor(json.dumps(cursor))
        waiting = len(current) - len(settled)
        return dg.SkipReason("no new or changed files in the inbox"
                             + (f" ({waiting} still being written)" if waiting else ""))
    # Content check: a touched or copied file whose bytes are already stored requests nothing.
    root = Path(inbox.path)
    hashes = {p: _content_hash(root / p) for p in changed}
    try:
        with store.connection(news_store.database, read_only=True, timeout_s=5) as con:
            wanted = [h for h in hashes.values() if h]
            known = store.known_hashes(con, wanted)
            known |= {r[0] for r in con.execute(
                "SELECT content_hash FROM source_files WHERE content_hash IN (SELECT unnest(?))", [wanted]).fetchall()}
            known |= {r[0] for r in con.execute("SELECT content_hash FROM rejected_files").fetchall()}
    except Exception:  # no database yet, or a run holds the lock: treat everything as new
        known = set()
    new = sorted(p for p, h in hashes.items() if h is None or h not in known)
    context.update_cursor(json.dumps(cursor))
    if not new:
        return dg.SkipReason(f"{len(changed)} changed file(s), all with content already stored")
    batch = hashlib.sha256(json.dumps([[p, hashes[p]] for p in new]).encode()).hexdigest()[:20]
    return dg.RunRequest(tags={"news_etl/new_files": str(len(new)), "news_etl/batch": batch,
                               "news_etl/first_file": new[0][:200]})


#: The implicit automation sensor starts STOPPED, so declare one that runs.
news_automation = dg.AutomationConditionSensorDefinition(
    "news_automation",
    target=dg.AssetSelection.groups("marts"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the marts' automation conditions: daily_counts and news_report are brought up to "
                "date whenever the tables they read were updated by a run that did not include them.",
)
