#!/usr/bin/env bash
# Instructions per sale (valgrind callgrind): the figure the neighbours' load
# does not move.  Builds the bench database (test/bench/sales/setup.sql, 300
# warm-up sales), copies the stopped cluster, and runs a single-user backend
# under callgrind twice, with 20 and 70 sales after 30 more warm-up ones, for
# every trigger (full) and with user triggers disabled (bare):
#   Ir per sale = (Ir(70) - Ir(20)) / 50.
# The till's statements go through the simple protocol, as pgbench's do by
# default; SALES_PROTOCOL=prepared PREPAREs them once and EXECUTEs them per
# sale (the single-user backend has no extended protocol; this is its
# equivalent of pgbench -M prepared: parsed and planned once).
#   SALES_VERSION (1.2) installs that version of the extension (1.1: the
#   PL/pgSQL posting); PG_CONFIG, PBO_PORT as for test/pg_cluster.sh; runs as
#   root or postgres.
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

protocol=${SALES_PROTOCOL:-simple}
bind() {   # bind <statement> <v> <p>: the statement with $1 and $2 written in
    local s=${1//\$1/$2}; echo "${s//\$2/$3}"
}
sales() {   # sales <mode> <n>: the statements of 30 + n sales, one per line
    verb=ENABLE; [ "$1" = bare ] && verb=DISABLE
    for t in sale sale_line sale_payment; do echo "ALTER TABLE pub.$t $verb TRIGGER USER"; done
    sale="INSERT INTO pub.sale (venue_id, idempotency_key) VALUES (\$1, 'ir' || txid_current())"
    lines="INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price) VALUES (lastval(), 1, \$1, \$2 + 1, 2, 5.60), (lastval(), 2, \$1, \$2 + 2, 1, 5.80), (lastval(), 3, \$1, \$2 + 3, 1, 8.50)"
    payment="INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount) VALUES (lastval(), 'card', \$1, 25.50)"
    if [ "$protocol" = prepared ]; then
        echo "PREPARE sale(int) AS $sale"; echo "PREPARE lines(int, int) AS $lines"; echo "PREPARE payment(int) AS $payment"
    fi
    for ((i = 0; i < 30 + $2; i++)); do
        v=$((i % 4 + 1)); p=$(((v - 1) * 3))
        echo "BEGIN"
        if [ "$protocol" = prepared ]; then
            echo "EXECUTE sale($v)"; echo "EXECUTE lines($v, $p)"; echo "EXECUTE payment($v)"
        else
            bind "$sale" "$v" "$p"; bind "$lines" "$v" "$p"; bind "$payment" "$v" "$p"
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
