#!/usr/bin/env bash
# The long crash test (issue 4): >= 20 kill -9s of a router under concurrent load, then checks
# in MySQL that every acked event is there exactly once. Run by hand; CI runs the 5-kill version.
#   scripts/crash-soak.sh [KILLS] [SENDER_THREADS] [MAX_EVENTS_PER_REQUEST]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
threads=${2:-16}   # 16 synchronous senders keep the router busy on 2 cores
batch=${3:-40}     # 1-40 events per request (20 on average): the issue asks >= 5,000 acked events/s
export LOGROUTER_TEST_DB_URL=${LOGROUTER_TEST_DB_URL:-jdbc:mysql://127.0.0.1:3306/test}
mvn -B -q -ntp test -Dtest=CrashTest -Dcrash.kills="$kills" -Dcrash.threads="$threads" -Dcrash.batch="$batch" -Dsurefire.failIfNoSpecifiedTests=false
grep -h "crash test" target/surefire-reports/io.logrouter.reliability.CrashTest-output.txt
