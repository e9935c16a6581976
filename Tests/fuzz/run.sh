#!/usr/bin/env bash
# OpenAPI fuzzing of cmq's JSON API with schemathesis (issue 12, "a fuzzer in CI").
#
# Starts `cmq serve` on a throwaway SQLite database with the demo data, signs in as the demo national
# administrator and creates an API token through the account page, then runs schemathesis against
# /api/v1/openapi.json twice: anonymously, then with the administrator's token, every check enabled.
# Fails (non-zero exit) on any 5xx, any response or request outside the document, or if the server died.
# Tests/fuzz/schemathesis.toml lists the few rules the document cannot state (check keys, pairs of fields,
# references to existing records), where a 422 is an acceptable answer to a schema-valid request.
#
#   Tests/fuzz/run.sh [PATH/TO/cmq]        (or CMQ_BIN=…; default: the debug build of this package)
#
# Bounds: FUZZ_MAX_EXAMPLES (per operation and phase, default 20) and FUZZ_MAX_TIME (seconds per run,
# default 150: the step stays under about six minutes with the server's start). FUZZ_SEED (default 1) fixes the seed; FUZZ_SEED=random draws a new one.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN="${1:-${CMQ_BIN:-}}"
if [ -z "$BIN" ]; then BIN="$(swift build --show-bin-path)/cmq"; fi
[ -x "$BIN" ] || { echo "fuzz: cmq binary not found at $BIN (build it first: swift build --product cmq)" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-20}"
MAX_TIME="${FUZZ_MAX_TIME:-150}"

if ! python3 -c "import schemathesis" 2>/dev/null || ! command -v schemathesis >/dev/null 2>&1; then
    echo "fuzz: installing schemathesis"
    pip install -q schemathesis
fi

WORK=$(mktemp -d /tmp/cmq-fuzz.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
PASSWORD="fuzz-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ADMIN="administrateur@cmq.test"
SERVER_PID=""

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "${KEEP_WORK:-0}" = "1" ]; then echo "fuzz: server log and reports kept in $WORK"; else rm -rf "$WORK"; fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

server_alive() { kill -0 "$SERVER_PID" 2>/dev/null; }

echo "fuzz: starting $BIN serve on $BASE (SQLite in $WORK)"
(cd "$WORK" && exec env DATABASE_URL="sqlite:$WORK/cmq.sqlite" HOST=127.0.0.1 PORT="$PORT" LOG_LEVEL=warning \
    CMQ_DEMO=true CMQ_DEMO_PASSWORD="$PASSWORD" "$BIN" serve >"$WORK/serve.log" 2>&1) &
SERVER_PID=$!
deadline=$((SECONDS + 300))
until curl -fsS -o /dev/null "$BASE/api/v1/openapi.json" 2>/dev/null; do
    if ! server_alive; then echo "fuzz: cmq serve stopped before answering:" >&2; tail -40 "$WORK/serve.log" >&2; KEEP_WORK=1; exit 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then echo "fuzz: cmq serve did not answer within 300 s" >&2; KEEP_WORK=1; exit 1; fi
    sleep 0.5
done
echo "fuzz: server up after ${SECONDS}s"

# --- An administrator's API token, made as a person would: sign in, then "Créer un jeton" on /compte.
JAR="$WORK/cookies"
csrf_of() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }
curl -fsS -c "$JAR" -b "$JAR" -o "$WORK/connexion.html" "$BASE/connexion"
curl -sS -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' "$BASE/connexion" \
    --data-urlencode "_csrf=$(csrf_of "$WORK/connexion.html")" --data-urlencode "email=$ADMIN" \
    --data-urlencode "motDePasse=$PASSWORD" --data-urlencode "retour=/compte" >"$WORK/login.status"
[ "$(cat "$WORK/login.status")" = "303" ] || { echo "fuzz: sign-in as $ADMIN failed (HTTP $(cat "$WORK/login.status"))" >&2; KEEP_WORK=1; exit 1; }
curl -fsS -c "$JAR" -b "$JAR" -o "$WORK/compte.html" "$BASE/compte"
curl -sS -c "$JAR" -b "$JAR" -o "$WORK/jeton.html" "$BASE/compte/jetons" \
    --data-urlencode "_csrf=$(csrf_of "$WORK/compte.html")" --data-urlencode "nom=fuzz"
TOKEN=$(sed -n 's/.*<code class="token">\([^<]*\)<\/code>.*/\1/p' "$WORK/jeton.html" | head -1)
[ -n "$TOKEN" ] || { echo "fuzz: no API token on the account page" >&2; KEEP_WORK=1; exit 1; }
curl -fsS -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/dossiers" \
    || { echo "fuzz: the new token is refused by the API" >&2; KEEP_WORK=1; exit 1; }
echo "fuzz: administrator token ${TOKEN:0:8}… created"

# --- schemathesis, anonymous then as the administrator.
run_schemathesis() {
    local name="$1"; shift
    local started=$SECONDS status
    local args=(--config-file "$PWD/Tests/fuzz/schemathesis.toml" run "$BASE/api/v1/openapi.json" --checks all --exclude-checks ensure_resource_availability --max-examples "$MAX_EXAMPLES" --max-time "$MAX_TIME"
                --workers 1 --request-timeout 20 --generation-database none --no-color
                --report junit --report-junit-path "$WORK/junit-$name.xml")
    # A fixed seed by default, so that a red run in CI is a regression to replay, not a new draw; exploring is
    # FUZZ_SEED=random (or any other number).
    local seed="${FUZZ_SEED:-1}"
    [ "$seed" != "random" ] && args+=(--seed "$seed")
    echo
    echo "== fuzz ($name): schemathesis ${args[*]} ${*//$TOKEN/cmq_…}"
    set +e
    # From the throwaway folder, so that schemathesis's cache (.schemathesis/) stays out of the repository.
    (cd "$WORK" && schemathesis "${args[@]}" "$@") 2>&1 | tee "$WORK/schemathesis-$name.log"
    status=${PIPESTATUS[0]}
    set -e
    RESULTS+=("$name: schemathesis exit $status in $((SECONDS - started)) s")
    [ "$status" -eq 0 ] || FAILED=1
    if ! server_alive; then
        RESULTS+=("$name: cmq serve DIED during the run")
        FAILED=1
    fi
}

RESULTS=()
FAILED=0
run_schemathesis anonymous
if server_alive; then run_schemathesis administrateur -H "Authorization: Bearer $TOKEN"
else RESULTS+=("administrateur: not run (the server is dead)"); fi

if grep -qE "Fatal error|Illegal instruction|Segmentation fault|Swift runtime failure" "$WORK/serve.log"; then
    RESULTS+=("cmq serve log shows a crash:")
    RESULTS+=("$(grep -E -m3 "Fatal error|Illegal instruction|Segmentation fault|Swift runtime failure" "$WORK/serve.log")")
    FAILED=1
fi

echo
echo "== fuzz summary"
printf '  %s\n' "${RESULTS[@]}"
if [ "$FAILED" -ne 0 ]; then
    if ! grep -qE "Fatal error|Program crashed" "$WORK/serve.log"; then
        echo "  last lines of the server log:"; tail -15 "$WORK/serve.log" | sed 's/^/    /'
    fi
    echo "  schemathesis logs, JUnit reports and the server log: $WORK"
    echo "fuzz: FAILED (total ${SECONDS}s)"
    KEEP_WORK=1
    exit 1
fi
echo "fuzz: passed (total ${SECONDS}s)"
