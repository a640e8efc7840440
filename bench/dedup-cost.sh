#!/usr/bin/env bash
# Cost of Idempotency-Key (issue 11: goal <= 5 % slower): NDJSON (1,000 events/request) acked
# events/s with a unique key per request vs without, alternating rounds on one router with a live
# MariaDB and default flush settings (the flusher claims every key in ingest_keys as it commits).
#
#   bench/dedup-cost.sh            # ROUNDS=3 MEASURE_S=10
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/run.sh"
ROUNDS=${ROUNDS:-3}

# keyed_rate URL MODE: acked events/s of one measured round (MODE keyed|unkeyed)
keyed_rate() {
  local out j
  out=$(timeout $((MEASURE_S + 30)) wrk -t"$WRK_THREADS" -c"$NDJSON_CONNS" -d"${MEASURE_S}s" --timeout 10s --latency \
    -s "$HERE/lib/wrk-post.lua" "$1" -- "$DATA/body-000000.ndjson" application/x-ndjson "$2")
  j=$(grep '^WRKJSON ' <<< "$out" | cut -d' ' -f2-)
  calc "$(acked_rate "$j") * 1000" 0
}

# drained URL: waits until the router has flushed everything (its backlog gauge is 0), so that no round
# shares the 2 cores with the flush of the round before it (the second of a pair would always pay for it).
drained() {
  local metrics="${1%/log}/metrics"
  for _ in $(seq 1 600); do
    [[ $(curl -s "$metrics" | awk '/^logrouter_backlog_documents / {print $2 + 0}') == 0 ]] && return 0
    sleep 0.5
  done
  log "  the backlog did not drain in 300 s"
}

dedup_main() {
  mkdir -p "$WORK" "$DATA"
  (cd "$ROOT" && mvn -q -B -o -DskipTests package)
  cp "$ROOT/target/log-router.jar" "$JAR"
  if [[ ! -s $DATA/body-000000.ndjson ]]; then
    gawk -v n=1000 -v per=1000 -v outdir="$DATA" -v tsv="$DATA/rows.tsv" -v router_id=bench -f "$HERE/lib/gen-events.awk"
  fi
  mysql_ -e "DROP DATABASE IF EXISTS lr_bench_dedup"
  start_router dedup "$BASE_PORT" "jdbc:mysql://$DB_HOST:$DB_PORT/lr_bench_dedup"
  local pid=$ROUTER_PID url="http://127.0.0.1:$BASE_PORT/log"
  keyed_rate "$url" unkeyed > /dev/null; keyed_rate "$url" keyed > /dev/null   # warm-up
  local with=0 without=0 r a b
  for r in $(seq "$ROUNDS"); do
    # Each round starts drained, and the order alternates, so neither side pays for the other's flush.
    if ((r % 2)); then
      drained "$url"; a=$(keyed_rate "$url" unkeyed); drained "$url"; b=$(keyed_rate "$url" keyed)
    else
      drained "$url"; b=$(keyed_rate "$url" keyed); drained "$url"; a=$(keyed_rate "$url" unkeyed)
    fi
    log "  round $r: without key $a events/s, with key $b events/s"
    without=$((without + a)); with=$((with + b))
  done
  stop_router "$pid" TERM
  local rows keys
  rows=$(mysql_ -N -e "SELECT COUNT(*) FROM lr_bench_dedup.logs")
  keys=$(mysql_ -N -e "SELECT COUNT(*) FROM lr_bench_dedup.ingest_keys")
  result "dedup_cost: NDJSON without Idempotency-Key $((without / ROUNDS)) events/s, with a key per request $((with / ROUNDS)) events/s: with/without $(calc "$with / $without" 3) (goal >= 0.95); live MariaDB, default flush; $rows rows and $keys keys stored; load $(load_avg)"
  mysql_ -e "DROP DATABASE IF EXISTS lr_bench_dedup"
}

dedup_main "$@"
