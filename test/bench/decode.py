#!/usr/bin/env python3
"""Decoder throughput: our plugin against wal2json and pgoutput on the same WAL.

On the running test cluster (PGHOST, PGPORT, PGUSER), in a fresh database:
1M single-row INSERT statements committed every 1,000 rows, then 200k
single-row UPDATEs committed every 1,000 rows (plpgsql procedures).  Slots for
every contender are created before each phase; each slot is then decoded up to
the phase's end LSN twice, each timed:
  - SQL: pg_logical_slot_peek_changes (pgoutput: ..._peek_binary_changes)
    with count(*) and sum(octet_length(data)) -- the interface the issue's
    reference figures used; its tuplestore spills large outputs to temp files;
  - walsender: START_REPLICATION read by stream_count.c (libpq, counts and
    discards), which adds the walsender's per-message protocol work; ours
    packs several lines into a message (option batch.bytes), so its rows are
    counted as lines.
A last contender, the bench-only plugin test/bench/fixed_output, writes a line
of exactly as many bytes per change as ours does with schemas on and does
nothing else: its rate through the SQL function is the ceiling there for any
plugin writing that many bytes, so it tells how much of a gap is ours and how
much the interface's.  (Through the walsender it sends a message per line,
so it is no ceiling for ours, which packs lines into messages.)
Prints rows/s per method, bytes/row, lines per walsender message, and our
ratio to each peer; for the SQL
function also rows per second of the backend's CPU time (user + system, from
/proc, so the server must be local), which load on a shared machine disturbs
far less than elapsed time.

    python3 test/bench/decode.py [--rows 1000000] [--updates 200000] [--repeat 1]

--repeat K (or PBO_BENCH_REPEAT) decodes each slot K times per interface and
keeps the fastest run, which on a shared machine is the least disturbed one.
"""
import argparse
import os
import subprocess
import time
from pathlib import Path

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
# Ours with schemas on writes 3,172 bytes per inserted row (3,173 per update).
CEILING = ("ceiling: 3,172 bytes/row, no work", "fixed_output", {"bytes": "3172"})
OURS, PEERS = CONTENDERS[:2], CONTENDERS[2:]
CONTENDERS = CONTENDERS + [CEILING]


HERE = Path(__file__).resolve().parent
STREAM_COUNT = HERE.parent / ".work" / "stream_count"


def build_stream_count():
    src = HERE / "stream_count.c"
    if STREAM_COUNT.exists() and STREAM_COUNT.stat().st_mtime >= src.stat().st_mtime:
        return
    STREAM_COUNT.parent.mkdir(parents=True, exist_ok=True)
    include = subprocess.run([os.environ.get("PG_CONFIG", "pg_config"), "--includedir"], check=True,
                             stdout=subprocess.PIPE, text=True).stdout.strip()
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", f"-I{include}", "-o", str(STREAM_COUNT),
                    str(src), "-lpq"], check=True)


def install_fixed_output():
    pg_config = os.environ.get("PG_CONFIG", "pg_config")
    subprocess.run(["make", "-s", "-C", str(HERE / "fixed_output"), f"PG_CONFIG={pg_config}", "install"],
                   check=True, stdout=subprocess.DEVNULL)


def allow_fixed_output(admin):
    """Debian's 15.19+ only lets listed libraries act as output plugins: add
    the bench plugin to the list (undone by forbid_fixed_output)."""
    if not admin.execute("SELECT 1 FROM pg_settings WHERE name = 'output_plugin_libraries'").fetchone():
        return
    names = [n.strip() for n in admin.execute("SHOW output_plugin_libraries").fetchone()[0].split(",") if n.strip()]
    if "fixed_output" not in names:
        admin.execute("ALTER SYSTEM SET output_plugin_libraries = " + ", ".join(names + ["fixed_output"]))
        admin.execute("SELECT pg_reload_conf()")


def forbid_fixed_output(admin):
    if admin.execute("SELECT 1 FROM pg_settings WHERE name = 'output_plugin_libraries'").fetchone():
        admin.execute("ALTER SYSTEM RESET output_plugin_libraries")
        admin.execute("SELECT pg_reload_conf()")


def connect(dbname):
    return psycopg.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                           user=os.environ.get("PGUSER", "postgres"), dbname=dbname,
                           autocommit=True)


def setup():
    with connect("postgres") as admin:
        allow_fixed_output(admin)
        for (slot,) in admin.execute("SELECT slot_name FROM pg_replication_slots WHERE database = %s",
                                     (DB,)).fetchall():
            admin.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
        admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB}")
    with connect(DB) as conn:
        conn.execute("""CREATE TABLE sale_line (id bigint PRIMARY KEY, product text NOT NULL,
                        qty int NOT NULL, unit_price numeric(10,2) NOT NULL,
                        sold_at timestamptz NOT NULL)""")
        # An autovacuum ANALYZE of it is a transaction that may start before a
        # phase's end LSN and commit after it: wal2json's BEGIN message for it
        # carries an LSN before the end, so the walsender would count it and
        # SQL (which stops at the last commit) not.
        conn.execute("ALTER TABLE sale_line SET (autovacuum_enabled = false)")
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


def backend_cpu(conn):
    """CPU seconds (user + system) the connection's backend has used, from /proc (local server)."""
    fields = Path(f"/proc/{conn.info.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peek(conn, slot, plugin, plugin_options, endpos):
    """Seconds, lines, bytes and backend CPU seconds for decoding `slot` up to `endpos`
    with the SQL peek function."""
    fn = "pg_logical_slot_peek_binary_changes" if plugin == "pgoutput" else "pg_logical_slot_peek_changes"
    flat = [x for kv in plugin_options.items() for x in kv]
    cpu = backend_cpu(conn)
    started = time.monotonic()
    lines, size = conn.execute(f"SELECT count(*), coalesce(sum(octet_length(data)), 0) FROM {fn}(%s, %s::pg_lsn, NULL"
                               + ", %s" * len(flat) + ")", [slot, endpos, *flat]).fetchone()
    return time.monotonic() - started, lines, size, backend_cpu(conn) - cpu


def stream(slot, plugin, plugin_options, endpos):
    """Seconds, messages, lines and bytes (less the '\\n' between lines) for
    streaming `slot` up to `endpos` through a walsender; for other plugins
    than ours a message is a line."""
    conninfo = (f"host={os.environ['PGHOST']} port={os.environ['PGPORT']} "
                f"user={os.environ.get('PGUSER', 'postgres')} dbname={DB} replication=database")
    args = ([str(STREAM_COUNT)] + (["-l"] if plugin == "pub_backoffice" else []) + [conninfo, slot, endpos]
            + [f"{k}={v}" for k, v in plugin_options.items()])
    started = time.monotonic()
    out = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout
    messages, lines, size = map(int, out.split())
    return time.monotonic() - started, messages, lines, size


def fastest(runs):
    """The run with the fewest seconds: on a shared machine, the one least disturbed."""
    return min(runs, key=lambda r: r[0])


def measure(conn, slots, rows, endpos, repeat):
    # Neither interface moves the slot, so each decode can be repeated; the
    # contenders take turns, so that a burst of load elsewhere (or autovacuum
    # after the phase) does not fall on one of them only.
    peeks = {name: [] for name, _, _ in CONTENDERS}
    streams = {name: [] for name, _, _ in CONTENDERS}
    for _ in range(repeat):
        for name, plugin, options in CONTENDERS:
            peeks[name].append(peek(conn, slots[name], plugin, options, endpos))
        for name, plugin, options in CONTENDERS:
            streams[name].append(stream(slots[name], plugin, options, endpos))
    results = {}
    for name, plugin, options in CONTENDERS:
        sql_secs, lines, size, _ = fastest(peeks[name])
        cpu_secs = min(p[3] for p in peeks[name])
        wal_secs, messages, wal_lines, wal_size = fastest(streams[name])
        # Our value output is one line per row change, the same through both
        # interfaces: anything else means the numbers do not measure what
        # they claim to.
        if plugin in ("pub_backoffice", "fixed_output") and not lines == wal_lines == rows:
            raise SystemExit(f"{name}: {lines} lines (SQL), {wal_lines} lines in {messages} messages "
                             f"(walsender) for {rows} row changes")
        if wal_size != size:
            raise SystemExit(f"{name}: {size} bytes through SQL, {wal_size} through the walsender")
        results[name] = (rows / sql_secs, rows / wal_secs, rows / max(cpu_secs, 0.01), size / rows,
                         wal_lines / messages)
    return results


def report(phase, rows, results):
    print(f"\n{phase}: {rows} rows decoded")
    print(f"  {'contender':<40} {'rows/s SQL':>11} {'rows/s walsender':>17} {'rows/CPU-s SQL':>15} {'bytes/row':>10}"
          f" {'lines/message':>14}")
    for name, (sql_rate, wal_rate, cpu_rate, per_row, per_message) in results.items():
        print(f"  {name:<40} {sql_rate:>11.0f} {wal_rate:>17.0f} {cpu_rate:>15.0f} {per_row:>10.1f}"
              f" {per_message:>14.1f}")
    for ours, _, _ in OURS:
        for i, method in enumerate(("SQL", "walsender", "SQL by backend CPU time")):
            ratios = ", ".join(f"{results[ours][i] / results[p][i]:.2f}x {p}" for p, _, _ in PEERS)
            print(f"  {ours}, {method}: {ratios}")
    ceiling, schemas_on, wal2json = results[CEILING[0]], results[OURS[1][0]], results[PEERS[0][0]]
    print(f"  {CEILING[0]}, SQL: {ceiling[0] / wal2json[0]:.2f}x {PEERS[0][0]};"
          f" {OURS[1][0]} reaches {schemas_on[0] / ceiling[0]:.0%} of it")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=int(os.environ.get("PBO_BENCH_ROWS", 1_000_000)))
    ap.add_argument("--updates", type=int, default=int(os.environ.get("PBO_BENCH_UPDATES", 200_000)))
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("PBO_BENCH_REPEAT", 1)),
                    help="decode each slot this many times per interface and keep the fastest")
    a = ap.parse_args()
    build_stream_count()
    install_fixed_output()
    setup()
    with connect(DB) as conn:
        slots = create_slots(conn, "insert")
        end = run_phase(conn, f"CALL sell({a.rows})")
        inserts = measure(conn, slots, a.rows, end, a.repeat)
        slots = create_slots(conn, "update")
        end = run_phase(conn, f"CALL correct({a.updates})")
        updates = measure(conn, slots, a.updates, end, a.repeat)
        for (slot,) in conn.execute("SELECT slot_name FROM pg_replication_slots WHERE database = %s",
                                    (DB,)).fetchall():
            conn.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
    with connect("postgres") as admin:
        forbid_fixed_output(admin)
    print("decoder throughput on the same WAL, 1,000-row transactions; SQL = peek function, walsender = START_REPLICATION"
          + (f"; fastest of {a.repeat} decodes each" if a.repeat > 1 else ""))
    report("inserts", a.rows, inserts)
    report("updates", a.updates, updates)


if __name__ == "__main__":
    main()
