#!/usr/bin/env bash
# Acked events/s of the shipper receivers of issue 11 part b, each body 1,000 events, one router
# whose MySQL is unreachable (its flusher idles, ingest goes on into the disk queue: the ingest
# path alone is measured, as bench/run.sh phase 2 does):
#   /log NDJSON (the baseline), /log Fluent Bit json_stream, /log NDJSON gzip and zstd,
#   /app/_bulk Elasticsearch bulk, plain and gzip.
#
#   bench/receivers.sh           # ~2 min; DURATION=20 bench/receivers.sh for longer runs
# Needs: java 17+, maven (offline), wrk, curl, gzip, zstd, jq. Output: RESULT lines on stdout.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PORT=${PORT:-18181}
DURATION=${DURATION:-10}
CONNS=${CONNS:-8}
WORK=$(mktemp -d /tmp/lr-receivers.XXXXXX)
ROUTER_PID=

cleanup() {
  [[ -n $ROUTER_PID ]] && kill -9 "$ROUTER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[[ -f $ROOT/target/log-router.jar ]] || (cd "$ROOT" && mvn -B -q -o -ntp -DskipTests package)

( cd "$WORK" && exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT="$PORT" \
    LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:1/lr_bench_none" LOGROUTER_QUEUE_DIR="$WORK/queue" \
    LOGROUTER_ROUTER_ID=bench java -jar "$ROOT/target/log-router.jar" > "$WORK/router.log" 2>&1 ) &
ROUTER_PID=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done

event() { # $1 = i: a 200-byte-ish event
  printf '{"timestamp":"2024-05-01T10:00:00.%06dZ","level":"info","source":"bench","message":"request %d served in 12 ms","user_id":%d,"path":"/api/v1/items"}' "$1" "$1" "$1"
}
esdoc() {
  printf '{"@timestamp":"2024-05-01T10:00:00.%06dZ","log":{"level":"info"},"service":{"name":"bench"},"message":"request %d served in 12 ms","user_id":%d,"path":"/api/v1/items"}' "$1" "$1" "$1"
}
for i in $(seq 1000); do event "$i"; printf '\n'; done > "$WORK/ndjson"
for i in $(seq 1000); do event "$i"; done > "$WORK/stream"
for i in $(seq 1000); do printf '{"create":{"_id":"%d"}}\n' "$i"; esdoc "$i"; printf '\n'; done > "$WORK/bulk"
gzip -c "$WORK/ndjson" > "$WORK/ndjson.gz"; zstd -q -c "$WORK/ndjson" > "$WORK/ndjson.zst"
gzip -c "$WORK/bulk" > "$WORK/bulk.gz"
curl -s -XPOST "http://127.0.0.1:$PORT/app/_bulk" -H 'Content-Type: application/x-ndjson' --data-binary @"$WORK/bulk" \
  | jq -e '.errors == false and (.items | length) == 1000' > /dev/null || { echo "bulk body refused" >&2; exit 1; }

run() { # NAME PATH FILE TYPE ENCODING
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$HERE/lib/wrk-post-encoded.lua" \
    "http://127.0.0.1:$PORT$2" -- "$WORK/$3" "$4" "$5" | grep '^WRKJSON ' | cut -d' ' -f2-)
  jq -r --arg name "$1" --arg bytes "$(stat -c %s "$WORK/$3")" \
    '"RESULT receivers \($name): \(((.requests - .non_2xx) * 1000 / (.duration_us / 1e6)) | floor) events/s acked, non-2xx \(.non_2xx), p99 \(.p99_us / 1000) ms, body \($bytes) B"' <<< "$out"
}
run ndjson /log ndjson application/x-ndjson ""
run fluentbit-json_stream /log stream application/json ""
run ndjson-gzip /log ndjson.gz application/x-ndjson gzip
run ndjson-zstd /log ndjson.zst application/x-ndjson zstd
run es-bulk /app/_bulk bulk application/x-ndjson ""
run es-bulk-gzip /app/_bulk bulk.gz application/x-ndjson gzip
