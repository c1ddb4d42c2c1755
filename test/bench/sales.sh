#!/usr/bin/env bash
# Sales per second with every trigger, against bare inserts of the same rows
# into the same tables with the user triggers disabled (foreign keys and
# indexes stay).  pgbench, 4 clients, 3-line sales.
#   BENCH_SECONDS (default 15), BENCH_CLIENTS (4), BENCH_VENUES (4: one per
#   client, a chain; 1: every till on the same products).
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

run() {   # run <label> <script>: prints sales/s
    psql -X -q -d $db -c "VACUUM ANALYZE" >/dev/null
    "$bindir/pgbench" -n -c "$clients" -j 2 -T "$secs" -D venues="$venues" -f "$2" $db 2>&1 |
        tee "/tmp/bench_sales_$1.log" | awk '/^tps = /{print int($3)}'
}
# Warm-up, discarded: plans (foreign-key checks included) made while the sale
# and journal tables are empty would seq-scan them for the whole run.
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
psql -X -q -d postgres -c "DROP DATABASE $db"
