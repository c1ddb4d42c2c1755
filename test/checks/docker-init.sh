#!/usr/bin/env bash
# The image's first-start path without Docker: does what the official
# postgres image's entrypoint does on an empty data directory (initdb, a
# temporary socket-only server, /docker-entrypoint-initdb.d/*, then the real
# start) with docker/initdb/ and docker/pub_backoffice-config.sh against this
# machine's PostgreSQL 15 (PG_CONFIG) and the extension `make test` installed.
# Then asserts the settings the image promises: wal_level, the preloaded
# library, output_plugin_libraries where the server has it, relay settings
# from PUB_BACKOFFICE_* (quotes included), and the extension installed.
source "$(dirname "$0")/lib/tools.bash"
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
work=$(mktemp -d /tmp/pbo-docker-init.XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -ne 0 ] || chown postgres: "$work"
cleanup() { as_pg "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# The image puts the script on PATH as pub_backoffice-config.
mkdir "$work/bin" && cp "$repo_dir/docker/pub_backoffice-config.sh" "$work/bin/pub_backoffice-config"
chmod 755 "$work" "$work/bin" "$work/bin/pub_backoffice-config"
export PATH="$work/bin:$bindir:$PATH" PGDATA="$work/data" PGHOST="$work" PGPORT=5432
export POSTGRES_USER=postgres POSTGRES_DB=pub
export PUB_BACKOFFICE_BROKERS=127.0.0.1:1                      # nothing listens there
export PUB_BACKOFFICE_TOPIC_PREFIX=pub
export PUB_BACKOFFICE_KAFKA_SECRET_PROPERTIES="sasl.password=it's a secret"
unset PUB_BACKOFFICE_DATABASE
server() {   # socket only, in $work: no TCP port to collide with anyone's
    as_pg pg_ctl -D "$PGDATA" -l "$work/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$work' -p $PGPORT" "$@" >/dev/null
}

log "initdb, temporary server, initdb.d scripts (as the entrypoint does)"
as_pg initdb -D "$PGDATA" -U postgres --auth=trust -E UTF8 >"$work/initdb.log"
server start
as_pg psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $POSTGRES_DB"
for f in "$repo_dir"/docker/initdb/*; do
    case "$f" in
        *.sh) as_pg "$f" ;;     # runuser keeps the environment
        *.sql) as_pg psql -q -v ON_ERROR_STOP=1 -d "$POSTGRES_DB" -f "$f" ;;
        *) echo "unexpected file in docker/initdb: $f"; exit 1 ;;
    esac
done
server stop
log "real start with the written settings"
server start

show() { as_pg psql -XAtq -d "$POSTGRES_DB" -c "SHOW $1"; }
expect() {   # $1 setting, $2 expected value
    local got; got=$(show "$1")
    if [ "$got" != "$2" ]; then echo "$1 = [$got], expected [$2]"; exit 1; fi
    echo "$1 = $got"
}
expect wal_level logical
expect shared_preload_libraries pub_backoffice
expect pub_backoffice.brokers "$PUB_BACKOFFICE_BROKERS"
expect pub_backoffice.topic_prefix pub
expect pub_backoffice.database pub
expect pub_backoffice.kafka_secret_properties "$PUB_BACKOFFICE_KAFKA_SECRET_PROPERTIES"
# (no pipe into grep -q here: with pipefail, postgres's SIGPIPE would fail it)
if grep -q '^output_plugin_libraries' <<<"$(postgres --describe-config)"; then
    expect output_plugin_libraries "pgoutput, test_decoding, pub_backoffice"
else
    grep -q output_plugin_libraries "$PGDATA/postgresql.conf" &&
        { echo "output_plugin_libraries written for a server without it"; exit 1; }
    echo "output_plugin_libraries: not a setting of this server, correctly left out"
fi
ext=$(as_pg psql -XAtq -d "$POSTGRES_DB" -c "SELECT extname FROM pg_extension WHERE extname = 'pub_backoffice'")
[ "$ext" = pub_backoffice ] || { echo "extension not installed in $POSTGRES_DB"; exit 1; }
echo "extension pub_backoffice installed in $POSTGRES_DB"

log "a server build without output_plugin_libraries gets no such line"
mkdir "$work/other"
printf '#!/bin/sh\n%s --describe-config | grep -v ^output_plugin_libraries\n' "$bindir/postgres" >"$work/other/postgres"
chmod 755 "$work/other/postgres"
conf=$(PATH="$work/other:$PATH" pub_backoffice-config)
grep -q '^wal_level = logical$' <<<"$conf" || { echo "no wal_level in: $conf"; exit 1; }
if grep -q output_plugin_libraries <<<"$conf"; then echo "written anyway: $conf"; exit 1; fi
echo "left out, as it must be"
log "ok"
