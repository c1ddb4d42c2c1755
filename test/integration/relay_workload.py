"""A deterministic change workload and the check that Kafka holds its history.

The workload writes tables <name>(id int primary key, v bigint) with REPLICA
IDENTITY FULL; every change sets (or, for a delete, carries in `before`) a v
that is unique across the run, so an event in Kafka names the exact change it
reports, and re-sent events after a fault are recognisable as such.
"""
import json
import random
import time
from collections import defaultdict

import psycopg
from confluent_kafka import Consumer, TopicPartition

TABLES = ("relay_a", "relay_b", "relay_c")


def create_tables(conn):
    for t in TABLES + ("relay_txlog",):
        conn.execute(f"DROP TABLE IF EXISTS {t}")
    for t in TABLES:
        conn.execute(f"CREATE TABLE {t} (id int PRIMARY KEY, v bigint NOT NULL)")
        conn.execute(f"ALTER TABLE {t} REPLICA IDENTITY FULL")
    conn.execute("CREATE TABLE relay_txlog (n int PRIMARY KEY)")


class Workload:
    """Transactions of mixed sizes: inserts, updates and deletes."""

    def __init__(self, seed, total_changes, sizes=((0.70, 1, 5), (0.25, 50, 500), (0.05, 2000, 10000))):
        self.rng = random.Random(seed)
        self.total = total_changes
        self.sizes = sizes
        self.live = {t: [] for t in TABLES}
        self.next_id = 1
        self.next_v = 1
        self.history = defaultdict(list)        # (table, id) -> [(op, v)]

    def _size(self):
        r = self.rng.random()
        for p, lo, hi in self.sizes:
            if r < p:
                return self.rng.randint(lo, hi)
            r -= p
        return 1

    def transactions(self):
        """Yield (number, [(table, op, [(id, v)])]) until total changes are made."""
        done, n = 0, 0
        while done < self.total:
            size = min(self._size(), self.total - done)
            stmts, left = [], size
            while left > 0:
                t = self.rng.choice(TABLES)
                op = self.rng.choice("cud") if len(self.live[t]) > 10 else "c"
                k = min(left, self.rng.randint(1, max(1, size // 3)))
                if op == "c":
                    ids = list(range(self.next_id, self.next_id + k))
                    self.next_id += k
                    self.live[t].extend(ids)
                else:
                    ids = self.rng.sample(self.live[t], min(k, len(self.live[t])))
                    if op == "d":
                        gone = set(ids)
                        self.live[t] = [i for i in self.live[t] if i not in gone]
                rows = []
                for i in ids:
                    rows.append((i, self.next_v))
                    self.next_v += 1
                stmts.append((t, op, rows))
                left -= len(rows)
            yield n, stmts
            done += size
            n += 1

    def record(self, stmts):
        for t, op, rows in stmts:
            for i, v in rows:
                self.history[(t, i)].append((op, v))


def execute(conn, n, stmts):
    """One transaction; relay_txlog tells afterwards whether it committed."""
    with conn.transaction():
        for t, op, rows in stmts:
            ids = [r[0] for r in rows]
            vs = [r[1] for r in rows]
            if op == "c":
                conn.execute(f"INSERT INTO {t} (id, v) SELECT * FROM unnest(%s::int[], %s::bigint[])",
                             (ids, vs))
            elif op == "u":
                conn.execute(f"UPDATE {t} SET v = x.v FROM unnest(%s::int[], %s::bigint[]) x(id, v) "
                             f"WHERE {t}.id = x.id", (ids, vs))
            else:
                # A delete carries a fresh v: set it first (one more update), then delete.
                conn.execute(f"UPDATE {t} SET v = x.v FROM unnest(%s::int[], %s::bigint[]) x(id, v) "
                             f"WHERE {t}.id = x.id", (ids, vs))
                conn.execute(f"DELETE FROM {t} WHERE id = ANY(%s::int[])", (ids,))
        conn.execute("INSERT INTO relay_txlog VALUES (%s)", (n,))


def expected_events(stmts):
    """Kafka events a transaction's statements produce, as (table, id, op, v)."""
    out = []
    for t, op, rows in stmts:
        for i, v in rows:
            if op == "d":
                out.append((t, i, "u", v))
                out.append((t, i, "d", v))
            else:
                out.append((t, i, op, v))
    return out


def run(conn, workload, fault=None, fault_at=None, pause=0.0):
    """Run the workload; call fault() before transaction fault_at.

    Returns the history of what committed, per key: [(op, v)].  When the
    connection breaks (PostgreSQL stopped), stops, and settles the one
    transaction whose commit was in doubt with relay_txlog.
    """
    history = defaultdict(list)
    doubtful = None
    for n, stmts in workload.transactions():
        if fault is not None and n == fault_at:
            fault()
        try:
            execute(conn, n, stmts)
        except psycopg.OperationalError:
            doubtful = (n, stmts)
            break
        for t, i, op, v in expected_events(stmts):
            history[(t, i)].append((op, v))
        if pause:
            time.sleep(pause)
    return history, doubtful


def settle(history, doubtful, conn):
    if doubtful is None:
        return history
    n, stmts = doubtful
    if conn.execute("SELECT 1 FROM relay_txlog WHERE n = %s", (n,)).fetchone():
        for t, i, op, v in expected_events(stmts):
            history[(t, i)].append((op, v))
    return history


def payload(doc):
    if doc is None:
        return None
    d = json.loads(doc)
    if isinstance(d, dict) and "payload" in d and "schema" in d:
        return d["payload"]
    return d


def consume(bootstrap, prefix, expected_count, timeout=180, isolation="read_uncommitted"):
    """Read the relay's table topics from the start until expected_count
    distinct changes (by v) arrived and nothing new came for a while.
    Returns per (table, id) the events in partition order, as (op, v), and
    the number of tombstones."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "check-" + prefix + isolation,
                  "auto.offset.reset": "earliest", "enable.auto.commit": False,
                  "isolation.level": isolation,
                  "topic.metadata.refresh.interval.ms": 1000})
    c.subscribe([f"^{prefix}\\.public\\.relay_[abc]$"])
    events = defaultdict(list)
    seen = set()
    tombstones = 0
    deadline = time.time() + timeout
    quiet_until = None
    while time.time() < deadline:
        m = c.poll(0.5)
        if m is None:
            if len(seen) >= expected_count:
                quiet_until = quiet_until or time.time() + 3
                if time.time() > quiet_until:
                    break
            continue
        if m.error():
            continue
        table = m.topic().rsplit(".", 1)[1]
        key = payload(m.key())
        if m.value() is None:
            tombstones += 1
            continue
        p = payload(m.value())
        row = p["after"] if p["op"] in ("c", "u", "r") else p["before"]
        events[(table, key["id"])].append((p["op"], row["v"]))
        seen.add(row["v"] if p["op"] != "d" else -row["v"])
        quiet_until = None
    c.close()
    return events, tombstones


def first_occurrences(seq):
    """Drop re-sent events (same change seen before), keeping first order."""
    out, seen = [], set()
    for e in seq:
        if e not in seen:
            seen.add(e)
            out.append(e)
    return out


def assert_history(history, events, exact=True):
    """Every committed change arrived, in commit order per key; with exact,
    nothing arrived twice."""
    missing = {k: v for k, v in history.items() if first_occurrences(events.get(k, [])) != v}
    extra = set(events) - set(history)
    assert not missing, f"{len(missing)} keys differ, e.g. {list(missing.items())[:3]} " \
                        f"vs {[events.get(k) for k in list(missing)[:3]]}"
    assert not extra, f"events for keys never written: {list(extra)[:5]}"
    if exact:
        dups = {k: v for k, v in events.items() if len(v) != len(history[k])}
        assert not dups, f"{len(dups)} keys with duplicates, e.g. {list(dups.items())[:3]}"


def count(history):
    return sum(len(v) for v in history.values())
