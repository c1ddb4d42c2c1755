"""exactly_once: Kafka transactions around whole PostgreSQL transactions,
with their end LSN in the offsets topic; a read_committed consumer sees every
change once, also after the worker or PostgreSQL crashed mid-stream."""
import time

import relay_workload as w
from conftest import committed_records, connect
from relay_scenarios import CHANGES, SMALL, check, crash_mid_stream, kill_worker, start

EXACTLY_ONCE = {"delivery_mode": "exactly_once", "batch_max_events": "2000"}


def test_exactly_once_every_change_once(relay):
    start(relay, **EXACTLY_ONCE)
    relay.wait_streaming()
    with connect() as c:
        history, doubtful = w.run(c, w.Workload(5, CHANGES, SMALL))
    assert doubtful is None
    check(relay, history, exact=True, isolation="read_committed")
    assert relay.status()["batches"] > 1


def test_exactly_once_no_duplicates_after_worker_sigkill(relay):
    crash_mid_stream(relay, lambda: kill_worker(relay), exact=True,
                     isolation="read_committed", **EXACTLY_ONCE)
    # The slot was behind Kafka at the crash: the offsets topic was needed.
    assert "skipping them" in relay.log_since_start()


def test_exactly_once_heartbeats_lose_and_double_nothing_after_worker_sigkill(relay):
    """Heartbeats every 50 ms, each a Kafka transaction whose offsets record
    moves the position on: a crash mid-stream still loses nothing and
    doubles nothing."""
    crash_mid_stream(relay, lambda: kill_worker(relay), exact=True,
                     isolation="read_committed", heartbeat_interval="50ms", **EXACTLY_ONCE)
    assert "skipping them" in relay.log_since_start()
    assert len(committed_records(relay.kafka.bootstrap, f"__debezium-heartbeat.{relay.prefix}")) > 10


def test_exactly_once_no_duplicates_after_postgres_immediate_stop(relay):
    crash_mid_stream(relay, lambda: relay.stop_postgres("immediate"), exact=True,
                     isolation="read_committed", **EXACTLY_ONCE)
    assert "skipping them" in relay.log_since_start()


def test_exactly_once_refused_by_a_broker_without_transactions(relay, kafka_2_8):
    """Kafka 2.8's KRaft mode has no transaction coordinator: the relay says
    so in one log line and the view, and waits for new settings instead of
    restarting."""
    relay.configure(brokers=kafka_2_8.bootstrap, **EXACTLY_ONCE)
    relay.restart_postgres()
    deadline = time.time() + 60
    while time.time() < deadline and relay.status()["state"] != "misconfigured":
        time.sleep(0.2)
    s = relay.status()
    assert s["state"] == "misconfigured", s
    assert "exactly_once needs Kafka transactions" in s["last_error"]
    pid = s["pid"]
    time.sleep(5)
    s = relay.status()
    assert s["state"] == "misconfigured" and s["pid"] == pid and s["events_sent"] == 0
    assert relay.log_since_start().count("exactly_once needs Kafka transactions") == 1
