#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster (stack-notes §4).
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# initdb in a fresh temp folder (as the postgres user when run as root; initdb refuses root),
# a free port on 127.0.0.1, fsync off; the database "app" is created and
#   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/app  (plus PGHOST/PGPORT/PGUSER/PGDATABASE)
# is exported for CMD. The cluster is stopped and removed on exit; CMD's exit code is returned.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

PG_BIN=/usr/lib/postgresql/15/bin
[ -d "$PG_BIN" ] && PATH="$PG_BIN:$PATH"
for tool in initdb pg_ctl createdb; do
    command -v "$tool" >/dev/null || { echo "with-postgres: $tool not found (apt-get install postgresql-15)" >&2; exit 2; }
done

if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd -r -m postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

PGBASE=$(mktemp -d "${TMPDIR:-/tmp}/bilgiislem-pg.XXXXXX")
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGBASE"
chmod 700 "$PGBASE"

started=0
cleanup() {
    if [ "$started" -eq 1 ]; then
        as_pg pg_ctl -D "$PGBASE/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGBASE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_pg initdb -D "$PGBASE/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync -N >"$PGBASE/initdb.log" 2>&1 \
    || { cat "$PGBASE/initdb.log" >&2; exit 1; }

# Retry in the rare case another process grabs the port between choosing and binding.
for attempt in 1 2 3; do
    PGPORT=$(free_port)
    if as_pg pg_ctl -D "$PGBASE/data" -l "$PGBASE/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGBASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null; then
        started=1
        break
    fi
    echo "with-postgres: start on port $PGPORT failed (attempt $attempt)" >&2
done
if [ "$started" -ne 1 ]; then
    cat "$PGBASE/server.log" >&2 || true
    exit 1
fi

as_pg createdb -h "$PGBASE" -p "$PGPORT" -U postgres app

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/app"
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGDATABASE=app
echo "with-postgres: PostgreSQL $(postgres --version | awk '{print $3}') on 127.0.0.1:$PGPORT ($PGBASE)" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
