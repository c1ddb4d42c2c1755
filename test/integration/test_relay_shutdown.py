"""A fast shutdown of PostgreSQL does not wait on Kafka.  The postmaster waits
for the relay worker to exit, and a worker blocked in librdkafka (committing a
Kafka transaction, flushing, or initialising transactions at start) used to
hold the shutdown for up to a minute.  Here the broker hangs (SIGSTOP) with
events in flight, PostgreSQL is stopped -m fast twice (mid-stream, then while
the relay starts against the hung broker), and once the broker is back every
committed change is in Kafka: exactly once in exactly_once mode."""
import threading
import time

import pytest

import relay_workload as w
from conftest import connect
from relay_scenarios import CHANGES, SMALL, check, start

# pg_ctl waits 120 s (test/pg_cluster.sh): this is a bound on a hang, not a
# performance target; the relay gives way in a few seconds.
STOP_LIMIT_S = 30


def stop_mid_stream_with_broker_hung(relay):
    """Write while the relay streams; hang the broker; keep writing for 2 s
    so the relay has a transaction open on Kafka; then stop PostgreSQL
    (fast), which breaks the workload.  Returns the history, the transaction
    in doubt and the stop's duration."""
    outcome = []

    def stop():
        time.sleep(2)
        try:
            outcome.append(relay.stop_postgres_within(STOP_LIMIT_S))
        except AssertionError as e:
            outcome.append(e)

    stopper = threading.Thread(target=stop)

    def hang_broker():
        relay.wait_sent(1000)
        relay.kafka.pause()
        stopper.start()

    conn = connect()
    try:
        history, doubtful = w.run(conn, w.Workload(9, 10 * CHANGES, SMALL), hang_broker, 100,
                                  pause=0.002)
    finally:
        conn.close()
        if stopper.ident is not None:
            stopper.join()
    assert outcome, "the workload ended before the broker hung"
    if isinstance(outcome[0], AssertionError):
        raise outcome[0]
    return history, doubtful, outcome[0]


@pytest.mark.parametrize("mode", ["exactly_once", "at_least_once"])
def test_fast_stop_does_not_wait_on_a_hung_broker(relay, mode):
    exact = mode == "exactly_once"
    start(relay, delivery_mode=mode, batch_max_events="2000")
    relay.wait_streaming()
    try:
        history, doubtful, mid_stream = stop_mid_stream_with_broker_hung(relay)
        assert doubtful is not None, "the stop did not interrupt the workload"
        # Starting against the hung broker: exactly_once blocks in
        # init_transactions; stopping must not wait for it either.
        relay.start_postgres()
        time.sleep(1)
        at_start = relay.stop_postgres_within(STOP_LIMIT_S)
    finally:
        relay.kafka.resume()
    print(f"{mode}: fast stops took {mid_stream:.1f} s mid-stream, {at_start:.1f} s at start")
    relay.start_postgres()
    with connect() as c:
        history = w.settle(history, doubtful, c)
    relay.wait_streaming()
    check(relay, history, exact=exact, isolation="read_committed" if exact else "read_uncommitted")
