#!/usr/bin/env bash
# Booking writes per second, with and without conflicts, through the API of a release build.
#   Benchmarks/reservations.sh [sqlite|postgres] [seconds] [connections]
# Environment:
#   CMQ_BENCH_SCRATCH       a separate build folder for the release build (e.g. /tmp/cmq-release)
#   CMQ_BENCH_POSTGRES_URL  a PostgreSQL database to use; without it, a throwaway server is started (initdb + pg_ctl)
# `cmq bench plateau` creates a platform open at all hours without approval and a member account; wrk then
# posts bookings: each to its own slot ("sans conflits": every answer a 201, one booking written), or all to
# one slot already taken ("conflits": every answer a 409 naming the booking that holds it).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/postgres.sh
DB=${1:-sqlite}
DURATION=${2:-10}
CONNECTIONS=${3:-16}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

SCRATCH=()
[ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
swift build -c release --product cmq "${SCRATCH[@]}" >&2
BIN="$(swift build -c release --show-bin-path "${SCRATCH[@]}")/cmq"
DATA=$(mktemp -d /tmp/cmq-bench-reservations.XXXXXX)

SERVER=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; }
  bench_postgres_stop
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

if [ "$DB" = "postgres" ]; then
  bench_postgres_start
  URL=$BENCH_PG_URL
else
  URL="sqlite:$DATA/reservations.sqlite"
fi

(cd "$DATA" && LOG_LEVEL=error DATABASE_URL="$URL" "$BIN" migrate >&2)  # on PostgreSQL only `cmq migrate` changes the schema
read -r PLATEAU TOKEN < <(cd "$DATA" && LOG_LEVEL=error DATABASE_URL="$URL" CMQ_DEMO=0 "$BIN" bench plateau | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
(cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$URL" CMQ_DEMO=0 PORT=$PORT exec "$BIN" serve >"$DATA/serve.log" 2>&1) &
SERVER=$!
for _ in $(seq 1 120); do curl -fs "$BASE/api/v1/referentiels/filieres" >/dev/null 2>&1 && break; sleep 1; done

count() { curl -fs -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/reservations?plateau=$PLATEAU&per=1" | python3 -c 'import sys, json; print(json.load(sys.stdin)["total"])'; }

run() {
  local label=$1 mode=$2 before after out rps p50 p99 non2xx
  before=$(count)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/reservations.lua "$BASE" -- "$mode" "$PLATEAU" "$TOKEN" 2)
  after=$(count)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  echo "| $label | $rps | $p50 | $p99 | $((after - before)) | ${non2xx:-0} |"
}

echo "cmq release build, $DB, $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s, POST /api/v1/reservations ($(date -u +%Y-%m-%d))"
echo
echo "| requests | requests/s | p50 | p99 | bookings written | 409 answers |"
echo "|---|---:|---:|---:|---:|---:|"
run "sans conflits (each its own slot)" sans-conflits
# The slot every "conflits" request asks for is taken first.
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -d "{\"plateauId\":\"$PLATEAU\",\"debut\":\"2030-01-01T00:00\",\"fin\":\"2030-01-01T00:59\",\"objet\":\"formation\",\"participants\":1}" "$BASE/api/v1/reservations" || true
run "conflits (all for one taken slot)" conflits
echo
echo "Server memory: $(awk '/VmHWM/ {peak=$2} /VmRSS/ {rss=$2} END {printf "%d MB resident, peak %d MB", rss/1024, peak/1024}' /proc/$SERVER/status)"
