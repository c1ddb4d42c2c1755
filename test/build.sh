#!/usr/bin/env bash
# Install what is missing, then build and install the extension into the
# installation PG_CONFIG names (default: the one on PATH).  Quiet unless it fails.
set -uo pipefail
cd "$(dirname "$0")/.."
log=test/.work/build.log; mkdir -p test/.work
bash test/deps.sh || exit 1
if ! { make -s >"$log" 2>&1 && make -s install >>"$log" 2>&1; }; then
    cat "$log"; echo "build: FAILED" >&2; exit 1
fi
