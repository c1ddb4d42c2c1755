#!/usr/bin/env bash
# `make bench`: build and install, start a throwaway cluster of its own, run
# every benchmark (each prints its own side-by-side table), stop the cluster.  PBO_PORT chooses the port (default
# 54339); PBO_BENCHES="decode sales" runs a subset (names without extension).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/deps.sh
make -s >/dev/null && make -s install >/dev/null
export PBO_PORT=${PBO_PORT:-54339}
export PBO_DIR=/tmp/pub_backoffice-bench-$PBO_PORT
eval "export $(bash test/pg_cluster.sh env)"
bash test/pg_cluster.sh destroy
trap 'bash test/pg_cluster.sh destroy' EXIT
bash test/pg_cluster.sh start
# sales keeps its database for sale_cpu; relay runs last, on a cluster and
# broker of its own (it replaces this one).
all="decode sales sale_cpu ingest relay"
for bench in ${PBO_BENCHES:-$all}; do
    echo "== bench $bench"
    case $bench in
        sales) BENCH_KEEP=1 bash test/bench/sales.sh ;;
        relay) bash test/bench/relay/run.sh ;;
        *) if [ -f "test/bench/$bench.py" ]; then python3 "test/bench/$bench.py"; else bash "test/bench/$bench.sh"; fi ;;
    esac
done
