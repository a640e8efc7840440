#!/bin/bash
# A/B of the warm-up's flush rehearsal at 1,000 req/s (phase-4 setting: shipped JVM settings, live MariaDB, default
# flush settings, warm-up on in both): "old" = the jar before it (5381835), "new" = with it. The JIT's compiles are
# logged with wall-clock and uptime stamps (-Xlog:jit+compilation=debug), the flusher's flushes with theirs (a
# logback copy with io.logrouter.flush.Flusher at DEBUG); prints, for each flush of the load, the compile tasks and
# methods made not entrant from its start to 2 s after, then p99 by 10 s and verify.
set -u
cd /tmp/ab
VARIANTS=${VARIANTS:-"old new old new"}
OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' /work/main/Dockerfile)
port=18430
for v in $VARIANTS; do
  case $v in old) jar=/tmp/ab/new.jar ;; new) jar=/tmp/ab/rehearse.jar ;; esac
  schema=lr_fr_$v
  mysql -uroot -e "DROP DATABASE IF EXISTS $schema"
  dir=/tmp/ab/fr-$v; rm -rf $dir; mkdir -p $dir
  (cd $dir; exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$schema" \
    LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR=$dir/queue LOGROUTER_ROUTER_ID=bench MALLOC_ARENA_MAX=2 \
    java $OPTS -Dlogback.configurationFile=/tmp/ab/logback-flush.xml -Xlog:jit+compilation=debug:file=$dir/jit.log:time \
    -jar $jar > $dir/router.log 2>&1) &
  pid=$!
  until curl -sf http://127.0.0.1:$port/health >/dev/null; do sleep 0.1; done
  load_start=$(date -u +%s.%N)
  timeout 300 java -jar loadgen.jar --url http://127.0.0.1:$port/log --rate 1000 --duration 60s --warmup 5s --payload structured \
    --json-out $dir/lg.json --verify "jdbc:mysql://127.0.0.1:3306/$schema" --db-user root --db-password "" \
    --flush-url http://127.0.0.1:$port/admin/flush > $dir/lg.txt 2>&1
  jpid=$(pgrep -f -- "-jar $jar" | head -1)
  kill $jpid; wait $pid 2>/dev/null
  # Each flush of the load (not the loadgen's closing /admin/flush): its start is its log stamp less its duration.
  python3 - "$dir" "$load_start" <<'PY' > $dir/flush-windows.txt
import datetime, re, sys
d, load_start = sys.argv[1], float(sys.argv[2])
def epoch(stamp):  # 2026-12-04T23:49:31.123Z or [2026-12-04T23:49:31.123+0000]
    stamp = stamp.strip("[]").replace("Z", "+0000")
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
flushes = []
for line in open(d + "/router.log"):
    m = re.match(r"(\S+) DEBUG .*flushed (\d+) rows .* in (\d+) ms", line)
    if m:
        flushes.append((epoch(m.group(1)) - int(m.group(3)) / 1000, int(m.group(2))))
compiles = []
for line in open(d + "/jit.log"):
    m = re.match(r"(\[\S+\])\s+(.*)", line)
    if m:
        compiles.append((epoch(m.group(1)), "made not entrant" in m.group(2)))
for start, rows in flushes[:-1]:
    tasks = sum(1 for t, ne in compiles if start - 0.05 <= t <= start + 2 and not ne)
    gone = sum(1 for t, ne in compiles if start - 0.05 <= t <= start + 2 and ne)
    print(f"flush of {rows} rows at load +{start - load_start:.1f} s: {tasks} compiles, {gone} made not entrant in 2 s")
PY
  printf '%s %-3s %s; p50/p99/p99.9 %s verify %s w10 %s\n' "$(date -u +%T)" $v "$(paste -sd';' $dir/flush-windows.txt)" \
    "$(jq -r '.latency_ms | "\(.p50) \(.p99) \(.p99_9)"' $dir/lg.json)" "$(jq -c '.verify | {missing, duplicated}' $dir/lg.json)" \
    "$(jq -c .latency_ms.p99_by_10s $dir/lg.json)"
  grep -o 'start-up warm-up:.*' $dir/router.log | sed 's/^/     /'
  cp -r $dir $dir-$(date +%H%M%S)
done
