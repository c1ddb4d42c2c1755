"""Kafka consumers written for Debezium read our topics: Kafka Connect's
standalone worker runs Debezium's JDBC sink connector (test/kafka/connect.sh,
jars from Maven Central) on the relay's topics, with schemas (JsonConverter,
schemas.enable=true), insert.mode=upsert, delete.enabled=true and
primary.key.mode=record_key, into a second database on the same cluster.
Once the sink has committed everything Kafka holds, the copy equals the
source row by row: initial snapshot rows, inserts, updates, deletes with
their tombstones, and a primary-key change, over integers, numeric, text,
boolean, date, timestamptz, bytea, uuid and jsonb."""
import datetime
import decimal
import os
import random
import subprocess
import time
import uuid

import psycopg
import pytest
from confluent_kafka import Consumer, TopicPartition

from conftest import TOP, connect

CONNECT = os.path.join(TOP, "test", "kafka", "connect.sh")
COPY_DB = "relay_sink_copy"

# Column types from the decoder's mapping table; each table has a primary key
# (the sink's record_key mode) and REPLICA IDENTITY DEFAULT.
TABLES = {
    "sink_item": """(
        id int PRIMARY KEY,
        small smallint NOT NULL,
        big bigint,
        price numeric(10,2) NOT NULL,
        name text NOT NULL,
        note text,
        active boolean NOT NULL,
        sold_on date,
        changed_at timestamptz NOT NULL,
        photo bytea,
        ref uuid,
        attrs jsonb)""",
    "sink_order_line": """(
        venue int,
        order_no bigint,
        line smallint,
        qty numeric(12,3) NOT NULL,
        comment text,
        PRIMARY KEY (venue, order_no, line))""",
}


def item(rng, i):
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(-20000, 20000))
    at = (datetime.datetime(2024, 6, 1, tzinfo=datetime.timezone.utc)
          + datetime.timedelta(microseconds=rng.randint(-10**15, 10**15)))
    maybe = lambda v: None if rng.random() < 0.15 else v  # noqa: E731
    return (i, rng.randint(-32768, 32767), maybe(rng.randint(-2**63, 2**63 - 1)),
            decimal.Decimal(rng.randint(-10**9 + 1, 10**9 - 1)).scaleb(-2),
            rng.choice(["IPA", "Guinness", "crisps 'salt & vinegar'", "caf\u00e9 cr\u00e8me", "\u2603 \"x\"\n"]),
            maybe("note %d" % rng.randint(0, 999)), rng.random() < 0.5, maybe(day), at,
            maybe(bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))),
            maybe(uuid.UUID(int=rng.getrandbits(128))),
            maybe(psycopg.types.json.Jsonb({"n": rng.randint(0, 9), "tags": ["a", "b\u00e9"],
                                            "nested": {"x": None, "y": 1.5}})))


def workload(c, rng, first, last):
    """Inserts, updates (also to NULL), deletes and a primary-key change over
    several transactions."""
    cols = "(%s)" % ",".join(["%s"] * 12)
    ids = list(range(first, last))
    for chunk in range(0, len(ids), 25):
        with c.transaction():
            for i in ids[chunk:chunk + 25]:
                c.execute(f"INSERT INTO sink_item VALUES {cols}", item(rng, i))
                for line in range(1, rng.randint(1, 3) + 1):
                    c.execute("INSERT INTO sink_order_line VALUES (%s, %s, %s, %s, %s)",
                              (i % 4, 10**12 + i, line, decimal.Decimal(rng.randint(1, 10**6)).scaleb(-3),
                               rng.choice([None, "no ice", "on tap"])))
    with c.transaction():
        for i in rng.sample(ids, len(ids) // 3):
            row = item(rng, i)
            c.execute("UPDATE sink_item SET small=%s, big=%s, price=%s, name=%s, note=%s, active=%s, "
                      "sold_on=%s, changed_at=%s, photo=%s, ref=%s, attrs=%s WHERE id=%s",
                      row[1:] + (i,))
        c.execute("UPDATE sink_order_line SET qty = qty + 1, comment = NULL WHERE line = 1")
    with c.transaction():
        for i in rng.sample(ids, len(ids) // 5):
            c.execute("DELETE FROM sink_item WHERE id = %s", (i,))
        c.execute("DELETE FROM sink_order_line WHERE line = 3")
    # A primary-key change: a delete, a tombstone and a create.
    c.execute("UPDATE sink_item SET id = id + 100000 WHERE id = (SELECT max(id) FROM sink_item)")
    c.execute("UPDATE sink_order_line SET line = 7 WHERE venue = 1 AND line = 2")
    # Deleted and inserted again in one transaction.
    with c.transaction():
        victim = c.execute("SELECT min(id) FROM sink_item").fetchone()[0]
        c.execute("DELETE FROM sink_item WHERE id = %s", (victim,))
        c.execute(f"INSERT INTO sink_item VALUES {cols}", item(rng, victim))


def sink_properties(relay, path):
    topics = ",".join(f"{relay.prefix}.public.{t}" for t in TABLES)
    port = os.environ["PBO_PORT"]
    props = {
        "name": f"jdbc-sink-{relay.prefix}",
        "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
        "tasks.max": "1",
        "topics": topics,
        "connection.url": f"jdbc:postgresql://127.0.0.1:{port}/{COPY_DB}",
        "connection.username": "postgres",
        "connection.password": "",
        "insert.mode": "upsert",
        "delete.enabled": "true",
        "primary.key.mode": "record_key",
        "schema.evolution": "basic",
        # <prefix>.public.<table> -> <table>, as Debezium users route: the
        # table name then comes from the topic, so tombstones (no source
        # block) reach a table too and are applied as deletes.
        "transforms": "route",
        "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
        "transforms.route.regex": r"[^.]+\\.public\\.(.+)",
        "transforms.route.replacement": "$1",
        "consumer.override.auto.offset.reset": "earliest",
    }
    with open(path, "w") as f:
        for k, v in props.items():
            f.write(f"{k}={v}\n")
    return props


def connect_log(tail=60):
    env = subprocess.run(["bash", CONNECT, "env"], capture_output=True, text=True).stdout
    path = os.path.join(env.split("CONNECT_DIR=")[-1].strip(), "connect.log")
    if not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        lines = f.readlines()
        return "".join(lines[-tail:] if tail else lines)


def sink_committed_everything(relay, group, topics):
    """The sink's consumer group has committed every partition's end."""
    c = Consumer({"bootstrap.servers": relay.kafka.bootstrap, "group.id": group,
                  "enable.auto.commit": False})
    try:
        parts = []
        for t in topics:
            md = c.list_topics(t, timeout=10).topics[t]
            parts += [TopicPartition(t, p) for p in md.partitions]
        committed = c.committed(parts, timeout=10)
        for tp in committed:
            _, high = c.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=10)
            if high > 0 and tp.offset < high:
                return False
        return True
    finally:
        c.close()


def primary_key(dbname, table):
    with psycopg.connect(dbname=dbname) as c:
        return c.execute("SELECT array_agg(a.attname::text ORDER BY k.n) FROM pg_index i, "
                         "unnest(i.indkey) WITH ORDINALITY k(attnum, n), pg_attribute a "
                         "WHERE i.indrelid = %s::regclass AND i.indisprimary "
                         "AND a.attrelid = i.indrelid AND a.attnum = k.attnum",
                         (table,)).fetchone()[0]


def rows(dbname, table):
    with psycopg.connect(dbname=dbname) as c:
        key = {"sink_item": "id", "sink_order_line": "venue, order_no, line"}[table]
        cur = c.execute(f"SELECT * FROM {table} ORDER BY {key}")
        return [d.name for d in cur.description], cur.fetchall()


@pytest.fixture
def copy_db():
    with connect() as c:
        c.execute(f"DROP DATABASE IF EXISTS {COPY_DB}")
        c.execute(f"CREATE DATABASE {COPY_DB}")
    yield COPY_DB
    subprocess.run(["bash", CONNECT, "stop"], capture_output=True)
    with connect() as c:
        c.execute(f"DROP DATABASE IF EXISTS {COPY_DB} WITH (FORCE)")


def test_jdbc_sink_copy_equals_source(relay, copy_db, tmp_path):
    rng = random.Random(7)
    with connect() as c:
        for t, ddl in TABLES.items():
            c.execute(f"DROP TABLE IF EXISTS {t}")
            c.execute(f"CREATE TABLE {t} {ddl}")
        workload(c, rng, 1, 40)                 # before the slot: the snapshot's rows
    relay.configure(snapshot_mode="initial", decoder_options="schemas.enable=true",
                    table_include_list=",".join(f"public.{t}" for t in TABLES))
    relay.restart_postgres()
    relay.wait_streaming()
    with connect() as c:
        workload(c, rng, 1000, 1300)            # streamed changes
    relay.wait_caught_up()

    props = sink_properties(relay, tmp_path / "jdbc-sink.properties")
    env = dict(os.environ, KAFKA_BOOTSTRAP=relay.kafka.bootstrap)
    started = subprocess.run(["bash", CONNECT, "start", str(tmp_path / "jdbc-sink.properties")],
                             env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stdout + started.stderr + connect_log()
    topics = props["topics"].split(",")
    deadline = time.time() + 90
    while not sink_committed_everything(relay, "connect-" + props["name"], topics):
        assert time.time() < deadline, "the sink did not catch up with Kafka:\n" + connect_log()
        time.sleep(1)

    # Every record was applied, tombstones included (as deletes).
    assert "Ignored to write record" not in connect_log(tail=None)
    for t in TABLES:
        # The sink created the table, keyed like the source by our record keys.
        assert primary_key(copy_db, t) == primary_key("postgres", t)
        source_cols, source_rows = rows("postgres", t)
        copy_cols, copy_rows = rows(copy_db, t)
        assert copy_cols == source_cols
        assert len(source_rows) > 20
        assert copy_rows == source_rows, t
