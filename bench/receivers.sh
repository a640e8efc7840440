#!/usr/bin/env bash
# OTLP/HTTP logs and Loki push, protobuf, 1,000 records per request: acked events/s (issue 11;
# goal >= 300,000 events/s acked), beside POST /bench/noop with the same bodies as the ceiling of
# this machine in the same run.
#
#   bench/receivers.sh            # ~1.5 min; needs java 17+, maven (offline), wrk, curl, jq
#
# Bodies come from io.logrouter.receive.BenchBodies (test scope): otlp-1000.pb, an
# ExportLogsServiceRequest of 1,000 records (~100-byte message, severity, time, 3 attributes,
# trace/span ids, one resource with service.name), and loki-1000.pb.snappy, a snappy PushRequest
# of 10 streams x 100 entries with 4 labels and a trace_id structured metadata each.
# The router's database is unreachable on purpose (as in bench/run.sh phases 1-2): the flusher
# idles and MariaDB does not compete for the 2 cores; what is measured is decode + durable append + ack.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=${WORK:-/tmp/bench-receivers}
PORT=${PORT:-18580}
CONNS=${CONNS:-8}            # as bench/run.sh's NDJSON phase: 8 large bodies in flight keep both IO threads busy
WARMUP_S=${WARMUP_S:-5}
MEASURE_S=${MEASURE_S:-10}
JAR="$WORK/log-router.jar"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
ROUTER_PID=
cleanup() { [[ -n $ROUTER_PID ]] && kill -9 "$ROUTER_PID" 2>/dev/null; true; }
trap cleanup EXIT INT TERM

mkdir -p "$WORK"
log "building router (offline) and bodies"
(cd "$ROOT" && mvn -q -B -o -DskipTests package)
cp "$ROOT/target/log-router.jar" "$JAR"
java -cp "$ROOT/target/test-classes:$JAR" io.logrouter.receive.BenchBodies "$WORK"

rm -rf "$WORK/run" && mkdir -p "$WORK/run"
(cd "$WORK/run" && exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT="$PORT" \
  LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:1/lr_bench_none" LOGROUTER_QUEUE_DIR="$WORK/run/queue" \
  LOGROUTER_ROUTER_ID=bench LOGROUTER_HTTP_BENCH_NOOP=true LOGROUTER_FLUSH_SHUTDOWN_TIMEOUT=0s \
  java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/run/router.log" 2>&1) &
ROUTER_PID=$!
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do
  kill -0 "$ROUTER_PID" 2>/dev/null || { tail -20 "$WORK/run/router.log" >&2; exit 1; }
  sleep 0.2
done

# run ROUTE BODY TYPE SECONDS: acked (2xx) events/s, 1,000 per request
run() {
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${4}s" --timeout 10s --latency -s "$HERE/lib/wrk-post.lua" \
    "http://127.0.0.1:$PORT$1" -- "$2" "$3" | grep '^WRKJSON ' | cut -d' ' -f2-)
  jq -r '"\((.requests - .non_2xx) * 1000 / (.duration_us / 1e6) | floor) \(.non_2xx) \(.p99_us)"' <<< "$out"
}

for target in "/v1/logs otlp-1000.pb application/x-protobuf" "/loki/api/v1/push loki-1000.pb.snappy application/x-protobuf"; do
  read -r route body type <<< "$target"
  run "$route" "$WORK/$body" "$type" "$WARMUP_S" > /dev/null
  read -r events non2xx p99 <<< "$(run "$route" "$WORK/$body" "$type" "$MEASURE_S")"
  read -r noop _ _ <<< "$(run /bench/noop "$WORK/$body" "$type" "$MEASURE_S")"
  echo "RESULT $route protobuf 1000/request: $events acked events/s (non-2xx $non2xx, p99 ${p99} us; goal >= 300000)" \
    "vs /bench/noop same bodies $noop events/s: ratio $(awk "BEGIN{printf \"%.2f\", $events/$noop}")"
done
kill -TERM "$ROUTER_PID"; wait "$ROUTER_PID" 2>/dev/null || true; ROUTER_PID=
