#!/usr/bin/env bash
# Installs what building and testing need, only when something is missing:
# Debian packages with apt-get, Python packages with pip.  Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(postgresql-15 postgresql-server-dev-15 postgresql-15-wal2json
      librdkafka-dev libjson-c-dev pkg-config build-essential
      python3 python3-pip ca-certificates openssl)
command -v java >/dev/null || debs+=(default-jdk-headless)
command -v mvn >/dev/null || debs+=(maven)

missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "deps: installing ${missing[*]}"
    sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages for the integration tests.
if ! python3 -c 'import psycopg, confluent_kafka' 2>/dev/null; then
    echo "deps: installing Python packages from test/requirements.txt"
    python3 -m pip install -q -r test/requirements.txt 2>/dev/null ||
        python3 -m pip install -q --break-system-packages -r test/requirements.txt
fi

# The Kafka brokers' jars (Maven Central) for the integration tests: 4.x by
# default, 3.9 for SASL/SCRAM (librdkafka 2.0.2 cannot authenticate to 4.x),
# 2.8 (KRaft without transactions) for exactly_once's refusal.
bash test/kafka/broker.sh fetch
KAFKA_VERSION=3.9.1 bash test/kafka/broker.sh fetch
KAFKA_VERSION=2.8.2 bash test/kafka/broker.sh fetch
# Kafka Connect with Debezium's JDBC sink connector (Maven Central), for
# test/integration/test_relay_jdbc_sink.py.
bash test/kafka/connect.sh fetch
