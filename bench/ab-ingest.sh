#!/usr/bin/env bash
# A/B of ingest between two commits in ONE run: both jars built, both routers up (MySQL unreachable,
# so only ingest runs), wrk rounds alternating between them so load from other tenants hits both.
#
#   bench/ab-ingest.sh [BEFORE_REV] [AFTER_REV]     # default: ef808dc (before checksums) and HEAD
#   ROUNDS=4 MEASURE_S=10 bench/ab-ingest.sh
#
# Prints RESULT lines: single-event POST /log acked req/s and NDJSON (1,000 events/request) events/s
# of each side and the ratio after/before.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/run.sh"
BEFORE=${1:-ef808dc}
AFTER=${2:-HEAD}
ROUNDS=${ROUNDS:-4}

# rate_of TARGET_URL BODY TYPE CONNS MULTIPLIER: acked units per second of one measured round
rate_of() {
  local j; j=$(wrk_run "$1" "$2" "$3" "$MEASURE_S" "$4")
  calc "$(acked_rate "$j") * $5" 0
}

ab_main() {
  mkdir -p "$WORK" "$DATA"
  log "building $BEFORE and $AFTER"
  build_jar "$BEFORE" "$WORK/before.jar"
  build_jar "$AFTER" "$WORK/after.jar"
  if [[ ! -s $DATA/body-000000.ndjson ]]; then
    gawk -v n=1000 -v per=1000 -v outdir="$DATA" -v tsv="$DATA/rows.tsv" -v router_id=bench -f "$HERE/lib/gen-events.awk"
  fi
  head -1 "$DATA/body-000000.ndjson" | tr -d '\n' > "$DATA/one-event.json"
  local side port
  declare -A URL
  for side in before after; do
    port=$((BASE_PORT + $([[ $side == before ]] && echo 0 || echo 1)))
    JAR="$WORK/$side.jar" start_router "ab-$side" "$port" "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}"
    URL[$side]="http://127.0.0.1:$port/log"
    wrk_run "${URL[$side]}" "$DATA/one-event.json" application/json "$WARMUP_S" "$WRK_CONNS" > /dev/null
    wrk_run "${URL[$side]}" "$DATA/body-000000.ndjson" application/x-ndjson "$WARMUP_S" "$NDJSON_CONNS" > /dev/null
  done
  declare -A SINGLE NDJSON
  for side in before after; do SINGLE[$side]=0; NDJSON[$side]=0; done
  for r in $(seq "$ROUNDS"); do
    for side in before after; do
      local s n
      s=$(rate_of "${URL[$side]}" "$DATA/one-event.json" application/json "$WRK_CONNS" 1)
      n=$(rate_of "${URL[$side]}" "$DATA/body-000000.ndjson" application/x-ndjson "$NDJSON_CONNS" 1000)
      log "  round $r $side: single $s req/s, ndjson $n events/s"
      SINGLE[$side]=$((SINGLE[$side] + s)); NDJSON[$side]=$((NDJSON[$side] + n))
    done
  done
  result "ab_single: before ($BEFORE) $((SINGLE[before] / ROUNDS)) req/s, after ($AFTER) $((SINGLE[after] / ROUNDS)) req/s: after/before $(calc "${SINGLE[after]} / ${SINGLE[before]}" 3)"
  result "ab_ndjson: before ($BEFORE) $((NDJSON[before] / ROUNDS)) events/s, after ($AFTER) $((NDJSON[after] / ROUNDS)) events/s: after/before $(calc "${NDJSON[after]} / ${NDJSON[before]}" 3)"
}

ab_main "$@"
