#!/usr/bin/env bash
# A formation import beside the live site: how long the import takes, and how long the site's writes wait meanwhile.
#   Benchmarks/import.sh [sqlite|postgres] [lines] [new|update|refresh|same]
# Environment:
#   CMQ_BENCH_CONFIGURATION  debug or release (default release)
#   CMQ_BENCH_SCRATCH        a separate build folder (e.g. /tmp/cmq-release)
#   CMQ_BENCH_POSTGRES_URL   a PostgreSQL database to use; without it, a throwaway server is started (initdb + pg_ctl)
#   CMQ_BENCH_BIN            a cmq executable to measure instead of building one (e.g. an older version, to compare)
# The demo data set is loaded, its catalogue exported as cmq's CSV (`/api/v1/formations.csv`) and repeated with
# fresh identifiers up to the number of lines. `cmq serve` runs; while `cmq import formations` runs beside it, a
# member account creates a formation through the API every 200 ms (the site's catalogue writes wait for an
# import's write lock on SQLite, and for its catalogue-version row on PostgreSQL). Prints the import's time and
# the site writes' latencies and statuses. With `update`, `refresh` or `same`, the file is imported once before,
# unmeasured; the measured import is then the catalogue's yearly refresh: `update`, every line with a longer
# description (each formation changes, its full-text entry too); `refresh`, one line in ten so; `same`, the same file
# again (nothing changes, nothing is written).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/postgres.sh
DB=${1:-sqlite}
LINES=${2:-6000}
KIND=${3:-new}
CONFIGURATION=${CMQ_BENCH_CONFIGURATION:-release}

if [ -n "${CMQ_BENCH_BIN:-}" ]; then
  BIN=$CMQ_BENCH_BIN
else
  SCRATCH=()
  [ -n "${CMQ_BENCH_SCRATCH:-}" ] && SCRATCH=(--scratch-path "$CMQ_BENCH_SCRATCH")
  swift build -c "$CONFIGURATION" --product cmq "${SCRATCH[@]}" >&2
  BIN="$(swift build -c "$CONFIGURATION" --show-bin-path "${SCRATCH[@]}")/cmq"
fi
DATA=$(mktemp -d /tmp/cmq-bench-import.XXXXXX)

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
  URL="sqlite:$DATA/import.sqlite"
fi
export DATABASE_URL="$URL" LOG_LEVEL=error CMQ_DEMO_PASSWORD=bench-import

echo "Loading the demo data…" >&2
(cd "$DATA" && "$BIN" migrate >&2)  # on PostgreSQL only `cmq migrate` changes the schema (and `cmq demo` waits for it)
(cd "$DATA" && "$BIN" demo >/dev/null)
read -r PLATEAU TOKEN < <(cd "$DATA" && CMQ_DEMO=0 "$BIN" bench plateau | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
(cd "$DATA" && LOG_LEVEL=warning CMQ_DEMO=0 PORT=$PORT exec "$BIN" serve >"$DATA/serve.log" 2>&1) &
SERVER=$!
for _ in $(seq 1 120); do curl -fs "$BASE/api/v1/referentiels/filieres" >/dev/null 2>&1 && break; sleep 1; done

# The file: the demo catalogue as exported, repeated with fresh identifiers.
curl -fs "$BASE/api/v1/formations.csv" -o "$DATA/demo.csv"
# `changed.csv`: the same formations, each description lengthened (`refresh.csv`: one in ten).
python3 - "$DATA/demo.csv" "$DATA/import.csv" "$LINES" "$DATA/changed.csv" "$DATA/refresh.csv" <<'PY'
import sys, uuid
source, target, count, changed, refresh = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
lines = open(source, encoding="utf-8-sig", newline="").read().split("\r\n")
header, rows = lines[0], [line for line in lines[1:] if line]
description = header.split(";").index("description")
with open(target, "w", encoding="utf-8") as out, open(changed, "w", encoding="utf-8") as every, open(refresh, "w", encoding="utf-8") as tenth:
    for file in (out, every, tenth):
        file.write(header + "\n")
    for index in range(count):
        fields = rows[index % len(rows)].split(";")
        fields[0] = str(uuid.uuid4())
        same = ";".join(fields) + "\n"
        out.write(same)
        fields[description] = (fields[description] + " " if fields[description] else "") + "Rentrée 2027."
        every.write(";".join(fields) + "\n")
        tenth.write(";".join(fields) + "\n" if index % 10 == 0 else same)
PY
ORGANISATION=$(curl -fs "$BASE/api/v1/plateaux/$PLATEAU" | python3 -c 'import sys, json; print(json.load(sys.stdin)["organisationId"])')

MEASURED=import.csv
if [ "$KIND" != "new" ]; then
  echo "First import of the file (not measured)…" >&2
  (cd "$DATA" && "$BIN" import formations import.csv --format csv | tail -1 >&2)
fi
if [ "$KIND" = "update" ]; then MEASURED=changed.csv; fi
if [ "$KIND" = "refresh" ]; then MEASURED=refresh.csv; fi
echo "cmq $CONFIGURATION build, $DB, $(nproc) cores, import of $LINES lines ($KIND formations, $(( $(grep -c . "$DATA/demo.csv") - 1 )) demo formations repeated) beside cmq serve ($(date -u +%Y-%m-%d))"
python3 - "$BASE" "$TOKEN" "$ORGANISATION" "$BIN" "$DATA" "$LINES" "$MEASURED" <<'PY'
import json, subprocess, sys, threading, time, urllib.request, urllib.error
base, token, organisation, binary, data, lines, measured = sys.argv[1:6] + [int(sys.argv[6]), sys.argv[7]]

def site_write(index):
    body = json.dumps({"intitule": f"Formation du site {index}", "organisationId": organisation, "typeDiplome": "cap", "statuts": ["scolaire"]}).encode()
    request = urllib.request.Request(base + "/api/v1/formations", data=body, method="POST",
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except Exception as error:
        status = type(error).__name__
    return time.monotonic() - start, status

results, done = [], threading.Event()
def writer():
    index = 0
    while not done.is_set():
        results.append(site_write(index))
        index += 1
        time.sleep(0.2)

baseline = [site_write(-i)[0] for i in range(1, 6)]
thread = threading.Thread(target=writer)
thread.start()
start = time.monotonic()
process = subprocess.run([binary, "import", "formations", data + "/" + measured, "--format", "csv"], cwd=data,
                         capture_output=True, text=True)
elapsed = time.monotonic() - start
done.set()
thread.join()
summary = [line for line in process.stdout.splitlines() + process.stderr.splitlines() if "Import" in line]
latencies = sorted(latency for latency, _ in results)
statuses = {}
for _, status in results:
    statuses[status] = statuses.get(status, 0) + 1
print(f"import: exit {process.returncode}, {elapsed:.1f} s ({elapsed * 1000 / lines:.1f} ms a line); {summary[-1] if summary else process.stderr[-500:]}")
print(f"site writes before the import: median {sorted(baseline)[2] * 1000:.0f} ms")
print(f"site writes during the import: {len(results)}, statuses {statuses}, median {latencies[len(latencies) // 2] * 1000:.0f} ms, "
      f"max {latencies[-1] * 1000:.0f} ms")
PY
