#!/usr/bin/env bash
# rows/s of the router's flush transaction (LOAD DATA LOCAL of a batch + the offsets row, one COMMIT)
# into the 3-node Galera cluster of scripts/galera-cluster.sh versus the single MariaDB on 3306, in the
# same run, from 1, 2 and 4 concurrent clients (each client its own offsets row, as flush lanes would
# be). This is the database-side ceiling: no router, no HTTP, the mysql client sends the batches.
#
#   scripts/galera-bench.sh [rows per client, default 200000] [rows per transaction, default 40000]
#
# Needs: the local MariaDB on 127.0.0.1:3306 (root, empty password) and root for the cluster.
# Leaves the cluster running (scripts/galera-cluster.sh stop|destroy when done).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
CHUNK=${2:-40000}
SCHEMA=${LOGROUTER_TEST_SCHEMA_PREFIX:-lrt_}bench
WORK=$(mktemp -d /tmp/galera-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

scripts/galera-cluster.sh install >/dev/null
scripts/galera-cluster.sh start >/dev/null

# About 230 bytes a row, shaped like the router's rows (ts, level, source, message, attributes, received_at, router_id).
awk -v n="$ROWS" 'BEGIN { srand(7); split("INFO WARN ERROR DEBUG", lv, " ");
  for (i = 0; i < n; i++) {
    printf "2026-12-01 10:%02d:%02d.%06d\t%s\tsvc-%d\tuser %d did thing %d with a payload long enough to look like a log line\t{\"request_id\":\"%08x\",\"user_id\":%d,\"seq\":%d}\t2026-12-01 10:%02d:%02d.%06d\tbench\n",
      (i/60000)%60, (i/1000)%60, i%1000000, lv[1 + i%4], i%20, i%5000, i, i, i%5000, i, (i/60000)%60, (i/1000)%60, i%1000000 } }' >"$WORK/rows.tsv"
split -l "$CHUNK" -d -a 3 "$WORK/rows.tsv" "$WORK/chunk."
CHUNKS=("$WORK"/chunk.*)
DDL=$(sed -n '/^CREATE TABLE logs (/,/;$/p;/^CREATE TABLE router_offsets (/,/;$/p' src/main/resources/db/migration/V1__logs_offsets_rejected.sql)

sql() { mariadb --protocol=tcp -h127.0.0.1 -P"$1" -uroot --local-infile=1 -N -B -e "$2"; }

load_client() { # port, client number: loads every chunk, one transaction each, offsets row per client
  local port=$1 client=$2 i=0 chunk
  for chunk in "${CHUNKS[@]}"; do
    i=$((i + 1))
    sql "$port" "USE $SCHEMA; START TRANSACTION;
      LOAD DATA LOCAL INFILE '$chunk' INTO TABLE logs CHARACTER SET utf8mb4
        (ts, level, source, message, attributes, received_at, router_id);
      INSERT INTO router_offsets VALUES ('bench-$client', $i, NOW(6)) ON DUPLICATE KEY UPDATE last_index = $i;
      COMMIT;"
  done
}

run() { # label, port, clients
  local label=$1 port=$2 clients=$3
  sql "$port" "DROP DATABASE IF EXISTS $SCHEMA; CREATE DATABASE $SCHEMA CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"
  sql "$port" "USE $SCHEMA; $DDL"
  local start end pids=() c
  start=$(date +%s.%N)
  for c in $(seq 1 "$clients"); do load_client "$port" "$c" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  local rows; rows=$(sql "$port" "SELECT COUNT(*) FROM $SCHEMA.logs")
  awk -v l="$label" -v c="$clients" -v r="$rows" -v s="$start" -v e="$end" \
    'BEGIN { printf "%-22s clients=%d rows=%d seconds=%.1f rows/s=%.0f\n", l, c, r, e - s, r / (e - s) }'
  sql "$port" "DROP DATABASE $SCHEMA"
}

echo "# $(date -u +%FT%TZ) rows/client=$ROWS rows/transaction=$CHUNK ($(nproc) cores, shared)"
for clients in 1 2 4; do
  run "single MariaDB :3306" 3306 "$clients"
  run "Galera 3 nodes :4306" 4306 "$clients"
done
