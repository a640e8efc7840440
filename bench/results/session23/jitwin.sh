#!/bin/bash
# one router with JIT logs, loadgen 1000 req/s 30 s; prints compiles by package after the port opens
set -u
cd /tmp/ab
JAR=${JAR:-/tmp/ab/new.jar}
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18400; schema=lr_jit
mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
dir=/tmp/ab/run-jit; rm -rf $dir; mkdir -p $dir
(cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
  LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
  java $OPTS -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=$dir/comp.xml \
  -Xlog:jit+compilation=debug:file=$dir/jit.log:time,uptime -jar $JAR > $dir/router.log 2>&1) &
pid=$!
until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
jpid=$(pgrep -f -- "-jar $JAR" | head -1)
up=$(awk -v p=$jpid '{print $22}' /proc/$jpid/stat); hz=$(getconf CLK_TCK); now=$(awk '{print $1}' /proc/uptime)
echo "port open at JVM uptime ~ $(echo "$now - $up/$hz" | bc -l)"
timeout 300 java -jar loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration ${DUR:-30s} --warmup 5s --payload structured \
  --json-out $dir/lg.json > $dir/lg.txt 2>&1
for t in /proc/$jpid/task/*; do echo "$(basename $t) $(cat $t/comm)"; done > $dir/threads.txt
kill $jpid; wait $pid 2>/dev/null
jq -c '.latency_ms | {p50,p99,p99_9,p99_by_10s}' $dir/lg.json
