"""The relay's core guarantee on a healthy system: every committed change
reaches Kafka once, in commit order per key."""
import relay_workload as w
from conftest import connect


def test_every_committed_change_arrives(relay):
    relay.configure()
    relay.restart_postgres()
    with connect() as c:
        w.create_tables(c)
    relay.wait_streaming()

    workload = w.Workload(seed=1, total_changes=100_000)
    with connect() as c:
        history, doubtful = w.run(c, workload)
    assert doubtful is None
    relay.wait_caught_up()

    events, tombstones = w.consume(relay.kafka.bootstrap, relay.prefix, w.count(history))
    w.assert_history(history, events, exact=True)
    deletes = sum(1 for h in history.values() for op, _ in h if op == "d")
    assert tombstones == deletes
    assert w.count(history) >= 100_000
    status = relay.status()
    assert status["events_sent"] >= w.count(history) + deletes
    assert status["retries"] == 0
