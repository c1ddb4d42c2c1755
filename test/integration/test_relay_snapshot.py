"""The initial snapshot under concurrent writes: every existing row goes out
as op r from the slot's exported snapshot, then streaming continues from the
snapshot's own position, so each key's Kafka history is the database's
history of that key from the snapshot on, with no change missing and none
reported twice."""
import random
import threading
import time
from collections import defaultdict

import psycopg
from confluent_kafka import Consumer

from conftest import connect
from relay_scenarios import kill_worker
from relay_workload import payload

ROWS = 20_000
TABLE = "relay_snap"


class Writer(threading.Thread):
    """Single-threaded autocommit inserts, updates and deletes; every change
    sets (or, for a delete, carries) a v unique across the run, so the
    history per key is known exactly and in commit order."""

    def __init__(self):
        super().__init__(daemon=True)
        self.history = defaultdict(list)
        for i in range(ROWS):
            self.history[i].append(("c", i))
        self.next_v = ROWS
        self.next_id = ROWS
        self.stop = threading.Event()
        self.error = None

    def run(self):
        rnd = random.Random(3)
        try:
            with connect() as c:
                while not self.stop.is_set():
                    self.change(c, rnd)
                    time.sleep(0.001)
        except Exception as e:  # reported by the test
            self.error = e

    def change(self, c, rnd):
        pick = rnd.random()
        v = self.next_v
        self.next_v += 1
        if pick < 0.4:
            i = self.next_id
            self.next_id += 1
            c.execute(f"INSERT INTO {TABLE} VALUES (%s, %s)", (i, v))
            self.history[i].append(("c", v))
            return
        i = rnd.randrange(self.next_id)
        if pick < 0.9:
            if c.execute(f"UPDATE {TABLE} SET v = %s WHERE id = %s", (v, i)).rowcount:
                self.history[i].append(("u", v))
            return
        row = c.execute(f"DELETE FROM {TABLE} WHERE id = %s RETURNING v", (i,)).fetchone()
        if row:
            self.history[i].append(("d", row[0]))


def ends_in(final):
    """Each key's last event shows the database's final state."""
    return lambda events: all(
        events[i] and events[i][-1][:2] in (("c", v), ("u", v), ("r", v)) for i, v in final.items())


def consume(bootstrap, topic, done, timeout=120):
    """The topic from the start, per key, until done(events) and nothing new
    came for a few seconds."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "snap-" + topic,
                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "topic.metadata.refresh.interval.ms": 1000})
    c.subscribe([topic])
    events = defaultdict(list)
    deadline, quiet_until = time.time() + timeout, None
    while time.time() < deadline:
        m = c.poll(0.5)
        if m is None or m.error():
            if done(events):
                quiet_until = quiet_until or time.time() + 3
                if time.time() > quiet_until:
                    break
            continue
        if m.value() is None:
            continue    # tombstone after a delete
        p = payload(m.value())
        row = p["before"] if p["op"] == "d" else p["after"]
        events[payload(m.key())["id"]].append((p["op"], row["v"], p["source"]))
        quiet_until = None
    c.close()
    return events


def load(rows):
    with connect() as c:
        c.execute(f"DROP TABLE IF EXISTS {TABLE}")
        c.execute(f"CREATE TABLE {TABLE} (id int PRIMARY KEY, v bigint NOT NULL)")
        c.execute(f"ALTER TABLE {TABLE} REPLICA IDENTITY FULL")
        c.execute(f"INSERT INTO {TABLE} SELECT g, g FROM generate_series(0, {rows - 1}) g")


def test_snapshot_under_concurrent_writes_no_row_missing_none_doubled(relay):
    relay.configure(brokers="")
    relay.restart_postgres()
    load(ROWS)
    writer = Writer()
    writer.start()
    time.sleep(0.5)
    # The relay starts (and takes its snapshot) while the writer runs.
    relay.configure(snapshot_mode="initial", table_include_list=f"public.{TABLE}")
    with connect() as c:
        c.execute("SELECT pg_reload_conf()")
    status = relay.wait_streaming(timeout=60)
    time.sleep(1)
    writer.stop.set()
    writer.join()
    assert writer.error is None, writer.error
    status = relay.wait_caught_up()
    assert status["snapshot_table"] == f"public.{TABLE}"

    with connect() as c:
        final = dict(c.execute(f"SELECT id, v FROM {TABLE}").fetchall())
    events = consume(relay.kafka.bootstrap, f"{relay.prefix}.public.{TABLE}", ends_in(final))

    reads = [e for evs in events.values() for e in evs if e[0] == "r"]
    assert reads, "no snapshot reads"
    assert status["snapshot_rows_done"] == len(reads)
    markers = [e[2]["snapshot"] for e in reads]
    assert markers[0] == "first" or "first" in markers
    assert markers.count("first") == 1 and markers.count("last") == 1
    assert set(markers) <= {"first", "true", "last"}
    assert len({e[2]["lsn"] for e in reads}) == 1, "snapshot reads from several positions"
    streamed = [e for evs in events.values() for e in evs if e[0] != "r"]
    assert all(e[2].get("snapshot") in (None, "false", False) for e in streamed)

    folded = carried_on = 0
    for i, hist in writer.history.items():
        got = [(op, v) for op, v, _ in events.get(i, [])]
        if got and got[0][0] == "r":
            # r shows the key's state at the snapshot; the rest follows it
            # exactly: nothing missing, nothing already in the snapshot.
            states = [k for k, (op, v) in enumerate(hist) if op != "d" and v == got[0][1]]
            assert states, f"id {i}: r {got[0]} is no state the row had: {hist}"
            k = states[0]
            assert got[1:] == hist[k + 1:], f"id {i}: {got} after snapshot vs {hist}"
            assert all(op != "r" for op, _ in got[1:]), f"id {i} read twice: {got}"
            folded += k > 0
            carried_on += len(got) > 1
        else:
            # Not in the snapshot: inserted after it (full history), or
            # deleted before it (nothing).
            assert got == hist or (not got and hist[-1][0] == "d"), \
                f"id {i}: {got} vs {hist}"
        if i in final:
            assert got and got[-1] in (("c", final[i]), ("u", final[i]), ("r", final[i])), \
                f"id {i} ends in {got[-1:] or 'nothing'}, database has v={final[i]}"
        else:
            assert not got or got[-1][0] == "d", f"id {i} deleted but Kafka ends in {got[-1]}"
    assert not set(events) - set(writer.history), "events for keys never written"
    # The writes really overlapped the snapshot: some came before its
    # position (the r shows them), some after (streamed behind the r).
    assert folded > 0 and carried_on > 0, (folded, carried_on)


def test_crash_mid_snapshot_takes_the_whole_snapshot_again(relay):
    """The worker is SIGKILLed while the snapshot is half sent: the slot was
    still ephemeral, so the next start creates it again and sends every row,
    instead of streaming as if the snapshot had finished."""
    rows = 100_000
    relay.configure(brokers="")
    relay.restart_postgres()
    load(rows)
    # A small producer queue keeps the snapshot slow enough to interrupt.
    relay.configure(snapshot_mode="initial", table_include_list=f"public.{TABLE}",
                    queue_max_messages="100")
    with connect() as c:
        c.execute("SELECT pg_reload_conf()")
    deadline = time.time() + 60
    while time.time() < deadline:
        s = relay.status()
        if s["state"] == "snapshot" and (s["snapshot_rows_done"] or 0) > 1000:
            break
        time.sleep(0.02)
    assert s["state"] == "snapshot" and s["snapshot_rows_done"] < rows, s
    kill_worker(relay)
    relay.start_postgres()
    relay.wait_streaming(timeout=120)
    with connect() as c:
        c.execute(f"INSERT INTO {TABLE} VALUES ({rows}, {rows})")
    relay.wait_caught_up()

    def complete(events):
        return len(events) == rows + 1 and all(
            any(op == "r" for op, _, _ in evs) for i, evs in events.items() if i < rows)

    events = consume(relay.kafka.bootstrap, f"{relay.prefix}.public.{TABLE}", complete)
    missing = [i for i in range(rows) if not any(op == "r" and v == i for op, v, _ in events[i])]
    assert not missing, f"{len(missing)} rows never sent, e.g. {missing[:5]}"
    assert [(op, v) for op, v, _ in events[rows]] == [("c", rows)]
    last = [i for i, evs in events.items() if any(src.get("snapshot") == "last" for _, _, src in evs)]
    assert len(last) == 1, "the snapshot was not completed exactly once"
    assert relay.log_since_start().count("created logical replication slot") == 2
