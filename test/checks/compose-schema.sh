#!/usr/bin/env bash
# docker/compose.yaml validated against the Compose Specification's JSON
# schema (schema/compose-spec.json of the Go module
# github.com/compose-spec/compose-go/v2, the loader Docker Compose uses,
# from the Go module proxy) with Python's jsonschema, plus the references a
# schema cannot see; then loaded by compose-go itself (test/checks/
# composeconfig: interpolation, schema, consistency), with the defaults and
# with overrides.  No Docker engine exists here: nothing is run.  Also
# proves a faulty compose file is rejected, every run.
source "$(dirname "$0")/lib/tools.bash"
py_tools
schema=$(compose_schema)
cd "$repo_dir"
log "schema: $schema"
python3 "$checks_dir/lib/compose_validate.py" "$schema" docker/compose.yaml
log "loading it as docker compose config does (compose-go), with the defaults and with overrides"
composeconfig=$(go_tool_bin composeconfig)
"$composeconfig" docker/compose.yaml
KAFKA_IMAGE=apache/kafka:4.1.0 PBO_PG_PORT=15432 PBO_DEMO_DIR=/tmp "$composeconfig" docker/compose.yaml

log "faulty compose files must be rejected"
bad=$(mktemp docker/compose-broken.XXXXXX.yaml); trap 'rm -f "$bad"' EXIT
reject() {   # $1: python statement editing the compose document d
    python3 -c '
import sys, yaml
d = yaml.safe_load(open("docker/compose.yaml"))
exec(sys.argv[1])
yaml.safe_dump(d, open(sys.argv[2], "w"))' "$1" "$bad"
    if python3 "$checks_dir/lib/compose_validate.py" "$schema" "$bad"; then
        echo "NOT rejected after: $1"; exit 1
    fi
}
reject 'd["services"]["db"]["depends_on"]["kafka"]["condition"] = "service_ready"'
reject 'd["services"]["kafka"]["healthcheck"]["retry"] = 3'
reject 'd["services"]["db"]["restart_policy"] = "always"'
reject 'd["services"]["simulator"]["depends_on"] = {"database": {"condition": "service_healthy"}}'
reject 'd["services"]["db"]["build"]["dockerfile"] = "docker/Dockerfile.missing"'
if PBO_PG_PORT=not-a-port "$composeconfig" docker/compose.yaml; then
    echo "compose-go accepted a port that is not a number"; exit 1
fi
log "ok"
