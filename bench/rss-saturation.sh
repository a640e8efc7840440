#!/usr/bin/env bash
# Peak RSS of the router at saturation with a live database and default flush settings (issue 13's
# memory goal: RSS <= 256 MB with the shipped JVM options). Run by hand, not in CI.
#
#   bench/rss-saturation.sh                          # the shipped settings (the Dockerfile's LOGROUTER_JAVA_HEAP_OPTS, MALLOC_ARENA_MAX=2)
#   JAVA_OPTS="-Xmx256m" bench/rss-saturation.sh     # any other ("" = the JVM's own sizing)
#
# Phases against one router: wrk -t2 -c64 single-event POST /log for SECONDS, then NDJSON bodies of
# 1,000 events over 8 connections for SECONDS. RSS (VmRSS: heap, metaspace, code, stacks, native
# buffers and the mapped queue pages) is sampled every 0.5 s; the peak and the heap in use are printed.
set -euo pipefail
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}   # the image's setting (Dockerfile)
SECONDS_EACH=${SECONDS_EACH:-30}
PORT=${PORT:-18490}
WORK=${WORK:-/tmp/rss-bench}
source "$(dirname "$0")/run.sh"   # HERE, ROOT, wrk_run, acked_rate, SHIPPED_JAVA_OPTS
JAVA_OPTS=${JAVA_OPTS-$SHIPPED_JAVA_OPTS}
SCHEMA=lr_rss_bench
rm -rf "$WORK" && mkdir -p "$WORK"
mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $SCHEMA; CREATE DATABASE $SCHEMA"
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "{\"level\":\"info\",\"source\":\"rss\",\"message\":\"event %d of a thousand in one body, about 160 bytes of text in all\",\"seq\":%d}\n", i, i }' > "$WORK/body.ndjson"
head -1 "$WORK/body.ndjson" | tr -d '\n' > "$WORK/one.json"
# shellcheck disable=SC2086
LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$SCHEMA" LOGROUTER_HTTP_PORT=$PORT LOGROUTER_HTTP_HOST=127.0.0.1 \
  LOGROUTER_QUEUE_DIR="$WORK/queue" java $JAVA_OPTS -jar "$ROOT/target/log-router.jar" > "$WORK/router.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; kill $SAMPLER 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
# Peak VmRSS, with its split at that moment: anonymous (heap, native) and file (the mapped queue pages,
# page cache the kernel can drop and re-read) and shared memory.
( peak=0; while kill -0 $PID 2>/dev/null; do
    read -r r a f <<< "$(awk '/VmRSS/ {r=$2} /RssAnon/ {a=$2} /RssFile/ {f=$2} END {print r+0, a+0, f+0}' /proc/$PID/status 2>/dev/null)"
    if [ "${r:-0}" -gt "$peak" ]; then peak=$r; echo "$r $a $f" > "$WORK/peak-kb"; fi
    sleep 0.5; done ) & SAMPLER=$!
single=$(wrk_run "http://127.0.0.1:$PORT/log" "$WORK/one.json" application/json "$SECONDS_EACH" "$WRK_CONNS")
ndjson=$(wrk_run "http://127.0.0.1:$PORT/log" "$WORK/body.ndjson" application/x-ndjson "$SECONDS_EACH" "$NDJSON_CONNS")
sleep 1
if [[ $JAVA_OPTS == *NativeMemoryTracking* ]]; then jcmd $PID VM.native_memory summary > "$WORK/nmt.txt" 2>&1 || true; fi
heap=$(jcmd $PID GC.heap_info 2>/dev/null | grep -Eo 'used [0-9]+K' | head -1 || true)
read -r peak anon file < "$WORK/peak-kb"
echo "RESULT rss_saturation: JAVA_OPTS='$JAVA_OPTS' MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset} peak RSS $((peak / 1024)) MB (anon $((anon / 1024)), file-mapped $((file / 1024)));" \
  "single-event $(printf '%.0f' "$(acked_rate "$single")") acked req/s," \
  "ndjson $(printf '%.0f' "$(acked_rate "$ndjson" | awk '{print $1 * 1000}')") acked events/s;" \
  "heap at end: ${heap:-n/a}; load $(cut -d' ' -f1-3 /proc/loadavg)"
