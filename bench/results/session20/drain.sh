#!/bin/bash
# One drain of the bench's 1M-event backlog: wall time, flush-transaction time (metrics), flushes. ENV: extra router env.
jar=${JAR:-/work/main/target/log-router.jar}; port=18403; schema=lr_drain_x; q=/tmp/ab/drainq
mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
# settle: wait for dirty pages to drop
for i in $(seq 15); do d=$(mysql -uroot -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{print $2}'); ((d < 2000)) && break; sleep 1; done
rm -rf $q && cp -a /tmp/bench/backlog-queue $q
env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" LOGROUTER_DB_USER=root \
  LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$q LOGROUTER_ROUTER_ID=bench $ENV java $JAVA_OPTS -jar $jar > /tmp/ab/drain.log 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
curl -s -m 120 -XPOST http://127.0.0.1:$port/admin/flush > /dev/null &
t_first=""; while :; do
  r=$(curl -s http://127.0.0.1:$port/metrics | awk '/^logrouter_rows_written_total/ {printf "%d", $2}'); t=$(date +%s.%N)
  [[ -z $t_first && ${r:-0} -gt 0 ]] && { t_first=$t; r_first=$r; s_first=$(curl -s http://127.0.0.1:$port/metrics | awk '/^logrouter_flush_duration_seconds_sum/ {print $2}'); }
  ((${r:-0} >= 1000000)) && break; sleep 0.1
done
m=$(curl -s http://127.0.0.1:$port/metrics)
s_end=$(awk '/^logrouter_flush_duration_seconds_sum/ {print $2}' <<< "$m"); n=$(awk '/^logrouter_flush_duration_seconds_count/ {print $2}' <<< "$m")
awk -v r=$r -v rf=$r_first -v t=$t -v tf=$t_first -v s=$s_end -v sf=$s_first -v n=$n 'BEGIN {w=t-tf; printf "steady %.0f rows/s over %.2f s; flush transactions %.2f s of it (%.1f%%); %d flushes\n", (r-rf)/w, w, s-sf, 100*(s-sf)/w, n}'
kill $pid; wait $pid 2>/dev/null
