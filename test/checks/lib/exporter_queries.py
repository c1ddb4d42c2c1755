"""Checks a postgres_exporter queries file: its structure as the exporter
reads it, and every query against a real server (libpq environment: PGHOST,
PGPORT, PGUSER, PGDATABASE) where the extension is installed.

usage: exporter_queries.py QUERIES.yaml

A query is run inside EXPLAIN, so the server parses it and resolves every
name.  A query naming a pub.* relation the extension does not define (yet:
the relay and back office are built in parallel) is reported PENDING; once
the relation exists, its columns must match or the check fails.
"""
import re
import sys

import psycopg
import yaml
from verdict import verdict

USAGES = {"DISCARD", "LABEL", "COUNTER", "GAUGE", "MAPPEDMETRIC", "DURATION", "HISTOGRAM"}
KEYS = {"query", "metrics", "master", "cache_seconds", "runonserver"}


def structure_errors(name, q):
    errors = []
    if not re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", name):
        errors.append(f"{name}: not a valid metric prefix")
    if not isinstance(q, dict) or not isinstance(q.get("query"), str) or not q.get("metrics"):
        return errors + [f"{name}: needs a query string and a metrics list"]
    errors += [f"{name}: unknown key {k}" for k in set(q) - KEYS]
    for m in q["metrics"]:
        if not isinstance(m, dict) or len(m) != 1:
            errors.append(f"{name}: each metric is a one-key mapping, got {m!r}")
            continue
        (column, spec), = m.items()
        if not isinstance(spec, dict) or spec.get("usage") not in USAGES:
            errors.append(f"{name}.{column}: usage must be one of {sorted(USAGES)}")
        elif not spec.get("description"):
            errors.append(f"{name}.{column}: no description")
    return errors


def run_errors(conn, name, q):
    """EXPLAIN the query; compare its result columns with the metrics."""
    columns = [next(iter(m)) for m in q["metrics"]]
    try:
        with conn.transaction():
            conn.execute("EXPLAIN " + q["query"])
            cur = conn.execute(f"SELECT * FROM ({q['query']}) AS q LIMIT 0")
            got = [d.name for d in cur.description]
    except psycopg.errors.UndefinedTable as e:
        missing = re.search(r'relation "([^"]+)"', str(e))
        if missing and missing.group(1).startswith("pub."):
            return None, f"PENDING {name}: {missing.group(1)} is not in the extension yet"
        return [f"{name}: {e}".strip()], None
    except psycopg.Error as e:
        return [f"{name}: {e}".strip()], None
    if sorted(got) != sorted(columns):
        return [f"{name}: query returns {got}, metrics name {columns}"], None
    return [], None


def main(path):
    with open(path) as f:
        queries = yaml.safe_load(f)
    errors = []
    for name, q in queries.items():
        errors += structure_errors(name, q)
    if errors:
        print("\n".join(errors))
        return 1
    with psycopg.connect(autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pub_backoffice")
        for name, q in queries.items():
            errs, pending = run_errors(conn, name, q)
            errors += errs or []
            print(pending or (f"{name}: ok" if not errs else f"{name}: FAILED"))
    return verdict(errors, f"{path}: {len(queries)} queries, {len(errors)} errors")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
