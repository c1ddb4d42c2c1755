#!/bin/sh
# Runs once, when the official image's entrypoint initialises an empty data
# directory: adds pub_backoffice's settings to postgresql.conf (they apply
# from the server's real start, right after these scripts) and installs the
# extension in the database the relay follows.
set -eu
: "${PUB_BACKOFFICE_DATABASE:=${POSTGRES_DB:-${POSTGRES_USER:-postgres}}}"
export PUB_BACKOFFICE_DATABASE
pub_backoffice-config >>"$PGDATA/postgresql.conf"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --no-password \
     --dbname "$PUB_BACKOFFICE_DATABASE" -c 'CREATE EXTENSION IF NOT EXISTS pub_backoffice'
