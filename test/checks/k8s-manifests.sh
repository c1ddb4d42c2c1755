#!/usr/bin/env bash
# k8s/: every manifest, and the kustomization's rendered output, validated
# strictly against Kubernetes' JSON schemas and Strimzi's CRD schemas; then
# the references between them (ConfigMaps, Secrets, Strimzi cluster labels).
# Also proves the validator rejects a broken manifest, every run.
source "$(dirname "$0")/lib/tools.bash"
py_tools
crds=$(strimzi_crds)
kustomize=$(kustomize_bin)
validate() { python3 "$checks_dir/lib/k8s_validate.py" "$crds" "$@"; }
cd "$repo_dir/k8s"

mapfile -t manifests < <(python3 -c '
import sys, yaml
k = yaml.safe_load(open("kustomization.yaml"))
print("\n".join(k["resources"]))')
log "validating ${#manifests[@]} files named in kustomization.yaml"
validate "${manifests[@]}"

log "rendering with kustomize $KUSTOMIZE_VERSION"
rendered=$(mktemp); trap 'rm -f "$rendered"' EXIT
"$kustomize" build . >"$rendered"
validate "$rendered"

log "cross-references in the rendered output"
python3 "$checks_dir/lib/k8s_references.py" "$rendered"

log "a broken reference must fail"
unreferenced() {   # $1: python statement editing the list of documents, docs
    python3 -c '
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[2])) if d]
exec(sys.argv[1])
yaml.safe_dump_all(docs, sys.stdout)' "$1" "$rendered" >"$rendered.broken"
    if python3 "$checks_dir/lib/k8s_references.py" "$rendered.broken"; then
        echo "NOT rejected after: $1"; exit 1
    fi
}
trap 'rm -f "$rendered" "$rendered.broken"' EXIT
unreferenced 'docs = [d for d in docs if d["metadata"]["name"] != "pub.pub.sale-line"]'
unreferenced 'next(d for d in docs if d["kind"] == "StatefulSet")["spec"]["template"]["spec"]["volumes"][0]["configMap"]["name"] = "gone"'
unreferenced 'next(d for d in docs if d["kind"] == "KafkaUser")["spec"]["authorization"]["acls"][0]["resource"]["name"] = "other."'

log "a broken manifest must fail"
broken() {   # $1: kind, $2: python statement editing that document, d
    local out
    if out=$(python3 -c '
import sys, yaml
kind, edit = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(sys.argv[3])) if d]
d = next(d for d in docs if d["kind"] == kind)
exec(edit)
print(yaml.safe_dump(d))' "$1" "$2" "$rendered" | validate -); then
        echo "NOT rejected: $1 after $2"; exit 1
    fi
    # rejected by the schema, not by a crash: the report names the document
    grep -A1 ": INVALID" <<<"$out" || { echo "$out"; exit 1; }
}
broken StatefulSet 'd["spec"]["template"]["spec"]["containers"][0]["resource"] = {}'
broken StatefulSet 'd["spec"]["replicas"] = "one"'
broken Service 'd["spec"]["ports"][0]["port"] = "5432x"'
broken Kafka 'd["spec"]["kafka"]["listeners"][0]["type"] = "public"'
broken KafkaTopic 'd["spec"]["partiton"] = 3'
broken KafkaUser 'd["spec"]["authentication"]["type"] = "scram-sha-256"'
broken KafkaNodePool 'del d["spec"]["storage"]'
log "ok"
