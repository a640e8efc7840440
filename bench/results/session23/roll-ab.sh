#!/bin/bash
# roll-ab.sh: A/B of what the first queue roll under load discards, old jar vs new jar. Routers on FIVE_MINUTELY,
# started ~40 s before a 5-minute boundary, loadgen 1,000 req/s for 60 s across it; counts compile tasks and
# tier-4 methods made not entrant from 1 s before the roll to 3 s after (wall clock, from -Xlog:jit+compilation).
set -u
cd /tmp/ab
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18400
for v in ${VARIANTS:-old new old new}; do
  case $v in old) jar=/tmp/ab/new.jar ;; *) jar=${NEW_JAR:-/tmp/ab/new6.jar} ;; esac
  now=$(date +%s); boundary=$(( (now / 300 + 1) * 300 )); start=$((boundary - 40))
  if (( start < now )); then boundary=$((boundary + 300)); start=$((boundary - 40)); fi
  sleep $((start - now))
  schema=lr_roll_$v; mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
  dir=/tmp/ab/roll-$v; rm -rf $dir; mkdir -p $dir
  (cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
    LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
    LOGROUTER_QUEUE_ROLL_CYCLE=FIVE_MINUTELY java $OPTS -Xlog:jit+compilation=debug:file=$dir/jit.log:time -jar $jar > $dir/router.log 2>&1) &
  pid=$!
  until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
  jpid=$(pgrep -f -- "-jar $jar" | head -1)
  timeout 300 java -jar loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration 60s --warmup 5s --payload structured \
    --json-out $dir/lg.json --verify "jdbc:mysql://127.0.0.1:3306/$schema" --db-user root --db-password "" \
    --flush-url http://127.0.0.1:$port/admin/flush > $dir/lg.txt 2>&1
  kill $jpid; wait $pid 2>/dev/null
  b=$(date -u -d @$boundary +%H:%M:%S)
  counts=$(awk -v b=$boundary -F'[][]' '{ split($2, d, "T"); split(substr(d[2],1,12), t, ":"); s = t[1]*3600 + t[2]*60 + t[3];
      bs = b % 86400; if (s >= bs - 1 && s < bs + 3) { if ($3 ~ /made not entrant/) { ne++; if ($3 ~ /^ *[0-9]+ +[!%sbn ]* +4 /) ne4++ } else c++ } }
      END {printf "compile tasks %d, made not entrant %d (tier 4: %d)", c, ne, ne4}' $dir/jit.log)
  printf '%s %-3s roll at %s: %s; p99 %s verify %s\n' "$(date -u +%T)" $v $b "$counts" "$(jq -r .latency_ms.p99 $dir/lg.json)" \
    "$(jq -c '.verify | {missing, duplicated}' $dir/lg.json)"
  awk -v b=$boundary -F'[][]' '{ split($2, d, "T"); split(substr(d[2],1,12), t, ":"); s = t[1]*3600 + t[2]*60 + t[3];
      bs = b % 86400; if (s >= bs - 1 && s < bs + 3 && $3 ~ /made not entrant/ && $3 ~ /^ *[0-9]+ +[!%sbn ]* +4 /) print "    " $3 }' $dir/jit.log | head -12
  ls $dir/queue | tr '\n' ' '; echo
done
