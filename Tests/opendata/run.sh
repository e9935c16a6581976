#!/usr/bin/env bash
# Open-data and exchange checks with the tools partners use (issue 15), against a real `cmq serve`:
# - every open dataset's CSV with `frictionless validate` against the Table Schema the server publishes beside it;
# - every GeoJSON file with the `geojson` package (RFC 7946 objects, valid coordinates, longitude first);
# - the LHEO 2.3 export of the demo catalogue with `xmllint --schema` and the official XSD
#   (Tests/CMQAppTests/Fixtures/lheo/lheo-2.3.xsd), as shipped (the demo's organisations carry invented SIRETs,
#   `DemoSIRET`); then, one responsible organisation's SIRET removed through the API, its formations are left out
#   (header CMQ-Formations-Omises, the file still valid) and an export of its formations alone is refused (409).
#
#   Tests/opendata/run.sh [PATH/TO/cmq]        (or CMQ_BIN=…; default: the debug build of this package; OPENDATA_PORT=…)
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${1:-${CMQ_BIN:-}}"
if [ -z "$BIN" ]; then BIN="$(swift build --show-bin-path)/cmq"; fi
[ -x "$BIN" ] || { echo "opendata: cmq binary not found at $BIN (build it first: swift build --product cmq)" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
XSD="$PWD/Tests/CMQAppTests/Fixtures/lheo/lheo-2.3.xsd"

python3 -c "import frictionless, geojson" 2>/dev/null || pip install -q frictionless geojson
if ! command -v xmllint >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq libxml2-utils >/dev/null
fi

NAME=opendata
DEMO_PORT="${OPENDATA_PORT:-}"  # OPENDATA_PORT chooses the port (a free one by default)
source Tests/support/demo-server.sh
start_demo_server "$BIN"

FAILED=0
fail() { echo "opendata: FAILED: $*" >&2; FAILED=1; }

# --- Every dataset: CSV against its schema (frictionless), GeoJSON with a validator.
DATASETS=$(curl -fsS "$BASE/api/v1/donnees/catalogue.jsonld" | python3 -c 'import json,sys; print(" ".join(d["dct:identifier"] for d in json.load(sys.stdin)["dcat:dataset"]))')
[ -n "$DATASETS" ] || fail "the DCAT catalogue lists no dataset"
for slug in $DATASETS; do
    curl -fsS -o "$WORK/$slug.csv" "$BASE/api/v1/donnees/$slug.csv" || fail "$slug.csv"
    curl -fsS -o "$WORK/$slug.schema.json" "$BASE/api/v1/donnees/$slug.schema.json" || fail "$slug.schema.json"
    rows=$(($(wc -l <"$WORK/$slug.csv") - 1))
    if (cd "$WORK" && frictionless validate "$slug.csv" --schema "$slug.schema.json" --dialect '{"delimiter": ";"}' >"$WORK/$slug.frictionless.txt" 2>&1); then
        echo "opendata: $slug.csv valid against its schema ($rows rows)"
    else
        cat "$WORK/$slug.frictionless.txt" | head -40 >&2
        fail "$slug.csv is not valid against $slug.schema.json"
    fi
    status=$(curl -sS -o "$WORK/$slug.geojson" -w '%{http_code}' "$BASE/api/v1/donnees/$slug.geojson")
    if [ "$status" = "200" ]; then
        if python3 - "$WORK/$slug.geojson" <<'PY'
import json, sys, geojson
with open(sys.argv[1], encoding="utf-8") as f:
    data = geojson.loads(f.read())
if not isinstance(data, geojson.FeatureCollection):
    sys.exit("not a FeatureCollection")
if not data.is_valid:
    sys.exit("invalid GeoJSON: %s" % data.errors())
for feature in data["features"]:
    lon, lat = feature["geometry"]["coordinates"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        sys.exit("coordinates out of range: %r" % feature["geometry"]["coordinates"])
    if not (-65 <= lon <= 56 and -22 <= lat <= 52):
        sys.exit("longitude and latitude swapped? %r is not in France or its overseas" % feature["geometry"]["coordinates"])
print("%d features" % len(data["features"]))
PY
        then echo "opendata: $slug.geojson valid (RFC 7946)"; else fail "$slug.geojson"; fi
    fi
done

# --- LHEO: the demo catalogue once its formations' organisations have a SIRET (test values).
# The dashboards' tables (issue 21): each CSV against the Table Schema served beside it, as the public sees them.
CAMPUS=$(curl -fsS "$BASE/api/v1/campus?q=metallurgie" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"].lower())')
for page in "/tableau-de-bord?indicateur=RES-01" "/tableau-de-bord?indicateur=PLA-03&filiere=materiaux-innovants" \
            "/regions/pays-de-la-loire/tableau-de-bord?indicateur=OFF-01" "/campus/$CAMPUS/tableau-de-bord"; do
    path="${page%%\?*}"; query="${page#"$path"}"
    tables=$(curl -fsS "$BASE$page" | grep -o "$path/donnees/[a-z-]*\.csv" | sed 's|.*/||; s|\.csv$||' | sort -u)
    [ -n "$tables" ] || fail "$page offers no CSV"
    for table in $tables; do
        name="tdb-$(echo "$path" | tr '/' '-')-$table"
        curl -fsS -o "$WORK/$name.csv" "$BASE$path/donnees/$table.csv$query" || fail "$page: $table.csv"
        curl -fsS -o "$WORK/$name.schema.json" "$BASE$path/donnees/$table.schema.json$query" || fail "$page: $table.schema.json"
        if (cd "$WORK" && frictionless validate "$name.csv" --schema "$name.schema.json" --dialect '{"delimiter": ";"}' >"$WORK/$name.frictionless.txt" 2>&1); then
            echo "opendata: $path $table.csv valid against its schema ($(($(wc -l <"$WORK/$name.csv") - 1)) rows)"
        else
            head -40 "$WORK/$name.frictionless.txt" >&2
            fail "$path: $table.csv is not valid against its schema"
        fi
    done
done

for query in "" "?q=bts"; do
    curl -fsS -o "$WORK/formations.lheo.xml" "$BASE/api/v1/formations.lheo.xml$query" || fail "formations.lheo.xml$query"
    count=$(grep -c "<formation " "$WORK/formations.lheo.xml" || true)
    if xmllint --noout --schema "$XSD" "$WORK/formations.lheo.xml" 2>"$WORK/xmllint.txt"; then
        echo "opendata: formations.lheo.xml$query valid against the LHEO 2.3 XSD ($count formations)"
    else
        echo "opendata: $(grep -c 'error' "$WORK/xmllint.txt") errors:" >&2; head -20 "$WORK/xmllint.txt" >&2
        fail "formations.lheo.xml$query is not valid LHEO 2.3"
    fi
done

# An organisation responsible for a formation loses its SIRET: LHEO, which requires it, leaves its formations out
# (and says so); an export of its formations alone is refused with a reason.
make_admin_token
curl -fsS -o "$WORK/formations.json" "$BASE/api/v1/formations.json"
OWNER=$(python3 - "$WORK/formations.json" "$BASE" "$TOKEN" <<'PY'
import json, sys, urllib.request
formations = json.load(open(sys.argv[1], encoding="utf-8"))
base, token = sys.argv[2], sys.argv[3]
formation = next(f for f in formations if not f.get("organisationResponsableId"))
owner = formation["organisation"]["id"].lower()
request = urllib.request.Request(f"{base}/api/v1/organisations/{owner}", method="PATCH", data=json.dumps({"siret": None}).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
urllib.request.urlopen(request).read()
print(owner)
PY
)
omitted=$(curl -fsS -D - -o "$WORK/partial.lheo.xml" "$BASE/api/v1/formations.lheo.xml" | tr -d '\r' | awk -F': ' 'tolower($1)=="cmq-formations-omises" {print $2}')
[ -n "$omitted" ] && [ "$omitted" -ge 1 ] || fail "the LHEO export should leave out the formations of an organisation without SIRET (CMQ-Formations-Omises: '$omitted')"
xmllint --noout --schema "$XSD" "$WORK/partial.lheo.xml" 2>"$WORK/xmllint.txt" || fail "the LHEO export without one organisation's formations is not valid LHEO 2.3"
echo "opendata: one organisation without SIRET: $omitted formation(s) left out, the file still valid"
status=$(curl -sS -o "$WORK/refused.json" -w '%{http_code}' "$BASE/api/v1/formations.lheo.xml?organisation=$OWNER")
[ "$status" = "409" ] || fail "the LHEO export of an organisation's formations without its SIRET should be refused (409), got $status"
grep -q "SIRET" "$WORK/refused.json" || fail "the LHEO refusal does not name the missing SIRET"

if [ "$FAILED" -ne 0 ]; then KEEP_WORK=1; echo "opendata: FAILED (total ${SECONDS}s)"; exit 1; fi
echo "opendata: passed (total ${SECONDS}s)"
