"""TLS with SASL/SCRAM: the relay streams to a broker that only takes
SASL_SSL from it, with certificates the test generates, and the password
never appears in the server log or the status view.

The broker here is Kafka 3.9.1: Debian's librdkafka 2.0.2 fails SCRAM
authentication against Kafka 4.1.1 ("invalid credentials" with the right
password, while a current librdkafka succeeds), see the README."""
import os
import subprocess
import time
import uuid

from confluent_kafka import Consumer

from conftest import BROKER, connect


def test_tls_sasl_scram_streams_and_never_logs_the_password(relay):
    password = "Scram-" + uuid.uuid4().hex
    env = dict(os.environ, KAFKA_SCRAM_PASSWORD=password, KAFKA_VERSION="3.9.1",
               KAFKA_DIR=f"/tmp/pub_backoffice-kafka-tls-{os.environ.get('PBO_PORT', '54329')}")
    subprocess.run(["bash", BROKER, "start"], env=env, check=True, capture_output=True)
    try:
        info = dict(kv.split("=", 1) for kv in subprocess.run(
            ["bash", BROKER, "env"], env=env, check=True, capture_output=True, text=True).stdout.split())
        security = {"security.protocol": "SASL_SSL", "sasl.mechanisms": "SCRAM-SHA-512",
                    "sasl.username": "relay", "ssl.ca.location": info["KAFKA_CA"]}
        relay.configure(brokers=info["KAFKA_SASL_SSL"],
                        kafka_properties=",".join(f"{k}={v}" for k, v in security.items()),
                        kafka_secret_properties=f"sasl.password={password}")
        relay.restart_postgres()
        with connect() as c:
            c.execute("DROP TABLE IF EXISTS relay_tls")
            c.execute("CREATE TABLE relay_tls (id int PRIMARY KEY, v text)")
        relay.wait_streaming()
        with connect() as c:
            c.execute("INSERT INTO relay_tls SELECT g, 'x' || g FROM generate_series(1, 100) g")
        status = relay.wait_caught_up(timeout=60)
        assert status["events_sent"] == 100

        consumer = Consumer(dict(security, **{"sasl.password": password,
                                              "bootstrap.servers": info["KAFKA_SASL_SSL"],
                                              "group.id": "tls", "auto.offset.reset": "earliest"}))
        consumer.subscribe([f"{relay.prefix}.public.relay_tls"])
        got, deadline = 0, time.time() + 30
        while time.time() < deadline and got < 100:
            m = consumer.poll(0.5)
            if m is not None and not m.error():
                got += 1
        consumer.close()
        assert got == 100
        assert password not in relay.log_since_start()
        assert password not in str(relay.status())
    finally:
        subprocess.run(["bash", BROKER, "stop"], env=env, capture_output=True)
