#!/usr/bin/env bash
# Issue 13's first figure: single-event POST /log acked req/s with a LIVE database and default flush
# settings (the flusher, MariaDB, the HTTP threads and wrk share the 2 cores), against nginx answering
# `return 202` on the same machine in the same run, alternating rounds. At the end every acked event
# must be in MySQL: rows are counted against wrk's 2xx answers.
#
#   bench/live-ingest.sh            # ROUNDS=2 SECONDS_EACH=10; needs wrk, nginx, jq, mysql, target/log-router.jar
set -euo pipefail
ROUNDS=${ROUNDS:-2}; SECONDS_EACH=${SECONDS_EACH:-10}
PORT=${PORT:-18491}; NGINX_PORT=${NGINX_PORT:-18492}
WORK=${WORK:-/tmp/live-ingest}; SCHEMA=lr_live_ingest
source "$(dirname "$0")/run.sh"   # HERE, ROOT, wrk_run, acked_rate
JAVA_OPTS=${JAVA_OPTS-$SHIPPED_JAVA_OPTS}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}   # the image's setting (Dockerfile)
rm -rf "$WORK" && mkdir -p "$WORK/nginx"
mysql -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS $SCHEMA; CREATE DATABASE $SCHEMA"
printf '{"level":"info","source":"bench","message":"one event of about 160 bytes, the size issue 13 measures with","user_id":42,"seq":1}' > "$WORK/one.json"
start_nginx "$WORK/nginx" "$NGINX_PORT"
# shellcheck disable=SC2086
LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$SCHEMA" LOGROUTER_HTTP_PORT=$PORT LOGROUTER_HTTP_HOST=127.0.0.1 \
  LOGROUTER_QUEUE_DIR="$WORK/queue" java $JAVA_OPTS -jar "$ROOT/target/log-router.jar" > "$WORK/router.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; stop_nginx "$WORK/nginx"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/ready" > /dev/null && break; sleep 0.5; done
run() { wrk_run "$1" "$WORK/one.json" application/json "$SECONDS_EACH" "$WRK_CONNS"; }
rate() { printf '%.0f' "$(acked_rate "$1")"; }
acked2xx() { jq -r '.requests - .non_2xx' <<< "$1"; }
w=$(run "http://127.0.0.1:$PORT/log")   # warm-up (JIT); its events must land too
total_acked=$(acked2xx "$w"); r_sum=0; n_sum=0
run "http://127.0.0.1:$NGINX_PORT/" > /dev/null
for i in $(seq 1 "$ROUNDS"); do
  n=$(rate "$(run "http://127.0.0.1:$NGINX_PORT/")")
  j=$(run "http://127.0.0.1:$PORT/log"); r=$(rate "$j"); total_acked=$((total_acked + $(acked2xx "$j")))
  echo "round $i: nginx return 202 $n req/s, router /log (live DB) $r acked req/s: $(jq -n "$r / $n * 1000 | floor / 1000")" >&2
  r_sum=$((r_sum + r)); n_sum=$((n_sum + n))
done
curl -sf -XPOST "http://127.0.0.1:$PORT/admin/flush" > /dev/null
rows=$(mysql -h127.0.0.1 -uroot -N -e "SELECT COUNT(*) FROM $SCHEMA.logs")
backlog=$(curl -sf "http://127.0.0.1:$PORT/ready" | jq .backlog_events)
# The router's own count of events it answered 202 for: wrk stops counting with requests still in
# flight (up to 64 per run), so its total is a little below what the router accepted and stored.
received=$(curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^logrouter_events_received_total/ {printf "%d", $2}')
echo "RESULT live_ingest: router $((r_sum / ROUNDS)) acked req/s vs nginx $((n_sum / ROUNDS)): ratio" \
  "$(jq -n "$r_sum / $n_sum * 1000 | floor / 1000") (goal >= 0.5); wrk counted $total_acked 2xx, the router accepted $received events, rows in MySQL $rows, backlog $backlog;" \
  "JAVA_OPTS='$JAVA_OPTS'; load $(cut -d' ' -f1-3 /proc/loadavg)"
