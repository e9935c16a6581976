#!/usr/bin/env bash
# Measures `cmq export formations` on a catalogue of national size: time and peak memory (GNU time's maximum
# resident set size) of each format, written to a file.
#   Benchmarks/export.sh [debug|release] [formations]
# Environment:
#   CMQ_BENCH_SCRATCH   a separate build folder for the release build (e.g. /tmp/cmq-release)
#   CMQ_BENCH_DATA      where the seeded SQLite database is kept between runs (default /tmp/cmq-bench-export)
# The catalogue is seeded once with `cmq bench seed --formations N` (the demo data first) into a scratch SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-debug}
FORMATIONS=${2:-200000}
DATA=${CMQ_BENCH_DATA:-/tmp/cmq-bench-export}
SCRATCH=()
[ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
swift build -c "$CONFIG" --product cmq "${SCRATCH[@]}" >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path "${SCRATCH[@]}")/cmq"
mkdir -p "$DATA"
export DATABASE_URL="sqlite:$DATA/catalogue-$FORMATIONS.sqlite" LOG_LEVEL=warning CMQ_DEMO_PASSWORD=bench-export
"$BIN" bench seed --formations "$FORMATIONS" >&2
echo "| format | formations | seconds | peak memory (MB) | file (MB) |"
echo "|---|---:|---:|---:|---:|"
# LHEO is left out: the seeded organisations (the demo's) have no SIRET, which LHEO requires (the export is a 409).
for format in csv json; do
    out="$DATA/formations.$format"
    /usr/bin/time -f "%e %M" -o "$DATA/time.txt" "$BIN" export formations --format "$format" --sortie "$out" >/dev/null 2>"$DATA/export.log" || { cat "$DATA/export.log" >&2; }
    read -r seconds kilobytes <"$DATA/time.txt"
    printf '| %s | %s | %s | %d | %.1f |\n' "$format" "$FORMATIONS" "$seconds" "$((kilobytes / 1024))" "$(echo "$(stat -c %s "$out") / 1000000" | bc -l)"
done
