"""Runs the pub_backoffice_slot query of a postgres_exporter queries file and
checks what it reports for one real slot (libpq environment).

usage: slot_metrics.py QUERIES.yaml SLOT_NAME EXPECTED_ACTIVE
Passes when the query reports SLOT_NAME exactly once, with active equal to
EXPECTED_ACTIVE and lag_bytes > 0 (the caller wrote WAL after creating it).
"""
import sys

import psycopg
import yaml


def main(path, slot, active):
    query = yaml.safe_load(open(path))["pub_backoffice_slot"]["query"]
    with psycopg.connect(autocommit=True) as conn:
        cur = conn.execute(query)
        names = [d.name for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall() if r[names.index("slot_name")] == slot]
    print(rows)
    if len(rows) != 1:
        print(f"expected one row for slot {slot}")
        return 1
    row = rows[0]
    if row["active"] != int(active) or not row["lag_bytes"] > 0 or row["wal_status"] != "reserved":
        print(f"expected active={active}, lag_bytes > 0, wal_status reserved")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
