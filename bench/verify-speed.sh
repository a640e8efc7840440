#!/usr/bin/env bash
# `queue verify` speed on a queue of about 1 GB (issue 10: goal >= 500 MB/s, i.e. bounded by the disk).
# Fills a queue through the real ingest path (router with MySQL unreachable, wrk posting NDJSON),
# stops the router, then times `java -jar log-router.jar queue verify` against `cat` of the same
# files (the read ceiling, same page-cache state).
#
#   bench/verify-speed.sh            # QUEUE_GB=1 by default
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/run.sh"
QUEUE_GB=${QUEUE_GB:-1}

verify_main() {
  mkdir -p "$WORK" "$DATA"
  (cd "$ROOT" && mvn -q -B -o -DskipTests package)
  cp "$ROOT/target/log-router.jar" "$JAR"
  if [[ ! -s $DATA/body-000000.ndjson ]]; then
    gawk -v n=1000 -v per=1000 -v outdir="$DATA" -v tsv="$DATA/rows.tsv" -v router_id=bench -f "$HERE/lib/gen-events.awk"
  fi
  start_router verify "$BASE_PORT" "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}" LOGROUTER_QUEUE_MAX_BYTES=64GB
  local pid=$ROUTER_PID queue="$WORK/run-verify/queue" target=$((QUEUE_GB * 1024 * 1024 * 1024))
  while (( $(du -sb "$queue" | cut -f1) < target )); do
    wrk_run "http://127.0.0.1:$BASE_PORT/log" "$DATA/body-000000.ndjson" application/x-ndjson 5 "$NDJSON_CONNS" > /dev/null
  done
  stop_router "$pid" TERM
  local bytes; bytes=$(du -sb "$queue" | cut -f1)
  local t0 t1 out wall user sys
  t0=$(now); cat "$queue"/*.cq4 > /dev/null; t1=$(now)
  local cat_mbs; cat_mbs=$(calc "$bytes / ($t1 - $t0) / 1e6" 0)
  # Wall time drifts with other tenants of the 2 cores: CPU seconds (user + sys) are reported too.
  local times; times=$( { TIMEFORMAT='%R %U %S'; time java -jar "$JAR" queue verify --dir "$queue" > "$WORK/verify.out" || true; } 2>&1 | tail -1)
  out=$(cat "$WORK/verify.out")
  read -r wall user sys <<< "$times"
  local verify_mbs cpu_mbs
  verify_mbs=$(calc "$bytes / $wall / 1e6" 0); cpu_mbs=$(calc "$bytes / ($user + $sys) / 1e6" 0)
  log "$(tail -1 <<< "$out")"
  result "queue_verify: $(calc "$bytes / 1e9" 2) GB queue (on disk) verified in ${wall} s wall = ${verify_mbs} MB/s including JVM start (${cpu_mbs} MB per CPU second), vs cat of the same files ${cat_mbs} MB/s (goal >= 500 MB/s); load $(load_avg); verdict: $(tail -1 <<< "$out" | cut -d: -f1)"
  [[ ${KEEP_QUEUE:-0} == 1 ]] || rm -rf "$WORK/run-verify"
}

verify_main "$@"
