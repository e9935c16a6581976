#!/usr/bin/env bash
# The catalogue on a varied workload, beside Datasette on the same data in the same run.
#   Benchmarks/catalogue-varied.sh [seconds per case] [connections]
# Environment:
#   CMQ_BENCH_DBS           the databases of cmq to measure (default "sqlite postgres")
#   CMQ_BENCH_BIN           a cmq binary already built (default: swift build -c release, in CMQ_BENCH_SCRATCH if set)
#   CMQ_BENCH_SCRATCH       a separate build folder for the release build (e.g. .build-release)
#   CMQ_BENCH_FORMATIONS    size of the catalogue (default 200000)
#   CMQ_BENCH_DATA          where the seeded databases and the workload are kept between runs (default /tmp/cmq-bench-varied)
#   CMQ_BENCH_POSTGRES_URL  a PostgreSQL database to use; without it, a throwaway server is started (initdb + pg_ctl)
#   CMQ_BENCH_PORT          the port of the servers measured (default: a free one); PostgreSQL's throwaway server takes the next
# Every request is a different one (Benchmarks/urls.lua cycles through a list of paths, see
# Benchmarks/catalogue_workload.py): 1,200 searches from the catalogue's own words (words, pairs, prefixes,
# typos), the 288 level x filiere x status filters, the search page for the same searches, 2,000 formations.
# cmq is measured with its result cache off (CMQ_SEARCH_CACHE=0: the search itself) and on; Datasette 0.65.5
# serves the same formations (an FTS5 table with cmq's tokenizer, the seven facets that are columns).
# One repeated URL is reported only as "cache hit". wrk -t2; the server's memory is read from /proc.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
CONNECTIONS=${2:-16}
DBS=${CMQ_BENCH_DBS:-sqlite postgres}
FORMATIONS=${CMQ_BENCH_FORMATIONS:-200000}
DATA=${CMQ_BENCH_DATA:-/tmp/cmq-bench-varied}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
command -v datasette >/dev/null || { echo "datasette is needed: pip install datasette==0.65.5" >&2; exit 1; }
PORT=${CMQ_BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}
[ -n "${CMQ_BENCH_PORT:-}" ] && export CMQ_BENCH_PG_PORT=$((PORT + 1))
. Benchmarks/postgres.sh
BASE="http://127.0.0.1:$PORT"

if [ -n "${CMQ_BENCH_BIN:-}" ]; then
  BIN=$CMQ_BENCH_BIN
else
  SCRATCH=()
  [ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
  swift build -c release --product cmq "${SCRATCH[@]}" >&2
  BIN="$(swift build -c release --show-bin-path "${SCRATCH[@]}")/cmq"
fi
mkdir -p "$DATA"
WORK=$DATA/workload

SERVER=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; }
  bench_postgres_stop
}
trap cleanup EXIT INT TERM

seed() {
  (cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$1" "$BIN" migrate >&2)  # on PostgreSQL only `cmq migrate` changes the schema
  (cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$1" CMQ_DEMO_PASSWORD=benchmark-password "$BIN" bench seed --formations "$FORMATIONS" >&2)
}

# The vocabulary and Datasette's copy come from the SQLite catalogue (the same seed gives PostgreSQL the same rows).
echo "Seeding the catalogue to $FORMATIONS formations (SQLite)…" >&2
seed "sqlite:$DATA/catalogue.sqlite"
python3 Benchmarks/catalogue_workload.py "$DATA/catalogue.sqlite" "$WORK"

declare -A CELL
# measure KEY PATHS-FILE: wrk through the paths; CELL[KEY]="req/s|p50|p99|errors"
measure() {
  local out rps p50 p99 errors
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s Benchmarks/urls.lua "$BASE" -- "$2")
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  # Non-2xx answers and socket errors (connect, read, write, timeout).
  errors=$(echo "$out" | awk '/Non-2xx/ {n += $5} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}')
  CELL[$1]="$rps|$p50|$p99|$errors"
  echo "  $1: $rps req/s, p50 $p50, p99 $p99, $errors errors" >&2
}

wait_for() {
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$BASE$1" 2>/dev/null && return; sleep 1; done
  echo "the server did not start" >&2; exit 1
}

stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

CASES="search filters page one"
for db in $DBS; do
  if [ "$db" = "postgres" ]; then
    bench_postgres_start
    URL=$BENCH_PG_URL
    echo "Seeding the catalogue to $FORMATIONS formations (PostgreSQL)…" >&2
    seed "$URL"
    # Its formations have ids of their own: the "one formation" paths come from it.
    psql "$URL" -Atc "SELECT '/api/v1/formations/' || id FROM formations ORDER BY md5(id::text) LIMIT 2000" > "$WORK/one-cmq-postgres.txt"
  else
    URL="sqlite:$DATA/catalogue.sqlite"
  fi
  for cache in 0 1; do
    (cd "$DATA" && LOG_LEVEL=warning DATABASE_URL="$URL" PORT=$PORT CMQ_SEARCH_CACHE=$cache exec "$BIN" serve >"$DATA/serve.log" 2>&1) &
    SERVER=$!
    # The first search loads the in-memory index: its time is the start, not a search.
    started=$(date +%s.%N)
    wait_for "/api/v1/formations?per=1"
    echo "$db, cache $cache: ready (index loaded) in $(echo "$(date +%s.%N) - $started" | bc | xargs printf '%.1f') s" >&2
    for case in $CASES; do
      paths=$WORK/$case-cmq.txt
      [ -f "$WORK/$case-cmq-$db.txt" ] && paths=$WORK/$case-cmq-$db.txt
      measure "$db-$cache-$case" "$paths"
    done
    if [ $cache = 1 ]; then
      echo "/api/v1/formations?niveau=5&filiere=materiaux-innovants&statut=apprenti" > "$WORK/hit-cmq.txt"
      measure "$db-1-hit" "$WORK/hit-cmq.txt"
    fi
    CELL[$db-$cache-memory]=$(awk '/VmHWM/ {peak=$2} /VmRSS/ {rss=$2} END {printf "%d MB, peak %d MB", rss/1024, peak/1024}' /proc/$SERVER/status)
    stop_server
  done
  [ "$db" = "postgres" ] && bench_postgres_stop
done

echo "Datasette on the same formations…" >&2
datasette serve "$WORK/datasette.db" --host 127.0.0.1 --port "$PORT" --setting facet_time_limit_ms 10000 \
  --setting sql_time_limit_ms 10000 --setting suggest_facets off >"$DATA/datasette.log" 2>&1 &
SERVER=$!
wait_for "/datasette/formations.json?_size=1"
for case in $CASES; do measure "datasette-$case" "$WORK/$case-datasette.txt"; done
CELL[datasette-memory]=$(awk '/VmHWM/ {peak=$2} /VmRSS/ {rss=$2} END {printf "%d MB, peak %d MB", rss/1024, peak/1024}' /proc/$SERVER/status)
stop_server

cell() {
  local value=${CELL[$1]:-}
  [ -z "$value" ] && { echo "–"; return; }
  IFS='|' read -r rps p50 p99 errors <<<"$value"
  echo "$rps (p50 $p50, p99 $p99)$([ "${errors:-0}" != 0 ] && echo ", $errors errors")"
}
ratio() {
  local a=${CELL[$1]:-} b=${CELL[$2]:-}
  [ -z "$a" ] || [ -z "$b" ] && { echo "–"; return; }
  echo "${a%%|*} ${b%%|*}" | awk '{ if ($2 > 0) printf "**%.1f×**", $1 / $2; else print "–" }'
}

echo
echo "cmq $(basename "$(dirname "$BIN")") build, $(nproc) cores, $FORMATIONS formations, wrk -t2 -c$CONNECTIONS -d${DURATION}s, each request a different one ($(date -u +%Y-%m-%d))"
echo
header="| case | Datasette 0.65.5 (7 facets) |"
rule="|---|---:|"
for db in $DBS; do
  header+=" cmq $db, cache off | cmq ÷ Datasette | cmq $db, cache on |"
  rule+="---:|---:|---:|"
done
echo "$header"
echo "$rule"
declare -A LABEL=([search]="search, 20 results + 8 facets + total (API), 1,200 queries" [filters]="filtered list + 8 facets (API), 288 filters"
                  [page]="search page (HTML), 1,200 queries" [one]="one formation (API), 2,000 ids")
for case in $CASES; do
  row="| ${LABEL[$case]} | $(cell datasette-$case) |"
  for db in $DBS; do row+=" $(cell $db-0-$case) | $(ratio $db-0-$case datasette-$case) | $(cell $db-1-$case) |"; done
  echo "$row"
done
row="| cache hit (one repeated URL) | – |"
for db in $DBS; do row+=" – | – | $(cell $db-1-hit) |"; done
echo "$row"
row="| server memory after the runs | ${CELL[datasette-memory]} |"
for db in $DBS; do row+=" ${CELL[$db-0-memory]} | | ${CELL[$db-1-memory]} |"; done
echo "$row"
