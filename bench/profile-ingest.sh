#!/usr/bin/env bash
# JFR profile of the ingest path under the load of bench/run.sh phases 1 and 2 (run by hand, after
# run.sh built /tmp/bench/log-router.jar and its data). Prints the hottest frames (top of stack and
# inclusive) of the router's threads for:
#   single  - wrk -t2 -c64, one ~200-byte event per POST /log
#   ndjson  - wrk -t2 -c8, 1,000 events per POST /log (application/x-ndjson)
#   noop    - the same 1,000-event bodies to POST /bench/noop (what Undertow alone costs)
#
#   bench/profile-ingest.sh [single|ndjson|noop] ...   (default: single ndjson)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/bench}
JAR="$WORK/log-router.jar"
PORT=${PORT:-18490}
SECONDS_PER_PROFILE=${SECONDS_PER_PROFILE:-20}   # ~20 s at 20 ms sampling = ~2,000 samples per thread
TOP=${TOP:-25}
[[ -s $JAR && -s $WORK/data/body-000000.ndjson ]] || { echo "run bench/run.sh first (it builds the jar and data)" >&2; exit 2; }
CASES=("$@"); ((${#CASES[@]})) || CASES=(single ndjson)

PID=""
trap '[[ -n $PID ]] && kill -9 "$PID" 2>/dev/null || true' EXIT

# top_frames JFR: self (top frame) and inclusive counts of the router's frames.
top_frames() {
  jfr print --events jdk.ExecutionSample "$1" | gawk -v top="$TOP" -f "$HERE/lib/top-frames.awk" -f "$HERE/lib/top-shares.awk"
}

for c in "${CASES[@]}"; do
  case $c in
    single) url=/log; body=$WORK/data/one-event.json; type=application/json; conns=64 ;;
    ndjson) url=/log; body=$WORK/data/body-000000.ndjson; type=application/x-ndjson; conns=8 ;;
    noop) url=/bench/noop; body=$WORK/data/body-000000.ndjson; type=application/x-ndjson; conns=8 ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
  dir="$WORK/profile-$c"; rm -rf "$dir"; mkdir -p "$dir"
  # MariaDB unreachable (port 1): the flusher stays idle, as in run.sh phases 1-2.
  (cd "$dir" && exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT="$PORT" \
    LOGROUTER_DB_URL=jdbc:mysql://127.0.0.1:1/none LOGROUTER_QUEUE_DIR="$dir/queue" LOGROUTER_ROUTER_ID=profile \
    LOGROUTER_HTTP_BENCH_NOOP=true LOGROUTER_FLUSH_SHUTDOWN_TIMEOUT=0s \
    java -XX:StartFlightRecording=delay=10s,duration=${SECONDS_PER_PROFILE}s,filename="$dir/rec.jfr",settings=profile \
    -jar "$JAR" > "$dir/router.log" 2>&1) &
  PID=$!
  until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.2; done
  # 10 s warm-up (the recording's delay), then the recorded window, then 2 s for JFR to write.
  timeout $((SECONDS_PER_PROFILE + 40)) wrk -t2 -c"$conns" -d$((SECONDS_PER_PROFILE + 12))s \
    -s "$HERE/lib/wrk-post.lua" "http://127.0.0.1:$PORT$url" -- "$body" "$type" | grep '^WRKJSON' || true
  sleep 2
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  echo "== $c =="
  jfr summary "$dir/rec.jfr" | grep -E 'jdk.ExecutionSample|jdk.GarbageCollection |jdk.ObjectAllocationSample' || true
  top_frames "$dir/rec.jfr"
done
