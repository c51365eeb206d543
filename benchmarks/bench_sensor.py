#!/usr/bin/env python3
"""The inbox sensor at scale: tick time and cursor size over a large inbox.

    .venv/bin/python benchmarks/bench_sensor.py [--files 100000] [--new 50] [--workdir DIR]

Makes an inbox of ``--files`` small files, records them all in ``source_files`` (as a run would),
then adds ``--new`` files with OLD modification times (as ``cp -p`` or a move does) and times one
tick of the real ``inbox_sensor`` (``dg.build_sensor_context``). Then touches 3,000 stored files
(same bytes, new times) and ticks twice to show that the cursor stays bounded. Prints the tick
times, the number of files requested and the cursor size in bytes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from news_etl.defs.resources import NewsInbox, NewsStore
from news_etl.defs.sensors import inbox_sensor
from news_etl.ingest.reader import discover
from news_etl.ingest.watch import content_hash
from news_etl.warehouse.batches import IngestBatch
from news_etl.warehouse.store import Store
from news_etl.warehouse.tables import frame

OLD = time.time() - 30 * 86400


def _write(root: Path, i: int) -> None:
    d = root / f"d{i // 1000:04d}"
    d.mkdir(exist_ok=True)
    p = d / f"story-{i:07d}.txt"
    p.write_text(f"Headline {i}\n\nBody of story number {i}, written for the sensor benchmark.\n")
    os.utime(p, (OLD, OLD))


def _tick(instance, inbox: Path, db: Path, cursor):
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor,
                                  resources={"inbox": NewsInbox(path=str(inbox)), "news_store": NewsStore(database=str(db))})
    t = time.perf_counter()
    result = inbox_sensor(ctx)
    secs = time.perf_counter() - t
    n = int(result.tags["news_etl/new_files"]) if isinstance(result, dg.RunRequest) else 0
    return secs, n, ctx.cursor, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=50)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_sensor_"))
    inbox, db = work / "inbox", work / "db.duckdb"
    shutil.rmtree(work, ignore_errors=True)
    inbox.mkdir(parents=True)
    t = time.perf_counter()
    for i in range(args.files):
        _write(inbox, i)
    now = datetime.now(timezone.utc)
    rows = [{"source_path": s.source_path, "content_hash": content_hash(s.path), "size_bytes": s.size_bytes, "modified_at": s.mtime,
             "status": "ingested", "article_id": None, "first_seen_at": now, "last_seen_at": now, "documents": 1,
             "records_skipped": 0} for s in discover(inbox)]
    store = Store(db)
    store.ensure_schema()
    store.write(IngestBatch(source_files=frame("source_files", rows)))
    print(f"inbox of {args.files:,} files recorded in source_files in {time.perf_counter() - t:.1f} s")
    os.environ["NEWS_ETL_SETTLE_SECONDS"] = "5"
    with dg.instance_for_test() as instance:
        secs, n, cursor, _ = _tick(instance, inbox, db, None)
        print(f"tick, nothing new:               {secs:6.2f} s, requested {n}, cursor {len(cursor or '')} bytes")
        for i in range(args.files, args.files + args.new):
            _write(inbox, i)  # old modification times: copied or moved in
        secs, n, cursor, _ = _tick(instance, inbox, db, cursor)
        print(f"tick, {args.new} new (old mtimes):      {secs:6.2f} s, requested {n}, cursor {len(cursor or '')} bytes")
        for p in sorted(inbox.rglob("*.txt"))[:3000]:  # same bytes, new times (touched)
            os.utime(p, (OLD + 60, OLD + 60))
        secs, n, cursor, r = _tick(instance, inbox, db, cursor)
        print(f"tick, 3,000 touched + {args.new} new:   {secs:6.2f} s, requested {n}, cursor {len(cursor or '')} bytes")
        secs, n, cursor, r = _tick(instance, inbox, db, cursor)
        print(f"tick again:                      {secs:6.2f} s, requested {n}, cursor {len(cursor or '')} bytes")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
