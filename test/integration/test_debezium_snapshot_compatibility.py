"""Our snapshot reads (op r) are indistinguishable from Debezium's.

Debezium 3.x's initial snapshot (embedded engine, JsonConverter with and
without schemas) of two tables against pub.decoder_snapshot_tables() on the same
tables, record by record, field by field and byte by byte.  Records and
differences are kept in test/.work/compat/snapshot/.
"""
import json
import os

from test_debezium_compatibility import PREFIX, WORK, connect, fresh_database, harness, workload

def snapshot_marker(line):
    value = json.loads(line)["value"]
    payload = value.get("payload", value) if value else None
    return payload["source"]["snapshot"] if payload else None


def test_snapshot_reads_match_debezium():
    """pub.decoder_snapshot_tables() against Debezium's initial snapshot of two tables.

    The source block's clock, position and transaction id are masked (each
    side takes its own snapshot); instead, ours must use one instant, one
    position and one transaction id for every row, as Debezium does."""
    dbname, work = "compat_snapshot", WORK / "snapshot"
    work.mkdir(parents=True, exist_ok=True)
    fresh_database(dbname, workload.SNAPSHOT_SETUP)
    with connect(dbname) as conn:
        dbz = harness.Debezium(work / "debezium.jsonl", dbname, os.environ["PGPORT"], PREFIX,
                               "dbz_snapshot", {"snapshot.mode": "initial",
                                                "table.include.list": ",".join(
                                                    "public." + t for t in workload.SNAPSHOT_TABLES)})
        try:
            dbz.wait(lambda recs: any(snapshot_marker(json.dumps(r)) == "last" for r in recs),
                     "the snapshot's last record", timeout=180)
            theirs = {"true": dbz.lines(True), "false": dbz.lines(False)}
        finally:
            dbz.stop()
            conn.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                         " WHERE database = current_database() AND NOT active")
        ours = {s: [d for (d,) in conn.execute(
            "SELECT * FROM pub.decoder_snapshot_tables(%s::regclass[], 'topic.prefix', %s, 'output', 'record',"
            " 'schemas.enable', %s)", (workload.SNAPSHOT_TABLES, PREFIX, s)).fetchall()]
            for s in ("true", "false")}
    report = []
    for schemas in ("true", "false"):
        (work / f"ours-schemas-{schemas}.jsonl").write_text("".join(x + "\n" for x in ours[schemas]))
        found = harness.compare([json.loads(x) for x in ours[schemas]],
                                [json.loads(x) for x in theirs[schemas]], harness.SNAPSHOT_SOURCE_FIELDS)
        if not found:
            found = harness.raw_differences(ours[schemas], theirs[schemas], harness.RAW_SNAPSHOT_MASKS)
        report += [f"-- schemas.enable={schemas}"] + found if found else []
    sources = [json.loads(x)["value"]["source"] for x in ours["false"]]
    for field in ("ts_us", "lsn", "txId"):
        values = {src[field] for src in sources}
        if len(values) != 1 or None in values:
            report.append(f"source.{field} should be one non-null value for the whole snapshot, "
                          f"ours has {sorted(values, key=str)}")
    (work / "differences.txt").write_text("\n".join(report) + "\n")
    assert len(ours["true"]) == 8 and not report, "\n".join(report[:80])
