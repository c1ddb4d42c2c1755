#!/usr/bin/env bash
# Debezium's jars (fetched from Maven Central by test/compat/fetch.sh into its
# cache) plus DebeziumBench.java compiled beside them; prints the classpath.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cp=$(bash "$here/../../compat/fetch.sh")
jars=${cp%:*}                                  # less fetch.sh's own class directory
cache=$(dirname "${jars%%:*}")
classes=$cache/bench-classes-$(sha1sum "$here/DebeziumBench.java" | cut -c1-12)
if [ ! -f "$classes/DebeziumBench.class" ]; then
    mkdir -p "$classes"
    javac -nowarn -d "$classes" -cp "$jars" "$here/DebeziumBench.java" >&2
fi
echo "$jars:$classes"
