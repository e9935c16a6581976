# Sourced by the benchmark scripts: a PostgreSQL for a run.
# `bench_postgres_start` sets BENCH_PG_URL: CMQ_BENCH_POSTGRES_URL when set, or a throwaway
# server (initdb into a temporary folder, pg_ctl on a free loopback port) that `bench_postgres_stop` removes.
BENCH_PG_DIR=""
BENCH_PG_BIN=""
BENCH_AS_PG=()

bench_postgres_start() {
  if [ -n "${CMQ_BENCH_POSTGRES_URL:-}" ]; then
    BENCH_PG_URL=$CMQ_BENCH_POSTGRES_URL
    return
  fi
  BENCH_PG_BIN=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
  BENCH_PG_DIR=$(mktemp -d /tmp/cmq-bench-pg.XXXXXX)
  local port=${CMQ_BENCH_PG_PORT:-}
  [ -n "$port" ] || port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$BENCH_PG_DIR"
    BENCH_AS_PG=(runuser -u postgres --)
  fi
  "${BENCH_AS_PG[@]}" "$BENCH_PG_BIN/initdb" -D "$BENCH_PG_DIR/data" -A trust -U cmq -E UTF8 --locale=C.UTF-8 >/dev/null
  "${BENCH_AS_PG[@]}" "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_PG_DIR/data" -l "$BENCH_PG_DIR/log" \
    -o "-p $port -k $BENCH_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" -w start >/dev/null
  psql -h 127.0.0.1 -p "$port" -U cmq -d postgres -qc "CREATE DATABASE cmq" >/dev/null
  BENCH_PG_URL="postgres://cmq@127.0.0.1:$port/cmq"
}

bench_postgres_stop() {
  if [ -n "$BENCH_PG_DIR" ]; then
    "${BENCH_AS_PG[@]}" "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$BENCH_PG_DIR"
    BENCH_PG_DIR=""
  fi
}
