"""A trading night at The Copper Kettle, through the back office and the relay.

Several tills record sales at a steady rate through pub.record_sale; part way
through a supplier invoice is booked and two tables pay through Square with a
tip, near the end a stocktake finds a keg short.  Then the night's reports are
printed, and the change events the relay put in Kafka are counted and one is
shown.
"""
import argparse
import json
import os
import random
import sys
import threading
import time
from decimal import Decimal

import psycopg
from confluent_kafka import Consumer, TopicPartition

BASKETS = [  # (product, quantity) choices, weighted towards pints
    [("Pint of Guinness", 2)], [("Pint of Guinness", 1)], [("Pint of Heineken", 2)],
    [("Pint of Guinness", 3), ("Jameson", 1)], [("Gin & Tonic", 2)], [("Moscow Mule", 1), ("Cola", 1)],
    [("Bottle of Corona", 2)], [("Glass of house red", 2), ("Toastie", 1)],
    [("Chips", 2), ("Pint of Heineken", 1)], [("Pint of Guinness", 1), ("Chips", 1)],
]


def connect(db):
    return psycopg.connect(dbname=db, autocommit=True)


class Night:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.sales = 0
        self.takings = Decimal(0)
        self.errors = []
        with connect(args.db) as c:
            self.venue = c.execute("SELECT id FROM pub.venue WHERE name = 'The Copper Kettle'").fetchone()[0]
            self.products = dict(c.execute(
                "SELECT name, (id, price) FROM pub.product WHERE venue_id = %s", (self.venue,)).fetchall())

    def till(self, n, count, interval):
        """One till: `count` sales, one every `interval` seconds."""
        rng = random.Random(n)
        with connect(self.args.db) as c:
            start = time.monotonic()
            for i in range(count):
                basket = rng.choice(BASKETS)
                lines = [{"product_id": self.products[p][0], "quantity": q} for p, q in basket]
                gross = sum(Decimal(self.products[p][1]) * q for p, q in basket)
                method = rng.choice(["card", "card", "card", "cash"])
                sale = {"venue_id": self.venue, "idempotency_key": f"till{n}-{i:05d}", "till": f"till {n}",
                        "lines": lines, "payments": [{"method": method, "amount": str(gross)}]}
                try:
                    c.execute("SELECT pub.record_sale(%s)", (json.dumps(sale),))
                    with self.lock:
                        self.sales += 1
                        self.takings += gross
                except psycopg.Error as e:
                    self.errors.append(str(e).strip())
                delay = start + (i + 1) * interval - time.monotonic()
                if delay > 0:
                    time.sleep(delay)

    def delivery(self):
        """The wholesaler delivers two kegs of Guinness and a case of tonic."""
        with connect(self.args.db) as c:
            supplier = c.execute("SELECT id FROM pub.supplier WHERE venue_id = %s", (self.venue,)).fetchone()[0]
            doc = {"venue_id": self.venue, "supplier_id": supplier, "number": "LDW-2026-1123",
                   "issue_date": time.strftime("%Y-%m-%d"),
                   "lines": [{"supplier_code": "LDW-GUIN50", "quantity": 2, "net_amount": "360.00", "vat_rate": 23},
                             {"supplier_code": "LDW-TONIC", "quantity": 1, "net_amount": "9.60", "vat_rate": 23}]}
            c.execute("SELECT pub.book_invoice(%s)", (json.dumps(doc),))
        return "invoice LDW-2026-1123 booked: 2 kegs of Guinness, a case of tonic"

    def square_orders(self):
        """Two tables pay through Square with a tip: four pints by card, two in cash."""
        pint_id, pint_price = self.products["Pint of Guinness"]
        closed = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with connect(self.args.db) as c:
            c.execute("SELECT pub.map_pos_product(%s::bigint, 'square', 'SQ-GUINNESS-PINT', %s::bigint)", (self.venue, pint_id))
            for oid, tender, qty, tip in (("SQ-DEMO-1", "CARD", 4, 500), ("SQ-DEMO-2", "CASH", 2, 200)):
                gross = int(Decimal(pint_price) * 100) * qty   # Square's money is in cents
                order = {"id": oid, "state": "COMPLETED", "version": 1, "closed_at": closed,
                         "line_items": [{"uid": "pints", "catalog_object_id": "SQ-GUINNESS-PINT", "quantity": str(qty),
                                         "total_money": {"amount": gross, "currency": "EUR"},
                                         "total_tax_money": {"amount": round(gross * 23 / 123), "currency": "EUR"},
                                         "applied_taxes": [{"tax_uid": "vat23"}]}],
                         "taxes": [{"uid": "vat23", "percentage": "23", "type": "INCLUSIVE", "scope": "LINE_ITEM"}],
                         "tenders": [{"id": f"{oid}-T", "type": tender,
                                      "amount_money": {"amount": gross + tip, "currency": "EUR"},
                                      "tip_money": {"amount": tip, "currency": "EUR"}}]}
                c.execute("SELECT pub.ingest_square_order(%s::bigint, %s::jsonb)", (self.venue, json.dumps(order)))
        return "Square: two tables paid, with a €5.00 card tip and a €2.00 cash tip (owed to staff)"

    def stocktake(self):
        """Count the Guinness: the keg on tap weighs 3 litres lighter than the books say."""
        with connect(self.args.db) as c:
            level, full, tare, size = c.execute(
                """SELECT l.quantity, i.full_weight_g, i.tare_weight_g, i.pack_size
                     FROM pub.stock_item i JOIN pub.stock_level l ON l.stock_item_id = i.id
                    WHERE i.venue_id = %s AND i.sku = 'GUIN50'""", (self.venue,)).fetchone()
            actual = max(level - 3000, 0)
            kegs = int(actual // size)
            gross = tare + (actual - kegs * size) / size * (full - tare)
            c.execute("SELECT pub.record_stocktake(%s)", (json.dumps({
                "venue_id": self.venue, "note": "end of night",
                "counts": [{"sku": "GUIN50", "full_units": kegs, "gross_weight_g": str(round(gross, 1))}]}),))
        return f"stocktake: Guinness counted {kegs} full kegs + one partial; books said {level} ml"

    def run(self):
        a = self.args
        per_till = max(1, round(a.rate * a.seconds / a.tills))
        total = per_till * a.tills
        interval = a.tills / a.rate
        print(f"Trading night: {a.tills} tills, {a.rate} sales/s, {total} sales over about {a.seconds} s")
        threads = [threading.Thread(target=self.till, args=(n + 1, per_till, interval)) for n in range(a.tills)]
        for t in threads:
            t.start()
        done_events = {0.4: self.delivery, 0.6: self.square_orders, 0.8: self.stocktake}
        tty, shown = sys.stdout.isatty(), -1
        while any(t.is_alive() for t in threads):
            time.sleep(0.5)
            with self.lock:
                progress = self.sales / total
                line = f"  {self.sales:5d}/{total} sales  takings €{self.takings:9.2f}  errors {len(self.errors)}"
            if tty:
                print("\r" + line, end="", flush=True)
            elif int(progress * 10) > shown:   # a line per tenth when logged to a file
                shown = int(progress * 10)
                print(line, flush=True)
            for at in sorted(done_events):
                if progress >= at:
                    print("\n  " + done_events.pop(at)())
        for t in threads:
            t.join()
        for fn in done_events.values():
            print("\n  " + fn())
        print()
        if self.errors:
            print("Errors from the tills:", *self.errors[:5], sep="\n  ")
        return not self.errors


def table(conn, title, sql, params=()):
    cur = conn.execute(sql, params)
    rows = cur.fetchall()
    cols = [d.name for d in cur.description]
    cells = [[("" if v is None else str(v)) for v in r] for r in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(cols)]
    print(f"\n{title}")
    print("  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in cells:
        print("  " + "  ".join(v.rjust(w) if v[:1].isdigit() or v[:1] == "-" else v.ljust(w)
                               for v, w in zip(r, widths)))


def reports(db, venue):
    with connect(db) as c:
        today = "(now() AT TIME ZONE 'Europe/Dublin')::date"
        table(c, "Z report (takings, tips and what was collected, by payment method)",
              f"SELECT * FROM pub.z_report(%s::bigint, {today})", (venue,))
        table(c, "Stock below par: reorder suggestions", "SELECT * FROM pub.reorder_suggestions(%s::bigint)", (venue,))
        table(c, "Stocktake variance", """SELECT * FROM pub.stocktake_variance(
                  (SELECT max(id) FROM pub.stocktake WHERE venue_id = %s::bigint))""", (venue,))
        table(c, "VAT3 return for this period", f"""SELECT * FROM pub.vat3_ie(%s::bigint,
                  date_trunc('month', {today})::date, {today})""", (venue,))
        table(c, "Profit and loss", f"SELECT * FROM pub.profit_and_loss(%s::bigint, {today} - 1, {today})", (venue,))


def kafka_events(bootstrap, prefix, wait_s):
    """Count what the relay put in Kafka per topic, and show one sale event."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"demo-{os.getpid()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([f"^{prefix}\\..*"])
    counts, sample, deadline, idle = {}, None, time.time() + wait_s, time.time()
    while time.time() < deadline and time.time() - idle < 5:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        idle = time.time()
        counts[msg.topic()] = counts.get(msg.topic(), 0) + 1
        if sample is None and msg.topic() == f"{prefix}.pub.sale" and msg.value():
            sample = json.loads(msg.value())
    consumer.close()
    print("\nChange events in Kafka, by topic")
    for t in sorted(counts):
        print(f"  {t:40s} {counts[t]:7d}")
    if sample:
        print("\nOne of them, a sale as a Debezium consumer sees it (payload):")
        print(json.dumps(sample.get("payload", sample), indent=2)[:2000])
    return bool(counts)


def relay_status(db):
    with connect(db) as c:
        table(c, "Relay status", """SELECT state, slot, last_acked_lsn, lag_bytes, round(lag_seconds::numeric, 3) AS lag_s,
                 events_sent, bytes_sent, batches, retries, last_error FROM pub.relay_status""")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", default="pubdemo")
    p.add_argument("--tills", type=int, default=4)
    p.add_argument("--rate", type=float, default=25.0, help="sales per second, all tills together")
    p.add_argument("--seconds", type=float, default=40.0)
    p.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP"))
    p.add_argument("--prefix", default="pub")
    a = p.parse_args()
    night = Night(a)
    ok = night.run()
    reports(a.db, night.venue)
    ok = kafka_events(a.bootstrap, a.prefix, 60) and ok
    relay_status(a.db)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
