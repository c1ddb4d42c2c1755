"""Validates a Compose file against the Compose Specification's JSON schema,
then the references the schema cannot see: depends_on services, named
volumes, and the build context and Dockerfile on disk.

usage: compose_validate.py SCHEMA.json COMPOSE.yaml
"""
import json
import os
import sys

import jsonschema
import yaml
from verdict import verdict


def main(schema_path, compose_path):
    with open(schema_path) as f:
        schema = json.load(f)
    with open(compose_path) as f:
        doc = yaml.safe_load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
              for e in validator.iter_errors(doc)]
    here = os.path.dirname(os.path.abspath(compose_path))
    services = doc.get("services", {})
    for name, svc in services.items():
        deps = svc.get("depends_on", {})
        for dep in (deps if isinstance(deps, list) else deps.keys()):
            if dep not in services:
                errors.append(f"services/{name}/depends_on: no service {dep}")
        for vol in svc.get("volumes", []):
            source = vol.split(":")[0] if isinstance(vol, str) else vol.get("source", "")
            if source and not source.startswith(("/", ".", "$", "~")) and source not in doc.get("volumes", {}):
                errors.append(f"services/{name}/volumes: named volume {source} is not declared")
        build = svc.get("build")
        if build:
            context = os.path.join(here, build if isinstance(build, str) else build.get("context", "."))
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            if not os.path.isfile(os.path.join(context, dockerfile)):
                errors.append(f"services/{name}/build: no {dockerfile} in {context}")
    return verdict(errors, f"{compose_path}: {len(services)} services, {len(errors)} errors")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
