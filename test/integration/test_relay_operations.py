"""Operating the relay: bad settings give one log line and a state in the
view instead of a crash loop; secrets stay out of logs and views; an idle
slot keeps moving; lag past the threshold is warned about; start/stop."""
import time

import psycopg
import pytest

from conftest import connect


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


def test_idle_slot_moves_and_heartbeats_flow(relay):
    from confluent_kafka import Consumer
    relay.configure(heartbeat_interval="200ms")
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
    assert s["last_acked_lsn"] >= target and s["events_sent"] == 0
    with connect() as c:
        c.execute("DROP DATABASE relay_other")
    consumer = Consumer({"bootstrap.servers": relay.kafka.bootstrap, "group.id": "hb",
                         "auto.offset.reset": "earliest"})
    consumer.subscribe([f"__debezium-heartbeat.{relay.prefix}"])
    beats, deadline = 0, time.time() + 20
    while time.time() < deadline and beats < 3:
        m = consumer.poll(0.5)
        if m is not None and not m.error():
            assert m.key() == f'{{"serverName":"{relay.prefix}"}}'.encode()
            beats += 1
    consumer.close()
    assert beats >= 3


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
