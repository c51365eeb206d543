#!/usr/bin/env bash
# Start (or stop) a private PostgreSQL and Redis on 127.0.0.1 for the cluster test.
#   source scripts/services.sh; services_start <workdir>; ...; services_stop
# Debian packages (postgresql, redis-server) are installed when missing and we are root.
# Sets PG_PORT, REDIS_PORT, PG_DSN (libpq key=value), REDIS_URL. Nothing is left running by
# services_stop; only processes started here are stopped (by their pid / data folder).

_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

services_install() {
  local need=()
  [ -n "$(_pg_bin)" ] || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "cluster-test: missing ${need[*]}; install them (sudo apt-get install ${need[*]}) or run as root" >&2
    return 2
  fi
  echo "cluster-test: apt-get install ${need[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null
}

_as_pg() {  # run a command as the postgres user when root (initdb refuses root), else as ourselves
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

services_start() {
  local work=$1
  SERVICES_WORK=$work
  services_install || return $?
  local bin; bin=$(_pg_bin)
  PG_PORT=$(_free_port); REDIS_PORT=$(_free_port)
  mkdir -p "$work/pg" "$work/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres "$work/pg" "$work/sock" && chmod 755 "$work"
  _as_pg "$bin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 >"$work/pg/initdb.log" 2>&1 \
    || { cat "$work/pg/initdb.log" >&2; return 1; }
  _as_pg "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $work/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$work/pg/server.log" >&2; return 1; }
  PG_STARTED=1
  "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres news_lake
  "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres dagster
  "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres news_lake_concurrent
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >"$work/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1
  done
  PG_DSN="dbname=news_lake host=127.0.0.1 port=$PG_PORT user=postgres"
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  export PG_PORT REDIS_PORT PG_DSN REDIS_URL
}

services_stop() {
  if [ -n "${REDIS_PID:-}" ]; then kill "$REDIS_PID" 2>/dev/null; wait "$REDIS_PID" 2>/dev/null; REDIS_PID=; fi
  if [ -n "${PG_STARTED:-}" ]; then
    _as_pg "$(_pg_bin)/pg_ctl" -D "$SERVICES_WORK/pg/data" -m fast -w stop >/dev/null 2>&1; PG_STARTED=
  fi
}
