#!/usr/bin/env bash
# CPU of a quiet router (issue 13: no part may poll for nothing): each jar runs with a live MariaDB,
# default settings and the shipped JVM options, takes one event (which then waits out flush.interval,
# 30 s: a quiet router's usual state), and its CPU per thread is read from /proc over SECONDS_EACH.
#
#   bench/idle-cpu.sh                         # target/log-router.jar
#   bench/idle-cpu.sh OLD.jar NEW.jar         # side by side, in that order, in one run
#
# Prints "name ticks" per thread that used any CPU, then the total as % of one core.
set -euo pipefail
WORK=${WORK:-/tmp/bench-idle}
BASE_PORT=${BASE_PORT:-18440}
source "$(dirname "$0")/run.sh"   # start_router, stop_router, mysql_, log
SECONDS_EACH=${SECONDS_EACH:-25}
JAVA_OPTS=${JAVA_OPTS-$SHIPPED_JAVA_OPTS}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}   # the image's setting (Dockerfile)
CLK_TCK=$(getconf CLK_TCK)

# thread_cpu PID: "name ticks" per thread (utime + stime), sorted by name.
thread_cpu() {
  cat /proc/"$1"/task/*/stat 2>/dev/null | gawk '{
    o = index($0, "("); c = match($0, /\) [A-Z] /)
    comm = substr($0, o + 1, c - o - 1); gsub(/ /, "_", comm); split(substr($0, c + 2), f, " ")
    print comm, f[12] + f[13] }' | sort
}

idle_cpu() {
  local jar=$1 side=$2 port=$((BASE_PORT + $2)) schema="lr_bench_idle_$2"
  mysql_ -e "DROP DATABASE IF EXISTS \`$schema\`; CREATE DATABASE \`$schema\`"
  JAR=$jar start_router "idle-$side" "$port" "jdbc:mysql://$DB_HOST:$DB_PORT/$schema"
  local pid=$ROUTER_PID
  curl -sf -XPOST "http://127.0.0.1:$port/log" -H 'Content-Type: application/json' -d '{"message":"one"}' > /dev/null
  sleep 3   # start-up work (JIT of the first request, first flusher look) settles
  thread_cpu "$pid" > "$WORK/idle-$side.0"
  sleep "$SECONDS_EACH"
  thread_cpu "$pid" > "$WORK/idle-$side.1"
  gawk -v s="$SECONDS_EACH" -v tck="$CLK_TCK" -v jar="$jar" 'FNR == NR { t0[$1] += $2; next } { t1[$1] += $2 }
    END { for (n in t1) { d = t1[n] - t0[n]; if (d > 0) { line = line n "=" d " "; total += d } }
      printf "RESULT idle_cpu %s: %.2f%% of a core over %d s (ticks by thread: %s)\n", jar, total * 100 / tck / s, s, line }' \
    "$WORK/idle-$side.0" "$WORK/idle-$side.1"
  stop_router "$pid" TERM
}

mkdir -p "$WORK"
side=0
for jar in "${@:-$ROOT/target/log-router.jar}"; do
  idle_cpu "$(realpath "$jar")" "$side"
  side=$((side + 1))
done
