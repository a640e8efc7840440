#!/usr/bin/env bash
# A/B of ingest between two commits in ONE run: both jars built, both routers up (MySQL unreachable,
# so only ingest runs), wrk rounds alternating between them so load from other tenants hits both.
#
#   bench/ab-ingest.sh [BEFORE_REV] [AFTER_REV]     # default: ef808dc (before checksums) and HEAD
#   ROUNDS=4 MEASURE_S=10 bench/ab-ingest.sh
#   REUSE_JARS=1 bench/ab-ingest.sh             # $WORK/before.jar and after.jar as they are (e.g. uncommitted work)
#
# Prints RESULT lines: single-event POST /log acked req/s and NDJSON (1,000 events/request) events/s
# of each side and the ratio after/before, and the router's CPU per request / per event.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/run.sh"
BEFORE=${1:-ef808dc}
AFTER=${2:-HEAD}
ROUNDS=${ROUNDS:-4}

# measure TARGET_URL BODY TYPE CONNS MULTIPLIER PID: one measured round; sets RATE (acked units per
# second) and CPU_US (the router's CPU per acked unit: at saturation the rate is bounded by wrk and the
# kernel as much as by the router, the CPU it spends per event is its own).
measure() {
  local j c0 c1; c0=$(cpu_ticks "$6")
  j=$(wrk_run "$1" "$2" "$3" "$MEASURE_S" "$4")
  c1=$(cpu_ticks "$6")
  RATE=$(calc "$(acked_rate "$j") * $5" 0)
  CPU_US=$(calc "($c1 - $c0) * 1000000 / $(getconf CLK_TCK) / ($(jq -r '.requests - .non_2xx' <<< "$j") * $5)" 3)
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

ab_main() {
  mkdir -p "$WORK" "$DATA"
  ab_jars "$BEFORE" "$AFTER"
  if [[ ! -s $DATA/body-000000.ndjson ]]; then
    gawk -v n=1000 -v per=1000 -v outdir="$DATA" -v tsv="$DATA/rows.tsv" -v router_id=bench -f "$HERE/lib/gen-events.awk"
  fi
  head -1 "$DATA/body-000000.ndjson" | tr -d '\n' > "$DATA/one-event.json"
  local side port
  declare -A URL PID
  for side in before after; do
    port=$((BASE_PORT + $([[ $side == before ]] && echo 0 || echo 1)))
    # With MySQL unreachable everything stays queued: ~2.5 GB per side and round of NDJSON, past the 4 GB default.
    JAR="$WORK/$side.jar" start_router "ab-$side" "$port" "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}" \
      LOGROUTER_QUEUE_MAX_BYTES="${AB_QUEUE_MAX_BYTES:-16GB}"
    URL[$side]="http://127.0.0.1:$port/log"; PID[$side]=$ROUTER_PID
    wrk_run "${URL[$side]}" "$DATA/one-event.json" application/json "$WARMUP_S" "$WRK_CONNS" > /dev/null
    wrk_run "${URL[$side]}" "$DATA/body-000000.ndjson" application/x-ndjson "$WARMUP_S" "$NDJSON_CONNS" > /dev/null
  done
  declare -A SINGLE NDJSON SINGLE_CPU NDJSON_CPU
  for side in before after; do SINGLE[$side]=0; NDJSON[$side]=0; SINGLE_CPU[$side]=0; NDJSON_CPU[$side]=0; done
  for r in $(seq "$ROUNDS"); do
    for side in before after; do
      local s n sc
      measure "${URL[$side]}" "$DATA/one-event.json" application/json "$WRK_CONNS" 1 "${PID[$side]}"; s=$RATE; sc=$CPU_US
      measure "${URL[$side]}" "$DATA/body-000000.ndjson" application/x-ndjson "$NDJSON_CONNS" 1000 "${PID[$side]}"; n=$RATE
      log "  round $r $side: single $s req/s ($sc us of router CPU each), ndjson $n events/s ($CPU_US us each)"
      SINGLE[$side]=$((SINGLE[$side] + s)); NDJSON[$side]=$((NDJSON[$side] + n))
      SINGLE_CPU[$side]=$(calc "${SINGLE_CPU[$side]} + $sc" 3); NDJSON_CPU[$side]=$(calc "${NDJSON_CPU[$side]} + $CPU_US" 3)
    done
  done
  result "ab_single: before ($BEFORE) $((SINGLE[before] / ROUNDS)) req/s, after ($AFTER) $((SINGLE[after] / ROUNDS)) req/s: after/before $(calc "${SINGLE[after]} / ${SINGLE[before]}" 3); router CPU per request $(calc "${SINGLE_CPU[before]} / $ROUNDS" 2) -> $(calc "${SINGLE_CPU[after]} / $ROUNDS" 2) us: $(calc "${SINGLE_CPU[after]} / ${SINGLE_CPU[before]}" 3)"
  result "ab_ndjson: before ($BEFORE) $((NDJSON[before] / ROUNDS)) events/s, after ($AFTER) $((NDJSON[after] / ROUNDS)) events/s: after/before $(calc "${NDJSON[after]} / ${NDJSON[before]}" 3); router CPU per event $(calc "${NDJSON_CPU[before]} / $ROUNDS" 3) -> $(calc "${NDJSON_CPU[after]} / $ROUNDS" 3) us: $(calc "${NDJSON_CPU[after]} / ${NDJSON_CPU[before]}" 3)"
}

ab_main "$@"
