#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: start | stop | restart | env.
#   PBO_PORT (default 54329) and PBO_DIR (default /tmp/pub_backoffice-$PBO_PORT)
#   choose where; PG_CONFIG chooses which installation.  Runs the server as
#   the postgres user when started as root (PostgreSQL refuses root).
#   `env` prints the variables clients need (PGHOST, PGPORT, PGUSER, PBO_DATA).
#   PBO_STOP_TIMEOUT (default 120) bounds how long `stop` waits for the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PBO_PORT=${PBO_PORT:-54329}
PBO_DIR=${PBO_DIR:-/tmp/pub_backoffice-$PBO_PORT}
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
data=$PBO_DIR/data

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    if [ ! -f "$data/PG_VERSION" ]; then
        mkdir -p "$PBO_DIR"
        [ "$(id -u)" -ne 0 ] || chown postgres: "$PBO_DIR"
        as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C >"$PBO_DIR/initdb.log"
        {
            cat "$here/postgresql.conf"
            echo "port = $PBO_PORT"
            echo "unix_socket_directories = '$PBO_DIR'"
            echo "listen_addresses = '127.0.0.1'"
            # Debian's 15.19+ only lets listed libraries act as output plugins.
            if "$bindir/postgres" --describe-config 2>/dev/null | grep '^output_plugin_libraries' >/dev/null; then
                echo "output_plugin_libraries = 'pgoutput, test_decoding, wal2json, pub_backoffice'"
            fi
            echo "include_if_exists = 'pub_backoffice_test.conf'"
        } >>"$data/postgresql.conf"
    fi
    as_pg "$bindir/pg_ctl" -D "$data" -l "$PBO_DIR/server.log" -w -t 120 start >/dev/null
}

stop() {
    [ -f "$data/postmaster.pid" ] || return 0
    local limit=${PBO_STOP_TIMEOUT:-120}
    as_pg "$bindir/pg_ctl" -D "$data" -m "${1:-fast}" -w -t "$limit" stop >/dev/null && return 0
    # A server that does not stop is a bug to see, not to wait out: show who
    # is left (and where, with gdb), then stop it immediately and fail.
    pm=$(head -1 "$data/postmaster.pid")
    echo "pg_cluster.sh: the server did not stop (${1:-fast}) in $limit s; left:" >&2
    ps -o pid,stat,wchan:24,args --ppid "$pm" >&2 || true
    if command -v gdb >/dev/null; then
        for pid in $(ps -o pid= --ppid "$pm"); do
            gdb -p "$pid" -batch -ex "thread apply all bt 12" 2>/dev/null | grep '^#\|^Thread' >&2 || true
        done
    fi
    tail -40 "$PBO_DIR/server.log" >&2 || true
    as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 60 stop >/dev/null || true
    return 1
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-fast}" ;;
    restart) rc=0; stop "${2:-fast}" || rc=$?; start; exit $rc ;;
    destroy) stop immediate || true; rm -rf "$PBO_DIR" ;;
    env) echo "PGHOST=$PBO_DIR PGPORT=$PBO_PORT PGUSER=postgres PBO_DATA=$data PBO_DIR=$PBO_DIR" ;;
    *) echo "usage: $0 start|stop [mode]|restart [mode]|destroy|env" >&2; exit 2 ;;
esac
