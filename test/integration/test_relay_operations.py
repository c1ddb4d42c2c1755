"""Operating the relay: bad settings give one log line and a state in the
view instead of a crash loop; secrets stay out of logs and views; an idle
slot keeps moving; lag past the threshold is warned about; start/stop."""
import json
import os
import subprocess
import time

import psycopg
import pytest

from conftest import committed_records, connect, lsn


def wait_state(relay, state, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = relay.status()
        if s["state"] == state:
            return s
        time.sleep(0.2)
    raise AssertionError(f"state never became {state}: {relay.status()}")


def misconfigured_once(relay, error, logged, **settings):
    """The relay shows the error and logs it once, however long it waits."""
    relay.configure(**settings)
    relay.restart_postgres()
    s = wait_state(relay, "misconfigured")
    assert error in s["last_error"]
    time.sleep(4)
    assert relay.log_since_start().count(logged) == 1


def test_unknown_kafka_property_is_one_log_line_and_a_state(relay):
    misconfigured_once(relay, 'unknown Kafka property "no.such.property"',
                       'unknown Kafka property "no.such.property"',
                       kafka_properties="no.such.property=1")
    # Fixed and reloaded: the relay streams without a restart.
    relay.configure()
    with connect() as c:
        c.execute("SELECT pg_reload_conf()")
    wait_state(relay, "streaming")


def test_missing_database_is_one_log_line_and_a_state(relay):
    misconfigured_once(relay, 'database "no_such_db"', '"no_such_db" named in pub_backoffice.database',
                       database="no_such_db")


def test_broker_without_idempotence_is_one_log_line_and_a_state(relay, kafka_2_8):
    """at_least_once needs the idempotent producer, which Kafka 2.8's KRaft
    mode does not offer: a clear refusal, not a retry loop."""
    misconfigured_once(relay, "Idempotent producer not supported",
                       "the relay needs an idempotent producer", brokers=kafka_2_8.bootstrap)
    assert relay.status()["retries"] == 0
    # Pointed at a current broker and reloaded: the relay streams.
    relay.configure()
    with connect() as c:
        c.execute("SELECT pg_reload_conf()")
    wait_state(relay, "streaming")


def test_secrets_never_appear_in_logs_or_views(relay):
    secret = "S3cret-Pw-4711"
    relay.configure(kafka_secret_properties=f"sasl.password={secret},{secret}x")
    relay.restart_postgres()
    s = wait_state(relay, "misconfigured")
    assert "entry 2" in s["last_error"] and secret not in s["last_error"]
    with connect() as c:
        c.execute("DROP ROLE IF EXISTS relay_nobody")
        c.execute("CREATE ROLE relay_nobody LOGIN")
        assert c.execute("SHOW pub_backoffice.kafka_secret_properties").fetchone()[0].startswith("sasl")
    with psycopg.connect(dbname="postgres", user="relay_nobody", autocommit=True) as u:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            u.execute("SHOW pub_backoffice.kafka_secret_properties")
        rows = u.execute("SELECT setting FROM pg_settings "
                         "WHERE name = 'pub_backoffice.kafka_secret_properties'").fetchall()
        assert all(secret not in (r[0] or "") for r in rows)
    with connect() as c:
        c.execute("DROP ROLE relay_nobody")
    assert secret not in relay.log_since_start()


@pytest.mark.parametrize("mode", ["at_least_once", "exactly_once"])
def test_idle_slot_moves_and_heartbeats_flow(relay, mode):
    """WAL of another database moves the slot; heartbeats flow.  In
    exactly_once each heartbeat is a Kafka transaction that also carries the
    position in the offsets topic, read here as a read_committed consumer."""
    relay.configure(heartbeat_interval="200ms", delivery_mode=mode)
    relay.restart_postgres()
    relay.wait_streaming()
    with connect() as c:
        c.execute("DROP DATABASE IF EXISTS relay_other")
        c.execute("CREATE DATABASE relay_other")
    with psycopg.connect(dbname="relay_other", autocommit=True) as o:
        o.execute("CREATE TABLE busy (id int)")
        o.execute("INSERT INTO busy SELECT generate_series(1, 50000)")
        target = o.execute("SELECT pg_current_wal_flush_lsn()").fetchone()[0]
    s = relay.wait_caught_up(timeout=30)
    assert lsn(s["last_acked_lsn"]) >= lsn(target) and s["events_sent"] == 0
    with connect() as c:
        c.execute("DROP DATABASE relay_other")
    time.sleep(1)
    beats = committed_records(relay.kafka.bootstrap, f"__debezium-heartbeat.{relay.prefix}")
    assert len(beats) >= 3
    assert all(k == f'{{"serverName":"{relay.prefix}"}}'.encode() for _, k, _ in beats)
    if mode == "exactly_once":
        assert offsets_topic_lsn(relay) >= lsn(target)


def offsets_topic_lsn(relay):
    """The last end LSN committed to the offsets topic for the relay's slot."""
    records = committed_records(relay.kafka.bootstrap, f"__pub_backoffice-offsets.{relay.prefix}")
    return [json.loads(v)["end_lsn"] for _, k, v in records if k == relay.slot.encode()][-1]


def test_lag_past_threshold_is_warned_about(relay):
    relay.configure(lag_warning_size="64kB")
    relay.restart_postgres()
    relay.wait_streaming()
    relay.kafka.kill()
    try:
        with connect() as c:
            c.execute("DROP TABLE IF EXISTS relay_lag")
            c.execute("CREATE TABLE relay_lag (id int PRIMARY KEY)")
            c.execute("INSERT INTO relay_lag SELECT generate_series(1, 5000)")
        deadline = time.time() + 20
        while time.time() < deadline and "behind the WAL" not in relay.log_since_start():
            time.sleep(0.5)
        assert "behind the WAL" in relay.log_since_start()
        s = relay.status()
        assert s["lag_bytes"] > 64 * 1024 and s["lag_seconds"] > 0
    finally:
        relay.kafka.start()
    relay.wait_caught_up()
    assert relay.status()["lag_bytes"] == 0


def test_stop_and_start_functions(relay):
    relay.configure()
    relay.restart_postgres()
    relay.wait_streaming()
    with connect() as c:
        c.execute("SELECT pub.relay_stop()")
    wait_state(relay, "stopped")
    with connect() as c:
        assert c.execute("SELECT active FROM pg_replication_slots WHERE slot_name = %s",
                         (relay.slot,)).fetchone()[0] is False
        c.execute("SELECT pub.relay_start()")
    wait_state(relay, "streaming")
    pid = relay.status()["pid"]
    with connect() as c:
        c.execute("SELECT pub.relay_restart()")
    deadline = time.time() + 20
    while time.time() < deadline and relay.status()["pid"] in (pid, None):
        time.sleep(0.2)
    assert relay.status()["pid"] not in (pid, None)
    wait_state(relay, "streaming")


def test_slot_busy_elsewhere_is_waited_for(relay):
    """Another consumer holds the slot: the relay waits (one log line, state
    waiting_for_slot) and takes the slot over once it is free."""
    bindir = subprocess.run([os.environ.get("PG_CONFIG", "pg_config"), "--bindir"],
                            capture_output=True, text=True, check=True).stdout.strip()
    relay.configure(brokers="")
    relay.restart_postgres()
    with connect() as c:
        c.execute("SELECT pg_create_logical_replication_slot(%s, 'pub_backoffice')", (relay.slot,))
    holder = subprocess.Popen([os.path.join(bindir, "pg_recvlogical"), "-d", "postgres",
                               "-S", relay.slot, "--start", "-f", "/dev/null"])
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            with connect() as c:
                if c.execute("SELECT active FROM pg_replication_slots WHERE slot_name = %s",
                             (relay.slot,)).fetchone()[0]:
                    break
            time.sleep(0.2)
        relay.configure()
        with connect() as c:
            c.execute("SELECT pg_reload_conf()")
        wait_state(relay, "waiting_for_slot")
        time.sleep(4)
        assert relay.log_since_start().count("is active in another process") == 1
    finally:
        holder.terminate()
        holder.wait()
    wait_state(relay, "streaming")
