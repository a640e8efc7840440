#!/bin/bash
# A/B of the start-up warm-up at 1,000 req/s (phase-4 setting, shipped JVM settings, live MariaDB, default flush
# settings): one jar, alternating jvm.warmup.requests=0 ("cold") and the default ("warm"); the loadgen starts as
# soon as /health answers, as bench/run.sh's does. Prints p99, the p99 of each 10 s, the time from launch to
# /health, and verify.
set -u
cd /tmp/ab
VARIANTS=${VARIANTS:-"cold warm cold warm"}
WARM=${WARM:-5s}
JAR=${JAR:-/tmp/ab/new.jar}
OLD_JAR=${OLD_JAR:-/tmp/ab/old.jar}   # variant "old": an earlier jar, warm-up on
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18400
# compile_ms PID: the JVM's total JIT compile time so far, in ms (jcmd PerfCounter.print)
compile_ms() {
  jcmd $1 PerfCounter.print 2>/dev/null | awk -F= '/^java.ci.totalTime=/ {t=$2} /^sun.os.hrt.frequency=/ {f=$2}
    END {printf "%d", t * 1000 / f}'
}
floor() {   # the same loadgen against nginx `return 202`: the machine's floor at this moment
  nginx -c /tmp/ngx/nginx.conf 2>/dev/null
  timeout 300 java -jar loadgen.jar --url http://127.0.0.1:18500/log --rate 1000 --duration 60s --warmup $WARM \
    --payload structured --json-out /tmp/ab/nginx.json > /dev/null 2>&1
  nginx -c /tmp/ngx/nginx.conf -s stop
  printf '%s nginx floor p50/p99/p99.9 %s w10 %s\n' "$(date -u +%T)" "$(jq -r '.latency_ms | "\(.p50) \(.p99) \(.p99_9)"' /tmp/ab/nginx.json)" \
    "$(jq -c .latency_ms.p99_by_10s /tmp/ab/nginx.json)"
}
for v in $VARIANTS; do
  if [[ $v == nginx ]]; then floor; continue; fi
  case $v in cold) requests=0 jar=$JAR ;; old) requests=20000 jar=$OLD_JAR ;; *) requests=20000 jar=$JAR ;; esac
  schema=lr_ab_$v
  mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
  dir=/tmp/ab/run-$v; rm -rf $dir; mkdir -p $dir
  t0=$(date +%s.%N)
  (cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
    LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
    LOGROUTER_JVM_WARMUP_REQUESTS=$requests java $OPTS -jar $jar > $dir/router.log 2>&1) &
  pid=$!
  until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
  up=$(echo "$(date +%s.%N) - $t0" | bc)
  jpid=$(pgrep -f -- "-jar $jar" | head -1)
  c0=$(compile_ms $jpid)
  (sleep 15; compile_ms $jpid > $dir/c15) &
  timeout 300 java -jar loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration 60s --warmup $WARM --payload structured \
    --json-out $dir/lg.json --verify "jdbc:mysql://127.0.0.1:3306/$schema" --db-user root --db-password "" \
    --flush-url http://127.0.0.1:$port/admin/flush > $dir/lg.txt 2>&1
  c1=$(compile_ms $jpid)
  kill $jpid; wait $pid 2>/dev/null
  printf '%s %-4s up %4.1f s JIT ms during load: first 15 s %s, all %s; p50/p99/p99.9 %s verify %s w10 %s\n' \
    "$(date -u +%T)" $v $up $(( $(cat $dir/c15) - c0 )) $((c1 - c0)) \
    "$(jq -r '.latency_ms | "\(.p50) \(.p99) \(.p99_9)"' $dir/lg.json)" "$(jq -c '.verify | {missing, duplicated}' $dir/lg.json)" \
    "$(jq -c .latency_ms.p99_by_10s $dir/lg.json)"
  grep -o 'start-up warm-up:.*' $dir/router.log | sed 's/^/     /'
  cp -r $dir $dir-$(date +%H%M%S)
done
