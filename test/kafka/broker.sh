#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker+controller) on
# 127.0.0.1 for the tests:  start | stop | kill | restart | env | fetch.
#   KAFKA_VERSION (default 4.1.1; 3.9.x works too) picks the release, fetched
#   with Maven from Maven Central into ~/.cache/pub_backoffice/kafka-<ver>/.
#   KAFKA_DIR (default /tmp/pub_backoffice-kafka-$PBO_PORT) holds its data,
#   log, pid and port.  `start` prints the bootstrap address when ready;
#   restarting keeps the data and the port; `stop` removes the data.
#   KAFKA_EXTRA_PROPS: a file appended to server.properties (TLS/SASL tests).
set -euo pipefail
KAFKA_VERSION=${KAFKA_VERSION:-4.1.1}
KAFKA_DIR=${KAFKA_DIR:-/tmp/pub_backoffice-kafka-${PBO_PORT:-54329}}
cache=${PBO_CACHE:-$HOME/.cache/pub_backoffice}/kafka-$KAFKA_VERSION
pidfile=$KAFKA_DIR/broker.pid

fetch() {
    [ -f "$cache/.complete" ] && return 0
    mkdir -p "$cache"
    local pom; pom=$(mktemp -d)
    cat >"$pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pub_backoffice</groupId><artifactId>kafka-broker</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
    mvn -q -B -f "$pom/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$cache" >&2
    rm -rf "$pom"
    touch "$cache/.complete"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

configure() {
    mkdir -p "$KAFKA_DIR"
    [ -f "$KAFKA_DIR/port" ] || { free_port >"$KAFKA_DIR/port"; free_port >"$KAFKA_DIR/cport"; }
    local port cport; port=$(cat "$KAFKA_DIR/port"); cport=$(cat "$KAFKA_DIR/cport")
    cat >"$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
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
log.flush.interval.messages=1
PROPS
    if [ -n "${KAFKA_EXTRA_PROPS:-}" ]; then cat "$KAFKA_EXTRA_PROPS" >>"$KAFKA_DIR/server.properties"; fi
    cat >"$KAFKA_DIR/log4j.properties" <<'L4J'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
}

java_opts="-Xmx512m -Xms256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j.configuration=file:$KAFKA_DIR/log4j.properties -Dlog4j2.level=WARN"
java_run() { java $java_opts -cp "$cache/*" "$@"; }

format() {
    [ -f "$KAFKA_DIR/data/meta.properties" ] && return 0
    local id; id=$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    # Static voters (controller.quorum.voters): works on 3.9 and 4.x alike.
    java_run kafka.tools.StorageTool format -t "$id" -c "$KAFKA_DIR/server.properties" \
        >"$KAFKA_DIR/format.log" 2>&1 || { cat "$KAFKA_DIR/format.log" >&2; return 1; }
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
    stop) signal TERM; rm -rf "$KAFKA_DIR" ;;
    env) echo "KAFKA_BOOTSTRAP=$(bootstrap 2>/dev/null || echo none) KAFKA_DIR=$KAFKA_DIR KAFKA_VERSION=$KAFKA_VERSION" ;;
    *) echo "usage: $0 start|stop|kill|restart|env|fetch" >&2; exit 2 ;;
esac
