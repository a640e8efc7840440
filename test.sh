#!/usr/bin/env bash
# Runs every test: the router's (unit + integration on a real database) and the loadgen's.
# Database (scripts/test-db.sh): LOGROUTER_TEST_DB_URL if set; else the local MariaDB on 3306,
# started if installed; else Testcontainers MySQL 8.4 when Docker runs, else an embedded MariaDB.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/test-db.sh
mvn -B -ntp test
mvn -B -ntp -f loadgen/pom.xml test
# Java client and appenders (clients/, issue 12): their tests start the router from target/log-router.jar.
mvn -B -ntp -q -DskipTests -Dclients.skip=true package
mvn -B -ntp -f clients/pom.xml test
# Container files (compose schema, HAProxy configs, scripts), checked without a Docker engine.
deploy/validate.sh
