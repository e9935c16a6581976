#!/usr/bin/env bash
# Measures how fast cmq serves its pages on the demo data, with wrk.
#   Benchmarks/pages.sh [debug|release] [seconds per page] [connections]
# Starts `cmq serve` on a temporary SQLite database (the demo data loads on first start) and a free
# loopback port, runs wrk against each page (2 threads, 8 connections), prints a Markdown table, stops cmq.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-release}
DURATION=${2:-10}
CONNECTIONS=${3:-8}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

# CMQ_BENCH_SCRATCH: a separate build folder (a release build next to the debug one of development).
SCRATCH=()
[ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
swift build -c "$CONFIG" --product cmq "${SCRATCH[@]}" >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path "${SCRATCH[@]}")/cmq"
WORK=$(mktemp -d /tmp/cmq-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
(cd "$WORK" && LOG_LEVEL=warning DATABASE_URL="sqlite:$WORK/bench.sqlite" PORT=$PORT exec "$BIN" serve >"$WORK/serve.log" 2>&1) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do curl -fs "$BASE/" >/dev/null 2>&1 && break; sleep 1; done

CAMPUS=$(curl -fs "$BASE/api/v1/campus?q=metallurgie" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"].lower())')
ORGANISATION=$(curl -fs "$BASE/api/v1/organisations?uai=0020079A" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"].lower())')
PAGES=(
  "/"
  "/?filiere=materiaux-innovants"
  "/campus"
  "/campus?filiere=batiment-eco-construction"
  "/regions/pays-de-la-loire"
  "/campus/$CAMPUS"
  "/organisations/$ORGANISATION"
  "/api/v1/campus"
  "/api/v1/organisations?q=lycee%20condorcet"
  "/css/cmq.css"
)
echo "cmq $CONFIG build, $(nproc) cores, wrk -t$(( CONNECTIONS < 2 ? 1 : 2 )) -c$CONNECTIONS -d${DURATION}s, demo data ($(date -u +%Y-%m-%d))"
echo
echo "| page | requests/s | p50 | p90 | p99 |"
echo "|---|---:|---:|---:|---:|"
for page in "${PAGES[@]}"; do
  out=$(wrk -t$(( CONNECTIONS < 2 ? 1 : 2 )) -c"$CONNECTIONS" -d"${DURATION}s" --latency "$BASE$page")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p90=$(echo "$out" | awk '$1=="90%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  label=$page
  [ "$page" = "/campus/$CAMPUS" ] && label="/campus/{id} (Métallurgie et plasturgie)"
  [ "$page" = "/organisations/$ORGANISATION" ] && label="/organisations/{id} (lycée Condorcet)"
  echo "| \`$label\` | $rps | $p50 | $p90 | $p99 |"
done
