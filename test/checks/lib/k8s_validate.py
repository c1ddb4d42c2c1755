"""Validates Kubernetes manifests offline, strictly (unknown fields are errors).

usage: k8s_validate.py CRD_DIR FILE...   (FILE may be - for standard input)

Built-in kinds are checked against Kubernetes' own OpenAPI-derived JSON
schemas (the kubernetes-validate package bundles them per release); Strimzi's
kinds against the openAPIV3Schema of the CRDs in CRD_DIR.  A document of any
other kind is an error, so nothing passes unchecked.  Prints one line per
document and exits 1 if any is invalid.
"""
import copy
import glob
import os
import sys

import jsonschema
import kubernetes_validate
import yaml

K8S_VERSION = "1.33"   # oldest release we promise to run on


def strict(schema):
    """Closes every object schema: Kubernetes prunes unknown fields of a
    custom resource silently, which hides typos; a validator must not."""
    if isinstance(schema, dict):
        if (schema.get("type") == "object" and "properties" in schema
                and not schema.get("x-kubernetes-preserve-unknown-fields")
                and "additionalProperties" not in schema):
            schema["additionalProperties"] = False
        for value in schema.values():
            strict(value)
    elif isinstance(schema, list):
        for value in schema:
            strict(value)
    return schema


def load_crds(crd_dir):
    validators = {}
    for path in sorted(glob.glob(os.path.join(crd_dir, "*.yaml"))):
        with open(path) as f:
            crd = yaml.safe_load(f)
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = strict(copy.deepcopy(version["schema"]["openAPIV3Schema"]))
            # The API server checks these for every object; the CRD leaves them out.
            schema.setdefault("properties", {}).update({
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "metadata": {"type": "object"},
            })
            schema["required"] = sorted(set(schema.get("required", [])) | {"apiVersion", "kind", "metadata"})
            validators[(f"{group}/{version['name']}", kind)] = jsonschema.Draft7Validator(schema)
    return validators


def check(doc, crds):
    """Returns a list of error strings for one document."""
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key in crds:
        return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
                for e in crds[key].iter_errors(doc)]
    if str(key[0]).endswith("strimzi.io") or "strimzi.io/" in str(key[0]):
        return [f"no Strimzi CRD schema for {key[0]} {key[1]}"]
    try:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        return []
    except kubernetes_validate.ValidationError as e:
        return [f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}"]
    except kubernetes_validate.SchemaNotFoundError as e:
        return [str(e)]


def main(argv):
    crds = load_crds(argv[1])
    if not crds:
        print(f"no CRDs in {argv[1]}", file=sys.stderr)
        return 1
    bad = total = 0
    for path in argv[2:]:
        with (sys.stdin if path == "-" else open(path)) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        for doc in docs:
            total += 1
            name = f"{path}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            errors = check(doc, crds)
            print(f"{name}: {'ok' if not errors else 'INVALID'}")
            for e in errors:
                print(f"    {e}")
            bad += bool(errors)
    print(f"{total - bad} valid, {bad} invalid")
    return 1 if bad or not total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
