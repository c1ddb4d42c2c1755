#!/usr/bin/env bash
# k8s/monitoring/: the Prometheus alert rules checked by Prometheus' own rule
# parser (rulefmt + PromQL, what `promtool check rules` runs; built from the
# Go module proxy by test/checks/promrules) and unit-tested there (series in,
# alerts expected to fire at given minutes), and the postgres_exporter
# queries file checked for structure and run (EXPLAIN) against the test
# cluster in a scratch database with the extension.  Also proves a faulty
# rule and a faulty query are rejected, every run.
source "$(dirname "$0")/lib/tools.bash"
py_tools
promrules=$(go_tool_bin promrules)
cd "$repo_dir/k8s/monitoring"
"$promrules" alerts.yaml
log "alert rules unit tests: scenarios of metric series, alerts expected to fire"
go=$(go_cmd)
alert_tests() { (cd "$checks_dir/promrules" && PBO_ALERTS="$1" "$go" test -count=1 "${@:2}" .); }
alert_tests "$PWD/alerts.yaml" -v | grep -E '^ *--- |^(ok|FAIL)|alerts_test'

# The test cluster's connection (test/run.sh exports it); a scratch database.
: "${PGHOST:?run from make test, or export PGHOST/PGPORT/PGUSER of a server with the extension installed}"
export PGDATABASE=pbo_check_monitoring
dropdb --if-exists "$PGDATABASE" && createdb "$PGDATABASE"
trap 'dropdb --if-exists "$PGDATABASE"' EXIT
python3 "$checks_dir/lib/exporter_queries.py" queries.yaml

log "the slot metrics for a real pub_backoffice slot, idle and with WAL behind it"
slot=pbo_check_monitoring
drop_slot() { psql -XAtq -c "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null; }
trap 'drop_slot; dropdb --if-exists "$PGDATABASE"' EXIT
psql -XAtq -v ON_ERROR_STOP=1 -c "SELECT pg_create_logical_replication_slot('$slot', 'pub_backoffice')" \
     -c "CREATE TABLE pbo_wal AS SELECT generate_series(1, 1000) AS n" >/dev/null
python3 "$checks_dir/lib/slot_metrics.py" queries.yaml "$slot" 0
drop_slot

log "faulty files must be rejected"
bad=$(mktemp -d); trap 'rm -rf "$bad"; drop_slot; dropdb --if-exists "$PGDATABASE"' EXIT
sed 's/pub_backoffice_slot_lag_bytes > 1024/pub_backoffice_slot_lag_bytes >> 1024/' alerts.yaml >"$bad/alerts.yaml"
if "$promrules" "$bad/alerts.yaml"; then echo "a PromQL syntax error was accepted"; exit 1; fi
sed 's/for: 10m/for: 1m/' alerts.yaml >"$bad/alerts.yaml"
if alert_tests "$bad/alerts.yaml" >"$bad/test.log" 2>&1; then echo "the unit tests missed a changed 'for'"; exit 1; fi
grep -m3 'minute' "$bad/test.log"
sed 's/confirmed_flush_lsn), 0) AS lag_bytes/confirmed_flush), 0) AS lag_bytes/' queries.yaml >"$bad/queries.yaml"
if python3 "$checks_dir/lib/exporter_queries.py" "$bad/queries.yaml"; then echo "a wrong column was accepted"; exit 1; fi
sed 's/usage: GAUGE/usage: GAGE/' queries.yaml >"$bad/queries.yaml"
if python3 "$checks_dir/lib/exporter_queries.py" "$bad/queries.yaml"; then echo "a wrong usage was accepted"; exit 1; fi
log "ok"
