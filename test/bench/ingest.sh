#!/usr/bin/env bash
# Documents in: supplier invoices per second (Peppol UBL, 50 lines, checked,
# mapped and booked) and Square orders per second (5 lines with a tip,
# posted as a sale).  pgbench, 1 client, a fixed number of documents, each
# distinct (pre-generated), so every call does the full work.
#   BENCH_DOCS (default 300: documents of each kind).
# Needs a running server: PGHOST/PGPORT/PGUSER, or a cluster from
# test/pg_cluster.sh (PBO_PORT, PG_CONFIG).  Uses database bench_ingest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${PGHOST:-}" ]; then eval "export $(bash "$top/test/pg_cluster.sh" env)"; fi
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
n=${BENCH_DOCS:-300}
db=bench_ingest
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
psql -X -q -v ON_ERROR_STOP=1 -v n="$n" -d $db -f "$here/ingest/setup.sql" >/dev/null

run() {   # run <label> <script>: prints the command and documents/s
    local cmd=("$bindir/pgbench" -n -c 1 -t "$n" -f "$2" "$db")
    echo "\$ ${cmd[*]}" >&2
    "${cmd[@]}" 2>&1 | tee "/tmp/bench_ingest_$1.log" | awk '/^tps = /{printf "%.1f\n", $3}'
}
inv=$(run invoice "$here/ingest/invoice.pgbench")
ord=$(run order "$here/ingest/order.pgbench")
booked=$(psql -X -qAt -d $db -c "SELECT count(*) FROM pub.received_invoice WHERE status = 'booked'")
posted=$(psql -X -qAt -d $db -c "SELECT count(*) FROM pub.pos_order WHERE sale_id IS NOT NULL")
echo "documents of each kind: $n (booked invoices: $booked, posted orders: $posted)"
echo "invoices/s (50-line UBL invoice, receive_ubl_invoice): $inv"
echo "orders/s (5-line Square order with a tip, ingest_square_order): $ord"
[ "$booked" -eq "$n" ] && [ "$posted" -eq "$n" ] || { echo "not every document was booked/posted" >&2; exit 1; }
psql -X -q -d postgres -c "DROP DATABASE $db"
