#!/usr/bin/env bash
# Load benchmark of the list endpoint (issue 3): seeds N systems with `ucsc demo generate`,
# starts `ucsc serve` on a free loopback port, signs in, and runs wrk against
# GET /api/v1/systems?limit=50 — with 64 connections (the p99 < 20 ms target on SQLite) and with
# 500 (errors reported).
#
#   bench/api_load.sh [sqlite|postgresql] [SYSTEMS] [SECONDS]
#
# Targets 127.0.0.1 only. Needs build/ucsc (make build) and wrk (scripts/bootstrap installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
systems=${2:-100000}
seconds=${3:-20}
threads=${UCSC_BENCH_THREADS:-2}
bin=./build/ucsc
[[ -x $bin ]] || { echo "build first: make build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/bootstrap" >&2; exit 1; }

work=$(mktemp -d)
server_pid=
pg_dir=
cleanup() {
  [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n $pg_dir ]] && scripts/pg-test stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $backend == sqlite ]]; then
  db="sqlite:$work/bench.db"
else
  eval "$(scripts/pg-test start)"
  pg_dir=$UCSC_PG_DIR
  db=$UCSC_TEST_PG
fi

echo "== seeding $systems systems in 1000 organisations ($backend)"
start=$SECONDS
$bin demo generate --db "$db" --systems "$systems" --orgs 1000
echo "seeded in $((SECONDS - start)) s"
password=$($bin user add --db "$db" --username bench --role coordinator \
  --org "Đơn vị thử tải số 1" | awk '{print $2}')

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$bin serve --db "$db" --listen "127.0.0.1:$port" --threads "$threads" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/v1/auth/login" | tr -d '\r' |
  sed -n 's/^[Ss]et-[Cc]ookie: ucsc_session=\([^;]*\);.*/\1/p')
[[ -n $cookie ]] || { echo "login failed" >&2; cat "$work/serve.log" >&2; exit 1; }
url="http://127.0.0.1:$port/api/v1/systems?limit=50"
items=$(curl -fs -H "Cookie: ucsc_session=$cookie" "$url" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
echo "page size check: $items items"

for conns in 64 500; do
  echo "== wrk -t2 -c$conns -d${seconds}s --latency ($backend, $threads I/O threads)"
  wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "Cookie: ucsc_session=$cookie" "$url"
done
