#!/bin/sh
# Prints the postgresql.conf lines pub_backoffice needs, for the running
# image:  wal_level, shared_preload_libraries, output_plugin_libraries (only
# where this server has that setting), and one pub_backoffice.<name> line per
# PUB_BACKOFFICE_<NAME> environment variable.  Used by the Docker image's
# initdb script (appends to $PGDATA/postgresql.conf) and by the Kubernetes
# StatefulSet's init container (writes a file the ConfigMap includes).
# Values may hold secrets: the caller writes them to a file only postgres reads.
set -eu

quote() {   # a postgresql.conf string literal: ' doubled
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}

echo "# written by pub_backoffice-config"
if [ "${PUB_BACKOFFICE_SERVER_SETTINGS:-on}" = on ]; then
    echo "wal_level = logical"
    echo "shared_preload_libraries = 'pub_backoffice'"
fi
# Debian's packages from 15.19 refuse output plugins not listed in this
# setting; other builds (the official image's may be one) do not have it,
# and would refuse to start if it were set.
if postgres --describe-config 2>/dev/null | grep -q '^output_plugin_libraries'; then
    echo "output_plugin_libraries = 'pgoutput, test_decoding, pub_backoffice'"
fi
env | sed -n 's/^PUB_BACKOFFICE_\([A-Z0-9_]*\)=.*/\1/p' | sort | while read -r name; do
    case "$name" in SERVER_SETTINGS) continue ;; esac
    value=$(printenv "PUB_BACKOFFICE_$name")
    echo "pub_backoffice.$(echo "$name" | tr '[:upper:]' '[:lower:]') = $(quote "$value")"
done
