# Shared by test/kafka/broker.sh and test/kafka/connect.sh (sourced).

# maven_fetch DIR DEPENDENCIES [MANAGED]: copy the runtime closure of the
# <dependency> elements DEPENDENCIES (pinning MANAGED ones) from Maven Central
# into DIR, once.
maven_fetch() {
    local dir=$1 deps=$2 managed=${3:-}
    [ -f "$dir/.complete" ] && return 0
    mkdir -p "$dir"
    local pom; pom=$(mktemp -d)
    cat >"$pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pub_backoffice</groupId><artifactId>test-jars</artifactId><version>1</version>
  <dependencyManagement><dependencies>$managed</dependencies></dependencyManagement>
  <dependencies>$deps</dependencies>
</project>
POM
    mvn -q -B -f "$pom/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$dir" >&2
    rm -rf "$pom"
    touch "$dir/.complete"
}

# dep GROUP ARTIFACT VERSION: one <dependency> element.
dep() {
    echo "<dependency><groupId>$1</groupId><artifactId>$2</artifactId><version>$3</version></dependency>"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A log4j 1 configuration: warnings and errors to stdout.
log4j_warnings() {
    cat <<'L4J'
log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
L4J
}
