#!/usr/bin/env bash
# `make demo`: a throwaway PostgreSQL with the extension and a single-node
# Kafka broker on 127.0.0.1, a pub, a trading night, its reports and the change
# events in Kafka.  DEMO_KEEP=1 leaves both running and prints how to connect.
#   DEMO_RATE (sales/s, default 25), DEMO_SECONDS (default 40), DEMO_TILLS (4).
set -euo pipefail
cd "$(dirname "$0")/.."
export PBO_PORT=${DEMO_PORT:-54340}
eval "export $(bash test/pg_cluster.sh env)"

echo "== building and installing (first run installs packages; takes a few minutes)"
bash test/build.sh

cleanup() {
    if [ "${DEMO_KEEP:-0}" = 1 ]; then
        echo; echo "Left running:  psql -h $PGHOST -p $PGPORT -U postgres pubdemo"
        echo "               Kafka at $KAFKA_BOOTSTRAP (bash test/kafka/broker.sh stop; bash test/pg_cluster.sh destroy, with PBO_PORT=$PBO_PORT, to stop)"
        return
    fi
    bash test/pg_cluster.sh destroy
    bash test/kafka/broker.sh stop
}
trap cleanup EXIT

echo "== starting Kafka (KRaft, 127.0.0.1) and PostgreSQL (port $PBO_PORT)"
bash test/pg_cluster.sh destroy
bash test/kafka/broker.sh stop
KAFKA_BOOTSTRAP=$(bash test/kafka/broker.sh start | tail -1); export KAFKA_BOOTSTRAP
bash test/pg_cluster.sh start
psql -q -d postgres -c "CREATE DATABASE pubdemo"
psql -q -d pubdemo -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pub_backoffice" -f demo/pub.sql >/dev/null
cat >"$PBO_DATA/pub_backoffice_test.conf" <<CONF
pub_backoffice.brokers = '$KAFKA_BOOTSTRAP'
pub_backoffice.database = 'pubdemo'
pub_backoffice.topic_prefix = 'pub'
CONF
bash test/pg_cluster.sh restart

echo "== the relay streams every change to Kafka; the tills open"
python3 demo/trading_night.py --db pubdemo --tills "${DEMO_TILLS:-4}" \
    --rate "${DEMO_RATE:-25}" --seconds "${DEMO_SECONDS:-40}" --bootstrap "$KAFKA_BOOTSTRAP"
