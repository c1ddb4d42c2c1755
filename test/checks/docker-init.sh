#!/usr/bin/env bash
# The image's first-start path without Docker: does what the official
# postgres image's entrypoint does on an empty data directory (initdb, a
# temporary socket-only server, /docker-entrypoint-initdb.d/*, then the real
# start) with docker/initdb/ and docker/pub_backoffice-config.sh against this
# machine's PostgreSQL 15 (PG_CONFIG) and the extension `make test` installed.
# Then asserts the settings the image promises: wal_level, the preloaded
# library, output_plugin_libraries where the server has it, relay settings
# from PUB_BACKOFFICE_* (quotes included), and the extension installed.
# Then the Kubernetes start on the same data: the StatefulSet's init
# container command, and postgres on the ConfigMap's postgresql.conf, with
# its settings asserted; a misspelt setting there must stop the server.
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
expect_output_plugins() {
    # (no pipe into grep -q here: with pipefail, postgres's SIGPIPE would fail it)
    if grep -q '^output_plugin_libraries' <<<"$(postgres --describe-config)"; then
        expect output_plugin_libraries "pgoutput, test_decoding, pub_backoffice"
    else
        [ "$(show output_plugin_libraries 2>/dev/null)" = "" ] ||
            { echo "output_plugin_libraries written for a server without it"; exit 1; }
        echo "output_plugin_libraries: not a setting of this server, correctly left out"
    fi
}
expect_output_plugins
ext=$(as_pg psql -XAtq -d "$POSTGRES_DB" -c "SELECT extname FROM pg_extension WHERE extname = 'pub_backoffice'")
[ "$ext" = pub_backoffice ] || { echo "extension not installed in $POSTGRES_DB"; exit 1; }
echo "extension pub_backoffice installed in $POSTGRES_DB"

log "the Kubernetes start: the init container's command, then the ConfigMap's postgresql.conf"
server stop
mkdir "$work/run" && chmod 700 "$work/run"
[ "$(id -u)" -ne 0 ] || chown postgres: "$work/run"
# The init container's command and plain env from the StatefulSet, run with
# nothing else in its environment; the Secret's values are test values.
python3 - "$repo_dir/k8s/postgres/statefulset.yaml" "$work" <<'PY' >"$work/init.env"
import shlex, sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]
init = next(c for c in pod["initContainers"] if c["name"] == "relay-config")
open(sys.argv[2] + "/init.sh", "w").write(init["command"][2].replace("/run/pub_backoffice", sys.argv[2] + "/run"))
print(" ".join(shlex.quote(f"{e['name']}={e['value']}") for e in init["env"] if "value" in e))
PY
eval "as_pg env -i PATH=$work/bin:$bindir:/usr/bin:/bin $(cat "$work/init.env") \
    KAFKA_USERNAME=pub-backoffice KAFKA_PASSWORD=\"it's-secret\" sh $work/init.sh"
sed "s#/run/pub_backoffice/relay.conf#$work/run/relay.conf#" "$repo_dir/k8s/postgres/postgresql.conf" >"$work/k8s.conf"
chmod 644 "$work/k8s.conf"
: >"$work/server.log"
as_pg pg_ctl -D "$PGDATA" -l "$work/server.log" -w -t 60 start \
    -o "-c config_file=$work/k8s.conf -c listen_addresses='' -c unix_socket_directories='$work' -p $PGPORT" >/dev/null
expect config_file "$work/k8s.conf"
expect wal_level logical
expect shared_preload_libraries pub_backoffice
expect max_slot_wal_keep_size 30GB
expect pub_backoffice.brokers pub-kafka-kafka-bootstrap:9093
expect pub_backoffice.kafka_secret_properties "sasl.password=it's-secret"
expect_output_plugins
grep -q 'sasl.username=pub-backoffice' <<<"$(show pub_backoffice.kafka_properties)" ||
    { echo "no sasl.username in pub_backoffice.kafka_properties"; exit 1; }
if grep -i 'configuration parameter\|syntax error' "$work/server.log"; then
    echo "the server rejected part of k8s/postgres/postgresql.conf"; exit 1
fi

as_pg pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
sed 's/^max_slot_wal_keep_size/max_slot_wal_keep_sise/' "$work/k8s.conf" >"$work/k8s-typo.conf"
chmod 644 "$work/k8s-typo.conf"
if as_pg pg_ctl -D "$PGDATA" -l "$work/server.log" -w -t 30 start \
        -o "-c config_file=$work/k8s-typo.conf -c listen_addresses='' -c unix_socket_directories='$work' -p $PGPORT" >/dev/null; then
    echo "the server started with a misspelt setting"; exit 1
fi
grep -m1 'unrecognized configuration parameter' "$work/server.log"

log "a server build without output_plugin_libraries gets no such line"
mkdir "$work/other"
printf '#!/bin/sh\n%s --describe-config | grep -v ^output_plugin_libraries\n' "$bindir/postgres" >"$work/other/postgres"
chmod 755 "$work/other/postgres"
conf=$(PATH="$work/other:$PATH" pub_backoffice-config)
grep -q '^wal_level = logical$' <<<"$conf" || { echo "no wal_level in: $conf"; exit 1; }
if grep -q output_plugin_libraries <<<"$conf"; then echo "written anyway: $conf"; exit 1; fi
echo "left out, as it must be"
log "ok"
