#!/usr/bin/env bash
# Sales per second with every trigger, against bare inserts of the same rows
# into the same tables with the user triggers disabled (foreign keys and
# indexes stay).  pgbench, 4 clients, 3-line sales.
#   BENCH_SECONDS (default 15), BENCH_CLIENTS (4), BENCH_VENUES (4: one per
#   client, a chain; 1: every till on the same products), BENCH_KEEP=1 keeps
#   the database for test/bench/sale_cpu.py.
# The plain INSERTs run twice, through pgbench's simple protocol (parsed and
# planned every time) and prepared (-M prepared: once per connection, as a
# till's driver such as JDBC or psycopg does after a few executions);
# pub.record_sale is one statement per sale and runs prepared.
# Needs a running server: PGHOST/PGPORT/PGUSER, or a cluster from
# test/pg_cluster.sh (PBO_PORT, PG_CONFIG).  Uses database bench_sales.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${PGHOST:-}" ]; then eval "export $(bash "$top/test/pg_cluster.sh" env)"; fi
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
secs=${BENCH_SECONDS:-15} clients=${BENCH_CLIENTS:-4} venues=${BENCH_VENUES:-4}
db=bench_sales
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -v venues="$venues" -d $db -f "$here/sales/setup.sql" >/dev/null

run() {   # run <label> <protocol> <script>: prints sales/s
    [ "$1" = warmup ] || psql -X -q -d $db -c "VACUUM ANALYZE" >/dev/null
    "$bindir/pgbench" -n -M "$2" -c "$clients" -j 2 -T "$secs" -D venues="$venues" -f "$3" $db 2>&1 |
        tee "/tmp/bench_sales_$1.log" | awk '/^tps = /{print int($3)}'
}
triggers() {   # triggers ENABLE|DISABLE: the user triggers of the till's tables
    psql -X -q -d $db -c "ALTER TABLE pub.sale $1 TRIGGER USER; ALTER TABLE pub.sale_line $1 TRIGGER USER;
                          ALTER TABLE pub.sale_payment $1 TRIGGER USER"
}
# Warm-up, discarded, on tables that were never vacuumed or analyzed.  Not
# VACUUM ANALYZE first: statistics that say "0 rows" make every cached
# generic plan made in the first sales (PL/pgSQL's and the foreign-key
# checks') a sequential scan of sale, sale_line and journal_* that stays for
# the connection's life, while a never-analyzed table is planned as at least
# 10 pages and gets its index scans.  Later runs start from analyzed tables
# that already hold the warm-up's sales.
insert="$here/sales/sale_insert.pgbench"
run warmup simple "$insert" >/dev/null
full_simple=$(run full_simple simple "$insert")
full_prepared=$(run full_prepared prepared "$insert")
func=$(run record_sale prepared "$here/sales/record_sale.pgbench")
triggers DISABLE
bare_simple=$(run bare_simple simple "$insert")
bare_prepared=$(run bare_prepared prepared "$insert")
triggers ENABLE
echo "clients=$clients venues=$venues seconds=$secs"
echo "sales/s with every trigger (plain INSERTs), simple:   $full_simple"
echo "sales/s with every trigger (plain INSERTs), prepared: $full_prepared"
echo "sales/s through pub.record_sale, prepared:            $func"
echo "sales/s bare inserts, triggers disabled, simple:      $bare_simple"
echo "sales/s bare inserts, triggers disabled, prepared:    $bare_prepared"
awk -v f="$full_simple" -v b="$bare_simple" 'BEGIN { printf "cost ratio (bare / full), simple:   %.2fx\n", b / f }'
awk -v f="$full_prepared" -v b="$bare_prepared" 'BEGIN { printf "cost ratio (bare / full), prepared: %.2fx\n", b / f }'
[ "${BENCH_KEEP:-0}" = 1 ] || psql -X -q -d postgres -c "DROP DATABASE $db"
