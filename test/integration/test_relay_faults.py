"""No loss under faults: broker killed, broker late, PostgreSQL stopped with
-m immediate, relay worker SIGKILLed.  After each, every committed change is
in Kafka in commit order per key (re-sends allowed: at-least-once)."""
import threading
import time

import relay_workload as w
from conftest import connect
from relay_scenarios import CHANGES, SMALL, check, crash_mid_stream, kill_worker, start

def test_no_loss_on_broker_kill(relay):
    start(relay)
    relay.wait_streaming()
    restarted = []

    def kill_broker():
        relay.kafka.kill()
        threading.Timer(5, lambda: restarted.append(relay.kafka.start())).start()

    with connect() as c:
        history, doubtful = w.run(c, w.Workload(2, CHANGES, SMALL), kill_broker, 200, pause=0.002)
    assert doubtful is None
    while not restarted:
        time.sleep(0.2)
    check(relay, history)
    assert relay.status()["state"] == "streaming"


def rss_anon_kb(pid):
    """Private (non-shared) resident memory of a process."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("RssAnon:"))


def test_no_loss_when_broker_arrives_late(relay):
    """Also: while the broker is gone, the worker's memory stays bounded by
    the producer queue, not by the backlog."""
    relay.kafka.kill()
    try:
        start(relay, queue_max_messages="2000")
        pid = relay.status()["pid"]
        base = rss_anon_kb(pid)
        with connect() as c:
            history, doubtful = w.run(c, w.Workload(3, CHANGES, SMALL))
        time.sleep(3)
        s = relay.status()
        assert s["events_sent"] == 0
        assert s["lag_bytes"] > 0
        growth_kb = rss_anon_kb(pid) - base
    finally:
        relay.kafka.start()
    assert doubtful is None
    check(relay, history)
    backlog_kb = relay.status()["bytes_sent"] / 1024
    print(f"worker grew {growth_kb} kB while a {backlog_kb:.0f} kB backlog waited")
    assert growth_kb < 16 * 1024, f"worker grew {growth_kb} kB while the broker was gone"
    assert backlog_kb > 3 * 16 * 1024, f"backlog {backlog_kb:.0f} kB is too small to tell"


def test_no_loss_on_postgres_immediate_stop(relay):
    crash_mid_stream(relay, lambda: relay.stop_postgres("immediate"))


def test_no_loss_on_worker_sigkill(relay):
    # at_least_once re-sends what the slot had not saved: allowed, checked.
    crash_mid_stream(relay, lambda: kill_worker(relay))


def test_no_loss_on_fatal_producer_error(relay):
    """A fatal producer error (as the idempotent producer raises on an
    inconsistent sequence) tears the producer down; the relay resumes from
    the slot and the view shows it happened."""
    start(relay)
    relay.wait_streaming()

    def fatal():
        relay.wait_sent(500)
        with connect() as c:
            c.execute("SELECT pub.relay_inject_fatal_error()")

    with connect() as c:
        history, doubtful = w.run(c, w.Workload(6, CHANGES, SMALL), fatal, 300, pause=0.002)
    assert doubtful is None
    check(relay, history)
    s = relay.status()
    assert s["retries"] >= 1 and "fatal Kafka producer error" in s["last_error"]
    assert s["state"] == "streaming"
