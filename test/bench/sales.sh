#!/usr/bin/env bash
# Sales per second with every trigger, against bare inserts of the same rows
# into the same tables with the user triggers disabled (foreign keys and
# indexes stay).  pgbench, 4 clients, 3-line sales.
#   BENCH_SECONDS (default 15), BENCH_CLIENTS (4), BENCH_VENUES (4: one per
#   client, a chain; 1: every till on the same products), BENCH_KEEP=1 keeps
#   the database for test/bench/sale_cpu.py, BENCH_PROTOCOL (simple) is
#   pgbench's -M: simple or prepared (statements parsed and planned once per
#   connection, as a till's driver usually does).
# Needs a running server: PGHOST/PGPORT/PGUSER, or a cluster from
# test/pg_cluster.sh (PBO_PORT, PG_CONFIG).  Uses database bench_sales.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${PGHOST:-}" ]; then eval "export $(bash "$top/test/pg_cluster.sh" env)"; fi
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
secs=${BENCH_SECONDS:-15} clients=${BENCH_CLIENTS:-4} venues=${BENCH_VENUES:-4} protocol=${BENCH_PROTOCOL:-simple}
db=bench_sales
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -v venues="$venues" -d $db -f "$here/sales/setup.sql" >/dev/null

run() {   # run <label> <script>: prints sales/s
    [ "$1" = warmup ] || psql -X -q -d $db -c "VACUUM ANALYZE" >/dev/null
    "$bindir/pgbench" -n -M "$protocol" -c "$clients" -j 2 -T "$secs" -D venues="$venues" -f "$2" $db 2>&1 |
        tee "/tmp/bench_sales_$1.log" | awk '/^tps = /{print int($3)}'
}
# Warm-up, discarded, on tables that were never vacuumed or analyzed.  Not
# VACUUM ANALYZE first: statistics that say "0 rows" make every cached
# generic plan made in the first sales (PL/pgSQL's and the foreign-key
# checks') a sequential scan of sale, sale_line and journal_* that stays for
# the connection's life, while a never-analyzed table is planned as at least
# 10 pages and gets its index scans.  Later runs start from analyzed tables
# that already hold the warm-up's sales.
run warmup "$here/sales/sale_insert.pgbench" >/dev/null
full=$(run full "$here/sales/sale_insert.pgbench")
func=$(run record_sale "$here/sales/record_sale.pgbench")
psql -X -q -d $db -c "ALTER TABLE pub.sale DISABLE TRIGGER USER; ALTER TABLE pub.sale_line DISABLE TRIGGER USER;
                      ALTER TABLE pub.sale_payment DISABLE TRIGGER USER"
bare=$(run bare "$here/sales/sale_insert.pgbench")
psql -X -q -d $db -c "ALTER TABLE pub.sale ENABLE TRIGGER USER; ALTER TABLE pub.sale_line ENABLE TRIGGER USER;
                      ALTER TABLE pub.sale_payment ENABLE TRIGGER USER"
echo "clients=$clients venues=$venues seconds=$secs"
echo "sales/s with every trigger (plain INSERTs): $full"
echo "sales/s through pub.record_sale:            $func"
echo "sales/s bare inserts, triggers disabled:    $bare"
awk -v f="$full" -v b="$bare" 'BEGIN { printf "cost ratio (bare / full): %.2fx\n", b / f }'
[ "${BENCH_KEEP:-0}" = 1 ] || psql -X -q -d postgres -c "DROP DATABASE $db"
