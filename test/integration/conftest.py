"""Fixtures for the relay's integration tests.

A single-node KRaft Kafka broker (test/kafka/broker.sh) runs once per session;
each test configures the relay through $PBO_DATA/pub_backoffice_test.conf with
its own topic prefix and slot, and restarts the cluster with test/pg_cluster.sh.
"""
import os
import subprocess
import time
import uuid

import psycopg
import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BROKER = os.path.join(TOP, "test", "kafka", "broker.sh")
CLUSTER = os.path.join(TOP, "test", "pg_cluster.sh")


def sh(*args, check=True, env=None):
    return subprocess.run(args, check=check, capture_output=True, text=True,
                          env=env).stdout.strip()


class Broker:
    """test/kafka/broker.sh; settings such as KAFKA_VERSION and KAFKA_DIR
    pick another broker than the session's."""

    def __init__(self, **settings):
        self.bootstrap = None
        self.env = dict(os.environ, **settings) if settings else None

    def start(self):
        self.bootstrap = sh("bash", BROKER, "start", env=self.env).splitlines()[-1]
        return self.bootstrap

    def kill(self):
        sh("bash", BROKER, "kill", env=self.env)

    def pause(self):
        """SIGSTOP: to its clients the broker hangs, connections open."""
        sh("bash", BROKER, "pause", env=self.env)

    def resume(self):
        sh("bash", BROKER, "resume", env=self.env)

    def stop(self):
        sh("bash", BROKER, "stop", check=False, env=self.env)


@pytest.fixture(scope="session")
def kafka():
    broker = Broker()
    broker.start()
    yield broker
    broker.stop()


def lsn(text):
    """A pg_lsn ('16/B374D848', as psycopg returns it) as a number: compared
    as text, '0/FFFFFFF' would sort after '0/10000000'."""
    hi, lo = text.split("/")
    return int(hi, 16) << 32 | int(lo, 16)


@pytest.fixture(scope="session")
def kafka_2_8():
    """A real Kafka 2.8.2 node in KRaft mode, whose early-access KRaft has no
    transactions and no idempotent producer (InitProducerId is not served,
    KAFKA-12365)."""
    broker = Broker(KAFKA_VERSION="2.8.2",
                    KAFKA_DIR=f"/tmp/pub_backoffice-kafka-2.8-{os.environ.get('PBO_PORT', '54329')}")
    broker.start()
    yield broker
    broker.stop()


def committed_records(bootstrap, topic, timeout=20):
    """The committed records of topic, [(partition, key, value)], from each
    partition's start to its end when called (read_committed; a record
    stream that never pauses never gives an end-of-partition event)."""
    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "read-" + topic,
                         "isolation.level": "read_committed", "enable.auto.commit": False})
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
            for p in partitions}
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    records, deadline = [], time.time() + timeout

    def at_ends():
        return all(tp.offset >= ends[tp.partition] for tp in
                   consumer.position([TopicPartition(topic, p) for p in ends if ends[p] > 0]))

    while not at_ends():
        assert time.time() < deadline, f"{topic} not read to its end"
        m = consumer.poll(0.2)
        if m is not None and not m.error():
            records.append((m.partition(), m.key(), m.value()))
    consumer.close()
    return records


def connect(dbname="postgres", autocommit=True):
    return psycopg.connect(dbname=dbname, autocommit=autocommit)


def bindir():
    """The PostgreSQL programs of the installation under test (pg_recvlogical, …)."""
    return sh(os.environ.get("PG_CONFIG", "pg_config"), "--bindir")


def wait_for_postgres(timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            with connect() as c:
                c.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


class Relay:
    """The relay as a test configures it: settings file, restarts, status."""

    def __init__(self, kafka):
        self.kafka = kafka
        self.prefix = "t" + uuid.uuid4().hex[:10]
        self.slot = "relay_" + self.prefix
        self.conf = os.path.join(os.environ["PBO_DATA"], "pub_backoffice_test.conf")
        log = os.path.join(os.environ["PBO_DIR"], "server.log")
        self.log_offset = os.path.getsize(log) if os.path.exists(log) else 0

    def configure(self, **settings):
        lines = {
            "brokers": self.kafka.bootstrap,
            "topic_prefix": self.prefix,
            "slot_name": self.slot,
            "database": "postgres",
            "poll_interval": "10ms",
            # Streaming tests start on tables other tests left behind;
            # test_relay_snapshot.py turns the initial snapshot on.
            "snapshot_mode": "never",
        }
        lines.update(settings)
        with open(self.conf, "w") as f:
            for k, v in lines.items():
                f.write(f"pub_backoffice.{k} = '{v}'\n")
        os.chmod(self.conf, 0o644)

    def restart_postgres(self, mode="fast"):
        sh("bash", CLUSTER, "restart", mode)
        wait_for_postgres()

    def stop_postgres(self, mode="fast"):
        sh("bash", CLUSTER, "stop", mode)

    def stop_postgres_within(self, limit, mode="fast"):
        """Stop PostgreSQL; fail if that takes longer than limit seconds
        (pg_cluster.sh then says who was left and stops it immediately).
        Returns the seconds it took."""
        started = time.time()
        r = subprocess.run(["bash", CLUSTER, "stop", mode], capture_output=True, text=True,
                           env=dict(os.environ, PBO_STOP_TIMEOUT=str(limit)))
        assert r.returncode == 0, f"{mode} stop did not finish in {limit} s:\n{r.stderr}"
        return time.time() - started

    def start_postgres(self):
        """Start PostgreSQL unless it is up (after a worker crash the
        postmaster restarts by itself)."""
        if subprocess.run(["bash", CLUSTER, "start"], capture_output=True).returncode != 0:
            wait_for_postgres()
        wait_for_postgres()

    def log_since_start(self):
        with open(os.path.join(os.environ["PBO_DIR"], "server.log"), errors="replace") as f:
            f.seek(self.log_offset)
            return f.read()

    def status(self):
        with connect() as c:
            c.execute("CREATE EXTENSION IF NOT EXISTS pub_backoffice")
            cur = c.execute("SELECT * FROM pub.relay_status")
            cols = [d.name for d in cur.description]
            return dict(zip(cols, cur.fetchone()))

    def wait_streaming(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.status()
            if s["state"] == "streaming" and s["last_acked_lsn"] is not None:
                return s
            time.sleep(0.2)
        raise AssertionError(f"relay did not start streaming: {self.status()}")

    def wait_sent(self, events, timeout=60):
        """Until Kafka acknowledged this many events: the relay is mid-stream."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.status()["events_sent"] >= events:
                return
            time.sleep(0.05)
        raise AssertionError(f"relay sent fewer than {events} events: {self.status()}")

    def wait_caught_up(self, timeout=180):
        """Until Kafka acknowledged everything flushed so far."""
        with connect() as c:
            target = c.execute("SELECT pg_current_wal_flush_lsn()").fetchone()[0]
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.status()
            if s["last_acked_lsn"] is not None and lsn(s["last_acked_lsn"]) >= lsn(target):
                return s
            time.sleep(0.2)
        raise AssertionError(f"relay did not catch up to {target}: {self.status()}")

    def cleanup(self):
        if os.path.exists(self.conf):
            os.remove(self.conf)
        self.restart_postgres()
        with connect() as c:
            c.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                      "WHERE slot_name LIKE 'relay_t%' AND NOT active")


@pytest.fixture
def relay(kafka):
    r = Relay(kafka)
    with connect() as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS pub_backoffice")
    yield r
    r.cleanup()
