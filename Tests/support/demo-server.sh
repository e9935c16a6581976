# Sourced by Tests/fuzz/run.sh and Tests/opendata/run.sh: a real `cmq serve` on a throwaway SQLite database with
# the demo data, and an administrator's API token made as a person would (sign in, « Créer un jeton » on /compte).
#
#   NAME=fuzz; source Tests/support/demo-server.sh; start_demo_server "$BIN"; make_admin_token   # sets TOKEN
#
# Sets WORK (removed at exit unless KEEP_WORK=1), PORT (DEMO_PORT or a free one), BASE, PASSWORD, ADMIN, SERVER_PID.

WORK=$(mktemp -d "/tmp/cmq-$NAME.XXXXXX")
PORT="${DEMO_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}"
BASE="http://127.0.0.1:$PORT"
PASSWORD="$NAME-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ADMIN="administrateur@cmq.test"
SERVER_PID=""

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "${KEEP_WORK:-0}" = "1" ]; then echo "$NAME: files and server log kept in $WORK"; else rm -rf "$WORK"; fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

server_alive() { kill -0 "$SERVER_PID" 2>/dev/null; }

# start_demo_server BIN: starts the server and waits (at most 300 s) until it answers.
start_demo_server() {
    echo "$NAME: starting $1 serve on $BASE (SQLite in $WORK)"
    (cd "$WORK" && exec env DATABASE_URL="sqlite:$WORK/cmq.sqlite" HOST=127.0.0.1 PORT="$PORT" LOG_LEVEL=warning \
        CMQ_DEMO=true CMQ_DEMO_PASSWORD="$PASSWORD" "$1" serve >"$WORK/serve.log" 2>&1) &
    SERVER_PID=$!
    local deadline=$((SECONDS + 300))
    until curl -fsS -o /dev/null "$BASE/api/v1/openapi.json" 2>/dev/null; do
        if ! server_alive; then echo "$NAME: cmq serve stopped before answering:" >&2; tail -40 "$WORK/serve.log" >&2; KEEP_WORK=1; exit 1; fi
        if [ "$SECONDS" -ge "$deadline" ]; then echo "$NAME: cmq serve did not answer within 300 s" >&2; KEEP_WORK=1; exit 1; fi
        sleep 0.5
    done
    echo "$NAME: server up after ${SECONDS}s"
}

# make_admin_token: sets TOKEN to a new API token of the demo national administrator (exits the script on failure).
make_admin_token() {
    local jar="$WORK/cookies" status
    csrf_of() { sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }
    curl -fsS -c "$jar" -b "$jar" -o "$WORK/connexion.html" "$BASE/connexion"
    status=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' "$BASE/connexion" \
        --data-urlencode "_csrf=$(csrf_of "$WORK/connexion.html")" --data-urlencode "email=$ADMIN" \
        --data-urlencode "motDePasse=$PASSWORD" --data-urlencode "retour=/compte")
    [ "$status" = "303" ] || { echo "$NAME: sign-in as $ADMIN failed (HTTP $status)" >&2; KEEP_WORK=1; exit 1; }
    curl -fsS -c "$jar" -b "$jar" -o "$WORK/compte.html" "$BASE/compte"
    curl -sS -c "$jar" -b "$jar" -o "$WORK/jeton.html" "$BASE/compte/jetons" \
        --data-urlencode "_csrf=$(csrf_of "$WORK/compte.html")" --data-urlencode "nom=$NAME"
    TOKEN=$(sed -n 's/.*<code class="token">\([^<]*\)<\/code>.*/\1/p' "$WORK/jeton.html" | head -1)
    [ -n "$TOKEN" ] || { echo "$NAME: no API token on the account page" >&2; KEEP_WORK=1; exit 1; }
}
