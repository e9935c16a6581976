#!/usr/bin/env bash
# Measures `cmq export formations` on a catalogue of national size: time and peak memory (GNU time's maximum
# resident set size) of each format (CSV, JSON, LHEO), written to a file.
#   Benchmarks/export.sh [debug|release] [formations] [sqlite|postgres]
# Environment:
#   CMQ_BENCH_SCRATCH       a separate build folder for the release build (e.g. /tmp/cmq-release)
#   CMQ_BENCH_BIN           a cmq executable to measure instead of building one (e.g. an older version, to compare)
#   CMQ_BENCH_DATA          where the seeded SQLite database and the files are kept between runs (default /tmp/cmq-bench-export)
#   CMQ_BENCH_POSTGRES_URL  for postgres: a database to use (seeded once); without it, a throwaway server is started
#                           (initdb + pg_ctl) and seeded for the run
# The catalogue is seeded once with `cmq bench seed --formations N` (the demo data first: its organisations have
# invented SIRETs, so that LHEO, which requires the responsible organisation's SIRET, exports every formation).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/postgres.sh
CONFIG=${1:-debug}
FORMATIONS=${2:-200000}
DB=${3:-sqlite}
DATA=${CMQ_BENCH_DATA:-/tmp/cmq-bench-export}
if [ -n "${CMQ_BENCH_BIN:-}" ]; then
  BIN=$CMQ_BENCH_BIN
else
  SCRATCH=()
  [ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
  swift build -c "$CONFIG" --product cmq "${SCRATCH[@]}" >&2
  BIN="$(swift build -c "$CONFIG" --show-bin-path "${SCRATCH[@]}")/cmq"
fi
mkdir -p "$DATA"
trap bench_postgres_stop EXIT INT TERM
if [ "$DB" = "postgres" ]; then
  bench_postgres_start
  export DATABASE_URL=$BENCH_PG_URL
  (cd "$DATA" && LOG_LEVEL=warning "$BIN" migrate >&2)  # on PostgreSQL only `cmq migrate` changes the schema
else
  export DATABASE_URL="sqlite:$DATA/catalogue-$FORMATIONS.sqlite"
fi
export LOG_LEVEL=warning CMQ_DEMO_PASSWORD=bench-export
(cd "$DATA" && "$BIN" bench seed --formations "$FORMATIONS" >&2)
echo "cmq export formations, $DB, $FORMATIONS formations ($(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "| format | formations | seconds | peak memory (MB) | file (MB) |"
echo "|---|---:|---:|---:|---:|"
for format in csv json lheo; do
  out="$DATA/formations-$DB.$format"
  /usr/bin/time -f "%e %M" -o "$DATA/time.txt" "$BIN" export formations --format "$format" --sortie "$out" >/dev/null 2>"$DATA/export.log" || { cat "$DATA/export.log" >&2; }
  read -r seconds kilobytes <"$DATA/time.txt"
  printf '| %s | %s | %s | %d | %.1f |\n' "$format" "$FORMATIONS" "$seconds" "$((kilobytes / 1024))" "$(echo "$(stat -c %s "$out") / 1000000" | bc -l)"
done
echo "(load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg))"
