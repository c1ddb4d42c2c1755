#!/usr/bin/env bash
# Runs the decoder's and the C sale posting's pg_regress tests, a walsender
# stream, and the relay worker (initial snapshot, then streaming to a local
# Kafka broker until Kafka has acknowledged everything) against a PostgreSQL
# server running under valgrind memcheck, and fails if any error report has
# pub_backoffice in its stack.  Too slow for `make test` (minutes): run it by
# hand,
#     PG_CONFIG=... PBO_PORT=... bash test/memcheck/valgrind.sh
# PBO_VALGRIND_TESTS lists the pg_regress tests (default: every decoder_* test
# except decoder_large_txn, and bo_posting_c).  Logs:
# test/.work/valgrind/<pid>.log; forked children (backends, the relay worker)
# stay under valgrind.
# Debian's server is not built with USE_VALGRIND, so palloc chunks inside a
# memory context block are not tracked individually: memcheck sees reads of
# uninitialised memory, invalid accesses outside malloc'd blocks, use after a
# context's blocks were freed, and bad system call arguments.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=test/memcheck
export PBO_PORT=${PBO_PORT:-54329}
export PBO_DIR=/tmp/pub_backoffice-valgrind-$PBO_PORT
eval "export $(bash test/pg_cluster.sh env)"
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
make -s >/dev/null && make -s install >/dev/null

tests=${PBO_VALGRIND_TESTS:-$(ls sql/decoder_*.sql 2>/dev/null | xargs -rn1 basename -s .sql | grep -v '^decoder_large_txn$' | tr '\n' ' ') bo_posting_c}
[ -n "$tests" ] || { echo "no decoder tests found in sql/"; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bash test/pg_cluster.sh destroy
bash test/pg_cluster.sh start          # initdb and settings, then restart under valgrind
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres \
    -c "CREATE TABLE snapshot_check (id int PRIMARY KEY, t text, n numeric(8,2))" \
    -c "INSERT INTO snapshot_check SELECT i, 'row ' || i, i / 7.0 FROM generate_series(1, 100) i"
bash test/pg_cluster.sh stop
logs=$(pwd)/test/.work/valgrind
rm -rf "$logs"
mkdir -p "$logs"; [ "$(id -u)" -ne 0 ] || chown postgres: "$logs"
stop_server() { as_pg "$bindir/pg_ctl" -D "$PBO_DATA" -m fast -w -t 300 stop >/dev/null 2>&1 || true; }
export KAFKA_DIR=$PBO_DIR/kafka
trap 'stop_server; bash test/kafka/broker.sh stop >/dev/null 2>&1 || true; bash test/pg_cluster.sh destroy >/dev/null 2>&1 || true' EXIT
# The relay starts with the server: its snapshot takes what database
# postgres holds then, and it streams what comes later.
bootstrap=$(bash test/kafka/broker.sh start | tail -1)
printf "pub_backoffice.%s = '%s'\n" brokers "$bootstrap" topic_prefix valgrind slot_name valgrind_relay \
    database postgres poll_interval 10ms snapshot_mode initial > "$PBO_DATA/pub_backoffice_test.conf"
chmod 644 "$PBO_DATA/pub_backoffice_test.conf"
as_pg valgrind --quiet --error-exitcode=0 --leak-check=no --num-callers=40 \
    --trace-children=no --suppressions="$(pwd)/$here/postgresql.supp" --fullpath-after= \
    --log-file="$logs/%p.log" "$bindir/postgres" -D "$PBO_DATA" >"$PBO_DIR/server.log" 2>&1 &
for _ in $(seq 300); do "$bindir/pg_isready" -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
"$bindir/pg_isready" -q -h "$PGHOST" -p "$PGPORT" || { tail -20 "$PBO_DIR/server.log"; exit 1; }

echo "valgrind: running pg_regress $tests"
status=0
make -s installcheck REGRESS="$tests" \
    PBO_REGRESS_CONN="--host=$PGHOST --port=$PGPORT --user=postgres" || status=$?

# The walsender path too (no transaction around the startup callback).
echo "valgrind: streaming through a walsender with pg_recvlogical"
psql_() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres "$@"; }
psql_ -c "CREATE TABLE walsender_check (id int PRIMARY KEY, t text, n numeric(8,2), ts timestamptz, j jsonb)" \
      -c "SELECT pg_create_logical_replication_slot('walsender_check', 'pub_backoffice')" \
      -c "INSERT INTO walsender_check SELECT i, repeat('x', i), i / 3.0, now(), '{}' FROM generate_series(1, 200) i" \
      -c "UPDATE walsender_check SET t = 'y' WHERE id % 2 = 0" -c "DELETE FROM walsender_check WHERE id > 150"
end=$(psql_ -At -c "SELECT pg_current_wal_lsn()")
"$bindir/pg_recvlogical" -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -S walsender_check --start \
    --no-loop -E "$end" -F 0 -f /dev/null -o topic.prefix=check -o schemas.enable=true \
    -o provide.transaction.metadata=true -o output=record || status=$?

# The relay worker: what database postgres held at start (snapshot), the
# changes since and a logical decoding message, until Kafka acknowledged them.
echo "valgrind: the relay streaming to Kafka at $bootstrap"
psql_ -c "CREATE EXTENSION IF NOT EXISTS pub_backoffice" \
      -c "INSERT INTO walsender_check SELECT i, 'relay', i, now(), '{\"a\": 1}' FROM generate_series(1000, 1300) i" \
      -c "UPDATE walsender_check SET t = 'z' WHERE id % 3 = 0" -c "DELETE FROM walsender_check WHERE id % 7 = 0" \
      -c "SELECT pg_logical_emit_message(true, 'valgrind', 'hello')" >/dev/null
target=$(psql_ -At -c "SELECT pg_current_wal_flush_lsn()")
acked=f
for _ in $(seq 600); do
    acked=$(psql_ -At -c "SELECT coalesce(last_acked_lsn >= '$target', false) FROM pub.relay_status")
    [ "$acked" = t ] && break
    sleep 1
done
psql_ -c "SELECT state, last_acked_lsn, events_sent, snapshot_rows_done, retries, last_error FROM pub.relay_status"
[ "$acked" = t ] || { echo "valgrind: the relay did not catch up to $target"; status=1; }
stop_server

# Each error report is a block of "==pid==" lines ending in a blank one.
python3 - "$logs" "$(pwd)/src/" <<'PY'
import glob, re, sys
ours, other = [], 0
for path in sorted(glob.glob(sys.argv[1] + "/*.log")):
    block = []
    for line in open(path, errors="replace").read().splitlines() + ["==0== "]:
        body = re.sub(r"^==\d+== ?", "", line)
        if body.strip():
            block.append(body)
            continue
        if block and any("at 0x" in b or "by 0x" in b for b in block):
            if any(sys.argv[2] in b or "pub_backoffice" in b for b in block):
                ours.append(f"{path}:\n  " + "\n  ".join(block))
            else:
                other += 1
        block = []
print(f"valgrind: {len(ours)} error reports in pub_backoffice, {other} elsewhere "
      f"(logs in {sys.argv[1]})")
for report in ours[:20]:
    print(report)
sys.exit(1 if ours else 0)
PY
[ "$status" -eq 0 ] || { echo "valgrind: pg_regress failed under valgrind"; exit 1; }
echo "valgrind: clean"
