#!/usr/bin/env bash
# Bounded memory: one transaction of 1M rows is streamed with pg_recvlogical
# and the walsender's private memory (RssAnon, sampled every 10 ms) grows by
# less than logical_decoding_work_mem plus a fixed allowance, so the decoder
# keeps no per-event memory.  Prints the measured numbers.
#   PBO_MEMCHECK_PLUGIN (default pub_backoffice), PBO_MEMCHECK_ROWS (1000000).
# wal2json format-version 1, which builds one string per transaction, fails it.
set -euo pipefail
exec python3 - <<'PY'
import os
import subprocess
import time

import psycopg

PLUGIN = os.environ.get("PBO_MEMCHECK_PLUGIN", "pub_backoffice")
ROWS = int(os.environ.get("PBO_MEMCHECK_ROWS", 1_000_000))
WORK_MEM_MB = 16            # logical_decoding_work_mem of the walsender
ALLOWANCE_MB = 48           # caches, reorder buffer overhead, output buffers
OPTIONS = {"pub_backoffice": ["topic.prefix=mem", "schemas.enable=true"]}.get(PLUGIN, [])
BINDIR = subprocess.run([os.environ.get("PG_CONFIG", "pg_config"), "--bindir"], check=True,
                        stdout=subprocess.PIPE, text=True).stdout.strip()


def connect(db):
    return psycopg.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"],
                           user=os.environ.get("PGUSER", "postgres"), dbname=db, autocommit=True)


def rss_anon_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) // 1024
    raise OSError(f"no RssAnon for pid {pid}")


with connect("postgres") as admin:
    if admin.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = 'memcheck'").fetchone():
        admin.execute("SELECT pg_drop_replication_slot('memcheck')")
    admin.execute("DROP DATABASE IF EXISTS memcheck WITH (FORCE)")
    admin.execute("CREATE DATABASE memcheck")
with connect("memcheck") as conn:
    conn.execute("CREATE TABLE sale_line (id bigint PRIMARY KEY, product text, qty int, price numeric(10,2))")
    conn.execute("SELECT pg_create_logical_replication_slot('memcheck', %s)", (PLUGIN,))
    conn.execute("INSERT INTO sale_line SELECT i, 'product ' || i %% 97, i %% 5, i %% 1000 / 100.0"
                 " FROM generate_series(1, %s) i", (ROWS,))
    end = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
    args = [f"{BINDIR}/pg_recvlogical", "-d", "memcheck", "-S", "memcheck", "--start", "--no-loop",
            "-E", end, "-F", "0", "-f", "-"] + [x for o in OPTIONS for x in ("-o", o)]
    env = dict(os.environ, PGOPTIONS=f"-c logical_decoding_work_mem={WORK_MEM_MB}MB")
    recv = subprocess.Popen(args, env=env, stdout=subprocess.PIPE)
    count = subprocess.Popen(["wc", "-l"], stdin=recv.stdout, stdout=subprocess.PIPE, text=True)
    recv.stdout.close()
    pid, first, peak = None, None, 0
    while recv.poll() is None:
        if pid is None:
            row = conn.execute("SELECT active_pid FROM pg_replication_slots"
                               " WHERE slot_name = 'memcheck'").fetchone()
            pid = row[0] if row else None
        if pid:
            try:
                now = rss_anon_mb(pid)
            except OSError:
                break
            first = now if first is None else first
            peak = max(peak, now)
        time.sleep(0.01)
    lines = int(count.communicate()[0])
    assert recv.wait() == 0, "pg_recvlogical failed"
    conn.execute("SELECT pg_drop_replication_slot('memcheck')")
assert first is not None, "the walsender was never seen"
growth = peak - first
print(f"{PLUGIN}: {lines} lines from one {ROWS}-row transaction; walsender private memory (RssAnon) "
      f"{first} MB at start, peak {peak} MB, growth {growth} MB "
      f"(bound {WORK_MEM_MB + ALLOWANCE_MB} MB with logical_decoding_work_mem {WORK_MEM_MB} MB)")
assert lines >= ROWS, f"expected at least {ROWS} lines, got {lines}"
assert growth < WORK_MEM_MB + ALLOWANCE_MB, f"private memory grew by {growth} MB"
PY
