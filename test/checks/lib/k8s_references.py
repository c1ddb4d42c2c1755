"""Checks that names used across the rendered k8s/ resources agree.

usage: k8s_references.py RENDERED.yaml
"""
import re
import sys

import yaml
from verdict import verdict

# Made at run time by others, so not in our manifests.
EXTERNAL_SECRETS = {"pub-kafka-cluster-ca-cert"}   # Strimzi: <cluster>-cluster-ca-cert


def relay_settings(docs):
    """pub_backoffice.* settings from the ConfigMap holding postgresql.conf."""
    settings = {}
    for d in docs:
        conf = d.get("data", {}).get("postgresql.conf") if d["kind"] == "ConfigMap" else None
        for line in (conf or "").splitlines():
            m = re.match(r"\s*pub_backoffice\.(\w+)\s*=\s*'([^']*)'", line)
            if m:
                settings[m.group(1)] = m.group(2)
    return settings


def topic_errors(docs):
    """Every topic the relay writes to is declared, and its user may write there."""
    settings = relay_settings(docs)
    prefix = settings.get("topic_prefix", "pub")
    topics = {d["spec"].get("topicName", d["metadata"]["name"]) for d in docs if d["kind"] == "KafkaTopic"}
    tables = [t for t in settings.get("table_include_list", "").split(",") if t]
    if not tables:
        return ["postgresql.conf: pub_backoffice.table_include_list is empty, so topics cannot be declared"]
    outbox = settings.get("outbox_table", "pub.outbox")
    needed = [f"{prefix}.{t}" for t in tables if t != outbox]
    if settings.get("heartbeat_interval", "0") not in ("0", "0s", "0ms"):
        needed.append(f"__debezium-heartbeat.{prefix}")
    if settings.get("delivery_mode") == "exactly_once":
        needed.append(f"__pub_backoffice-offsets.{prefix}")
    errors = [f"no KafkaTopic for {t}" for t in needed if t not in topics]
    if outbox in tables:   # routed by aggregatetype: at least one such topic
        events = [t for t in topics if t.startswith(f"{prefix}.outbox.event.")]
        needed += events
        if not events:
            errors.append(f"{outbox} is captured but no KafkaTopic {prefix}.outbox.event.<aggregatetype> exists")
    writes = [a["resource"] for d in docs if d["kind"] == "KafkaUser"
              for a in d["spec"]["authorization"]["acls"]
              if a["resource"]["type"] == "topic" and "Write" in a["operations"]]

    def writable(topic):
        return any(topic.startswith(r["name"]) if r.get("patternType") == "prefix" else topic == r["name"]
                   for r in writes)
    errors += [f"no KafkaUser ACL lets the relay write to {t}" for t in needed if not writable(t)]
    return errors


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
    errors += topic_errors(docs)
    return verdict(errors, f"{len(docs)} resources, {len(errors)} broken references")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
