#!/usr/bin/env bash
# `make test`: install what is missing, build and install the extension,
# start a throwaway cluster, run every suite, stop what was started, and end
# with one line "N passed, N failed".  Exit status 1 on any failure.
#   Suites: pg_regress (sql/, expected/), offline checks (test/checks/*.sh),
#   integration tests (test/integration/test_*.py, pytest).
#   PBO_SUITES="regress checks integration" selects suites.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
suites=${PBO_SUITES:-regress checks integration}
passed=0 failed=0
log=$top/test/.work; mkdir -p "$log"

bash test/build.sh || { echo "0 passed, 1 failed"; exit 1; }

export PBO_PORT=${PBO_PORT:-54329}
eval "export $(bash test/pg_cluster.sh env)"
bash test/pg_cluster.sh destroy
trap 'bash test/pg_cluster.sh destroy' EXIT
bash test/pg_cluster.sh start || { cat "$PBO_DIR/server.log"; echo "0 passed, 1 failed"; exit 1; }

count() { passed=$((passed + $1)); failed=$((failed + $2)); }

if [[ " $suites " == *" regress "* ]]; then
    echo "== pg_regress"
    make -s installcheck PBO_REGRESS_CONN="--host=$PGHOST --port=$PGPORT --user=postgres" \
        2>&1 | tee "$log/regress.log"
    ok=$(grep -Ec '^(ok|test) .*\.\.\. +ok|^ok ' "$log/regress.log")
    bad=$(grep -Ec '\.\.\. +FAILED|^not ok ' "$log/regress.log")
    count "$ok" "$bad"
    [ "$bad" -eq 0 ] || cat regression.diffs 2>/dev/null | head -200
fi

if [[ " $suites " == *" checks "* ]]; then
    echo "== checks"
    for c in test/checks/*.sh; do
        [ -e "$c" ] || continue
        if bash "$c" >"$log/$(basename "$c").log" 2>&1; then
            echo "check $(basename "$c") ... ok"; count 1 0
        else
            echo "check $(basename "$c") ... FAILED"; tail -30 "$log/$(basename "$c").log"; count 0 1
        fi
    done
fi

if [[ " $suites " == *" integration "* ]] && compgen -G "test/integration/test_*.py" >/dev/null; then
    echo "== integration"
    python3 -m pytest -p no:cacheprovider -q test/integration --junitxml="$log/integration.xml" 2>&1 |
        tee "$log/integration.log" | tail -40
    read -r ok bad < <(python3 - "$log/integration.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    r = ET.parse(sys.argv[1]).getroot()
    s = r if r.tag == "testsuite" else r.find("testsuite")
    t, f, e, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    print(t - f - e - sk, f + e + sk)   # a skipped test counts as a failure here
except Exception:
    print(0, 1)
PY
)
    count "$ok" "$bad"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
