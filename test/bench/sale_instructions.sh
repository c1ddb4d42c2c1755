#!/usr/bin/env bash
# Instructions per sale (valgrind callgrind): the figure the neighbours' load
# does not move.  Builds the bench database (test/bench/sales/setup.sql, 300
# warm-up sales), copies the stopped cluster, and runs a single-user backend
# under callgrind twice, with 20 and 70 sales after 30 more warm-up ones, for
# every trigger (full) and with user triggers disabled (bare):
#   Ir per sale = (Ir(70) - Ir(20)) / 50.
# The till's statements go through the simple protocol, as pgbench's do.
#   SALES_VERSION (1.2) installs that version of the extension (1.1: the
#   PL/pgSQL posting); SALES_PREPARED=1 runs them as prepared statements
#   instead (no parse or plan per sale, as sale_cpu.py's psycopg does);
#   PG_CONFIG, PBO_PORT as for test/pg_cluster.sh; runs as root or postgres.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
eval "export $(bash test/pg_cluster.sh env)"
bin=$("${PG_CONFIG:-pg_config}" --bindir)
work=$(mktemp -d /tmp/sale_instructions.XXXXXX)
bash test/pg_cluster.sh restart
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS bench_sales" -c "CREATE DATABASE bench_sales"
sed "s/^CREATE EXTENSION pub_backoffice;/CREATE EXTENSION pub_backoffice VERSION '${SALES_VERSION:-1.2}';/" test/bench/sales/setup.sql |
    psql -X -q -v ON_ERROR_STOP=1 -v venues=4 -d bench_sales >/dev/null
"$bin/pgbench" -n -c 1 -t 300 -D venues=4 -f test/bench/sales/sale_insert.pgbench bench_sales >/dev/null
bash test/pg_cluster.sh stop
cp -a "$PBO_DATA" "$work/data" && rm -f "$work/data/postmaster.pid"
bash test/pg_cluster.sh start
[ "$(id -u)" -ne 0 ] || chown -R postgres: "$work"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

sales() {   # sales <mode> <n>: the statements of 30 + n sales, one per line
    verb=ENABLE; [ "$1" = bare ] && verb=DISABLE
    for t in sale sale_line sale_payment; do echo "ALTER TABLE pub.$t $verb TRIGGER USER"; done
    sale="INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (\$1, 'ir' || txid_current())"
    lines="INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price) VALUES (lastval(), 1, \$1, \$2 + 1, 2, 5.60), (lastval(), 2, \$1, \$2 + 2, 1, 5.80), (lastval(), 3, \$1, \$2 + 3, 1, 8.50)"
    payment="INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount) VALUES (lastval(), 'card', \$1, 25.50)"
    if [ "${SALES_PREPARED:-0}" = 1 ]; then
        echo "PREPARE sale(bigint) AS $sale"
        echo "PREPARE lines(bigint, bigint) AS $lines"
        echo "PREPARE payment(bigint) AS $payment"
    fi
    for ((i = 0; i < 30 + $2; i++)); do
        v=$((i % 4 + 1)); p=$(((v - 1) * 3))
        echo "BEGIN"
        if [ "${SALES_PREPARED:-0}" = 1 ]; then
            echo "EXECUTE sale($v)"; echo "EXECUTE lines($v, $p)"; echo "EXECUTE payment($v)"
        else   # the parameters written in
            for s in "$sale" "$lines" "$payment"; do s=${s//\$1/$v}; echo "${s//\$2/$p}"; done
        fi
        echo "COMMIT"
    done
}
instructions() {   # instructions <mode> <n>
    sales "$1" "$2" > "$work/$1.$2.sql"
    as_pg valgrind --tool=callgrind --callgrind-out-file="$work/$1.$2.out" "$bin/postgres" --single \
        -D "$work/data" bench_sales < "$work/$1.$2.sql" > "$work/$1.$2.log" 2>&1
    ! grep -q ERROR "$work/$1.$2.log" || { echo "errors in $work/$1.$2.log" >&2; exit 1; }
    awk '/^summary:/ {print $2}' "$work/$1.$2.out"
}
for mode in full bare; do
    a=$(instructions $mode 20); b=$(instructions $mode 70)
    eval "$mode=$(( (b - a) / 50 ))"
    echo "instructions per sale, $mode: ${!mode}"
done
awk -v f="$full" -v b="$bare" 'BEGIN { printf "cost ratio (full / bare): %.2fx\n", f / b }'
rm -rf "$work"
