#!/usr/bin/env bash
# Prints, comma-separated for surefire's -Dtest, the test classes that touch SQL: those that use a
# TestDatabase, directly or through QueryServer / RouterHarness. test.sh runs these once more per
# extra database (the embedded MariaDB 11.4, MySQL 8.4 when Docker runs); the rest run once.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -rlE 'TestDatabase\.create|new QueryServer|RouterHarness\.start' src/test/java --include='*Test.java' \
  | sed -E 's|.*/||; s|\.java$||' | sort | paste -sd, -
