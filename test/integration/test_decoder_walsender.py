"""The decoder over the replication protocol (pg_recvlogical, a walsender),
where the startup callback runs outside any transaction: events arrive one
per line, as in the SQL functions."""
import json
import subprocess

from conftest import bindir, connect


def test_decoder_streams_records_through_pg_recvlogical():
    with connect() as conn:
        conn.execute("DROP TABLE IF EXISTS walsender_tab")
        if conn.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'walsender_slot'").fetchone():
            conn.execute("SELECT pg_drop_replication_slot('walsender_slot')")
        conn.execute("CREATE TABLE walsender_tab (id int PRIMARY KEY, name text)")
        conn.execute("SELECT pg_create_logical_replication_slot('walsender_slot', 'pub_backoffice')")
        try:
            conn.execute("SELECT pg_logical_emit_message(false, 'till', 'open')")
            conn.execute("INSERT INTO walsender_tab VALUES (1, 'stout')")
            conn.execute("DELETE FROM walsender_tab")
            end = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
            out = subprocess.run(
                [f"{bindir()}/pg_recvlogical", "-d", "postgres", "-S", "walsender_slot", "--start",
                 "--no-loop", "-E", end, "-f", "-", "-o", "output=record", "-o", "topic.prefix=ws",
                 "-o", "schemas.enable=false"],
                check=True, stdout=subprocess.PIPE, text=True, timeout=60).stdout
        finally:
            conn.execute("SELECT pg_drop_replication_slot('walsender_slot')")
            conn.execute("DROP TABLE walsender_tab")
    records = [json.loads(line) for line in out.splitlines() if line]
    assert [(r["topic"], r["key"], r["value"] and r["value"]["op"]) for r in records] == [
        ("ws.message", {"prefix": "till"}, "m"),
        ("ws.public.walsender_tab", {"id": 1}, "c"),
        ("ws.public.walsender_tab", {"id": 1}, "d"),
        ("ws.public.walsender_tab", {"id": 1}, None),
    ]
    assert records[0]["value"]["source"]["db"] == "postgres"
    assert records[1]["value"]["source"]["db"] == "postgres"
    assert records[1]["value"]["after"] == {"id": 1, "name": "stout"}
