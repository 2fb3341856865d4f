#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server for tests (the store's
# PostgreSQL tests run against it; ctest starts and stops it, see
# src/store/CMakeLists.txt). It listens on 127.0.0.1 on a free port, with
# fsync off: nothing in it outlives the tests. PG_OPTIONS adds server options
# (e.g. PG_OPTIONS="-c fsync=on -c full_page_writes=on" for durable benchmarks).
#
# Usage: scripts/postgres-test-server.sh start DIR   writes the URL to DIR/url
#        scripts/postgres-test-server.sh stop DIR    stops it and removes its files
#
# The cluster (data and socket) lives in a fresh folder under ${TMPDIR:-/tmp}
# named in DIR/cluster, not in DIR itself: as root the server must run as the
# postgres user (initdb refuses root), who may not reach DIR (under /root, say).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
dir=$2

# The newest installed server's binaries, unless PG_BIN says where.
find_server() {
  if [ -z "${PG_BIN:-}" ]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    echo "postgres-test-server: no PostgreSQL server found in ${PG_BIN:-/usr/lib/postgresql/*/bin};" \
      "install it (scripts/install-deps.sh installs postgresql) or set PG_BIN" >&2
    exit 1
  fi
}

# Runs a server binary as the user that owns the cluster.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  [ -f "$dir/cluster" ] || return 0
  local cluster
  cluster=$(cat "$dir/cluster")
  if [ -f "$cluster/data/postmaster.pid" ]; then
    find_server
    as_owner "$PG_BIN/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$cluster"
  rm -f "$dir/cluster" "$dir/url"
}

# A port nothing listens on now (the server may still lose a race for it;
# start retries then).
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "postgres-test-server: found no free port" >&2
  return 1
}

start() {
  find_server
  stop  # a server a crashed run left behind
  mkdir -p "$dir"
  local cluster
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/loom-postgres.XXXXXX")
  echo "$cluster" >"$dir/cluster"
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "postgres-test-server: running as root needs the postgres user (apt-get install postgresql)" >&2
      exit 1
    fi
    chown postgres: "$cluster"
  fi
  if ! as_owner "$PG_BIN/initdb" -D "$cluster/data" -U postgres -A trust --no-sync -E UTF8 \
    >"$cluster/initdb.log" 2>&1; then
    echo "postgres-test-server: initdb failed:" >&2
    cat "$cluster/initdb.log" >&2
    exit 1
  fi
  local port
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$PG_BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c full_page_writes=off ${PG_OPTIONS:-}" \
      start >/dev/null; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres" >"$dir/url"
      echo "postgres-test-server: listening at $(cat "$dir/url") (cluster $cluster)"
      return 0
    fi
    echo "postgres-test-server: start on port $port failed (attempt $attempt)" >&2
  done
  echo "postgres-test-server: the server did not start; its log:" >&2
  cat "$cluster/server.log" >&2 || true
  exit 1
}

case "$action" in
  start) start ;;
  stop)
    stop
    rmdir "$dir" 2>/dev/null || true
    ;;
  *) usage ;;
esac
