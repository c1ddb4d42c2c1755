"""Measure the relay: drain rate of a WAL backlog (events acknowledged by
Kafka per second) for bulk and for small transactions, and latency from
commit (as the client sees it) to a consumer receiving the event, at a fixed
offered rate.  Side by side, the same for Debezium's PostgreSQL connector
(embedded engine, pgoutput, DebeziumBench.java) on the same WAL into the same
broker.  Run through run.sh, which provides the cluster and broker."""
import argparse
import json
import os
import subprocess
import threading
import time

import debezium_side

import psycopg
from confluent_kafka import Consumer

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def sql(query, *args, db="postgres"):
    with psycopg.connect(dbname=db, autocommit=True) as c:
        cur = c.execute(query, args or None)
        return cur.fetchall() if cur.description else None


def status():
    return dict(zip(("state", "events", "acked"), sql(
        "SELECT state, events_sent, last_acked_lsn FROM pub.relay_status")[0]))


def configure(prefix, **extra):
    conf = os.path.join(os.environ["PBO_DATA"], "pub_backoffice_test.conf")
    settings = {"brokers": os.environ["KAFKA_BOOTSTRAP"], "topic_prefix": prefix,
                "slot_name": "bench_" + prefix, "poll_interval": "5ms",
                "decoder_options": "schemas.enable=false"}
    settings.update(extra)
    with open(conf, "w") as f:
        f.writelines(f"pub_backoffice.{k} = '{v}'\n" for k, v in settings.items())
    subprocess.run(["bash", os.path.join(TOP, "test", "pg_cluster.sh"), "restart"], check=True)
    sql("CREATE EXTENSION IF NOT EXISTS pub_backoffice")
    deadline = time.time() + 60
    while status()["state"] != "streaming":
        if time.time() > deadline:
            raise SystemExit(f"relay not streaming: {status()}")
        time.sleep(0.1)


def wait_events(target, timeout=600):
    deadline = time.time() + timeout
    while status()["events"] < target:
        if time.time() > deadline:
            raise SystemExit(f"relay stalled: {status()}")
        time.sleep(0.005)
    return time.time()


def stop_relay():
    sql("SELECT pub.relay_stop()")
    while status()["state"] != "stopped":
        time.sleep(0.05)


def drain_relay(events):
    """Start the relay on the backlog: events/s until Kafka acknowledged all
    of it, and the worker's CPU time (all its threads) per event in
    microseconds."""
    before = status()["events"]
    start = time.time()
    sql("SELECT pub.relay_start()")
    pid = None
    while not pid:
        pid = sql("SELECT pid FROM pub.relay_status")[0][0]
    end = wait_events(before + events)
    cpu = debezium_side.cpu_seconds(pid)
    stop_relay()
    return events / (end - start), cpu / events * 1e6


def drain(name, fill, dbz):
    """Write one backlog while both are stopped, then let each drain it."""
    stop_relay()
    if dbz:
        dbz.prepare(name)
    events = fill()
    ours = drain_relay(events)
    theirs = dbz.drain(events) if dbz else None
    return name, events, ours, theirs


def fill_bulk(rows):
    def fill():
        sql("DROP TABLE IF EXISTS bench_bulk")
        sql("CREATE TABLE bench_bulk (id int PRIMARY KEY, qty int, item text, at timestamptz)")
        sql("INSERT INTO bench_bulk SELECT g, g %% 7, 'pint of stout', now() "
            "FROM generate_series(1, %s) g", rows)
        return rows
    return fill


def fill_small(txns, per_txn):
    def fill():
        sql("DROP TABLE IF EXISTS bench_small")
        sql("CREATE TABLE bench_small (id int PRIMARY KEY, qty int, item text, at timestamptz)")
        sql("""CREATE OR REPLACE PROCEDURE bench_small_fill(n int, k int) LANGUAGE plpgsql AS $$
               BEGIN FOR i IN 0 .. n - 1 LOOP
                 INSERT INTO bench_small SELECT i * k + g, g, 'pint of stout', now()
                   FROM generate_series(1, k) g;
                 COMMIT; END LOOP; END $$""")
        sql("CALL bench_small_fill(%s, %s)", txns, per_txn)
        return txns * per_txn
    return fill


def latency(prefix, rate, seconds, per_txn=1, warmup=5):
    """Offer `rate` events/s in transactions of per_txn rows; consumer-side
    receive time minus the client's commit time, per event, leaving out the
    first `warmup` seconds (a fresh JVM compiles its hot code then)."""
    sql("DROP TABLE IF EXISTS bench_lat")
    sql("CREATE TABLE bench_lat (id int PRIMARY KEY, qty int)")
    committed = {}
    received = {}
    c = Consumer({"bootstrap.servers": os.environ["KAFKA_BOOTSTRAP"], "group.id": "lat-" + prefix,
                  "auto.offset.reset": "latest", "fetch.wait.max.ms": 5,
                  "topic.metadata.refresh.interval.ms": 500})
    c.subscribe([f"{prefix}.public.bench_lat"])
    stop = threading.Event()

    def consume():
        while not stop.is_set():
            m = c.poll(0.1)
            if m is None or m.error() or m.value() is None:
                continue
            t = time.time()
            received[json.loads(m.key())["id"]] = t

    # Warm up the consumer's assignment before offering load.
    sql("INSERT INTO bench_lat VALUES (0, 0)")
    th = threading.Thread(target=consume, daemon=True)
    th.start()
    time.sleep(3)
    total = int(rate * (seconds + warmup))
    first = int(rate * warmup) + 1
    interval = per_txn / rate
    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        next_at = time.time()
        for i in range(1, total + 1, per_txn):
            now = time.time()
            if now < next_at:
                time.sleep(next_at - now)
            next_at += interval
            conn.execute("INSERT INTO bench_lat SELECT g, 1 FROM generate_series(%s::int, %s::int) g",
                         (i, i + per_txn - 1))
            t = time.time()
            for k in range(max(i, first), i + per_txn):
                committed[k] = t
    deadline = time.time() + 30
    while len([k for k in committed if k in received]) < len(committed) and time.time() < deadline:
        time.sleep(0.1)
    stop.set()
    th.join()
    c.close()
    lat = sorted((received[k] - committed[k]) * 1000 for k in committed if k in received)
    missing = len(committed) - len(lat)
    pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
    return rate, len(committed), missing, pick(0.5), pick(0.99), lat[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bulk-rows", type=int, default=300_000)
    ap.add_argument("--small-txns", type=int, default=30_000)
    ap.add_argument("--latency-rate", type=int, default=5000)
    ap.add_argument("--latency-seconds", type=int, default=10)
    ap.add_argument("--no-debezium", action="store_true", help="measure the relay only")
    ap.add_argument("--debezium-producer", action="append", default=[], metavar="KEY=VALUE",
                    help="a KafkaProducer property for the Debezium side (repeatable)")
    a = ap.parse_args()
    prefix = "bench%d" % int(time.time())
    load = os.getloadavg()
    configure(prefix)
    dbz = None if a.no_debezium else debezium_side.Debezium(prefix, sql, a.debezium_producer)
    rows = [drain("bulk: 1 transaction", fill_bulk(a.bulk_rows), dbz),
            drain("small: 5-row transactions", fill_small(a.small_txns, 5), dbz)]
    if dbz is None:
        print(f"{'workload':27} {'events':>7} {'relay ev/s':>10} {'relay CPU us/ev':>15}")
        for name, n, (rate, cpu), _ in rows:
            print(f"{name:27} {n:7d} {rate:10.0f} {cpu:15.2f}", flush=True)
    else:
        print_comparison(rows)
    sql("SELECT pub.relay_start()")
    while status()["state"] != "streaming":
        time.sleep(0.05)
    report_latency("relay", latency(prefix, a.latency_rate, a.latency_seconds, per_txn=5))
    if dbz:
        stop_relay()
        with dbz.running("latency"):
            report_latency("Debezium", latency(dbz.prefix, a.latency_rate, a.latency_seconds, per_txn=5))
    print(f"load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start, "
          "%.2f %.2f %.2f at the end" % os.getloadavg())


def print_comparison(rows):
    print("events/s from start to the last acknowledgement; Debezium's second half (JIT-compiled) "
          "also shown; CPU in microseconds per event", flush=True)
    print(f"{'workload':27} {'events':>7} {'relay ev/s':>10} {'Debezium ev/s':>13} {'2nd half':>9}"
          f" {'ratio':>6} {'ratio to 2nd half':>17} {'relay CPU':>9} {'Debezium CPU':>12}", flush=True)
    for name, n, (rate, cpu), (d_rate, d_steady, d_cpu) in rows:
        print(f"{name:27} {n:7d} {rate:10.0f} {d_rate:13.0f} {d_steady:9.0f} {rate / d_rate:6.1f}"
              f" {rate / d_steady:17.1f} {cpu:9.2f} {d_cpu:12.2f}", flush=True)


def report_latency(who, result):
    rate, n, missing, p50, p99, worst = result
    print(f"{who} latency at {rate} events/s (5-row transactions, {n} events, {missing} not received): "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
