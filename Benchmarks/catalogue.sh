#!/usr/bin/env bash
# Measures the catalogue at national scale: 200,000 formations, wrk on loopback (2 threads, 16 connections).
#   Benchmarks/catalogue.sh [sqlite|postgres] [seconds per endpoint] [connections]
# Environment:
#   CMQ_BENCH_SCRATCH       a separate build folder for the release build (e.g. /tmp/cmq-release)
#   CMQ_BENCH_FORMATIONS    size of the catalogue (default 200000)
#   CMQ_BENCH_DATA          where the seeded SQLite database is kept between runs (default /tmp/cmq-bench-catalogue)
#   CMQ_BENCH_POSTGRES_URL  a PostgreSQL database to use; without it, a throwaway server is started (initdb + pg_ctl)
#   CMQ_BENCH_CACHE         "1 0" (default): with the search cache, then without; "1" for the cache only
# Each endpoint is measured twice: with the per-instance search cache (the default) and with
# CMQ_SEARCH_CACHE=0 (every request goes to the database). The server's memory is read from /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/postgres.sh
DB=${1:-sqlite}
DURATION=${2:-10}
CONNECTIONS=${3:-16}
FORMATIONS=${CMQ_BENCH_FORMATIONS:-200000}
DATA=${CMQ_BENCH_DATA:-/tmp/cmq-bench-catalogue}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

SCRATCH=()
[ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
swift build -c release --product cmq "${SCRATCH[@]}" >&2
BIN="$(swift build -c release --show-bin-path "${SCRATCH[@]}")/cmq"
mkdir -p "$DATA"

SERVER=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; }
  bench_postgres_stop
}
trap cleanup EXIT INT TERM

if [ "$DB" = "postgres" ]; then
  bench_postgres_start
  URL=$BENCH_PG_URL
else
  URL="sqlite:$DATA/catalogue.sqlite"
fi

echo "Seeding the catalogue to $FORMATIONS formations ($DB)…" >&2
(cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$URL" "$BIN" migrate >&2)  # on PostgreSQL only `cmq migrate` changes the schema
(cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$URL" CMQ_DEMO_PASSWORD=benchmark-password "$BIN" bench seed --formations "$FORMATIONS" >&2)

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"

start_server() {
  (cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$URL" PORT=$PORT CMQ_SEARCH_CACHE=$1 exec "$BIN" serve >"$DATA/serve.log" 2>&1) &
  SERVER=$!
  for _ in $(seq 1 120); do curl -fs "$BASE/api/v1/referentiels/filieres" >/dev/null 2>&1 && return; sleep 1; done
  echo "cmq did not start: $(tail -5 "$DATA/serve.log")" >&2; exit 1
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

measure() {
  local label=$1 path=$2
  # The first request of a path does the work the cache then keeps: its time is the cold answer.
  local cold
  cold=$(curl -fs -o /dev/null -m 120 -w '%{time_total}' "$BASE$path" | awk '{printf "%.0f ms", $1*1000}')
  local out rps p50 p99
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "| $label | \`$path\` | $cold | $rps | $p50 | $p99 |${errors:+ $errors non-2xx}"
}

echo "cmq release build, $DB, $(nproc) cores, $FORMATIONS formations, wrk -t2 -c$CONNECTIONS -d${DURATION}s ($(date -u +%Y-%m-%d))"
for cache in ${CMQ_BENCH_CACHE:-1 0}; do
  start_server $cache
  ID=$(curl -fs "$BASE/api/v1/formations?q=mecanique&per=1" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"])')
  TOTAL=$(curl -fs "$BASE/api/v1/formations?per=1" | python3 -c 'import sys, json; print(json.load(sys.stdin)["total"])')
  echo
  [ $cache = 1 ] && echo "With the search cache (default), catalogue total $TOTAL:" || echo "Without the search cache (CMQ_SEARCH_CACHE=0):"
  echo
  echo "| measure | path | first request (cold) | requests/s | p50 | p99 |"
  echo "|---|---|---:|---:|---:|---:|"
  measure "search q=mecanique (20 results)" "/api/v1/formations?q=mecanique"
  measure "facets, empty query" "/api/v1/formations"
  measure "one formation" "/api/v1/formations/$ID"
  measure "filtered list" "/api/v1/formations?niveau=5&statut=apprenti&region=84"
  measure "search page (HTML)" "/formations?q=mecanique"
  echo
  echo "Server memory after these runs: $(awk '/VmHWM/ {peak=$2} /VmRSS/ {rss=$2} END {printf "%d MB resident, peak %d MB", rss/1024, peak/1024}' /proc/$SERVER/status)"
  stop_server
done
