#!/usr/bin/env bash
# Issue 17's lane figure: a 1,000,000-event backlog drained into the single MariaDB with flush.lanes
# 1, 2 and 4 (default flush settings: 10 MB / 30 s, LOAD DATA), against the ceiling from the same run:
# the same rows loaded by 1, 2 and 4 mysql clients at once, each in flush-sized transactions (CHUNK rows
# + an offsets row per COMMIT, as a lane does). Run by hand, not in CI.
#
#   bench/lanes-bench.sh            # LANES="1 2 4" CHUNK=40000; needs what bench/run.sh needs
#   LANES=1 IDS=1 bench/lanes-bench.sh   # then also: one lane with writer-made ids (db.ids=writer) against
#                                   # server ids, 3 interleaved rounds (the writer ids' cost, issue 17)
#   GALERA=1 bench/lanes-bench.sh   # then also: the same drain into the 3-node Galera cluster of
#                                   # scripts/galera-cluster.sh (node 1, db.profile=galera) and into the
#                                   # single MariaDB again, one lane each (issue 17's cluster figure)
set -euo pipefail
LANES=${LANES:-"1 2 4"}
CHUNK=${CHUNK:-40000}     # ~10 MB of queue bytes: one default flush of these rows
source "$(dirname "$0")/run.sh"   # setup, fill_backlog, drain, fresh_schema, settle_db, mysql_, calc, now
mkdir -p "$WORK" "$RESULTS_DIR"
exec > >(tee "$RESULTS_DIR/$STAMP-lanes.txt") 2>&1

# clients_ceiling K: K mysql clients at once, each loading 1/K of the rows in CHUNK-row transactions.
clients_ceiling() {
  local k=$1 schema=lr_bench_lanes_ceiling t0 t1 part pids=()
  fresh_schema "$schema"
  settle_db
  rm -rf "$WORK/parts" && mkdir -p "$WORK/parts"
  split -n "l/$k" -d -a 2 "$DATA/rows.tsv" "$WORK/parts/part."
  for part in "$WORK"/parts/part.*; do split -l "$CHUNK" -d -a 3 "$part" "$part.chunk."; done
  t0=$(now)
  for part in "$WORK"/parts/part.??; do
    (
      i=0
      for chunk in "$part".chunk.*; do
        i=$((i + 1))
        mysql_ "$schema" -e "START TRANSACTION;
          LOAD DATA LOCAL INFILE '$chunk' INTO TABLE logs CHARACTER SET utf8mb4
            FIELDS TERMINATED BY '\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\n'
            (ts, level, source, message, attributes, received_at, router_id);
          INSERT INTO router_offsets VALUES ('$(basename "$part")', $i, NOW(6)) ON DUPLICATE KEY UPDATE last_index = $i;
          COMMIT;"
      done
    ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  t1=$(now)
  local rows; rows=$(mysql_ -N "$schema" -e "SELECT COUNT(*) FROM logs")
  ((rows == BACKLOG_EVENTS)) || { log "ceiling loaded $rows rows, not $BACKLOG_EVENTS"; exit 1; }
  CEILING_K=$(calc "$BACKLOG_EVENTS / ($t1 - $t0)" 0)
  log "  ceiling: $k mysql clients, $CHUNK-row transactions: $CEILING_K rows/s"
}

setup
fill_backlog
log "load average at the start: $(load_avg)"
for k in $LANES; do
  clients_ceiling "$k"
  DRAIN_ENV=(LOGROUTER_FLUSH_LANES="$k")
  drain load_data
  result "flush_lanes_$k: $DRAIN_load_data rows/s steady ($DRAIN_WALL_load_data incl. JVM start) vs $k mysql clients' LOAD DATA $CEILING_K rows/s: ratio $(calc "$DRAIN_load_data / $CEILING_K" 3) (load $(load_avg))"
done
if [[ ${IDS:-0} == 1 ]]; then
  for round in 1 2 3; do
    DRAIN_ENV=(LOGROUTER_DB_IDS=auto_increment)
    drain load_data
    server=$DRAIN_load_data
    DRAIN_ENV=(LOGROUTER_DB_IDS=writer)
    drain load_data
    result "flush_ids_round_$round: writer-made ids $DRAIN_load_data rows/s steady vs server ids $server rows/s: ratio $(calc "$DRAIN_load_data / $server" 3) (load $(load_avg))"
  done
fi
if [[ ${GALERA:-0} == 1 ]]; then
  "$ROOT/scripts/galera-cluster.sh" install > /dev/null
  "$ROOT/scripts/galera-cluster.sh" start > /dev/null
  DRAIN_ENV=()
  drain load_data
  single=$DRAIN_load_data
  SINGLE_PORT=$DB_PORT
  DB_PORT=4306   # node 1 of the cluster: every row is replicated to and certified on all three nodes
  DRAIN_ENV=(LOGROUTER_DB_PROFILE=galera)
  drain load_data
  DB_PORT=$SINGLE_PORT
  result "flush_galera: $DRAIN_load_data rows/s steady into the 3-node Galera cluster (all nodes on these 2 cores) vs $single rows/s into the single MariaDB: ratio $(calc "$DRAIN_load_data / $single" 3) (load $(load_avg))"
  "$ROOT/scripts/galera-cluster.sh" stop > /dev/null
fi
for db in $(mysql_ -N -e "SHOW DATABASES LIKE 'lr\\_bench\\_%'"); do mysql_ -e "DROP DATABASE \`$db\`"; done
