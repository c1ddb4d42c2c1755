#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker+controller) on
# 127.0.0.1 for the tests:  start | stop | kill | restart | pause | resume | env | fetch.
#   KAFKA_VERSION (default 4.1.1; 3.9.x works too; 2.8.x starts a KRaft node
#   without transactions) picks the release, fetched
#   with Maven from Maven Central into ~/.cache/pub_backoffice/kafka-<ver>/.
#   KAFKA_DIR (default /tmp/pub_backoffice-kafka-$PBO_PORT) holds its data,
#   log, pid and port.  `start` prints the bootstrap address when ready;
#   restarting keeps the data and the port; `stop` removes the data.
#   KAFKA_SCRAM_PASSWORD set: also a SASL_SSL listener (SCRAM-SHA-512, user
#   "relay" with that password) whose certificate comes from a CA generated
#   into $KAFKA_DIR/tls; `env` then prints KAFKA_SASL_SSL and KAFKA_CA.
set -euo pipefail
. "$(dirname "$0")/common.sh"
KAFKA_VERSION=${KAFKA_VERSION:-4.1.1}
KAFKA_DIR=${KAFKA_DIR:-/tmp/pub_backoffice-kafka-${PBO_PORT:-54329}}
cache=${PBO_CACHE:-$HOME/.cache/pub_backoffice}/kafka-$KAFKA_VERSION
pidfile=$KAFKA_DIR/broker.pid

fetch() {
    maven_fetch "$cache" "$(dep org.apache.kafka kafka_2.13 "$KAFKA_VERSION")$(dep org.slf4j slf4j-reload4j 1.7.36)"
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

configure() {
    mkdir -p "$KAFKA_DIR"
    [ -f "$KAFKA_DIR/port" ] || { free_port >"$KAFKA_DIR/port"; free_port >"$KAFKA_DIR/cport"; free_port >"$KAFKA_DIR/sport"; }
    local port cport sport; port=$(cat "$KAFKA_DIR/port"); cport=$(cat "$KAFKA_DIR/cport"); sport=$(cat "$KAFKA_DIR/sport")
    local listeners="PLAINTEXT://127.0.0.1:$port" advertised="PLAINTEXT://127.0.0.1:$port"
    if [ -n "${KAFKA_SCRAM_PASSWORD:-}" ]; then
        listeners+=",SASL_SSL://127.0.0.1:$sport"; advertised+=",SASL_SSL://127.0.0.1:$sport"
    fi
    cat >"$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=$listeners,CONTROLLER://127.0.0.1:$cport
advertised.listeners=$advertised
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
    if [ -n "${KAFKA_SCRAM_PASSWORD:-}" ]; then tls; fi
    log4j_warnings >"$KAFKA_DIR/log4j.properties"
}

# A CA and a broker certificate for 127.0.0.1 (PEM), and the SASL_SSL listener.
tls() {
    local d=$KAFKA_DIR/tls
    mkdir -p "$d"
    if [ ! -f "$d/broker.pem" ]; then
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pub_backoffice test CA" \
            -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
            -keyout "$d/broker.key" -out "$d/broker.csr" 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext"
        openssl x509 -req -in "$d/broker.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
            -days 2 -extfile "$d/san.ext" -out "$d/broker.crt" 2>/dev/null
        openssl pkcs8 -topk8 -nocrypt -in "$d/broker.key" -out "$d/broker.p8"
        cat "$d/broker.p8" "$d/broker.crt" >"$d/broker.pem"
    fi
    cat >>"$KAFKA_DIR/server.properties" <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$d/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$d/ca.pem
PROPS
}

java_opts="-Xmx512m -Xms256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j.configuration=file:$KAFKA_DIR/log4j.properties -Dlog4j2.level=WARN"
java_run() { java $java_opts -cp "$cache/*" "$@"; }

format() {
    [ -f "$KAFKA_DIR/data/meta.properties" ] && return 0
    local id; id=$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    # Static voters (controller.quorum.voters): works on 3.9 and 4.x alike.
    local scram=()
    if [ -n "${KAFKA_SCRAM_PASSWORD:-}" ]; then
        scram=(--add-scram "SCRAM-SHA-512=[name=relay,password=$KAFKA_SCRAM_PASSWORD]")
    fi
    java_run kafka.tools.StorageTool format -t "$id" -c "$KAFKA_DIR/server.properties" \
        "${scram[@]}" >"$KAFKA_DIR/format.log" 2>&1 || { cat "$KAFKA_DIR/format.log" >&2; return 1; }
}

bootstrap() { echo "127.0.0.1:$(cat "$KAFKA_DIR/port")"; }

wait_ready() {
    local port; port=$(cat "$KAFKA_DIR/port")
    for _ in $(seq 1 240); do
        running || { tail -40 "$KAFKA_DIR/broker.log" >&2; return 1; }
        if python3 - "$port" <<'PY' 2>/dev/null; then return 0; fi
import sys
from confluent_kafka.admin import AdminClient
a = AdminClient({"bootstrap.servers": "127.0.0.1:" + sys.argv[1]})
md = a.list_topics(timeout=1)
sys.exit(0 if md.brokers else 1)
PY
        sleep 0.5
    done
    echo "broker did not become ready; see $KAFKA_DIR/broker.log" >&2
    return 1
}

start() {
    fetch
    if running; then bootstrap; return 0; fi
    configure
    format
    # setsid: the broker outlives this script and is killed as its own group.
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pidfile" \
        java $java_opts -cp "$cache/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
        >>"$KAFKA_DIR/broker.log" 2>&1 </dev/null &
    for _ in $(seq 1 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
    wait_ready
    bootstrap
}

signal() {
    running || return 0
    local pid; pid=$(cat "$pidfile")
    kill "-$1" "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

case "${1:-}" in
    fetch) fetch ;;
    start) start ;;
    kill) signal KILL ;;                      # crash: data kept for a restart
    restart) signal TERM; start ;;
    # A hung broker: connections stay open and nothing answers.
    pause) running && kill -STOP "$(cat "$pidfile")" ;;
    resume) ! running || kill -CONT "$(cat "$pidfile")" ;;
    stop) signal TERM; rm -rf "$KAFKA_DIR" ;;
    env) echo "KAFKA_BOOTSTRAP=$(bootstrap 2>/dev/null || echo none) KAFKA_DIR=$KAFKA_DIR KAFKA_VERSION=$KAFKA_VERSION" \
              "KAFKA_SASL_SSL=127.0.0.1:$(cat "$KAFKA_DIR/sport" 2>/dev/null) KAFKA_CA=$KAFKA_DIR/tls/ca.pem" ;;
    *) echo "usage: $0 start|stop|kill|restart|pause|resume|env|fetch" >&2; exit 2 ;;
esac
