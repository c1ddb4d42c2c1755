#!/usr/bin/env bash
# The image's build stage without Docker: copies exactly what docker/Dockerfile
# COPYs into its build stage (honouring .dockerignore's object-file rules)
# into an empty folder, runs the stage's make commands there against this
# machine's Debian PostgreSQL 15 pg_config (the same file layout as the
# official image's PGDG packages), and checks that the staged tree the
# runtime stage copies (/staging/usr/) holds the library, control file and
# extension script, and nothing outside usr/.  Proves the COPY list is
# complete and the with_llvm=no build installs; it does not run apt-get.
source "$(dirname "$0")/lib/tools.bash"
pg_config=/usr/lib/postgresql/15/bin/pg_config     # Debian's layout, only read
[ -x "$pg_config" ] || { echo "no $pg_config (postgresql-server-dev-15)"; exit 1; }
work=$(mktemp -d /tmp/pbo-build-stage.XXXXXX); trap 'rm -rf "$work"' EXIT
cd "$repo_dir"

build_stage() {   # $1: a Dockerfile; builds its first stage into $work/staging
    local line dest src words copies
    rm -rf "$work/src" "$work/staging"; mkdir "$work/src"
    # COPY lines of the first stage (up to the second FROM), not --from copies.
    mapfile -t copies < <(awk '/^FROM /{n++} n==1 && /^COPY / && !/--from/ {$1=""; print}' "$1")
    [ "${#copies[@]}" -gt 0 ] || { echo "no COPY in the build stage"; return 1; }
    for line in "${copies[@]}"; do
        read -ra words <<<"$line"
        dest=${words[-1]}; unset 'words[-1]'
        for src in "${words[@]}"; do
            [ -e "$src" ] || { echo "COPY source $src is missing"; return 1; }
            mkdir -p "$work/src/$dest"
            if [ -d "$src" ]; then    # Docker copies a folder's contents
                cp -r "$src/." "$work/src/$dest/"
            else
                cp "$src" "$work/src/$dest/"
            fi
        done
    done
    find "$work/src" \( -name '*.o' -o -name '*.so' -o -name '*.bc' \) -delete   # .dockerignore
    log "build stage of $1: make with_llvm=no && make install DESTDIR=/staging, $(find "$work/src" -type f | wc -l) files"
    (cd "$work/src" && make -s -j2 PG_CONFIG="$pg_config" with_llvm=no >"$work/build.log" 2>&1 &&
        make -s PG_CONFIG="$pg_config" with_llvm=no install DESTDIR="$work/staging" >>"$work/build.log" 2>&1) ||
        { tail -20 "$work/build.log"; return 1; }
}

staged() { [ -s "$work/staging$1" ] || { echo "not staged, or empty: $1"; return 1; }; echo "staged: $1"; }
verify_stage() {   # what the runtime stage copies must be the whole extension
    local version script outside bitcode
    staged "$("$pg_config" --pkglibdir)/pub_backoffice.so" &&
    staged "$("$pg_config" --sharedir)/extension/pub_backoffice.control" || return 1
    version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" pub_backoffice.control)
    # the scripts the image installs are the ones the repository assembles
    # (1.0 from sql/extension/*.sql, each update from sql/extension/<version>/),
    # and they reach the default version
    cat $(printf '%s\n' sql/extension/*.sql | sort) | cmp -s - "$work/src/pub_backoffice--1.0.sql" ||
        { echo "pub_backoffice--1.0.sql differs from sql/extension/*.sql"; return 1; }
    ls "$work/src"/pub_backoffice--*"$version".sql >/dev/null 2>&1 ||
        { echo "no script reaches default_version $version"; return 1; }
    for script in "$work/src"/pub_backoffice--*.sql; do
        script="$("$pg_config" --sharedir)/extension/$(basename "$script")"
        staged "$script" && cmp -s "$work/src/$(basename "$script")" "$work/staging$script" ||
            { echo "the staged $script differs from the one the repository builds"; return 1; }
    done
    outside=$(cd "$work/staging" && find . -type f ! -path './usr/*')
    [ -z "$outside" ] || { echo "installed outside usr/, so not in the image: $outside"; return 1; }
    bitcode=$(cd "$work/staging" && find . -name '*.bc')
    [ -z "$bitcode" ] || { echo "with_llvm=no still installed bitcode: $bitcode"; return 1; }
}

build_stage docker/Dockerfile && verify_stage

log "a build stage that forgets to COPY sql/ must fail"
grep -v '^COPY sql/' docker/Dockerfile >"$work/Dockerfile.broken"
if build_stage "$work/Dockerfile.broken" && verify_stage; then echo "accepted without sql/"; exit 1; fi
log "ok"
