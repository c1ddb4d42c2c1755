#!/usr/bin/env bash
# Relay benchmark: commit-to-Kafka throughput (backlog drain, bulk and small
# transactions) and commit-to-consume latency percentiles at a fixed offered
# rate, on a throwaway cluster (PBO_PORT, default 54329) and a local KRaft
# broker, side by side with Debezium's PostgreSQL connector (embedded engine,
# jars from Maven Central; --no-debezium skips it).  Prints one table.
# Usage: PG_CONFIG=... bash test/bench/relay/run.sh [--help for options]
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
export PBO_PORT=${PBO_PORT:-54329}
eval "export $(bash test/pg_cluster.sh env)"
bash test/pg_cluster.sh destroy
trap 'bash test/pg_cluster.sh destroy; bash test/kafka/broker.sh stop' EXIT
bash test/pg_cluster.sh start
bootstrap=$(bash test/kafka/broker.sh start | tail -1)
export KAFKA_BOOTSTRAP=$bootstrap
python3 test/bench/relay/bench_relay.py "$@"
