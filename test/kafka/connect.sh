#!/usr/bin/env bash
# A standalone Kafka Connect worker running Debezium's JDBC sink connector,
# for test/integration/test_relay_jdbc_sink.py:  fetch | start | stop | env.
#   Jars (org.apache.kafka:connect-runtime and connect-json, KAFKA_VERSION
#   default 4.1.1 like the broker; io.debezium:debezium-connector-jdbc,
#   DEBEZIUM_VERSION default 3.4.3.Final like test/compat; the PostgreSQL JDBC
#   driver) are fetched with Maven from Maven Central into
#   ~/.cache/pub_backoffice/connect-<kafka>-debezium-<debezium>/.
#   start CONNECTOR_PROPERTIES: runs connect-standalone against
#     KAFKA_BOOTSTRAP with that connector, in CONNECT_DIR (default
#     /tmp/pub_backoffice-connect-$PBO_PORT: offsets, log, pid); waits until
#     the worker's REST API says the connector's task is RUNNING.
#   stop: ends the worker and removes CONNECT_DIR.
set -euo pipefail
. "$(dirname "$0")/common.sh"
KAFKA_VERSION=${KAFKA_VERSION:-4.1.1}
DEBEZIUM_VERSION=${DEBEZIUM_VERSION:-3.4.3.Final}
# Maven Central serves no io.debezium:debezium-sink 3.4.2/3.4.3 (the JDBC
# sink's shared library): 3.4.3's connector runs on 3.4.1's.
DEBEZIUM_SINK_VERSION=${DEBEZIUM_SINK_VERSION:-3.4.1.Final}
PG_JDBC_VERSION=${PG_JDBC_VERSION:-42.7.7}
CONNECT_DIR=${CONNECT_DIR:-/tmp/pub_backoffice-connect-${PBO_PORT:-54329}}
cache=${PBO_CACHE:-$HOME/.cache/pub_backoffice}/connect-$KAFKA_VERSION-debezium-$DEBEZIUM_VERSION
pidfile=$CONNECT_DIR/connect.pid

fetch() {
    local deps
    deps=$(dep org.apache.kafka connect-runtime "$KAFKA_VERSION")
    deps+=$(dep org.apache.kafka connect-json "$KAFKA_VERSION")
    deps+=$(dep io.debezium debezium-connector-jdbc "$DEBEZIUM_VERSION")
    deps+=$(dep org.postgresql postgresql "$PG_JDBC_VERSION")
    deps+=$(dep org.slf4j slf4j-reload4j 1.7.36)
    maven_fetch "$cache" "$deps" "$(dep io.debezium debezium-sink "$DEBEZIUM_SINK_VERSION")"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

configure() {
    mkdir -p "$CONNECT_DIR"
    [ -f "$CONNECT_DIR/port" ] || free_port >"$CONNECT_DIR/port"
    cat >"$CONNECT_DIR/worker.properties" <<PROPS
bootstrap.servers=${KAFKA_BOOTSTRAP:?KAFKA_BOOTSTRAP is not set}
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
offset.storage.file.filename=$CONNECT_DIR/offsets
offset.flush.interval.ms=1000
listeners=http://127.0.0.1:$(cat "$CONNECT_DIR/port")
plugin.discovery=only_scan
PROPS
    log4j_warnings >"$CONNECT_DIR/log4j.properties"
}

rest() { echo "http://127.0.0.1:$(cat "$CONNECT_DIR/port")"; }

# Until every connector's task is RUNNING (a FAILED task ends the wait).
wait_running() {
    local url; url=$(rest)
    local rc
    for _ in $(seq 1 240); do
        running || { tail -40 "$CONNECT_DIR/connect.log" >&2; return 1; }
        rc=0
        python3 - "$url" <<'PY' 2>/dev/null || rc=$?
import json, sys, urllib.request
base = sys.argv[1]
names = json.load(urllib.request.urlopen(base + "/connectors", timeout=2))
ok = bool(names)
for n in names:
    s = json.load(urllib.request.urlopen(f"{base}/connectors/{n}/status", timeout=2))
    states = [t["state"] for t in s["tasks"]]
    if "FAILED" in states or s["connector"]["state"] == "FAILED":
        print(json.dumps(s))
        sys.exit(2)
    ok = ok and states and all(x == "RUNNING" for x in states)
sys.exit(0 if ok else 1)
PY
        case $rc in
            0) return 0 ;;
            2) echo "a connector failed; see $CONNECT_DIR/connect.log" >&2; return 1 ;;
        esac
        sleep 0.5
    done
    echo "Kafka Connect did not start; see $CONNECT_DIR/connect.log" >&2
    return 1
}

java_opts="-Xmx384m -Xms128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j.configuration=file:$CONNECT_DIR/log4j.properties"

start() {
    local connector=${1:?usage: $0 start CONNECTOR_PROPERTIES}
    fetch
    running && stop
    configure
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" \
        java $java_opts -cp "$cache/*" org.apache.kafka.connect.cli.ConnectStandalone \
        "$CONNECT_DIR/worker.properties" "$connector" \
        >>"$CONNECT_DIR/connect.log" 2>&1 </dev/null &
    for _ in $(seq 1 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
    wait_running
    rest
}

stop() {
    if running; then
        local pid; pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

case "${1:-}" in
    fetch) fetch ;;
    start) shift; start "$@" ;;
    stop) stop; rm -rf "$CONNECT_DIR" ;;
    env) echo "CONNECT_REST=$(rest 2>/dev/null || echo none) CONNECT_DIR=$CONNECT_DIR" ;;
    *) echo "usage: $0 fetch|start CONNECTOR_PROPERTIES|stop|env" >&2; exit 2 ;;
esac
