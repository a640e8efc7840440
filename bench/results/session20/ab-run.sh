#!/bin/bash
# A/B of router jars at 1,000 req/s (phase-4 setting): alternates VARIANTS, prints p99 and per-thread CPU / wake-ups.
set -u
cd /tmp/ab
VARIANTS=${VARIANTS:-"old new old new"}
WARM=${WARM:-5s}
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18400
for v in $VARIANTS; do
  schema=lr_ab_$v
  mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
  dir=/tmp/ab/run-$v; rm -rf $dir; mkdir -p $dir
  (cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
    LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
    java $OPTS -jar /tmp/ab/$v.jar > $dir/router.log 2>&1) &
  pid=$!
  until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.2; done
  timeout 300 java -jar loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration 60s --warmup $WARM --payload structured \
    --json-out $dir/lg.json --verify "jdbc:mysql://127.0.0.1:3306/$schema" --db-user root --db-password "" \
    --flush-url http://127.0.0.1:$port/admin/flush > $dir/lg.txt 2>&1
  jpid=$(pgrep -f "$v.jar" | head -1)
  for t in /proc/$jpid/task/*; do
    printf '%s %s %s %s\n' "$(tr ' ' _ < $t/comm)" "$(awk '{print $14+$15}' $t/stat)" \
      "$(awk '/^voluntary_ctxt/ {print $2}' $t/status)" "$(awk '/^nonvoluntary_ctxt/ {print $2}' $t/status)"
  done | sort -k2 -nr > $dir/threads.txt
  kill $jpid; wait $pid 2>/dev/null
  echo "$(date -u +%T) $v p50/p99/p99.9 $(jq -r '.latency_ms | "\(.p50) \(.p99) \(.p99_9)"' $dir/lg.json) verify $(jq -c '.verify | {missing, duplicated}' $dir/lg.json) w10 $(jq -c .latency_ms.p99_by_10s $dir/lg.json) $(grep -o 'JIT warm-up over.*' $dir/router.log | head -c 80)"
  grep -E "^(flusher|queue-prefetch) " $dir/threads.txt | awk "{printf \"   %-18s cpu %5d ticks  vol %7d  invol %6d\\n\", \$1, \$2, \$3, \$4}"
  cp -r $dir $dir-$(date +%H%M%S)
done
