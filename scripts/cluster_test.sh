#!/usr/bin/env bash
# make cluster-test: scaleout_celery_job on two Celery workers into a DuckLake catalog on PostgreSQL,
# checked against a one-process `news-etl run` into a DuckDB file.
#
#  1. PostgreSQL and Redis (Debian packages, installed when missing) on free ports of 127.0.0.1
#  2. faults: unreachable PostgreSQL / Redis and a malformed ducklake: URI -> exit 2, nothing written
#  3. preflight, two Celery workers (dagster-celery, prefork pool of one process each)
#  4. the run: seeds/ + news_etl_tests/data/cluster/ in 4 shards; one worker's step process is
#     killed (kill -9) while it runs a shard: the step goes back on the queue and runs again
#  5. the same folder through `news-etl run` into a DuckDB file; tables compared (scripts/cluster_check.py)
#  6. the CLI on the lake: tables, query, search, and an incremental run that adds nothing
#  7. three processes writing the same folder into one fresh PostgreSQL lake at once: each row once
# Everything started here is stopped on exit (trap), whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
export PATH="$BIN:$PATH"
SHARDS=${CLUSTER_SHARDS:-4}
T0=$(date +%s)
say() { echo "[cluster-test +$(( $(date +%s) - T0 ))s] $*"; }

WORK=$(mktemp -d /tmp/news_etl_cluster.XXXXXX)
chmod 755 "$WORK"
source scripts/services.sh
WORKER_PIDS=()
RUN_PID=
cleanup() {
  local rc=$?
  for p in "${WORKER_PIDS[@]}" ${RUN_PID:+"$RUN_PID"}; do kill -9 -- "-$p" 2>/dev/null || true; done
  for p in "${WORKER_PIDS[@]}" ${RUN_PID:+"$RUN_PID"}; do wait "$p" 2>/dev/null || true; done
  services_stop
  if [ "$rc" != 0 ]; then
    echo "cluster-test FAILED (exit $rc); logs:" >&2
    for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -25 "$f" >&2; }; done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting PostgreSQL and Redis"
services_start "$WORK"
say "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT"

INBOX=$WORK/inbox
mkdir -p "$INBOX"
cp seeds/* news_etl_tests/data/cluster/* "$INBOX"/
LAKE="ducklake:postgres:$PG_DSN"
export NEWS_ETL_CACHE_DIR=${NEWS_ETL_CACHE_DIR:-$HOME/.cache/news_etl}
export NEWS_ETL_DATABASE=$LAKE NEWS_ETL_DATA_PATH=$WORK/lake_data/ NEWS_ETL_INPUT=$INBOX
export NEWS_ETL_STAGING=$WORK/staging NEWS_ETL_SHARDS=$SHARDS
export NEWS_ETL_CELERY_BROKER=$REDIS_URL NEWS_ETL_CELERY_BACKEND=$REDIS_URL
export DAGSTER_HOME=$WORK/dagster_home DAGSTER_POSTGRES_URL="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/dagster"
mkdir -p "$DAGSTER_HOME" && cp dagster_home_cluster/dagster.yaml "$DAGSTER_HOME"/

expect_exit2() {  # expect_exit2 <what> <pattern> <command...>: exit code 2 and the message
  local what=$1 pattern=$2; shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$rc" != 2 ] || ! grep -qi -- "$pattern" <<<"$out"; then
    echo "fault check '$what': expected exit 2 and /$pattern/, got exit $rc: $out" >&2; return 1
  fi
  say "fault ok ($what): $(grep -i -m1 -- "$pattern" <<<"$out")"
}
DEAD=$(_free_port)
say "faults: unreachable services, malformed URI"
expect_exit2 "PostgreSQL unreachable (run)" "could not reach the DuckLake catalog's PostgreSQL at 127.0.0.1:$DEAD" \
  news-etl run --input "$INBOX" --database "ducklake:postgres:dbname=news_lake host=127.0.0.1 port=$DEAD user=postgres"
expect_exit2 "malformed URI" "malformed DuckLake URI" news-etl run --input "$INBOX" --database "ducklake:postgres:host=x"
expect_exit2 "Redis unreachable (preflight)" "could not reach the Celery broker (Redis) at 127.0.0.1:$DEAD" \
  news-etl preflight --broker "redis://127.0.0.1:$DEAD/0"
expect_exit2 "Dagster PostgreSQL unreachable (preflight)" "could not reach Dagster's storage" \
  news-etl preflight --database "" --broker "" --dagster-postgres "postgresql+psycopg2://postgres@127.0.0.1:$DEAD/dagster"
[ -z "$(ls -A "$WORK/lake_data" 2>/dev/null)" ] || { echo "a failed run wrote data" >&2; exit 1; }

news-etl preflight   # store, broker and Dagster storage from the environment
python - > "$WORK/celery.yaml" <<'PY'
import yaml
from news_etl.defs.scaleout import celery_config
print(yaml.safe_dump({"execution": {"config": celery_config()}}))
PY

say "starting two Celery workers"
for w in 1 2; do
  setsid dagster-celery worker start -A dagster_celery.app -y "$WORK/celery.yaml" -n "w$w" --loglevel INFO \
    -- --pool=prefork --concurrency=1 >"$WORK/worker$w.log" 2>&1 &
  WORKER_PIDS+=($!)
done
for _ in $(seq 240); do
  [ "$(grep -l "ready\." "$WORK"/worker*.log 2>/dev/null | wc -l)" = 2 ] && break
  for p in "${WORKER_PIDS[@]}"; do kill -0 "$p" 2>/dev/null || { echo "a worker exited" >&2; exit 1; }; done
  sleep 0.5
done
[ "$(grep -l "ready\." "$WORK"/worker*.log | wc -l)" = 2 ] || { echo "workers did not start" >&2; exit 1; }

say "running scaleout_celery_job ($SHARDS shards)"
T_RUN=$(date +%s)
setsid dagster job execute -m news_etl.definitions -j scaleout_celery_job >"$WORK/run.log" 2>&1 &
RUN_PID=$!

# Kill one worker's step process (the pool child) while it runs a shard step.
pool_child() { pgrep -P "$(pgrep -P "$1" -f 'celery' | head -1)" 2>/dev/null | head -1; }
KILLED=
for _ in $(seq 1200); do
  kill -0 "$RUN_PID" 2>/dev/null || break
  for i in 0 1; do
    log=$WORK/worker$((i + 1)).log
    # busy on a shard: this worker has started a process_shard step that has not finished
    if [ "$(grep -c 'STEP_START - Started execution of step "sharded_load.process_shard' "$log")" -gt \
         "$(grep -c 'STEP_SUCCESS - Finished execution of step "sharded_load.process_shard' "$log")" ]; then
      child=$(pool_child "${WORKER_PIDS[$i]}")
      if [ -n "$child" ]; then
        sleep 1   # into the step (the shard's folder is being written)
        kill -9 "$child" 2>/dev/null && KILLED="worker $((i + 1)) step process $child" && break 2
      fi
    fi
  done
  sleep 0.25
done
[ -n "$KILLED" ] && say "killed $KILLED (kill -9) mid-step" || say "WARNING: no step was in flight to kill"

RUN_RC=0
wait "$RUN_PID" || RUN_RC=$?
RUN_PID=
RUN_SECS=$(( $(date +%s) - T_RUN ))
say "scaleout_celery_job finished: exit $RUN_RC in ${RUN_SECS}s"
[ "$RUN_RC" = 0 ] || { tail -40 "$WORK/run.log" >&2; exit 1; }
grep -h -m2 -i "WorkerLostError\|signal 9\|SIGKILL" "$WORK"/worker*.log || true

say "one-process reference: news-etl run into a DuckDB file"
T_ONE=$(date +%s)
env -u DAGSTER_HOME news-etl run --input "$INBOX" --database "$WORK/one.duckdb" --workers 1 \
  --report-dir "$WORK/report" >"$WORK/one.log" 2>&1 || { cat "$WORK/one.log" >&2; exit 1; }
say "one-process run: $(( $(date +%s) - T_ONE ))s"

say "comparing the lake with the DuckDB file"
python scripts/cluster_check.py --lake "$LAKE" --duckdb "$WORK/one.duckdb" --job scaleout_celery_job \
  ${KILLED:+--expect-rerun}

say "the CLI on the lake"
news-etl tables >"$WORK/tables.txt" && head -2 "$WORK/tables.txt"
news-etl query "SELECT count(*) AS articles, count(DISTINCT article_id) AS distinct_ids FROM articles"
news-etl search "fire harbour" --limit 2
env -u DAGSTER_HOME news-etl run --input "$INBOX" --workers 1 --report-dir "$WORK/report2" >"$WORK/again.log" 2>&1 \
  || { cat "$WORK/again.log" >&2; exit 1; }
grep -E "articles stored|files seen" "$WORK/again.log"
python scripts/cluster_check.py --lake "$LAKE" --duckdb "$WORK/one.duckdb"
say "three concurrent writers (ingest + clean) into one fresh lake on PostgreSQL"
LAKE2="ducklake:postgres:dbname=news_lake_concurrent host=127.0.0.1 port=$PG_PORT user=postgres"
WRITERS=()
for w in 1 2 3; do
  NEWS_ETL_DATA_PATH=$WORK/lake2_data/ python -c 'import sys; from news_etl import stages
stages.ingest_folder(sys.argv[2], sys.argv[1]); stages.clean_pending(sys.argv[2])' "$INBOX" "$LAKE2" \
    >"$WORK/writer$w.log" 2>&1 &
  WRITERS+=($!)
done
for p in "${WRITERS[@]}"; do wait "$p" || { cat "$WORK"/writer*.log >&2; exit 1; }; done
NEWS_ETL_DATA_PATH=$WORK/lake2_data/ python - "$LAKE2" <<'PY'
import sys
from news_etl.warehouse import compare, store
lake = sys.argv[1]
dups, n = compare.duplicate_keys(lake), store.Store(lake).count_rows(["source_files", "raw_documents", "articles"])
print(f"concurrent writers: {n}, keys stored twice: {dups or 'none'}")
sys.exit(1 if dups or n["articles"] != 5 or n["source_files"] != 6 else 0)
PY
say "cluster-test passed (total $(( $(date +%s) - T0 ))s)"
