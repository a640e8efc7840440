#!/usr/bin/env bash
# The Galera failover soak: cluster.GaleraFailoverTest's kill test with more kills (default 6) of the
# node the router writes to, under load; prints per kill the time to resume committing, the longest
# ack pause and the rejoin time, then acked / lost / duplicated.
#   scripts/galera-soak.sh [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-db.sh
mvn -B -q -ntp test -Dtest='GaleraFailoverTest#killing*' -Dgalera.kills="${1:-6}" -Dsurefire.failIfNoSpecifiedTests=false
grep -h "galera failover" target/surefire-reports/io.logrouter.cluster.GaleraFailoverTest-output.txt
