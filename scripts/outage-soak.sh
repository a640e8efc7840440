#!/usr/bin/env bash
# The long outage test (issue 4): MySQL cut off for 60 s (through a TCP proxy) under load, then
# checks every acked event is in MySQL exactly once and reports the drain time. Run by hand.
#   scripts/outage-soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
export LOGROUTER_TEST_DB_URL=${LOGROUTER_TEST_DB_URL:-jdbc:mysql://127.0.0.1:3306/test}
mvn -B -q -ntp test -Dtest='OutageTest#ingestGoesOnThroughAMysqlOutageAndTheBacklogDrainsExactlyOnce' \
  -Doutage.seconds="$seconds" -Dsurefire.failIfNoSpecifiedTests=false
grep -h "outage test" target/surefire-reports/io.logrouter.reliability.OutageTest-output.txt
