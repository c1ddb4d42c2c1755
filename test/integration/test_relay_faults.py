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


def test_no_loss_when_broker_arrives_late(relay):
    relay.kafka.kill()
    try:
        start(relay)
        with connect() as c:
            history, doubtful = w.run(c, w.Workload(3, CHANGES, SMALL))
        time.sleep(3)
        s = relay.status()
        assert s["events_sent"] == 0
        assert s["lag_bytes"] > 0
    finally:
        relay.kafka.start()
    assert doubtful is None
    check(relay, history)


def test_no_loss_on_postgres_immediate_stop(relay):
    crash_mid_stream(relay, lambda: relay.stop_postgres("immediate"))


def test_no_loss_on_worker_sigkill(relay):
    # at_least_once re-sends what the slot had not saved: allowed, checked.
    crash_mid_stream(relay, lambda: kill_worker(relay))
