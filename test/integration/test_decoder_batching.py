"""Lines packed into replication messages (the option batch.bytes): a
streaming walsender sends several events per message, '\\n' between them, so
pg_recvlogical's output (each message, then '\\n') is the same line for line
with batching on, off or at any size, and equal to the SQL function's rows;
a raw consumer gets whole lines only, each message labelled with its last
line's LSN, and everything of a transaction once its COMMIT is decoded."""
import json
import os
import socket
import struct
import subprocess
import time

import pytest

from conftest import bindir, connect

SLOT = "batching_slot"
TABLE = "batching_tab"


SIZES = (None, "0", "1", "4kB", "1MB")   # None: the default
SLOTS = [SLOT] + [f"{SLOT}_{i}" for i in range(len(SIZES))]


@pytest.fixture
def conn():
    """A table and, as pg_recvlogical confirms what it wrote, one slot per run."""
    with connect() as c:
        c.execute(f"DROP TABLE IF EXISTS {TABLE}")
        for slot in SLOTS:
            if c.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = %s", (slot,)).fetchone():
                c.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
        c.execute(f"CREATE TABLE {TABLE} (id int PRIMARY KEY, name text, qty int)")
        for slot in SLOTS:
            c.execute("SELECT pg_create_logical_replication_slot(%s, 'pub_backoffice')", (slot,))
        try:
            yield c
        finally:
            # a walsender whose client went away may hold its slot a moment
            deadline = time.monotonic() + 30
            while c.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = ANY(%s) AND active",
                            (SLOTS,)).fetchone() and time.monotonic() < deadline:
                time.sleep(0.1)
            for slot in SLOTS:
                c.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
            c.execute(f"DROP TABLE {TABLE}")


def workload(c):
    """Large and small transactions, updates, deletes (tombstones), a key
    change, messages in and outside transactions and a truncate."""
    c.execute("SELECT pg_logical_emit_message(false, 'till', 'open')")
    with c.transaction():
        c.execute(f"INSERT INTO {TABLE} SELECT g, repeat('ale ', g % 50), g FROM generate_series(1, 3000) g")
        c.execute("SELECT pg_logical_emit_message(true, 'till', 'big one')")
        c.execute(f"UPDATE {TABLE} SET qty = qty + 1 WHERE id <= 500")
        c.execute(f"DELETE FROM {TABLE} WHERE id > 2900")
    c.execute(f"INSERT INTO {TABLE} VALUES (5000, 'stout', 1)")
    c.execute(f"UPDATE {TABLE} SET id = 5001 WHERE id = 5000")
    c.execute("SELECT pg_logical_emit_message(false, 'till', repeat('x', 100000))")
    c.execute(f"DELETE FROM {TABLE} WHERE id = 5001")
    for i in range(5):
        c.execute(f"UPDATE {TABLE} SET name = 'porter' WHERE id = %s", (i + 1,))
    c.execute(f"TRUNCATE {TABLE}")
    c.execute(f"INSERT INTO {TABLE} VALUES (1, 'mild', 2)")
    return c.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]


def recvlogical(slot, end, options):
    args = [f"{bindir()}/pg_recvlogical", "-d", "postgres", "-S", slot, "--start", "--no-loop",
            "-E", end, "-f", "-"]
    for k, v in options.items():
        args += ["-o", f"{k}={v}"]
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True, timeout=120).stdout


def sql_rows(c, end, options):
    flat = [x for kv in options.items() for x in kv]
    return [r[0] for r in c.execute(
        "SELECT data FROM pg_logical_slot_peek_changes(%s, %s::pg_lsn, NULL" + ", %s" * len(flat) + ")",
        [SLOT, end, *flat]).fetchall()]


OPTION_SETS = [
    {"schemas.enable": "false", "output": "record", "skipped.operations": "none"},
    {"schemas.enable": "true", "output": "record", "skipped.operations": "none",
     "provide.transaction.metadata": "true"},
    {"schemas.enable": "true"},
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=["schemas-off", "schemas-on-txmeta", "values"])
def test_pg_recvlogical_output_is_the_same_with_batching_on_and_off(conn, options):
    end = workload(conn)
    options = dict(options, **{"mask.volatile": "true"})
    rows = sql_rows(conn, end, options)
    assert len(rows) > 3000
    outputs = {size: recvlogical(slot, end, dict(options, **({"batch.bytes": size} if size else {})))
               for slot, size in zip(SLOTS[1:], SIZES)}
    for size, out in outputs.items():
        assert out == "".join(row + "\n" for row in rows), f"batch.bytes={size}"


class RawStream:
    """START_REPLICATION over a bare socket: each XLogData message as it
    arrives, (dataStart, data), with no line splitting in between."""

    def __init__(self, options):
        path = os.path.join(os.environ["PGHOST"], f".s.PGSQL.{os.environ['PGPORT']}")
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        params = b"".join(k + b"\0" + v + b"\0" for k, v in (
            (b"user", os.environ.get("PGUSER", "postgres").encode()), (b"database", b"postgres"),
            (b"replication", b"database"))) + b"\0"
        self.sock.sendall(struct.pack("!II", 8 + len(params), 196608) + params)
        self.buf = b""
        while self.message()[0] != b"Z":
            pass
        opts = ", ".join(f'"{k}" \'{v}\'' for k, v in options.items())
        query = f'START_REPLICATION SLOT "{SLOT}" LOGICAL 0/0' + (f" ({opts})" if opts else "")
        self.send(b"Q", query.encode() + b"\0")
        kind, _ = self.message()
        assert kind == b"W", kind

    def send(self, kind, body):
        self.sock.sendall(kind + struct.pack("!I", 4 + len(body)) + body)

    def read(self, n, deadline):
        while len(self.buf) < n:
            self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError("walsender closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def message(self, deadline=None):
        deadline = deadline or time.monotonic() + 30
        kind = self.read(1, deadline)
        (length,) = struct.unpack("!I", self.read(4, deadline))
        body = self.read(length - 4, deadline)
        if kind == b"E":
            raise RuntimeError(body.decode(errors="replace"))
        return kind, body

    def xlogdata(self, timeout):
        """The next XLogData message, answering keepalives; None at the timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                kind, body = self.message(deadline)
            except socket.timeout:
                return None
            if kind == b"d" and body[:1] == b"w":
                return struct.unpack("!Q", body[1:9])[0], body[25:].decode()
            if kind == b"d" and body[:1] == b"k" and body[17:18] == b"\1":
                self.send(b"d", b"r" + struct.pack("!QQQQB", 0, 0, 0, 0, 0))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.send(b"X", b"")
        self.sock.close()


def lines_until(stream, count, timeout):
    """Read messages until `count` lines arrived; [(message lsn, [lines])]."""
    messages, seen = [], 0
    while seen < count:
        got = stream.xlogdata(timeout)
        assert got is not None, f"{seen} of {count} lines arrived"
        messages.append((got[0], got[1].split("\n")))
        seen += len(messages[-1][1])
    assert seen == count
    return messages


def test_raw_consumer_gets_whole_lines_and_each_commit_at_once(conn):
    with RawStream({"schemas.enable": "false", "batch.bytes": "16kB"}) as stream:
        # a small transaction: all of it as soon as its commit is decoded,
        # with no later WAL to push it out
        conn.execute(f"INSERT INTO {TABLE} SELECT g, 'mild', g FROM generate_series(1, 5) g")
        small = lines_until(stream, 5, timeout=20)
        assert len(small) == 1
        assert stream.xlogdata(timeout=1) is None
        # a large one: several messages, every line a whole event, each
        # message labelled with its last line's LSN, nothing left over
        conn.execute(f"INSERT INTO {TABLE} SELECT g, repeat('x', 200), g FROM generate_series(6, 3005) g")
        large = lines_until(stream, 3000, timeout=30)
        assert 10 < len(large) < 300
        ids = []
        for lsn, lines in large:
            events = [json.loads(line) for line in lines]
            assert lsn == events[-1]["source"]["lsn"]
            assert len("\n".join(lines)) < 16 * 1024 + 1024
            ids += [e["after"]["id"] for e in events]
        assert ids == list(range(6, 3006))
        assert stream.xlogdata(timeout=1) is None
        # a message outside a transaction is not held back either (the empty
        # transaction after it only gets the WAL flushed)
        conn.execute("SELECT pg_logical_emit_message(false, 'till', 'last orders')")
        conn.execute("SELECT txid_current()")
        (lsn, lines), = lines_until(stream, 1, timeout=20)
        assert json.loads(lines[0])["op"] == "m"
        assert lsn == json.loads(lines[0])["source"]["lsn"]


def test_batching_off_sends_one_event_per_message(conn):
    with RawStream({"schemas.enable": "false", "batch.bytes": "0"}) as stream:
        conn.execute(f"INSERT INTO {TABLE} SELECT g, 'mild', g FROM generate_series(1, 50) g")
        messages = lines_until(stream, 50, timeout=20)
        assert len(messages) == 50
        assert all(lsn == json.loads(lines[0])["source"]["lsn"] for lsn, lines in messages)
