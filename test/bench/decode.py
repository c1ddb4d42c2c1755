#!/usr/bin/env python3
"""Decoder throughput: our plugin against wal2json and pgoutput on the same WAL.

On the running test cluster (PGHOST, PGPORT, PGUSER), in a fresh database:
1M single-row INSERT statements committed every 1,000 rows, then 200k
single-row UPDATEs committed every 1,000 rows (plpgsql procedures).  Slots for
every contender are created before each phase; each slot is then decoded up to
the phase's end LSN with pg_logical_slot_peek_changes (pgoutput:
pg_logical_slot_peek_binary_changes) counting lines and bytes, and timed.
Prints rows/s and bytes/row per contender and phase, and our ratio to each peer.

    python3 test/bench/decode.py [--rows 1000000] [--updates 200000]
"""
import argparse
import os
import time

import psycopg

DB = "bench_decode"

CONTENDERS = [
    # name, plugin, options
    ("pub_backoffice (values, schemas off)", "pub_backoffice",
     {"topic.prefix": "bench", "schemas.enable": "false"}),
    ("pub_backoffice (values, schemas on)", "pub_backoffice",
     {"topic.prefix": "bench", "schemas.enable": "true"}),
    ("wal2json format-version 2", "wal2json", {"format-version": "2"}),
    ("pgoutput (binary, proto 1)", "pgoutput",
     {"proto_version": "1", "publication_names": "bench"}),
]
OURS, PEERS = CONTENDERS[:2], CONTENDERS[2:]


def connect(dbname):
    return psycopg.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                           user=os.environ.get("PGUSER", "postgres"), dbname=dbname,
                           autocommit=True)


def setup():
    with connect("postgres") as admin:
        for (slot,) in admin.execute("SELECT slot_name FROM pg_replication_slots WHERE database = %s",
                                     (DB,)).fetchall():
            admin.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
        admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB}")
    with connect(DB) as conn:
        conn.execute("""CREATE TABLE sale_line (id bigint PRIMARY KEY, product text NOT NULL,
                        qty int NOT NULL, unit_price numeric(10,2) NOT NULL,
                        sold_at timestamptz NOT NULL)""")
        conn.execute("CREATE PUBLICATION bench FOR TABLE sale_line")
        # One statement per row, a commit every 1,000 rows.
        conn.execute("""CREATE PROCEDURE sell(n bigint) LANGUAGE plpgsql AS $$
            BEGIN
                FOR i IN 1..n LOOP
                    INSERT INTO sale_line VALUES (i, 'product ' || (i % 97), 1 + i % 5,
                        (i % 1000) / 100.0 + 2.5, '2026-01-01 18:00+00'::timestamptz + i * interval '1 second');
                    IF i % 1000 = 0 THEN COMMIT; END IF;
                END LOOP;
            END $$""")
        conn.execute("""CREATE PROCEDURE correct(n bigint) LANGUAGE plpgsql AS $$
            BEGIN
                FOR i IN 1..n LOOP
                    UPDATE sale_line SET qty = qty + 1 WHERE id = i;
                    IF i % 1000 = 0 THEN COMMIT; END IF;
                END LOOP;
            END $$""")


def create_slots(conn, phase):
    slots = {}
    for i, (name, plugin, _) in enumerate(CONTENDERS):
        slot = f"bench_{phase}_{i}"
        conn.execute("SELECT pg_create_logical_replication_slot(%s, %s)", (slot, plugin))
        slots[name] = slot
    return slots


def run_phase(conn, call):
    """Run the phase's procedure; return the LSN just past its last commit."""
    conn.execute(call)
    return conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]


def peek(conn, slot, plugin, plugin_options, endpos):
    """Seconds, lines and bytes for decoding `slot` up to `endpos` with the SQL peek function."""
    fn = "pg_logical_slot_peek_binary_changes" if plugin == "pgoutput" else "pg_logical_slot_peek_changes"
    flat = [x for kv in plugin_options.items() for x in kv]
    started = time.monotonic()
    lines, size = conn.execute(f"SELECT count(*), coalesce(sum(octet_length(data)), 0) FROM {fn}(%s, %s::pg_lsn, NULL"
                               + ", %s" * len(flat) + ")", [slot, endpos, *flat]).fetchone()
    return time.monotonic() - started, lines, size


def measure(conn, slots, rows, endpos):
    results = {}
    for name, plugin, options in CONTENDERS:
        secs, lines, size = peek(conn, slots[name], plugin, options, endpos)
        # Our value output is one line per row change: anything else means
        # the numbers would not measure what they claim to.
        if plugin == "pub_backoffice" and lines != rows:
            raise SystemExit(f"{name}: {lines} lines for {rows} row changes")
        results[name] = (rows / secs, size / rows, secs)
    return results


def report(phase, rows, results):
    print(f"\n{phase}: {rows} rows decoded")
    print(f"  {'contender':<40} {'rows/s':>10} {'bytes/row':>10} {'seconds':>8}")
    for name, (rate, per_row, secs) in results.items():
        print(f"  {name:<40} {rate:>10.0f} {per_row:>10.1f} {secs:>8.2f}")
    for ours, _, _ in OURS:
        ratios = ", ".join(f"{results[ours][0] / results[p][0]:.2f}x {p}" for p, _, _ in PEERS)
        print(f"  {ours}: {ratios}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=int(os.environ.get("PBO_BENCH_ROWS", 1_000_000)))
    ap.add_argument("--updates", type=int, default=int(os.environ.get("PBO_BENCH_UPDATES", 200_000)))
    a = ap.parse_args()
    setup()
    with connect(DB) as conn:
        slots = create_slots(conn, "insert")
        end = run_phase(conn, f"CALL sell({a.rows})")
        inserts = measure(conn, slots, a.rows, end)
        slots = create_slots(conn, "update")
        end = run_phase(conn, f"CALL correct({a.updates})")
        updates = measure(conn, slots, a.updates, end)
        for (slot,) in conn.execute("SELECT slot_name FROM pg_replication_slots WHERE database = %s",
                                    (DB,)).fetchall():
            conn.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
    print("decoder throughput: SQL peek functions, count(*) and sum(octet_length(data)), 1,000-row transactions")
    report("inserts", a.rows, inserts)
    report("updates", a.updates, updates)


if __name__ == "__main__":
    main()
