"""Server CPU time per sale, with every trigger and bare, on one connection.

Wall-clock sales/s on a shared 2-core machine moves 3x with the neighbours'
load; the CPU time the backend itself spends per sale moves much less, so
this is the figure to compare one change with the next.  Reads the
backend's utime + stime from /proc, so the server must run on this machine.

    python3 test/bench/sale_cpu.py [sales per round (1000)] [rounds (3)]

Needs the bench database from test/bench/sales/setup.sql (BENCH_KEEP=1 bash
test/bench/sales.sh leaves it) or any database with that fixture; PGHOST,
PGPORT, PGUSER, PGDATABASE (default bench_sales) as for libpq.  Rounds
alternate full and bare so that both see the same neighbours.
"""
import os
import sys

import psycopg

TICKS = os.sysconf("SC_CLK_TCK")
SALE_TABLES = ("pub.sale", "pub.sale_line", "pub.sale_payment")


def backend_cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS   # utime + stime


def one_sale(conn, i, venues):
    v = i % venues + 1
    p = (v - 1) * 3
    sid = conn.execute("INSERT INTO pub.sale (venue_id, idempotency_key) "
                       "VALUES (%s, 'cpu' || txid_current()) RETURNING id", (v,)).fetchone()[0]
    conn.execute("INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price) "
                 "VALUES (%s, 1, %s, %s, 2, 5.60), (%s, 2, %s, %s, 1, 5.80), (%s, 3, %s, %s, 1, 8.50)",
                 (sid, v, p + 1, sid, v, p + 2, sid, v, p + 3))
    conn.execute("INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount) "
                 "VALUES (%s, 'card', %s, 25.50)", (sid, v))
    conn.commit()


def ms_per_sale(conn, pid, n, venues):
    for i in range(50):                      # plans cached, caches warm
        one_sale(conn, i, venues)
    start = backend_cpu_seconds(pid)
    for i in range(n):
        one_sale(conn, i, venues)
    return 1000 * (backend_cpu_seconds(pid) - start) / n


def set_triggers(enabled):
    verb = "ENABLE" if enabled else "DISABLE"
    with psycopg.connect(autocommit=True) as admin:
        for t in SALE_TABLES:
            admin.execute(f"ALTER TABLE {t} {verb} TRIGGER USER")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    os.environ.setdefault("PGDATABASE", "bench_sales")
    with psycopg.connect() as c:
        venues = c.execute("SELECT count(*) FROM pub.venue").fetchone()[0]
    results = {"full": [], "bare": []}
    try:
        for _ in range(rounds):
            for mode in ("full", "bare"):
                set_triggers(mode == "full")
                with psycopg.connect() as conn:   # new session: fresh plans
                    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
                    conn.commit()
                    results[mode].append(ms_per_sale(conn, pid, n, venues))
    finally:
        set_triggers(True)
    for mode, values in results.items():
        print(f"server CPU ms per sale, {mode}: " + " ".join(f"{v:.3f}" for v in values)
              + f" (min {min(values):.3f})")
    print(f"cost ratio (full / bare, minima): {min(results['full']) / min(results['bare']):.2f}x")


if __name__ == "__main__":
    main()
