#!/usr/bin/env bash
# Flush path, A/B between two commits in ONE run (issue 13), each figure beside its ceiling:
#   - drain of a queued backlog (one admin flush, production flush settings): steady rows/s and the
#     router's CPU per row (utime+stime of the router process from /proc, first commit to the admin flush's answer;
#     also from JVM start), split by thread group (flush = flusher + queue-prefetch, jit, gc, other),
#     and MariaDB's CPU per row over the same window;
#   - NDJSON 1,000 events/request over 2 keep-alive connections (two curl processes), live MariaDB,
#     default settings: events/s end to end, from the first request to the last row committed;
#   - drain of the same backlog by a warm router (warm_drain: WARM_DRAIN_EVENTS committed first, then the
#     EVENTS queued behind a locked logs table, as in an outage): rows/s and the router's CPU per row
#     without most of a fresh JVM's JIT work;
#   - ceiling: `mysql --local-infile` LOAD DATA of the same rows into a fresh table.
# Rounds interleave ceiling, before, after so a burst from another tenant hits every side.
#
#   bench/flush-cpu.sh [BEFORE_REV] [AFTER_REV]     # default: 17f571b (before issue 13) and HEAD
#   EVENTS=600000 ROUNDS=2 PROFILE=1 bench/flush-cpu.sh
#   REUSE_JARS=1 bench/flush-cpu.sh               # the jars of the previous run (same WORK)
#   BEFORE_ENV="LOGROUTER_QUEUE_RESIDENT_TRIM_INTERVAL=0" bench/flush-cpu.sh HEAD HEAD   # A/B of a setting
#   PARTS=e2e REUSE_JARS=1 bench/flush-cpu.sh HEAD HEAD   # only the end-to-end run (drain, e2e, warm)
#   WARM_EVENTS=600000 PARTS=e2e REUSE_JARS=1 bench/flush-cpu.sh HEAD HEAD   # e2e on a warmed router (WARM_CONNECTIONS=4)
#   JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=/tmp/lc-%p.xml" ...   # what the JIT does in the window
#     (add -Xlog:jit+compilation=debug:file=/tmp/jitc-%p.log:time,uptime to map wall-clock to uptime; then
#     bench/lib/jit-window.py /tmp/lc-PID.xml FROM_S TO_S sums the tasks started in the window)
#   ASYNC_PROFILER_LIB=/path/libasyncProfiler.so PARTS=warm ...   # top frames of the flush threads in the last warm drain
#   WORK=/tmp/mine BASE_PORT=18700 SCHEMAS=mine_bench bench/flush-cpu.sh   # beside another run
#
# PROFILE=1 adds one more drain of AFTER under JFR and prints the top frames of the flush threads
# (flusher, queue-prefetch) and the flusher's waits on the database by statement. Needs what bench/run.sh needs (no wrk). Ports BASE_PORT..+9.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/bench-flush}
BASE_PORT=${BASE_PORT:-18300}
source "$HERE/run.sh"
BEFORE=${1:-17f571b}
AFTER=${2:-HEAD}
EVENTS=${EVENTS:-600000}
ROUNDS=${ROUNDS:-2}
BACKLOG_EVENTS=$EVENTS
CLK_TCK=$(getconf CLK_TCK)
# PARTS: which measurements each round runs besides the ceiling (drain e2e warm; all by default).
PARTS=${PARTS:-drain e2e warm}
has_part() { [[ " $PARTS " == *" $1 "* ]]; }

# side_env SIDE: the NAME=VALUE words of BEFORE_ENV or AFTER_ENV, the router settings of that side.
side_env() { local v="${1^^}_ENV"; echo "${!v:-}"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# faults PID: "major minor" page faults of the process so far (a queue page read back from disk is a major one).
faults() { awk '{print $12, $10}' "/proc/$1/stat" 2>/dev/null || echo 0 0; }
# thread_ticks PID: "tid group ticks name" per thread; group: flush (flusher, queue-prefetch), jit, gc, other.
thread_ticks() {
  cat /proc/"$1"/task/*/stat 2>/dev/null | gawk '{
    o = index($0, "("); c = match($0, /\) [A-Z] /)
    comm = substr($0, o + 1, c - o - 1); split(substr($0, c + 2), f, " ")
    g = comm ~ /^(flusher|queue-prefetch)$/ ? "flush" : comm ~ /Compiler/ ? "jit" : comm ~ /^(GC|G1)/ ? "gc" : "other"
    gsub(/ /, "_", comm); print $1, g, f[12] + f[13], comm }'
}
# group_us BEFORE AFTER ROWS: CPU us/row per thread group between two thread_ticks snapshots.
group_us() {
  gawk -v rows="$3" -v tck="$CLK_TCK" 'FNR == NR { t0[$1] = $3; next } { d[$2] += $3 - t0[$1] }
    END { for (g in d) printf "%s=%.2f ", g, d[g] * 1e6 / tck / rows }' "$1" "$2"
}
# named_us BEFORE AFTER ROWS: the "other" and "flush" groups by thread name (those above 0.01 us/row).
named_us() {
  gawk -v rows="$3" -v tck="$CLK_TCK" 'FNR == NR { t0[$1] = $3; next } $2 == "other" || $2 == "flush" { d[$4] += $3 - t0[$1] }
    END { for (n in d) { v = d[n] * 1e6 / tck / rows; if (v >= 0.01) printf "%s=%.2f ", n, v } }' "$1" "$2"
}
# snapshot PID DBPID THREADS_FILE: prints "time router_ticks db_ticks" and writes the router's per-thread
# ticks to THREADS_FILE: one edge of a measured window.
snapshot() {
  thread_ticks "$1" > "$3"
  echo "$(now) $(cpu_ticks "$1") $(cpu_ticks "$2")"
}
db_pid() { ss -ltnpH "sport = :$DB_PORT" | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2; }
rows_written() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^logrouter_rows_written_total/ {printf "%d", $2}'; }

prepare() {
  mkdir -p "$WORK" "$DATA" "$RESULTS_DIR"
  : > "$SUMMARY"
  ab_jars "$BEFORE" "$AFTER"
  if [[ ! -s $DATA/rows.tsv || $(wc -l < "$DATA/rows.tsv") -ne $EVENTS ]]; then
    log "generating $EVENTS events"
    rm -f "$DATA"/body-*.ndjson "$DATA/rows.tsv"
    gawk -v n="$EVENTS" -v per=1000 -v outdir="$DATA" -v tsv="$DATA/rows.tsv" -v router_id=bench \
      -f "$HERE/lib/gen-events.awk"
  fi
  JAR="$WORK/after.jar" fill_backlog   # the record format is the same on both sides
}

# drain_cpu SIDE [JAVA_OPTS]: drains a copy of the backlog with SIDE's jar; sets DRAIN_RATE, CPU_US, ...
drain_cpu() {
  local side=$1 opts=${2:-} schema="${SCHEMAS}_fcpu_$1" port=$((BASE_PORT + 3)) qdir="$WORK/drain-queue-$1"
  mysql_ -e "DROP DATABASE IF EXISTS \`$schema\`"
  settle_db
  rm -rf "$qdir" && cp -a "$WORK/backlog-queue" "$qdir"
  # No start-up warm-up: the flusher starts before it, so the drain would run beside it and be done before
  # /health answers; this measures the drain alone, from its first commit.
  JAVA_OPTS=$opts JAR="$WORK/$side.jar" start_router "fcpu-$side" "$port" "jdbc:mysql://$DB_HOST:$DB_PORT/$schema" \
    LOGROUTER_QUEUE_DIR="$qdir" LOGROUTER_JVM_WARMUP_REQUESTS=0 $(side_env "$side")
  local pid=$ROUTER_PID dbp rows=0 first=0 t_first="" t_done="" cpu_first=0 db_first=0 t
  dbp=$(db_pid)
  curl -s -m 300 -XPOST "http://127.0.0.1:$port/admin/flush" > /dev/null &
  local flush_curl=$! deadline=$((SECONDS + 300))
  # Polled finely until the first commit; after it the router is not polled at all (a /metrics scrape
  # costs it ~6-19 ms of CPU, which would count as flush CPU): the admin flush answers once everything
  # queued when it was asked is committed, and that answer ends the window.
  while ((SECONDS < deadline)); do
    rows=$(rows_written "$port"); rows=${rows:-0}; t=$(now)
    if ((rows > 0)); then
      first=$rows
      read -r t_first cpu_first db_first < <(snapshot "$pid" "$dbp" "$WORK/threads-$side.0")
      break
    fi
    sleep 0.05
  done
  wait "$flush_curl" || true
  local cpu_done db_done
  read -r t cpu_done db_done < <(snapshot "$pid" "$dbp" "$WORK/threads-$side.1")
  rows=$(rows_written "$port"); rows=${rows:-0}
  ((rows >= EVENTS)) && t_done=$t
  [[ -n $t_done ]] || { log "drain $side did not finish (rows $rows)"; exit 1; }
  local count; count=$(mysql_ -N "$schema" -e "SELECT COUNT(*) FROM logs")
  ((count == EVENTS)) || { log "row count mismatch: $count != $EVENTS"; exit 1; }
  DRAIN_RATE=$(calc "($rows - $first) / ($t_done - $t_first)" 0)
  CPU_US=$(calc "($cpu_done - $cpu_first) * 1000000 / $CLK_TCK / ($rows - $first)" 2)
  CPU_ALL_US=$(calc "$cpu_done * 1000000 / $CLK_TCK / $rows" 2)
  DB_CPU_US=$(calc "($db_done - $db_first) * 1000000 / $CLK_TCK / ($rows - $first)" 2)
  GROUPS_US=$(group_us "$WORK/threads-$side.0" "$WORK/threads-$side.1" $((rows - first)))
  log "  drain $side: $DRAIN_RATE rows/s steady; router CPU $CPU_US us/row (by thread: $GROUPS_US; from JVM start $CPU_ALL_US); MariaDB $DB_CPU_US us/row"
  log "    other threads: $(named_us "$WORK/threads-$side.0" "$WORK/threads-$side.1" $((rows - first)))"
  stop_router "$pid" TERM
  rm -rf "$qdir"
  record --arg s "$side" --arg r "$DRAIN_RATE" --arg c "$CPU_US" --arg a "$CPU_ALL_US" --arg d "$DB_CPU_US" --arg l "$(load_avg)" \
    --arg g "$GROUPS_US" \
    '{flush_cpu_drain: {side: $s, steady_rows_per_s: ($r|tonumber), router_cpu_us_per_row: ($c|tonumber), by_thread_us: $g,
      router_cpu_us_per_row_from_start: ($a|tonumber), db_cpu_us_per_row: ($d|tonumber), load_avg: $l}}'
}

# add_request CFG PORT BODY [WRITE_OUT]: one more POST of the NDJSON file BODY to the router on PORT in the
# curl config file CFG (requests after the first reuse the keep-alive connection); WRITE_OUT=1 writes each
# response's status out.
add_request() {
  [[ -s $1 ]] && printf 'next\n' >> "$1"
  printf 'url = "http://127.0.0.1:%d/log"\nheader = "Content-Type: application/x-ndjson"\ndata-binary = "@%s"\noutput = "/dev/null"\n' \
    "$2" "$3" >> "$1"
  [[ ${4:-0} == 1 ]] && printf 'write-out = "%%{http_code}\\n"\n' >> "$1"
  return 0
}

# curl_configs PORT NAME: the NDJSON bodies split over two curl config files $WORK/NAME-{0,1}.curl (one
# keep-alive connection each), every response's status written out.
curl_configs() {
  local port=$1 name=$2 i=0 f
  : > "$WORK/$name-0.curl"; : > "$WORK/$name-1.curl"
  for f in "$DATA"/body-*.ndjson; do
    add_request "$WORK/$name-$((i % 2)).curl" "$port" "$f" 1
    i=$((i + 1))
  done
}

# warm_up PORT EVENTS SCHEMA: a router that has run for a while, before the clock starts. It takes
# WARM_REQUESTS (default 20,000) small requests of 10 events, then the first EVENTS/1,000 bodies, all over
# WARM_CONNECTIONS (default 4) keep-alive connections at once, WARM_PASSES times (default 2, 2 s apart), and
# commits them. Why so much (session 12, -XX:+LogCompilation of the measured window):
#   - Code run once per request (Undertow's parsing, the handler chain, the body receiver) reached C2 only
#     inside the window after a single pass: while the warm-up keeps C2's queue long, HotSpot raises the
#     tier-4 thresholds with the queue's length, so a method called 20,600 times was still in C1 code.
#     The second pass starts with the queue drained. Without it, C2 compiled the handler chain in the
#     window: about 1 s of compile time in a 4.7 s window, 0.7-1.4 us/event of JIT while sending.
#   - More connections than the measured run's two, so both of Undertow's I/O threads take requests at
#     the same time (two connections are sometimes put on one I/O thread): the first contention on the
#     queue's write lock and on shared counters deoptimises the code that never saw it.
# The rows are then removed (TRUNCATE of SCHEMA's logs and per-minute counts): the measured rows go into
# empty tables, like the ceiling's, not behind indexes grown by the warm-up. Sets WARM_ROWS, the rows the
# router wrote before the clock.
warm_up() {
  local port=$1 warm=$2 schema=$3 small=${WARM_REQUESTS:-20000} conns=${WARM_CONNECTIONS:-4} passes=${WARM_PASSES:-2}
  local f i=0 c p
  WARM_ROWS=0
  ((warm > 0)) || return 0
  head -n 10 "$(ls "$DATA"/body-*.ndjson | head -1)" > "$WORK/warm-small.ndjson"
  for ((c = 0; c < conns; c++)); do : > "$WORK/warm-$c.curl"; done
  for f in $(yes "$WORK/warm-small.ndjson" | head -n "$small") $(ls "$DATA"/body-*.ndjson | head -n $((warm / 1000))); do
    add_request "$WORK/warm-$((i % conns)).curl" "$port" "$f"
    i=$((i + 1))
  done
  for ((p = 1; p <= passes; p++)); do
    ((p == 1)) || sleep 2
    local senders=()
    for ((c = 0; c < conns; c++)); do curl -s -K "$WORK/warm-$c.curl" & senders+=($!); done
    wait "${senders[@]}"
  done
  WARM_ROWS=$(((warm + small * 10) * passes))
  curl -s -m 120 -XPOST "http://127.0.0.1:$port/admin/flush" > /dev/null
  until (($(rows_written "$port") >= WARM_ROWS)); do sleep 0.1; done
  warm_flushes "$port"
  empty_tables "$schema"
}

# warm_flushes PORT: WARM_FLUSHES (default 300) flushes of one 1,000-event body each, one after the other,
# and adds their rows to WARM_ROWS. Why (session 14, -XX:+LogCompilation of outages 4 and 5): the JIT work
# that came back in every outage was not deoptimisation (no uncommon trap in the windows) but code run a few
# times per flush (statement preparation and parameter binding in Connector/J, the per-minute count upserts,
# Timestamps.toSqlText) crossing C1's and then C2's thresholds only after tens of flushes, one method at a
# time. A router that has flushed a few hundred times (about half an hour of a busy production router) has
# paid that; the warm-up's few large flushes had not.
warm_flushes() {
  local port=$1 flushes=${WARM_FLUSHES:-300} bodies=("$DATA"/body-*.ndjson) i
  ((flushes > 0)) || return 0
  : > "$WORK/warm-flushes.curl"
  for ((i = 0; i < flushes; i++)); do
    add_request "$WORK/warm-flushes.curl" "$port" "${bodies[0]}"
    printf 'next\nurl = "http://127.0.0.1:%d/admin/flush"\nrequest = "POST"\noutput = "/dev/null"\n' "$port" \
      >> "$WORK/warm-flushes.curl"
  done
  curl -s -K "$WORK/warm-flushes.curl"
  WARM_ROWS=$((WARM_ROWS + flushes * 1000))
  until (($(rows_written "$port") >= WARM_ROWS)); do sleep 0.1; done
}

# empty_tables SCHEMA: TRUNCATE of its logs and per-minute counts, then waits for InnoDB to settle. The
# per-minute count tables exist only in routers since issue 14 (an older BEFORE jar has none).
empty_tables() {
  local t
  for t in $(mysql_ -N -e "SELECT table_name FROM information_schema.tables WHERE table_schema = '$1'
      AND table_name IN ('logs', 'log_minute_counts', 'log_source_minute_counts')"); do
    mysql_ "$1" -e "TRUNCATE TABLE $t"
  done
  settle_db
}

# e2e SIDE: NDJSON bodies over two keep-alive connections into a live router; sets E2E_RATE.
# WARM_EVENTS=N (a multiple of 1,000): before the clock starts, the router takes the first N/1,000 bodies
# and commits them, so its ingest and flush code is compiled, as in a router that has run for a while;
# without it (0, the default) the measured window includes the JIT's work on a fresh JVM.
e2e() {
  local side=$1 schema="${SCHEMAS}_e2e_$1" port=$((BASE_PORT + 4)) warm=${WARM_EVENTS:-0}
  mysql_ -e "DROP DATABASE IF EXISTS \`$schema\`"
  settle_db
  JAR="$WORK/$side.jar" start_router "e2e-$side" "$port" "jdbc:mysql://$DB_HOST:$DB_PORT/$schema" $(side_env "$side")
  local pid=$ROUTER_PID
  warm_up "$port" "$warm" "$schema"
  curl_configs "$port" e2e
  local t0 t1 t_sent rows=0 deadline dbp cpu0 db0 threads0="$WORK/e2e-threads0" threads1="$WORK/e2e-threads1" threads_sent="$WORK/e2e-threads-sent"
  dbp=$(db_pid)
  read -r t0 cpu0 db0 < <(snapshot "$pid" "$dbp" "$threads0")
  curl -s -K "$WORK/e2e-0.curl" > "$WORK/e2e-0.codes" & local c0=$!
  curl -s -K "$WORK/e2e-1.curl" > "$WORK/e2e-1.codes" & local c1=$!
  wait "$c0" "$c1"
  t_sent=$(now)
  thread_ticks "$pid" > "$threads_sent"
  curl -s -m 120 -XPOST "http://127.0.0.1:$port/admin/flush" > /dev/null
  deadline=$((SECONDS + 120))
  until ((rows >= EVENTS + WARM_ROWS)) || ((SECONDS > deadline)); do rows=$(rows_written "$port"); rows=${rows:-0}; sleep 0.05; done
  local cpu1 db1
  read -r t1 cpu1 db1 < <(snapshot "$pid" "$dbp" "$threads1")
  local bad; bad=$(cat "$WORK"/e2e-*.codes | grep -vc '^202$' || true)
  local count; count=$(mysql_ -N "$schema" -e "SELECT COUNT(*) FROM logs")
  ((bad == 0 && count == EVENTS)) || { log "e2e $side: non-202 $bad, rows $count of $EVENTS"; exit 1; }
  E2E_RATE=$(calc "$EVENTS / ($t1 - $t0)" 0)
  log "  e2e $side: $E2E_RATE events/s end to end ($count rows in MySQL; a warm-up of $WARM_ROWS committed and removed before the clock); all sent after $(calc "$t_sent - $t0" 2) s of $(calc "$t1 - $t0" 2); router CPU $(calc "($cpu1 - $cpu0) * 1000000 / $CLK_TCK / $EVENTS" 2) us/event, MariaDB $(calc "($db1 - $db0) * 1000000 / $CLK_TCK / $EVENTS" 2) us/row"
  # Which of the router's threads take that CPU, while the senders post and after (us/event).
  log "    router threads while sending: $(group_us "$threads0" "$threads_sent" "$EVENTS")$(named_us "$threads0" "$threads_sent" "$EVENTS")"
  log "    router threads after sending: $(group_us "$threads_sent" "$threads1" "$EVENTS")$(named_us "$threads_sent" "$threads1" "$EVENTS")"
  stop_router "$pid" TERM
  record --arg s "$side" --arg r "$E2E_RATE" --arg l "$(load_avg)" \
    '{flush_cpu_e2e: {side: $s, events_per_s: ($r|tonumber), load_avg: $l}}'
}

# warm_drain SIDE: the drain of a queued backlog by a router that has run for a while, as after an
# outage: it first commits WARM_DRAIN_EVENTS (so its ingest and flush code is compiled), then goes
# through WARM_DRAINS outages in a row (default 3, see outage_drain). Why several (session 13,
# -XX:+LogCompilation): after the warm-up, the drains still compiled 0.22, 0.40 and then 0.075 s of code,
# nearly all Connector/J's per-statement code (statement scanning, parameter binding for the per-minute
# counts), which a router runs a few hundred times per flush and so reaches C2 only after many flushes.
# Most of that is paid once in a router's life, whatever the drains' sizes; the last outage shows the
# cost of a row in a router that has paid most of it. About 0.1 us/row of JIT still came back in every
# outage up to the fifth, on both sides, and after warm_flushes too (session 14): no deoptimisation loop
# (no uncommon trap in the windows), but first compiles of code that runs per flush or per period
# (socket writes, the page trim, metrics rendering) reaching a threshold, a JVM under two minutes old.
# Sets WARM_RATE, WARM_CPU_US, WARM_GROUPS_US (the last drain) and FIRST_CPU_US (the first).
warm_drain() {
  local side=$1 schema="${SCHEMAS}_warm_$1" port=$((BASE_PORT + 5)) warm=${WARM_DRAIN_EVENTS:-100000}
  local drains=${WARM_DRAINS:-3} d
  mysql_ -e "DROP DATABASE IF EXISTS \`$schema\`"
  settle_db
  JAR="$WORK/$side.jar" start_router "warm-$side" "$port" "jdbc:mysql://$DB_HOST:$DB_PORT/$schema" $(side_env "$side")
  warm_up "$port" "$warm" "$schema"
  curl_configs "$port" warm-drain
  for ((d = 1; d <= drains; d++)); do
    ((d == 1)) || empty_tables "$schema" # each drain into empty tables, like the ceiling's
    outage_drain "$side" "$ROUTER_PID" "$port" "$schema" "$d" "$drains"
    ((d > 1)) || FIRST_CPU_US=$WARM_CPU_US
  done
  stop_router "$ROUTER_PID" TERM
  record --arg s "$side" --arg r "$WARM_RATE" --arg c "$WARM_CPU_US" --arg f "$FIRST_CPU_US" --arg g "$WARM_GROUPS_US" --arg l "$(load_avg)" \
    '{flush_cpu_warm_drain: {side: $s, rows_per_s: ($r|tonumber), router_cpu_us_per_row: ($c|tonumber), first_drain_cpu_us_per_row: ($f|tonumber), by_thread_us: $g, load_avg: $l}}'
}

# outage_drain SIDE PID PORT SCHEMA D DRAINS: outage D of DRAINS. The router's logs table is locked
# from another session (LOCK TABLES ... WRITE for LOCK_S seconds, default 10) while the EVENTS are
# posted, so they queue up behind the flusher's first statement, which waits for the lock. The window
# runs from the unlock to the admin flush's answer and nothing polls the router inside it. With
# ASYNC_PROFILER_LIB, the last drain is profiled. Sets WARM_RATE, WARM_CPU_US, WARM_GROUPS_US.
outage_drain() {
  local side=$1 pid=$2 port=$3 schema=$4 d=$5 drains=$6 lock_s=${LOCK_S:-10} dbp; dbp=$(db_pid)
  mysql_ "$schema" -e "LOCK TABLES logs WRITE; SELECT SLEEP($lock_s); UNLOCK TABLES" > /dev/null & local locker=$!
  until (($(mysql_ -N -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP($lock_s)%'") > 0)); do
    sleep 0.05
  done
  curl -s -K "$WORK/warm-drain-0.curl" > "$WORK/warm-drain-0.codes" & local c0=$!
  curl -s -K "$WORK/warm-drain-1.curl" > "$WORK/warm-drain-1.codes" & local c1=$!
  wait "$c0" "$c1"
  kill -0 "$locker" 2>/dev/null || { log "warm drain $side: the posts outlasted the ${lock_s} s lock; raise LOCK_S"; exit 1; }
  local profiling=0
  if [[ -n ${ASYNC_PROFILER_LIB:-} ]] && ((d == drains)); then
    # async-profiler (cpu, kernel frames included; jcmd wants its options quoted), attached while the
    # flusher waits for the lock: the few idle samples before the unlock do not matter.
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "\"start,event=cpu,interval=${AP_INTERVAL:-997us},threads\"" > /dev/null
    profiling=1
  fi
  curl -s -m 300 -XPOST "http://127.0.0.1:$port/admin/flush" > /dev/null & local flush_curl=$!
  wait "$locker"
  local t0 t1 cpu0 cpu1 db0 db1 threads0="$WORK/warm-threads-$side.0" threads1="$WORK/warm-threads-$side.1"
  local maj0 min0 maj1 min1
  read -r t0 cpu0 db0 < <(snapshot "$pid" "$dbp" "$threads0")
  read -r maj0 min0 < <(faults "$pid")
  wait "$flush_curl" || true
  read -r t1 cpu1 db1 < <(snapshot "$pid" "$dbp" "$threads1")
  read -r maj1 min1 < <(faults "$pid")
  if ((profiling)); then
    local stacks="$WORK/warm-drain-$side.collapsed"
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER_LIB" "\"stop,collapsed,file=$stacks\"" > /dev/null
    log "    async-profiler, flush threads of this drain ($stacks):"
    gawk -v top="${TOP:-25}" -v threads='^\\[(flusher|queue-prefetch)' -f "$HERE/lib/collapsed-top.awk" -f "$HERE/lib/top-shares.awk" "$stacks"
  fi
  local bad rows count
  bad=$(cat "$WORK"/warm-drain-*.codes | grep -vc '^202$' || true)
  rows=$(rows_written "$port"); count=$(mysql_ -N "$schema" -e "SELECT COUNT(*) FROM logs")
  ((bad == 0 && rows == EVENTS * d + WARM_ROWS && count == EVENTS)) \
    || { log "warm drain $side: non-202 $bad, rows written $rows of $((EVENTS * d + WARM_ROWS)), in MySQL $count of $EVENTS"; exit 1; }
  WARM_RATE=$(calc "$EVENTS / ($t1 - $t0)" 0)
  WARM_CPU_US=$(calc "($cpu1 - $cpu0) * 1000000 / $CLK_TCK / $EVENTS" 2)
  WARM_GROUPS_US=$(group_us "$threads0" "$threads1" "$EVENTS")
  log "  warm drain $side, outage $d of $drains: $WARM_RATE rows/s; router CPU $WARM_CPU_US us/row (by thread: $WARM_GROUPS_US); MariaDB $(calc "($db1 - $db0) * 1000000 / $CLK_TCK / $EVENTS" 2) us/row"
  log "    threads by name: $(named_us "$threads0" "$threads1" "$EVENTS"); page faults: $((maj1 - maj0)) major, $((min1 - min0)) minor"
}

# Top frames of the flush threads (flusher, queue-prefetch) in a JFR recording.
flush_frames() {
  jfr print --events jdk.ExecutionSample "$1" | gawk -v top="${TOP:-25}" -v threads='"(flusher|queue-prefetch)"' \
    -f "$HERE/lib/top-frames.awk" -f "$HERE/lib/top-shares.awk"
}

# The flusher's waits on the database in a JFR recording, summed by the router method that issued
# the statement (the innermost io.logrouter frame): what each statement of a flush costs in wall time.
flush_waits() {
  echo "-- flusher: database waits (jdk.SocketRead) by statement --"
  jfr print --stack-depth 64 --events jdk.SocketRead "$1" | gawk '
    /^jdk.SocketRead/ { d = 0; f = 0; top = "" }
    /duration = / { v = $3; u = $4; d = u == "s" ? v * 1000 : u == "ms" ? v : u == "us" ? v / 1000 : v / 1e6 }
    /eventThread = "flusher"/ { f = 1 }
    /line:/ && top == "" && /io\.logrouter/ { top = $1; sub(/\(.*/, "", top) }
    /^}/ { if (f) { sum[top] += d; n[top]++ } }
    END { for (k in sum) printf "%9.1f ms %6d reads  %s\n", sum[k], n[k], k }' | sort -rn
}

flush_main() {
  prepare
  declare -A RATE CPU CPU_ALL DBCPU E2E FLUSH WRATE WCPU WFLUSH WFIRST
  local side r ceilings=0 sum_ceiling=0
  for side in before after; do
    FLUSH[$side]=0; RATE[$side]=0; CPU[$side]=0; CPU_ALL[$side]=0; DBCPU[$side]=0; E2E[$side]=0; WRATE[$side]=0; WCPU[$side]=0; WFLUSH[$side]=0; WFIRST[$side]=0
  done
  for r in $(seq "$ROUNDS"); do
    log "round $r (load $(load_avg))"
    ceiling_load_data
    sum_ceiling=$((sum_ceiling + CEILING)); ceilings=$((ceilings + 1))
    for side in before after; do
      has_part drain || break
      drain_cpu "$side"
      RATE[$side]=$(calc "${RATE[$side]} + $DRAIN_RATE" 0); CPU[$side]=$(calc "${CPU[$side]} + $CPU_US" 2)
      CPU_ALL[$side]=$(calc "${CPU_ALL[$side]} + $CPU_ALL_US" 2); DBCPU[$side]=$(calc "${DBCPU[$side]} + $DB_CPU_US" 2)
      FLUSH[$side]=$(calc "${FLUSH[$side]} + $(sed -E 's/.*flush=([0-9.]+).*/\1/' <<< "$GROUPS_US")" 2)
    done
    for side in before after; do
      has_part e2e || break
      e2e "$side"
      E2E[$side]=$(calc "${E2E[$side]} + $E2E_RATE" 0)
    done
    for side in before after; do
      has_part warm || break
      warm_drain "$side"
      WRATE[$side]=$(calc "${WRATE[$side]} + $WARM_RATE" 0); WCPU[$side]=$(calc "${WCPU[$side]} + $WARM_CPU_US" 2)
      WFIRST[$side]=$(calc "${WFIRST[$side]} + $FIRST_CPU_US" 2)
      WFLUSH[$side]=$(calc "${WFLUSH[$side]} + $(sed -E 's/.*flush=([0-9.]+).*/\1/' <<< "$WARM_GROUPS_US")" 2)
    done
  done
  local ceiling; ceiling=$(calc "$sum_ceiling / $ceilings" 0)
  for side in before after; do
    local rate cpu e2e_rate
    rate=$(calc "${RATE[$side]} / $ROUNDS" 0); cpu=$(calc "${CPU[$side]} / $ROUNDS" 2); e2e_rate=$(calc "${E2E[$side]} / $ROUNDS" 0)
    # Only the parts that ran (PARTS): a part left out would read as a rate of 0.
    local figures=()
    has_part drain && figures+=("drain ${rate} rows/s vs LOAD DATA ${ceiling}: ratio $(calc "$rate / $ceiling" 3) (goal >= 0.95); router CPU ${cpu} us/row (flush threads $(calc "${FLUSH[$side]} / $ROUNDS" 2); from JVM start $(calc "${CPU_ALL[$side]} / $ROUNDS" 2)); MariaDB $(calc "${DBCPU[$side]} / $ROUNDS" 2) us/row")
    has_part e2e && figures+=("NDJSON e2e ${e2e_rate} events/s vs LOAD DATA ${ceiling}: ratio $(calc "$e2e_rate / $ceiling" 3) (goal >= 0.85)")
    ((${#figures[@]} == 0)) || result "flush_cpu_${side}: $(IFS=';'; echo "${figures[*]}")"
  done
  for side in before after; do
    has_part warm || break
    result "flush_cpu_warm_${side}: warm router's drain $(calc "${WRATE[$side]} / $ROUNDS" 0) rows/s: ratio $(calc "${WRATE[$side]} / $ROUNDS / $ceiling" 3); router CPU $(calc "${WCPU[$side]} / $ROUNDS" 2) us/row (flush threads $(calc "${WFLUSH[$side]} / $ROUNDS" 2)); first outage's drain $(calc "${WFIRST[$side]} / $ROUNDS" 2) us/row"
  done
  if has_part warm; then
    result "flush_cpu_warm_ab: warm router's CPU/row after/before $(calc "${WCPU[after]} / ${WCPU[before]}" 3) (goal <= 0.5; first outage's drain $(calc "${WFIRST[after]} / ${WFIRST[before]}" 3)); flush threads after/before $(calc "${WFLUSH[after]} / ${WFLUSH[before]}" 3)"
  fi
  if has_part drain; then
    result "flush_cpu_ab: router CPU/row after/before $(calc "${CPU[after]} / ${CPU[before]}" 3) (goal <= 0.5); flush threads after/before $(calc "${FLUSH[after]} / ${FLUSH[before]}" 3); $ROUNDS rounds, $EVENTS events, load at end $(load_avg)"
  fi
  if [[ ${PROFILE:-0} == 1 ]]; then
    # JFR's profile settings, with Java stacks sampled every 1 ms instead of 10-20 ms: the flush
    # threads use only a second or two of CPU in a whole drain.
    local jfr="$WORK/flush-after.jfr" jfc="$WORK/fine.jfc" jdk
    jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    # Every socket read recorded (threshold 0 instead of 10 ms): the flusher's waits on the database.
    sed -E -e '/<event name="jdk.ExecutionSample">/,/<\/event>/ s/<setting name="period"( control="[^"]*")?>[^<]*</<setting name="period"\1>1 ms</' \
      -e 's/(<setting name="threshold" control="socket-threshold">)[^<]*</\10 ms</' "$jdk/lib/jfr/profile.jfc" > "$jfc"
    drain_cpu after "-XX:StartFlightRecording=filename=$jfr,settings=$jfc,dumponexit=true"
    flush_frames "$jfr"
    flush_waits "$jfr"
  fi
  jq -s '.' "$SUMMARY" > "$RESULT_JSON"
  log "summary: $RESULT_JSON"
}

mkdir -p "$WORK" "$RESULTS_DIR"
exec > >(tee "$RESULT_TXT") 2>&1
flush_main "$@"
