#!/bin/bash
# One instrumented run: 1 s p99 windows, GC log, flush times from /metrics.
v=${1:-new}; cd /tmp/ab
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18401 schema=lr_inst dir=/tmp/ab/inst-$v
mysql -uroot -e "DROP DATABASE IF EXISTS $schema"; rm -rf $dir; mkdir -p $dir
(cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
  LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
  java $OPTS -Xlog:gc,safepoint:file=$dir/gc.log:uptimenanos -jar /tmp/ab/$v.jar > $dir/router.log 2>&1) &
pid=$!
until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.2; done
t0=$(date +%s.%N)
sleep 0 & 
smp=$!
java -jar /tmp/lg1/target/loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration 60s --warmup 5s --payload structured \
  --json-out $dir/lg.json > $dir/lg.txt 2>&1
kill $smp
echo "load started ~$(awk -v a=$t0 'BEGIN{print 0}') (t0=$t0)"
grep -h "flush" $dir/router.log | head -5
jq -c '.latency_ms | {p99, p99_by_10s}' $dir/lg.json | tr -d '\n'; echo
grep -o "JIT warm-up over" $dir/router.log | head -1
jpid=$(pgrep -f "$v.jar" | head -1); kill $jpid; wait $pid 2>/dev/null
