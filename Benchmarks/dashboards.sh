#!/usr/bin/env bash
# Measures how fast cmq serves its dashboards (issue 21) on the demo data, with wrk.
#   Benchmarks/dashboards.sh [debug|release] [seconds per page] [connections]
# Starts `cmq serve` on a temporary SQLite database (the demo data loads on first start) and a free loopback
# port, runs wrk against the national, région and campus dashboards, a CSV download and an API twin, prints a
# Markdown table, stops cmq. The national dashboard computes its indicator, the coverage gaps and the
# mutualisation for every campus kept by the filters; the instance keeps each campus's computed values for
# CMQ_INDICATEURS_CACHE seconds (60 by default; run with CMQ_INDICATEURS_CACHE=0 to measure the computation).
# The last line is a varied workload: the national dashboard for every public indicator of the catalogue ×
# every filière filter, each request the next one (Benchmarks/urls.lua).
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-release}
DURATION=${2:-10}
CONNECTIONS=${3:-1}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

SCRATCH=()
[ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
swift build -c "$CONFIG" --product cmq "${SCRATCH[@]}" >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path "${SCRATCH[@]}")/cmq"
WORK=$(mktemp -d /tmp/cmq-bench-dashboards.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
(cd "$WORK" && LOG_LEVEL=warning DATABASE_URL="sqlite:$WORK/bench.sqlite" PORT=$PORT exec "$BIN" serve >"$WORK/serve.log" 2>&1) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 300); do curl -fs "$BASE/" >/dev/null 2>&1 && break; sleep 1; done

CAMPUS=$(curl -fs "$BASE/api/v1/campus?q=metallurgie" | python3 -c 'import sys, json; print(json.load(sys.stdin)["items"][0]["id"].lower())')
PAGES=(
  "/tableau-de-bord"
  "/tableau-de-bord?indicateur=PLA-01"
  "/tableau-de-bord?indicateur=RES-01&filiere=materiaux-innovants"
  "/regions/pays-de-la-loire/tableau-de-bord?indicateur=RES-01"
  "/campus/$CAMPUS/tableau-de-bord"
  "/tableau-de-bord/donnees/labels-annee.csv"
  "/api/v1/tableaux-de-bord/national?indicateur=RES-01"
)
echo "cmq $CONFIG build, $(nproc) cores, wrk -t1 -c$CONNECTIONS -d${DURATION}s, demo data, CMQ_INDICATEURS_CACHE=${CMQ_INDICATEURS_CACHE:-60} ($(date -u +%Y-%m-%d), load $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "| page | requests/s | p50 | p90 | p99 |"
echo "|---|---:|---:|---:|---:|"
for page in "${PAGES[@]}"; do
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency "$BASE$page")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p90=$(echo "$out" | awk '$1=="90%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  label=$page
  [ "$page" = "/campus/$CAMPUS/tableau-de-bord" ] && label="/campus/{id}/tableau-de-bord (Métallurgie et plasturgie)"
  echo "| \`$label\` | $rps | $p50 | $p90 | $p99 |"
done

# The varied workload: every public indicator × (no filière, each filière).
curl -fs "$BASE/api/v1/indicateurs" | python3 -c '
import sys, json
data = json.load(sys.stdin)
items = data
codes = [i["code"] for i in items if i["public"]]
filieres = [""] + ["&filiere=" + f for f in sys.argv[1:]]
for f in filieres:
    for code in codes:
        print("/tableau-de-bord?indicateur=" + code + f)
' $(curl -fs "$BASE/api/v1/referentiels/filieres" | python3 -c 'import sys, json; print(" ".join(x["slug"] for x in json.load(sys.stdin)))') >"$WORK/national.txt"
out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s Benchmarks/urls.lua "$BASE" -- "$WORK/national.txt")
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$out" | awk '$1=="50%" {print $2}')
p90=$(echo "$out" | awk '$1=="90%" {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
echo "| national, varied: $(wc -l <"$WORK/national.txt") addresses (every public indicator × every filière filter) | $rps | $p50 | $p90 | $p99 |"
