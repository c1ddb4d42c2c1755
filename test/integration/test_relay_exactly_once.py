"""exactly_once: Kafka transactions around whole PostgreSQL transactions,
with their end LSN in the offsets topic; a read_committed consumer sees every
change once, also after the worker or PostgreSQL crashed mid-stream."""
import relay_workload as w
from conftest import connect
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


def test_exactly_once_no_duplicates_after_postgres_immediate_stop(relay):
    crash_mid_stream(relay, lambda: relay.stop_postgres("immediate"), exact=True,
                     isolation="read_committed", **EXACTLY_ONCE)
    assert "skipping them" in relay.log_since_start()
