"""Our change events are indistinguishable from Debezium's.

For each handling mode, Debezium 3.x's PostgreSQL connector (embedded engine,
pgoutput, Kafka Connect's JsonConverter with schemas) and our plugin (output
record, schemas on) decode the same statements from slots created before
them; the records must be equal field by field, in the same order, except the
envelope's event-time fields and source.version.  Each side's records and the
differences are kept in test/.work/compat/<mode>/.
"""
import json
import os
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "test" / "compat"))
import harness    # noqa: E402
import workload   # noqa: E402

PREFIX = "compat"
WORK = ROOT / "test" / ".work" / "compat"
START_MARKER, END_MARKER = 100, 999


def connect(dbname, autocommit=True):
    return psycopg.connect(host=os.environ.get("PGHOST"), port=os.environ.get("PGPORT"),
                           user=os.environ.get("PGUSER", "postgres"), dbname=dbname,
                           autocommit=autocommit)


def fresh_database(name, setup=None):
    with connect("postgres") as admin:
        for slot in admin.execute("SELECT slot_name FROM pg_replication_slots WHERE database = %s",
                                  (name,)).fetchall():
            admin.execute("SELECT pg_drop_replication_slot(%s)", slot)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    with connect(name) as conn:
        for ddl in workload.SETUP + (setup or []):
            conn.execute(ddl)


def run(conn, transactions):
    for statements in transactions:
        with conn.transaction():
            for sql in statements:
                conn.execute(sql)


def marker(conn, n):
    conn.execute("INSERT INTO marker VALUES (%s, 'marker')", (n,))


def has_marker(n):
    def found(records):
        return any(r["topic"] == f"{PREFIX}.public.marker" and key_payload(r) == {"id": n}
                   for r in records)
    return found


def key_payload(record):
    key = record.get("key")
    return key.get("payload") if isinstance(key, dict) and "schema" in key else key


def start_streaming(conn, dbz):
    """Write markers until Debezium shows one; return the last marker written.

    Debezium creates its slot some seconds after it starts, so earlier markers
    may be missed by it; both sides are compared from the last marker on."""
    for n in range(START_MARKER, START_MARKER + 120):
        marker(conn, n)
        try:
            dbz.wait(lambda recs: any(r["topic"] == f"{PREFIX}.public.marker" for r in recs),
                     "its first record", timeout=2)
        except AssertionError:
            if dbz.proc.poll() is not None:
                raise
            continue
        marker(conn, n + 1)
        dbz.wait(has_marker(n + 1), "the start marker")
        return n + 1
    raise AssertionError("Debezium did not stream within 4 minutes:\n" + dbz.tail())


def our_records(conn, slot, mode_options, schemas):
    options = {"topic.prefix": PREFIX, "output": "record", "schemas.enable": schemas, **mode_options}
    flat = [x for kv in options.items() for x in kv]
    # A tiny reorder buffer makes every larger transaction spill to disk, so
    # the comparison covers changes restored from spill files too.
    conn.execute("SET logical_decoding_work_mem = '64kB'")
    rows = conn.execute(
        "SELECT data FROM pg_logical_slot_get_changes(%s, NULL, NULL"
        + ", %s" * len(flat) + ")", [slot, *flat]).fetchall()
    return [data for (data,) in rows]


def between(lines, first, last):
    """Record lines after marker `first` up to and including marker `last`."""
    records = [json.loads(line) for line in lines]
    at = {}
    for n in (first, last):
        at[n] = next((i for i, r in enumerate(records) if has_marker(n)([r])), None)
        assert at[n] is not None, f"marker {n} missing among {len(records)} records"
    return lines[at[first] + 1:at[last] + 1]


@pytest.mark.parametrize("mode", list(workload.MODES))
def test_records_match_debezium(mode):
    properties = workload.MODES[mode]
    dbname = f"compat_{mode}"
    work = WORK / mode
    slots = {"true": f"ours_{mode}", "false": f"ours_{mode}_bare"}
    work.mkdir(parents=True, exist_ok=True)
    fresh_database(dbname)
    with connect(dbname) as conn:
        for slot in slots.values():
            conn.execute("SELECT pg_create_logical_replication_slot(%s, 'pub_backoffice')", (slot,))
        dbz = harness.Debezium(work / "debezium.jsonl", dbname, os.environ["PGPORT"], PREFIX,
                               f"dbz_{mode}", properties)
        try:
            first = start_streaming(conn, dbz)
            run(conn, workload.TRANSACTIONS)
            if properties.get("provide.transaction.metadata") != "true":
                run(conn, workload.MESSAGES)
            marker(conn, END_MARKER)
            dbz.wait(has_marker(END_MARKER), "the end marker")
            theirs = {schemas: between(dbz.lines(schemas == "true"), first, END_MARKER)
                      for schemas in slots}
        finally:
            dbz.stop()
        try:
            ours = {schemas: between(our_records(conn, slot, properties, schemas), first, END_MARKER)
                    for schemas, slot in slots.items()}
        finally:
            conn.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                         " WHERE database = current_database() AND NOT active")
    report = []
    for schemas, expected in theirs.items():
        (work / f"ours-schemas-{schemas}.jsonl").write_text("".join(line + "\n" for line in ours[schemas]))
        found = harness.compare([json.loads(x) for x in ours[schemas]], [json.loads(x) for x in expected])
        if not found:   # same documents: then the exact texts must match too
            found = harness.raw_differences(ours[schemas], expected)
        report += [f"-- schemas.enable={schemas}"] + found if found else []
    (work / "differences.txt").write_text("\n".join(report) + "\n")
    assert not report, (f"{len(report)} difference lines in mode {mode} "
                        f"(all in {work / 'differences.txt'}):\n" + "\n".join(report[:120]))

