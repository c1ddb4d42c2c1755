#!/usr/bin/env bash
# Fetches Debezium's PostgreSQL connector, embedded engine and Kafka Connect's
# JsonConverter from Maven Central (pom.xml) into a cache outside the
# repository, compiles DebeziumDump.java there, and prints the classpath.
#   PBO_CACHE (default ~/.cache/pub_backoffice) chooses the cache.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's#.*<debezium.version>\(.*\)</debezium.version>.*#\1#p' "$here/pom.xml")
cache=${PBO_CACHE:-$HOME/.cache/pub_backoffice}/debezium-$version
if [ ! -f "$cache/.complete" ]; then
    mkdir -p "$cache"
    mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$cache" -Dmdep.includeScope=runtime >&2
    touch "$cache/.complete"
fi
# One class directory per version of the source: worktrees of other branches
# share this cache and may hold another DebeziumDump.java.
classes=$cache/classes-$(sha1sum "$here/DebeziumDump.java" | cut -c1-12)
cp=$(printf '%s:' "$cache"/*.jar)
if [ ! -f "$classes/DebeziumDump.class" ]; then
    mkdir -p "$classes"
    javac -nowarn -d "$classes" -cp "$cp" "$here/DebeziumDump.java" >&2
fi
echo "$cp$classes"
