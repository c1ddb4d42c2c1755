"""Scenarios shared by the relay's fault tests: configure and start, crash
mid-stream, check what Kafka holds."""
import os
import signal
import time

import relay_workload as w
from conftest import connect

CHANGES = 20_000
SMALL = ((0.8, 1, 5), (0.2, 50, 300))


def start(relay, **settings):
    relay.configure(**settings)
    relay.restart_postgres()
    with connect() as c:
        w.create_tables(c)


def check(relay, history, exact=False, isolation="read_uncommitted"):
    """Every committed change is in Kafka in commit order per key; with
    exact, each exactly once."""
    relay.wait_caught_up()
    events, _ = w.consume(relay.kafka.bootstrap, relay.prefix, w.count(history),
                          isolation=isolation)
    w.assert_history(history, events, exact=exact)


def kill_worker(relay):
    os.kill(relay.status()["pid"], signal.SIGKILL)
    time.sleep(1)   # the postmaster restarts the cluster


def crash_mid_stream(relay, crash, exact=False, isolation="read_uncommitted", **settings):
    """Write while the relay streams; crash() after 300 transactions breaks
    the workload's connection; then check after recovery."""
    # Save the slot rarely, so Kafka is surely ahead of it at the crash.
    start(relay, slot_save_interval="30s", **settings)
    relay.wait_streaming()

    def crash_once_streaming():
        relay.wait_sent(1000)
        crash()

    conn = connect()
    try:
        history, doubtful = w.run(conn, w.Workload(4, CHANGES, SMALL), crash_once_streaming, 400,
                                  pause=0.002)
    finally:
        conn.close()
    assert doubtful is not None, "the crash did not interrupt the workload"
    relay.start_postgres()
    with connect() as c:
        history = w.settle(history, doubtful, c)
    relay.wait_streaming()
    check(relay, history, exact=exact, isolation=isolation)
