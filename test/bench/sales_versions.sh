#!/usr/bin/env bash
# One posting against another on the same cluster and load: the bench fixture
# installed at two extension versions (default 1.1, PL/pgSQL posting, and
# 1.2, C posting), then pgbench rounds alternating between them, every
# trigger and bare, and test/bench/sale_cpu.py on each.
#   SALES_VERSIONS ("1.1 1.2"), BENCH_SECONDS (10), ROUNDS (2); PG_CONFIG and
#   PBO_PORT as for test/pg_cluster.sh (the cluster must be running).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
eval "export $(bash test/pg_cluster.sh env)"
bin=$("${PG_CONFIG:-pg_config}" --bindir)
versions=${SALES_VERSIONS:-1.1 1.2}
tps() {
    "$bin/pgbench" -n -c 4 -j 2 -T "${BENCH_SECONDS:-10}" -D venues=4 -f test/bench/sales/sale_insert.pgbench "$1" 2>&1 |
        awk '/^tps = /{print int($3)}'
}
triggers() { for t in sale sale_line sale_payment; do psql -X -q -d "$1" -c "ALTER TABLE pub.$t $2 TRIGGER USER"; done; }
load() { cut -d' ' -f1 /proc/loadavg; }
for ver in $versions; do
    db=bench_v${ver/./_}
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    sed "s/^CREATE EXTENSION pub_backoffice;/CREATE EXTENSION pub_backoffice VERSION '$ver';/" test/bench/sales/setup.sql |
        psql -X -q -v ON_ERROR_STOP=1 -v venues=4 -d "$db" >/dev/null
    BENCH_SECONDS=5 tps "$db" >/dev/null   # warm-up on never-analyzed tables (see sales.sh)
done
for round in $(seq "${ROUNDS:-2}"); do
    for ver in $versions; do
        db=bench_v${ver/./_}
        full=$(tps "$db"); triggers "$db" DISABLE; bare=$(tps "$db"); triggers "$db" ENABLE
        awk -v r="$round" -v v="$ver" -v f="$full" -v b="$bare" -v l="$(load)" \
            'BEGIN { printf "round %s, %s: every trigger %d sales/s, bare %d sales/s, ratio %.2fx (load %s)\n", r, v, f, b, b / f, l }'
    done
done
for ver in $versions; do
    echo "sale_cpu $ver (load $(load)):"
    PGDATABASE=bench_v${ver/./_} python3 test/bench/sale_cpu.py 1000 3
done
