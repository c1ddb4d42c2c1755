"""The same document sent by several connections at the same moment.

Guarantee: a Square order resent concurrently is posted exactly once (one
sale, one tip entry, every other call answers "duplicate"), and a supplier
invoice from a supplier not yet known, received concurrently, creates one
supplier and one inbox row; nobody sees an error.
"""
import pathlib
import subprocess
import threading

import psycopg
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "test" / "documents"
DB = "doc_resend_race"
SENDERS = 6


def connect(dbname):
    return psycopg.connect(dbname=dbname, autocommit=True)


@pytest.fixture(scope="module")
def database():
    with connect("postgres") as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB}")
        c.execute(f"CREATE DATABASE {DB}")
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "n=1", "-d", DB,
                    "-f", str(ROOT / "test" / "bench" / "ingest" / "setup.sql")], check=True, capture_output=True)
    yield DB
    with connect("postgres") as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def send_all_at_once(sql, params):
    """Runs sql on SENDERS connections released together; returns results and errors."""
    barrier = threading.Barrier(SENDERS)
    results, errors = [], []

    def sender():
        with connect(DB) as c:
            barrier.wait()
            try:
                results.append(c.execute(sql, params).fetchone()[0])
            except psycopg.Error as e:
                errors.append(str(e))

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_square_order_resent_concurrently_posts_once(database):
    order = (DOCS / "square_order_modifiers_tip.json").read_text()
    with connect(DB) as c:   # the bench venue's products stand in for the document's
        c.execute("""SELECT pub.map_pos_product(1, 'square', code, product_id) FROM (VALUES
                     ('SQ-VAR-GUINNESS-PINT', 1), ('SQ-VAR-GIN-TONIC', 2), ('SQ-VAR-CHIPS', 3)) m(code, product_id)""")
        c.execute("UPDATE pub.product SET tax_class = 'catering' WHERE id = 3")
    results, errors = send_all_at_once("SELECT pub.ingest_square_order(1, %s::jsonb) ->> 'result'", (order,))
    assert errors == []
    assert sorted(results) == ["duplicate"] * (SENDERS - 1) + ["posted"]
    with connect(DB) as c:
        assert c.execute("SELECT count(*) FROM pub.sale WHERE idempotency_key = 'square:CAISEM9xQd6R2ZpJbP4wTkL'").fetchone()[0] == 1
        assert c.execute("SELECT count(*) FROM pub.journal_entry WHERE memo = 'tips square:CAISEM9xQd6R2ZpJbP4wTkL'").fetchone()[0] == 1
        assert c.execute("SELECT sum(debit) = sum(credit) FROM pub.journal_line").fetchone()[0]


def test_invoice_from_new_supplier_received_concurrently_creates_one_supplier(database):
    invoice = (DOCS / "brewery_invoice.xml").read_text()
    results, errors = send_all_at_once("SELECT pub.receive_ubl_invoice(1, %s) ->> 'duplicate'", (invoice,))
    assert errors == []
    assert sorted(results) == ["false"] + ["true"] * (SENDERS - 1)
    with connect(DB) as c:
        assert c.execute("SELECT count(*) FROM pub.supplier WHERE vat_number = 'IE9876543W'").fetchone()[0] == 1
        assert c.execute("SELECT count(*) FROM pub.received_invoice WHERE number = 'LCB-2026-0815'").fetchone()[0] == 1
