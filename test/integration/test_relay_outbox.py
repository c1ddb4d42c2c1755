"""Outbox routing: inserts into the outbox table reach
<prefix>.outbox.event.<aggregatetype>, keyed by aggregateid, with the payload
as the value and the event id in the "id" header, as Debezium's outbox event
router does; the outbox table's own change events are not published."""
import json
import time

from confluent_kafka import Consumer

from conftest import connect

OUTBOX = """
DROP SCHEMA IF EXISTS relay_ob CASCADE;
CREATE SCHEMA relay_ob;
CREATE TABLE relay_ob.outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), aggregatetype text NOT NULL,
    aggregateid text NOT NULL, type text NOT NULL, payload jsonb,
    venue_id bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())
"""


def read_topics(bootstrap, pattern, want, timeout=60):
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "ob-" + pattern,
                  "auto.offset.reset": "earliest", "topic.metadata.refresh.interval.ms": 1000})
    c.subscribe([pattern])
    out, deadline = [], time.time() + timeout
    while time.time() < deadline and len(out) < want:
        m = c.poll(0.5)
        if m is not None and not m.error():
            out.append(m)
    # Anything extra would arrive right behind.
    end = time.time() + 2
    while time.time() < end:
        m = c.poll(0.2)
        if m is not None and not m.error():
            out.append(m)
    c.close()
    return out


def test_outbox_inserts_are_routed_by_aggregate_type(relay):
    relay.configure(outbox_table="relay_ob.outbox")
    relay.restart_postgres()
    with connect() as c:
        c.execute(OUTBOX)
    relay.wait_streaming()
    with connect() as c:
        ids = []
        for agg, aid, typ, payload in [("sale", "s-1", "SaleRecorded", {"total": "4.50"}),
                                       ("sale", "s-2", "SaleRecorded", {"total": "9.00"}),
                                       ("stock", "beer-7", "StockBelowPar", {"left": 3})]:
            ids.append(c.execute(
                "INSERT INTO relay_ob.outbox (aggregatetype, aggregateid, type, payload, venue_id) "
                "VALUES (%s, %s, %s, %s, 1) RETURNING id::text",
                (agg, aid, typ, json.dumps(payload))).fetchone()[0])
        c.execute("UPDATE relay_ob.outbox SET type = 'Changed' WHERE aggregateid = 's-1'")
        c.execute("DELETE FROM relay_ob.outbox WHERE aggregateid = 's-2'")
    relay.wait_caught_up()

    routed = read_topics(relay.kafka.bootstrap, f"^{relay.prefix}\\.outbox\\.event\\..*", 3)
    got = sorted((m.topic(), m.key().decode(), json.loads(m.value()), dict(m.headers())["id"].decode())
                 for m in routed)
    p = relay.prefix
    assert got == sorted([
        (f"{p}.outbox.event.sale", "s-1", {"total": "4.50"}, ids[0]),
        (f"{p}.outbox.event.sale", "s-2", {"total": "9.00"}, ids[1]),
        (f"{p}.outbox.event.stock", "beer-7", {"left": 3}, ids[2]),
    ])
    raw = read_topics(relay.kafka.bootstrap, f"^{p}\\.relay_ob\\.outbox$", 0, timeout=3)
    assert raw == []
