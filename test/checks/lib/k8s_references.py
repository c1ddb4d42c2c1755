"""Checks that names used across the rendered k8s/ resources agree.

usage: k8s_references.py RENDERED.yaml
"""
import sys

import yaml
from verdict import verdict

# Made at run time by others, so not in our manifests.
EXTERNAL_SECRETS = {"pub-kafka-cluster-ca-cert"}   # Strimzi: <cluster>-cluster-ca-cert


def main(path):
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    errors = []

    def need(kind, name, why):
        if (kind, name) not in names and not (kind == "Secret" and name in EXTERNAL_SECRETS):
            errors.append(f"{why}: no {kind} {name}")

    kafkas = {n for k, n in names if k == "Kafka"}
    for d in docs:
        kind, name = d["kind"], d["metadata"]["name"]
        if d["apiVersion"].startswith("kafka.strimzi.io/") and kind != "Kafka":
            cluster = d["metadata"].get("labels", {}).get("strimzi.io/cluster")
            if cluster not in kafkas:
                errors.append(f"{kind}/{name}: strimzi.io/cluster={cluster} names no Kafka")
        if kind == "KafkaUser":
            ref = d["spec"]["authentication"].get("password", {}).get("valueFrom", {}).get("secretKeyRef")
            if ref:
                need("Secret", ref["name"], f"{kind}/{name} password")
        if kind == "StatefulSet":
            pod = d["spec"]["template"]["spec"]
            need("Service", d["spec"]["serviceName"], f"{kind}/{name} serviceName")
            for v in pod.get("volumes", []):
                if "configMap" in v:
                    need("ConfigMap", v["configMap"]["name"], f"{kind}/{name} volume {v['name']}")
                if "secret" in v:
                    need("Secret", v["secret"]["secretName"], f"{kind}/{name} volume {v['name']}")
            for c in pod.get("initContainers", []) + pod["containers"]:
                for e in c.get("env", []):
                    ref = e.get("valueFrom", {}).get("secretKeyRef")
                    if ref:
                        need("Secret", ref["name"], f"{kind}/{name} {c['name']} env {e['name']}")
            labels = d["spec"]["template"]["metadata"]["labels"]
            for other in docs:
                sel = (other["spec"].get("selector") if other["kind"] in ("Service",) else
                       other["spec"].get("selector", {}).get("matchLabels") if other["kind"] == "PodDisruptionBudget" else
                       other["spec"].get("podSelector", {}).get("matchLabels") if other["kind"] == "NetworkPolicy" else None)
                if sel is not None and not all(labels.get(k) == v for k, v in sel.items()):
                    errors.append(f"{other['kind']}/{other['metadata']['name']}: selector {sel} misses {kind}/{name}")
    return verdict(errors, f"{len(docs)} resources, {len(errors)} broken references")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
