"""Eight tills selling the same products at once (pgbench) for a bounded time.

Guarantee: afterwards every stock level equals the sum of its movement log,
every journal entry balances, the trial balance is zero, every sale was
posted exactly once, and no till saw an error (no deadlock, no
serialization failure).  PBO_CONCURRENCY_SECONDS sets the duration (20 s).
Meanwhile ANALYZE runs on the tables the posting writes, as autovacuum
would: each one invalidates their relcache entries mid-posting (the C
posting's cached CHECK expressions once failed valid rows under it).
"""
import os
import pathlib
import shutil
import subprocess
import threading
import time

import psycopg
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BENCH = ROOT / "test" / "bench" / "sales"
DB = "bo_concurrency"
SECONDS = int(os.environ.get("PBO_CONCURRENCY_SECONDS", "20"))


def pgbench_path():
    pg_config = os.environ.get("PG_CONFIG", "pg_config")
    try:
        bindir = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        candidate = pathlib.Path(bindir) / "pgbench"
        if candidate.exists():
            return str(candidate)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    return found


def connect(dbname):
    return psycopg.connect(dbname=dbname, autocommit=True)


@pytest.fixture(scope="module")
def tills_database():
    with connect("postgres") as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB}")
        c.execute(f"CREATE DATABASE {DB}")
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "venues=1", "-d", DB,
                    "-f", str(BENCH / "setup.sql")], check=True, capture_output=True)
    # Stock that runs out during the run: levels must still match the log.
    with connect(DB) as c:
        c.execute("""INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, valued, moved_on)
                     SELECT venue_id, id, 'delivery', -999990000, 0.003, false, current_date FROM pub.stock_item""")
    yield DB
    with connect("postgres") as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def analyze_until(dbname, stop):
    """ANALYZE the posting's tables every 20 ms until stop is set."""
    with connect(dbname) as c:
        while not stop.is_set():
            c.execute("ANALYZE pub.stock_movement, pub.journal_line, pub.journal_entry")
            time.sleep(0.02)


def test_eight_tills_keep_stock_and_ledger_consistent(tills_database):
    # Half the tills insert rows, half call record_sale; all on venue 1's products.
    stop = threading.Event()
    analyzer = threading.Thread(target=analyze_until, args=(tills_database, stop))
    analyzer.start()
    try:
        run = subprocess.run(
            [pgbench_path(), "-n", "-c", "8", "-j", "2", "-T", str(SECONDS), "-D", "venues=1",
             "-f", str(BENCH / "sale_insert.pgbench") + "@1", "-f", str(BENCH / "record_sale.pgbench") + "@1",
             tills_database],
            capture_output=True, text=True)
    finally:
        stop.set()
        analyzer.join()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "aborted" not in run.stderr, run.stderr
    assert "number of failed transactions: 0 " in run.stdout, run.stdout

    with connect(tills_database) as c:
        sales = c.execute("SELECT count(*) FROM pub.sale").fetchone()[0]
        assert sales > 8 * SECONDS, f"only {sales} sales in {SECONDS} s"
        posted = c.execute("""SELECT count(DISTINCT e.source_id), count(*) FROM pub.journal_entry e
                              WHERE e.source = 'sale'""").fetchone()
        assert posted == (sales, sales), f"{sales} sales but entries {posted}"
        mismatched = c.execute("""
            SELECT count(*) FROM pub.stock_level l
             WHERE l.quantity <> (SELECT coalesce(sum(m.quantity), 0) FROM pub.stock_movement m
                                   WHERE m.stock_item_id = l.stock_item_id)""").fetchone()[0]
        assert mismatched == 0
        sold = c.execute("""SELECT -sum(quantity) FROM pub.stock_movement m JOIN pub.stock_item i
                             ON i.id = m.stock_item_id WHERE m.kind = 'sale' AND i.sku = 'KEG'""").fetchone()[0]
        assert sold == 568 * 2 * sales      # every sale had two pints
        unbalanced = c.execute("""SELECT count(*) FROM (SELECT entry_id FROM pub.journal_line GROUP BY entry_id
                                   HAVING sum(debit) <> sum(credit)) x""").fetchone()[0]
        assert unbalanced == 0
        total = c.execute("SELECT debit, credit FROM pub.trial_balance(1, current_date + 1) WHERE account_code = 'TOTAL'").fetchone()
        assert total[0] == total[1] and total[0] > 0
        events = c.execute("SELECT count(*) FROM pub.outbox WHERE type = 'SaleRecorded'").fetchone()[0]
        assert events == sales
        # The stock went negative during the run (allowed and flagged).
        flagged = c.execute("SELECT count(*) FROM pub.stock_level WHERE negative_since IS NOT NULL").fetchone()[0]
        assert flagged > 0
