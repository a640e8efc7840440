#!/bin/bash
# open-ab.sh: what the first real traffic discards of the warm-up's compiled code, old jar vs new, alternating.
# Each run: a router (shipped JVM settings, live MariaDB, default settings, warm-up on) with -Xlog:jit+compilation,
# loadgen 1,000 req/s (structured single events) 5 s warm-up + 30 s; counts from the port's opening, in the loadgen's
# warm-up [0, 5 s) and in its measured time [5, 35 s): compile tasks, methods made not entrant, of them C2's.
set -u
cd /tmp/ab
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18400
for v in ${VARIANTS:-old new old new old new}; do
  case $v in old) jar=/tmp/ab/new.jar ;; *) jar=${NEW_JAR:-/tmp/ab/new6.jar} ;; esac
  schema=lr_open_$v; mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
  dir=/tmp/ab/open-$v; rm -rf $dir; mkdir -p $dir
  (cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
    LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
    java $OPTS -Xlog:jit+compilation=debug:file=$dir/jit.log:time -jar $jar > $dir/router.log 2>&1) &
  pid=$!
  until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
  jpid=$(pgrep -f -- "-jar $jar" | head -1)
  timeout 300 java -jar loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration 30s --warmup 5s --payload structured \
    --json-out $dir/lg.json --verify "jdbc:mysql://127.0.0.1:3306/$schema" --db-user root --db-password "" \
    --flush-url http://127.0.0.1:$port/admin/flush > $dir/lg.txt 2>&1
  kill $jpid; wait $pid 2>/dev/null
  open=$(grep "listening on" $dir/router.log | cut -c12-23 | awk -F: '{print $1*3600+$2*60+$3}')
  counts=$(awk -v o=$open -F'[][]' '$3 !~ /made zombie/ { split(substr($2,12,12), t, ":"); s = t[1]*3600 + t[2]*60 + t[3] - o;
      w = s < 0 ? "" : s < 5 ? "a" : s < 35 ? "b" : ""; if (w == "") next;
      if ($3 ~ /made not entrant/) { ne[w]++; if ($3 ~ /^ *[0-9]+ +[!%sbn ]* +4 /) ne4[w]++ } else c[w]++ }
      END {printf "first 5 s: %d compiles, %d not entrant (C2 %d); next 30 s: %d compiles, %d not entrant (C2 %d)",
        c["a"], ne["a"], ne4["a"], c["b"], ne["b"], ne4["b"]}' $dir/jit.log)
  printf '%s %-3s %s; p99 %s w10 %s verify %s\n' "$(date -u +%T)" $v "$counts" "$(jq -r .latency_ms.p99 $dir/lg.json)" \
    "$(jq -c .latency_ms.p99_by_10s $dir/lg.json)" "$(jq -c '.verify | {missing, duplicated}' $dir/lg.json)"
  grep -o 'start-up warm-up:.*' $dir/router.log | cut -c1-160 | sed 's/^/     /'
  cp -r $dir $dir-$(date +%H%M%S)
done
