"""The cluster test's checks (scripts/cluster_test.sh): the lake equals the one-process DuckDB run,
no key is stored twice, and Dagster's PostgreSQL storage recorded the Celery run (with the step
re-run after its worker was killed). Exit 0 when every check passes, 1 otherwise."""

from __future__ import annotations

import argparse
import sys

from news_etl.warehouse import compare, store


def dagster_run_summary(job: str) -> tuple[str, str, dict[str, int]]:
    """(run id, status, step key -> STEP_START count) of the job's latest run, from the instance in
    DAGSTER_HOME (Dagster's PostgreSQL storage)."""
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(job_name=job), limit=1)
        if not runs:
            return "", "missing", {}
        run = runs[0]
        run_id = run.run_id
        starts: dict[str, int] = {}
        for rec in instance.all_logs(run_id):
            ev = rec.dagster_event
            if ev is not None and ev.event_type_value == "STEP_START":
                starts[ev.step_key] = starts.get(ev.step_key, 0) + 1
        return run_id, run.status.value, starts


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--lake", required=True)
    p.add_argument("--duckdb", required=True)
    p.add_argument("--job", default="", help="check the latest run of this job in DAGSTER_HOME")
    p.add_argument("--expect-rerun", action="store_true", help="a process_shard step started twice")
    a = p.parse_args()
    failures = []
    diff = compare.differences(a.lake, a.duckdb)
    for t, d in diff.items():
        failures.append(f"table {t} differs: {d}")
    dups = compare.duplicate_keys(a.lake)
    if dups:
        failures.append(f"keys stored more than once in the lake: {dups}")
    counts = store.Store(a.lake).count_rows()
    print("lake rows:   " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    print("duckdb rows: " + ", ".join(f"{t} {n}" for t, n in store.Store(a.duckdb).count_rows().items()))
    if not counts["articles"]:
        failures.append("no articles in the lake")
    if a.job:
        run_id, status, starts = dagster_run_summary(a.job)
        shard_starts = {k: n for k, n in starts.items() if "process_shard" in k}
        print(f"dagster run {run_id} ({a.job}, PostgreSQL storage): {status}; process_shard starts: {shard_starts}")
        if status != "SUCCESS":
            failures.append(f"the Celery run is {status}")
        if a.expect_rerun and not any(n > 1 for n in shard_starts.values()):
            failures.append("no process_shard step was run again after its worker was killed")
    for f in failures:
        print(f"CHECK FAILED: {f}", file=sys.stderr)
    print("checks: " + ("all passed" if not failures else f"{len(failures)} failed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
