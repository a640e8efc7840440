#!/usr/bin/env bash
# One-run benchmark of log-router against the limits of THIS machine (run by hand, not in CI).
#
#   bench/run.sh                 # everything, ~15 min
#   PHASES="1 3" bench/run.sh    # only some phases (1 ingest, 2 ndjson, 3 flush, 4 latency)
#
# The machine is 2 shared cores: absolute numbers drift with what else runs, so every figure is
# paired with a ceiling measured in the same run, minutes apart, and reported as a ratio.
#   1. single-event POST /log max acked req/s (wrk -t2 -c64) vs POST /bench/noop of the same router;
#      the same in queue.durability=fsync (issue 4's figure)
#   2. NDJSON 1,000 events/request: acked events/s
#   3. 1,000,000-event backlog drained into MariaDB (flush.method=load_data and insert) vs
#      `mysql --local-infile` LOAD DATA of the same rows (ceiling) and one autocommit INSERT per row (naive)
#   4. loadgen at 1,000 req/s for 60 s: ack latency p50..max and RSS, process and fsync durability
# Output: one RESULT line per figure on stdout, bench/results/<UTC date-time>.json (+ .txt log copy).
# Needs: java 17+, maven (offline), wrk, curl, gawk, jq, mysql client, MariaDB/MySQL on 127.0.0.1:3306.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
PHASES=${PHASES:-"1 2 3 4"}
DB_HOST=127.0.0.1                  # loopback only: this script never targets another machine
DB_PORT=${DB_PORT:-3306}
DB_USER=${DB_USER:-root}
DB_PASSWORD=${DB_PASSWORD:-}
# Nothing listens on port 1 of loopback: a router pointed there keeps ingesting into its disk queue
# (its outage behaviour) while its flusher waits, so ingest and queue filling run with the flusher
# idle and MariaDB not competing for the 2 cores.
DEAD_DB_URL="jdbc:mysql://127.0.0.1:1/lr_bench_none"
# With MariaDB unreachable, a SIGTERM'd router may give up its final flush at once (0s): its queue
# is throwaway, and TERM (not KILL) lets it exit 0 like in production.
DEAD_DB_ENV=(LOGROUTER_FLUSH_SHUTDOWN_TIMEOUT=0s)
WORK=${WORK:-/tmp/bench}
BASE_PORT=${BASE_PORT:-18480}      # routers get BASE_PORT..BASE_PORT+9; clear of 8080/3306/3307
SCHEMAS=${SCHEMAS:-lr_bench}        # prefix of the schemas a run drops and creates: give concurrent runs their own
# wrk: two threads (one per core) and 64 keep-alive connections, as issue 3 states the goal.
WRK_THREADS=2
WRK_CONNS=64
WARMUP_S=${WARMUP_S:-5}            # JIT of router and a first pass over the code paths; not counted
MEASURE_S=${MEASURE_S:-10}         # per measured wrk round; rounds alternate target to share drift
ROUNDS=${ROUNDS:-2}                # noop/log/noop/log: a load burst from another tenant hits both sides
NDJSON_CONNS=8                     # 8 x 220 KB bodies in flight keep both IO threads busy without
                                   # stacking MBs of request buffers
BACKLOG_EVENTS=${BACKLOG_EVENTS:-1000000}   # issue 3: "a flush of 1,000,000 queued events"
EVENTS_PER_BODY=1000               # issue 5: NDJSON batches of 1,000 events/request
NAIVE_ROWS=${NAIVE_ROWS:-20000}    # ~5-10 s at the 2.7-3.2k rows/s NOTES.md measured; extrapolated
LAT_RATE=1000                      # issue 5: "the user's test service fires 1k req/s"
LAT_DURATION=${LAT_DURATION:-60s}
LAT_WARMUP=${LAT_WARMUP:-5s}               # 20s measures a router past its JIT warm-up (issue 13, session 19)
DRAIN_TIMEOUT_S=300                # 1M rows at a pessimistic 4k rows/s; beyond that something is broken
# Heap-capped variant for the RSS goal (256 MB): MaxRAM=512m makes the JVM size itself as on a
# 512 MB container (heap 128 MB, SerialGC), the setting a deployment with a memory limit gets.
# The shipped JVM settings, read from the Dockerfile (its LOGROUTER_JAVA_HEAP_OPTS), so the scripts that
# measure them (rss-saturation, live-ingest, idle-cpu) cannot drift from what the image runs.
SHIPPED_JAVA_OPTS=$(sed -n 's/^ENV LOGROUTER_JAVA_HEAP_OPTS="\([^"]*\)".*/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../Dockerfile")
[[ -n $SHIPPED_JAVA_OPTS ]] || { echo "bench: no ENV LOGROUTER_JAVA_HEAP_OPTS=\"...\" line in the Dockerfile" >&2; exit 2; }
TUNED_JAVA_OPTS=${TUNED_JAVA_OPTS:-$SHIPPED_JAVA_OPTS}   # with MALLOC_ARENA_MAX=2, as in the image

STAMP=$(date -u +%Y-%m-%dT%H%M%SZ)
RESULTS_DIR="$HERE/results"
RESULT_JSON="$RESULTS_DIR/$STAMP.json"
RESULT_TXT="$RESULTS_DIR/$STAMP.txt"
JAR="$WORK/log-router.jar"
LOADGEN_JAR="$WORK/loadgen.jar"
DATA="$WORK/data"
declare -a PIDS=()                 # routers this script started; the trap stops exactly these
SUMMARY="$WORK/summary.jsonl"      # one JSON object per figure, merged into RESULT_JSON at the end

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
result() { printf 'RESULT %s\n' "$*"; }   # the lines a reader (and BENCHMARKS.md) takes figures from
mysql_() { mysql --local-infile=1 -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" ${DB_PASSWORD:+-p"$DB_PASSWORD"} "$@"; }
record() { jq -cn "$@" >> "$SUMMARY"; }    # record --arg/--argjson ... 'JSON expression'
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
load_avg() { cut -d' ' -f1-3 /proc/loadavg; }

cleanup() {
  local rc=$?
  for pid in "${PIDS[@]:-}"; do
    [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null || true
  done
  exit "$rc"
}
trap cleanup EXIT INT TERM

# --- routers ----------------------------------------------------------------------------------

# start_router NAME PORT DB_URL [ENV=VALUE ...]: starts the jar in its own directory (so it reads no
# working-tree config and leaves no stray files), waits for /health, sets ROUTER_PID.
start_router() {
  local name=$1 port=$2 db_url=$3; shift 3
  local dir="$WORK/run-$name"
  rm -rf "$dir" && mkdir -p "$dir"
  (
    cd "$dir"
    exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT="$port" LOGROUTER_DB_URL="$db_url" \
      LOGROUTER_DB_USER="$DB_USER" LOGROUTER_DB_PASSWORD="$DB_PASSWORD" LOGROUTER_QUEUE_DIR="$dir/queue" \
      LOGROUTER_ROUTER_ID="bench" LOGROUTER_HTTP_BENCH_NOOP=true "$@" \
      java ${JAVA_OPTS:-} -jar "$JAR" > "$dir/router.log" 2>&1
  ) &
  ROUTER_PID=$!
  PIDS+=("$ROUTER_PID")
  local deadline=$((SECONDS + 60))   # cold JVM start + Chronicle + Undertow takes 1-5 s here
  until curl -sf "http://127.0.0.1:$port/health" > /dev/null; do
    if ! kill -0 "$ROUTER_PID" 2>/dev/null || ((SECONDS > deadline)); then
      log "router $name did not come up; tail of its log:"; tail -20 "$dir/router.log" >&2; return 1
    fi
    sleep 0.2
  done
  log "router $name up on :$port (pid $ROUTER_PID)"
}

# stop_router PID [SIGNAL]: TERM = graceful (final flush); KILL after 60 s as a last resort.
stop_router() {
  local pid=$1 sig=${2:-TERM}
  kill "-$sig" "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_part_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# --- wrk ----------------------------------------------------------------------------------------

# wrk_run URL BODY_FILE CONTENT_TYPE SECONDS CONNS: prints the WRKJSON object of the run.
wrk_run() {
  local out
  out=$(timeout $(($4 + 30)) wrk -t"$WRK_THREADS" -c"$5" -d"${4}s" --timeout 10s --latency \
    -s "$HERE/lib/wrk-post.lua" "$1" -- "$2" "$3")
  grep '^WRKJSON ' <<< "$out" | cut -d' ' -f2-
}

# acked_rate WRKJSON: 2xx answers per second (wrk's own Requests/sec includes errors).
acked_rate() { jq -r '(.requests - .non_2xx) / (.duration_us / 1e6)' <<< "$1"; }

# build_jar REV OUT: the router jar of commit REV, built in a throwaway worktree (A/B scripts).
build_jar() {
  local rev=$1 out=$2 tree="$WORK/tree-$1"
  rm -rf "$tree"; git -C "$ROOT" worktree prune
  git -C "$ROOT" worktree add -q --detach "$tree" "$rev"
  # Offline first; an older revision may use a plugin the current tree does not (17f571b's
  # exec-maven-plugin), which only an online build fetches.
  (cd "$tree" && { mvn -q -B -o -DskipTests package || mvn -q -B -ntp -DskipTests package; })
  cp "$tree/target/log-router.jar" "$out"
  git -C "$ROOT" worktree remove --force "$tree"
}

# ab_jars BEFORE_REV AFTER_REV: $WORK/before.jar and after.jar of the two commits (A/B scripts);
# REUSE_JARS=1 keeps the ones already there (e.g. a build of uncommitted work).
ab_jars() {
  if [[ ${REUSE_JARS:-0} == 1 && -s $WORK/before.jar && -s $WORK/after.jar ]]; then
    log "reusing $WORK/before.jar and after.jar (REUSE_JARS=1)"
  else
    log "building $1 and $2"
    build_jar "$1" "$WORK/before.jar"
    build_jar "$2" "$WORK/after.jar"
  fi
}

# --- setup --------------------------------------------------------------------------------------

setup() {
  mkdir -p "$WORK" "$RESULTS_DIR" "$DATA"
  : > "$SUMMARY"
  for tool in java wrk curl gawk jq mysql; do
    command -v "$tool" > /dev/null || { log "missing tool: $tool"; exit 2; }
  done
  log "building router and loadgen (offline)"
  (cd "$ROOT" && mvn -q -B -o -DskipTests package)
  (cd "$ROOT" && mvn -q -B -o -f loadgen/pom.xml -DskipTests package)
  # Another engineer may rebuild target/ during the run: run from private copies.
  cp "$ROOT/target/log-router.jar" "$JAR"
  cp "$ROOT/loadgen/target/loadgen.jar" "$LOADGEN_JAR"
  for p in $(seq "$BASE_PORT" $((BASE_PORT + 9))); do
    if ss -ltn "sport = :$p" | grep -q LISTEN; then log "port $p is taken; set BASE_PORT"; exit 2; fi
  done
  log "dropping old benchmark schemas"
  for db in $(mysql_ -N -e "SHOW DATABASES LIKE 'lr\\_bench\\_%'"); do mysql_ -e "DROP DATABASE \`$db\`"; done
  if [[ ! -s $DATA/rows.tsv || $(ls "$DATA"/body-*.ndjson 2>/dev/null | wc -l) -ne $((BACKLOG_EVENTS / EVENTS_PER_BODY)) ]]; then
    log "generating $BACKLOG_EVENTS events (NDJSON bodies + the same rows as TSV)"
    rm -f "$DATA"/body-*.ndjson "$DATA/rows.tsv"
    gawk -v n="$BACKLOG_EVENTS" -v per="$EVENTS_PER_BODY" -v outdir="$DATA" -v tsv="$DATA/rows.tsv" \
      -v router_id=bench -f "$HERE/lib/gen-events.awk"
  fi
  head -1 "$DATA/body-000000.ndjson" | tr -d '\n' > "$DATA/one-event.json"
  local mariadb_version
  mariadb_version=$(mysql_ -N -e "SELECT VERSION()")
  record --arg date "$STAMP" --arg nproc "$(nproc)" --arg mem "$(free -h | awk '/^Mem:/ {print $2}')" \
    --arg java "$(java -version 2>&1 | head -1)" --arg db "$mariadb_version" --arg load "$(load_avg)" \
    --arg commit "$(git -C "$ROOT" rev-parse --short HEAD)" \
    --arg flushlog "$(mysql_ -N -e 'SELECT @@innodb_flush_log_at_trx_commit')" \
    --arg pool "$(mysql_ -N -e 'SELECT @@innodb_buffer_pool_size')" \
    '{machine: {date: $date, nproc: ($nproc|tonumber), mem: $mem, java: $java, mariadb: $db,
      innodb_flush_log_at_trx_commit: $flushlog, innodb_buffer_pool_size: $pool, load_avg_at_start: $load,
      commit: $commit}}'
  log "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}'), $(java -version 2>&1 | head -1), MariaDB $mariadb_version, load $(load_avg)"
}

# --- phase 1: single-event ingest vs no-op ceiling ------------------------------------------------

phase1() {
  log "phase 1: single-event POST /log vs POST /bench/noop, wrk -t$WRK_THREADS -c$WRK_CONNS"
  start_router ingest "$BASE_PORT" "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}"
  local pid=$ROUTER_PID url="http://127.0.0.1:$BASE_PORT"
  wrk_run "$url/bench/noop" "$DATA/one-event.json" application/json "$WARMUP_S" "$WRK_CONNS" > /dev/null
  wrk_run "$url/log" "$DATA/one-event.json" application/json "$WARMUP_S" "$WRK_CONNS" > /dev/null
  local noop_acked=0 noop_s=0 log_acked=0 log_s=0 r j log_json=""
  for r in $(seq "$ROUNDS"); do
    j=$(wrk_run "$url/bench/noop" "$DATA/one-event.json" application/json "$MEASURE_S" "$WRK_CONNS")
    record --argjson w "$j" --arg r "$r" '{phase1_round: {target: "noop", round: ($r|tonumber), wrk: $w}}'
    noop_acked=$((noop_acked + $(jq '.requests - .non_2xx' <<< "$j"))); noop_s=$(calc "$noop_s + $(jq '.duration_us/1e6' <<< "$j")" 3)
    log "  noop round $r: $(acked_rate "$j" | xargs printf '%.0f') acked req/s, non-2xx $(jq .non_2xx <<< "$j")"
    j=$(wrk_run "$url/log" "$DATA/one-event.json" application/json "$MEASURE_S" "$WRK_CONNS")
    record --argjson w "$j" --arg r "$r" '{phase1_round: {target: "log", round: ($r|tonumber), wrk: $w}}'
    log_acked=$((log_acked + $(jq '.requests - .non_2xx' <<< "$j"))); log_s=$(calc "$log_s + $(jq '.duration_us/1e6' <<< "$j")" 3)
    log "  log  round $r: $(acked_rate "$j" | xargs printf '%.0f') acked req/s, non-2xx $(jq .non_2xx <<< "$j")"
    log_json=$j
  done
  local noop_rate log_rate ratio
  noop_rate=$(calc "$noop_acked / $noop_s" 0); log_rate=$(calc "$log_acked / $log_s" 0)
  ratio=$(calc "$log_rate / $noop_rate" 3)
  local p50 p99; p50=$(jq '.p50_us/1000' <<< "$log_json"); p99=$(jq '.p99_us/1000' <<< "$log_json")
  result "ingest_single: /log ${log_rate} acked req/s vs /bench/noop ${noop_rate} req/s: ratio ${ratio} (goal >= 0.85; issue 3 goal >= 50000 req/s); /log last round p50 ${p50} ms p99 ${p99} ms (wrk, at saturation)"
  record --arg l "$log_rate" --arg n "$noop_rate" --arg r "$ratio" --argjson w "$log_json" \
    '{ingest_single: {log_acked_rps: ($l|tonumber), noop_rps: ($n|tonumber), ratio: ($r|tonumber),
      log_last_round_latency_us: {p50: $w.p50_us, p99: $w.p99_us, p999: $w.p999_us, max: $w.max_us}}}'
  PROCESS_LOG_RATE=$log_rate

  # Phase 2 reuses this router (same JIT state, same dead DB): see phase2.
  INGEST_PID=$pid
}

# --- phase 1b: fsync durability max req/s (issue 4's figure) ------------------------------------

phase1_fsync() {
  log "phase 1b: single-event POST /log with queue.durability=fsync"
  start_router ingest-fsync $((BASE_PORT + 1)) "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}" LOGROUTER_QUEUE_DURABILITY=fsync
  local pid=$ROUTER_PID url="http://127.0.0.1:$((BASE_PORT + 1))"
  wrk_run "$url/log" "$DATA/one-event.json" application/json "$WARMUP_S" "$WRK_CONNS" > /dev/null
  local j rate
  j=$(wrk_run "$url/log" "$DATA/one-event.json" application/json "$MEASURE_S" "$WRK_CONNS")
  rate=$(acked_rate "$j" | xargs printf '%.0f')
  result "ingest_fsync: /log in fsync mode ${rate} acked req/s vs process mode ${PROCESS_LOG_RATE:-n/a} req/s; p50 $(jq '.p50_us/1000' <<< "$j") ms p99 $(jq '.p99_us/1000' <<< "$j") ms (wrk, at saturation)"
  record --arg r "$rate" --arg p "${PROCESS_LOG_RATE:-0}" --argjson w "$j" \
    '{ingest_fsync: {fsync_acked_rps: ($r|tonumber), process_acked_rps: ($p|tonumber), wrk: $w}}'
  stop_router "$pid" TERM
}

# --- phase 2: NDJSON batches ----------------------------------------------------------------------

phase2() {
  log "phase 2: NDJSON, $EVENTS_PER_BODY events/request, wrk -t$WRK_THREADS -c$NDJSON_CONNS"
  if [[ -z ${INGEST_PID:-} ]]; then start_router ingest "$BASE_PORT" "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}"; INGEST_PID=$ROUTER_PID; fi
  local url="http://127.0.0.1:$BASE_PORT/log" body="$DATA/body-000000.ndjson"
  wrk_run "$url" "$body" application/x-ndjson "$WARMUP_S" "$NDJSON_CONNS" > /dev/null
  local j rate events noop_j noop_mb
  j=$(wrk_run "$url" "$body" application/x-ndjson "$MEASURE_S" "$NDJSON_CONNS")
  rate=$(acked_rate "$j"); events=$(calc "$rate * $EVENTS_PER_BODY" 0)
  # The same bodies to the no-op route: what moving 220 KB bodies through Undertow alone costs.
  noop_j=$(wrk_run "http://127.0.0.1:$BASE_PORT/bench/noop" "$body" application/x-ndjson "$MEASURE_S" "$NDJSON_CONNS")
  noop_mb=$(calc "$(acked_rate "$noop_j") * $EVENTS_PER_BODY" 0)
  result "ingest_ndjson: ${events} acked events/s ($(printf '%.0f' "$rate") req/s x $EVENTS_PER_BODY, non-2xx $(jq .non_2xx <<< "$j"); goal >= 400000) vs /bench/noop with the same bodies ${noop_mb} events/s: ratio $(calc "$events / $noop_mb" 3)"
  record --arg e "$events" --arg n "$noop_mb" --argjson w "$j" --argjson nw "$noop_j" \
    '{ingest_ndjson: {acked_events_per_s: ($e|tonumber), noop_events_per_s: ($n|tonumber), wrk: $w, noop_wrk: $nw}}'
  local rss; rss=$(rss_kb "$INGEST_PID")
  log "  ingest router RSS after phases 1-2: $((rss / 1024)) MB (default JVM heap sizing)"
  stop_router "$INGEST_PID" TERM
  INGEST_PID=""
}

# --- phase 3: 1M backlog into MariaDB -------------------------------------------------------------

# Waits (bounded) until InnoDB has written back the previous load's dirty pages, so one load does
# not pay for the previous one's background flushing.
settle_db() {
  # Bounded at 15 s: at low dirty ratios InnoDB writes back lazily (innodb_io_capacity pages/s), and
  # under 2,000 pages (32 MB, a quarter of the 128 MB buffer pool) what is left costs the next load
  # a fraction of a second.
  local deadline=$((SECONDS + 15)) dirty
  while ((SECONDS < deadline)); do
    dirty=$(mysql_ -N -e "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'" | awk '{print $2}')
    ((dirty < 2000)) && break
    sleep 1
  done
  log "  InnoDB dirty pages before the next load: $dirty"
}

fresh_schema() {
  mysql_ -e "DROP DATABASE IF EXISTS \`$1\`; CREATE DATABASE \`$1\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"
  mysql_ "$1" < "$ROOT/src/main/resources/db/migration/V1__logs_offsets_rejected.sql"
}

fill_backlog() {
  log "phase 3: filling a $BACKLOG_EVENTS-event backlog (router with MariaDB unreachable: flusher idle)"
  start_router fill $((BASE_PORT + 2)) "$DEAD_DB_URL" "${DEAD_DB_ENV[@]}"
  local pid=$ROUTER_PID cfg="$WORK/fill.curl" t0 t1 bad
  : > "$cfg"
  local sep=""
  for f in "$DATA"/body-*.ndjson; do
    # "next" separates transfers; a trailing one would start an empty transfer (curl exits 2).
    printf '%surl = "http://127.0.0.1:%d/log"\nheader = "Content-Type: application/x-ndjson"\ndata-binary = "@%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
      "$sep" $((BASE_PORT + 2)) "$f" >> "$cfg"
    sep=$'next\n'
  done
  t0=$(now)
  # One curl process, one keep-alive connection, requests back to back.
  timeout 300 curl -s -K "$cfg" > "$WORK/fill.codes"
  t1=$(now)
  bad=$(grep -vc '^202$' "$WORK/fill.codes" || true)
  log "  filled in $(calc "$t1 - $t0" 1) s ($(calc "$BACKLOG_EVENTS / ($t1 - $t0)" 0) events/s over one connection), non-202: $bad"
  ((bad == 0)) || { log "fill failed"; exit 1; }
  stop_router "$pid" TERM
  rm -rf "$WORK/backlog-queue" && cp -a "$WORK/run-fill/queue" "$WORK/backlog-queue"
  rm -rf "$WORK/backlog-queue/load-data"
  log "  backlog queue: $(du -sh "$WORK/backlog-queue" | cut -f1) on disk"
}

# drain METHOD: starts a router with production flush settings (10 MB / 30 s) on a copy of the
# backlog queue, and times the rows reaching MariaDB from its rows_written counter.
drain() {
  local method=$1 schema="${SCHEMAS}_drain_$1" port=$((BASE_PORT + 3)) qdir="$WORK/drain-queue-$1" t_start
  # No schema: the router creates it and runs its own Flyway migration (V1, the ceiling's DDL).
  mysql_ -e "DROP DATABASE IF EXISTS \`$schema\`"
  settle_db
  rm -rf "$qdir" && cp -a "$WORK/backlog-queue" "$qdir"
  t_start=$(now)
  # The later LOGROUTER_QUEUE_DIR wins over start_router's default (env applies them in order).
  # DRAIN_ENV: extra router settings of a caller (bench/lanes-bench.sh sets flush.lanes).
  # No start-up warm-up: the flusher starts before it, so the drain would run beside it, partly before /health
  # answers; this measures the drain alone.
  start_router "drain-$method" "$port" "jdbc:mysql://$DB_HOST:$DB_PORT/$schema" \
    LOGROUTER_FLUSH_METHOD="$method" LOGROUTER_QUEUE_DIR="$qdir" LOGROUTER_JVM_WARMUP_REQUESTS=0 \
    ${DRAIN_ENV[@]+"${DRAIN_ENV[@]}"}
  local pid=$ROUTER_PID url="http://127.0.0.1:$port/metrics" rows=0 first_rows=0 t_first="" t_done="" t
  # "Flush now": without it the last partial batch (< flush.max.bytes) would wait out flush.interval
  # (30 s) after the drain; with it the flusher goes on until the queue is empty. It answers after
  # the commit or after 60 s (then the drain simply goes on); the metrics poll below does the timing.
  curl -s -m "$DRAIN_TIMEOUT_S" -XPOST "http://127.0.0.1:$port/admin/flush" > "$WORK/drain-$method.flush" &
  local flush_curl=$!
  local deadline=$((SECONDS + DRAIN_TIMEOUT_S))
  # Poll every 100 ms: <1% of a drain that takes tens of seconds.
  while ((SECONDS < deadline)) && kill -0 "$pid" 2>/dev/null; do
    rows=$(curl -s "$url" | awk '/^logrouter_rows_written_total/ {printf "%d", $2}')
    t=$(now)
    rows=${rows:-0}
    if [[ -z $t_first && $rows -gt 0 ]]; then t_first=$t; first_rows=$rows; fi
    if ((rows >= BACKLOG_EVENTS)); then t_done=$t; break; fi
    sleep 0.1
  done
  if [[ -z $t_done ]]; then
    log "drain $method did not finish in ${DRAIN_TIMEOUT_S}s (rows $rows); router log tail:"
    tail -5 "$WORK/run-drain-$method/router.log" >&2; exit 1
  fi
  wait "$flush_curl" || true
  local count; count=$(mysql_ -N "$schema" -e "SELECT COUNT(*) FROM logs")
  local steady wall
  # Steady rate: from the first commit seen to the last, so JVM start, migrations and the first
  # batch's read are outside it; wall: from launching the JVM to all rows committed.
  steady=$(calc "($rows - $first_rows) / ($t_done - $t_first)" 0)
  wall=$(calc "$rows / ($t_done - $t_start)" 0)
  local flushes; flushes=$(curl -s "$url" | awk '/^logrouter_flush_rows_count/ {printf "%d", $2}')
  log "  drain $method: $rows rows ($count in MariaDB) in $flushes flushes; steady $steady rows/s, wall (incl. JVM start) $wall rows/s"
  ((count == BACKLOG_EVENTS)) || { log "row count mismatch: $count != $BACKLOG_EVENTS"; exit 1; }
  stop_router "$pid" TERM
  rm -rf "$qdir"
  eval "DRAIN_$method=$steady; DRAIN_WALL_$method=$wall"
  record --arg m "$method" --arg s "$steady" --arg w "$wall" --arg f "$flushes" \
    '{drain: {method: $m, steady_rows_per_s: ($s|tonumber), wall_rows_per_s: ($w|tonumber), flushes: ($f|tonumber)}}'
}

ceiling_load_data() {
  local schema=${SCHEMAS}_ceiling t0 t1
  fresh_schema "$schema"
  settle_db
  log "  ceiling: mysql client LOAD DATA LOCAL of the same $BACKLOG_EVENTS rows into a fresh V1 logs table"
  local dbp db0=0; dbp=$(ss -ltnpH "sport = :$DB_PORT" | grep -o "pid=[0-9]*" | head -1 | cut -d= -f2)
  [[ -n $dbp ]] && db0=$(awk '{print $14 + $15}' "/proc/$dbp/stat" 2>/dev/null || echo 0)
  t0=$(now)
  mysql_ "$schema" -e "LOAD DATA LOCAL INFILE '$DATA/rows.tsv' INTO TABLE logs CHARACTER SET utf8mb4
    FIELDS TERMINATED BY '\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\n'
    (ts, level, source, message, attributes, received_at, router_id)"
  t1=$(now)
  CEILING=$(calc "$BACKLOG_EVENTS / ($t1 - $t0)" 0)
  local db1=0; [[ -n $dbp ]] && db1=$(awk '{print $14 + $15}' "/proc/$dbp/stat" 2>/dev/null || echo 0)
  CEILING_DB_US=$(calc "($db1 - $db0) * 1000000 / $(getconf CLK_TCK) / $BACKLOG_EVENTS" 2)
  log "  ceiling: $CEILING rows/s ($(calc "$t1 - $t0" 1) s); MariaDB $CEILING_DB_US us/row"
  record --arg c "$CEILING" '{ceiling_load_data: {rows_per_s: ($c|tonumber)}}'
}

naive_inserts() {
  local schema=${SCHEMAS}_naive t0 t1
  fresh_schema "$schema"
  settle_db
  log "  naive: $NAIVE_ROWS autocommit single-row INSERTs over one connection"
  # The same rows as the TSV; none of them holds a quote or backslash, so plain quoting is exact.
  head -n "$NAIVE_ROWS" "$DATA/rows.tsv" | gawk -F'\t' '{
    printf "INSERT INTO logs (ts, level, source, message, attributes, received_at, router_id) VALUES (\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27%s\x27,\x27%s\x27);\n", $1,$2,$3,$4,$5,$6,$7 }' \
    > "$WORK/naive.sql"
  t0=$(now)
  mysql_ "$schema" < "$WORK/naive.sql"
  t1=$(now)
  NAIVE=$(calc "$NAIVE_ROWS / ($t1 - $t0)" 0)
  log "  naive: $NAIVE rows/s"
  record --arg n "$NAIVE" '{naive_insert: {rows_per_s: ($n|tonumber), rows: '"$NAIVE_ROWS"'}}'
}

phase3() {
  fill_backlog
  ceiling_load_data
  drain load_data
  drain insert
  naive_inserts
  local m
  for m in load_data insert; do
    local s w
    s=$(eval echo "\$DRAIN_$m"); w=$(eval echo "\$DRAIN_WALL_$m")
    result "flush_${m}: ${s} rows/s steady (${w} incl. JVM start) vs LOAD DATA ceiling ${CEILING}: ratio $(calc "$s / $CEILING" 3) (goal >= 0.8); vs naive ${NAIVE}: $(calc "$s / $NAIVE" 1)x (goal >= 10x); issue 3 goal >= 30000 rows/s"
  done
}

# --- phase 4: 1,000 req/s latency and RSS -------------------------------------------------------

# latency_run NAME DURABILITY [PATH]: loadgen at LAT_RATE against a router with the live DB and
# default flush settings (flushes every 30 s happen during the run), RSS sampled every second.
# PATH=/bench/noop measures the ceiling: same router, same loadgen, no parse/append/flush work.
latency_run() {
  local name=$1 durability=$2 path=${3:-/log} port=$((BASE_PORT + 4)) schema="${SCHEMAS}_lat_$1"
  local -a verify=(--verify "jdbc:mysql://$DB_HOST:$DB_PORT/$schema" --db-user "$DB_USER" --db-password "$DB_PASSWORD"
    --flush-url "http://127.0.0.1:$port/admin/flush")
  [[ $path == /log ]] || verify=()
  mysql_ -e "DROP DATABASE IF EXISTS \`$schema\`"
  start_router "lat-$name" "$port" "jdbc:mysql://$DB_HOST:$DB_PORT/$schema" LOGROUTER_QUEUE_DURABILITY="$durability"
  local pid=$ROUTER_PID out="$WORK/lat-$name.json" rss_max=0 rss anon file
  (
    while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid"; sleep 1; done
  ) > "$WORK/lat-$name.rss" &
  local sampler=$!
  local rc=0
  timeout 300 java -jar "$LOADGEN_JAR" --url "http://127.0.0.1:$port$path" --rate "$LAT_RATE" \
    --duration "$LAT_DURATION" --warmup "$LAT_WARMUP" --payload structured --json-out "$out" \
    "${verify[@]}" > "$WORK/lat-$name.txt" 2>&1 || rc=$?
  anon=$(rss_part_kb "$pid" RssAnon); file=$(rss_part_kb "$pid" RssFile)
  stop_router "$pid" TERM
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  rss_max=$(sort -n "$WORK/lat-$name.rss" | tail -1)
  if [[ ! -s $out ]]; then log "loadgen failed (rc $rc):"; cat "$WORK/lat-$name.txt" >&2; exit 1; fi
  local l; l=$(jq -c '.latency_ms' "$out")
  result "latency_${name}: $(jq -r '"p50 \(.p50) ms, p99 \(.p99) ms, p99.9 \(.p99_9) ms, max \(.max) ms, p99 by 10 s \(.p99_by_10s // [])"' <<< "$l") at $(jq .acked_rate "$out") acked req/s (goal p99 < 1 ms, p99.9 < 5 ms); RSS max $((rss_max / 1024)) MB (at end: anon $((anon / 1024)) MB + file-mapped $((file / 1024)) MB; goal <= 256 MB); verify $(jq -c '.verify // "n/a" | if type == "object" then {missing, duplicated} else . end' "$out"); JVM opts '${JAVA_OPTS:-default}'"
  record --arg n "$name" --arg d "$durability" --slurpfile lg "$out" --arg rss "$rss_max" --arg a "$anon" --arg f "$file" \
    --arg opts "${JAVA_OPTS:-}" --arg load "$(load_avg)" \
    '{latency: {name: $n, durability: $d, java_opts: $opts, loadgen: $lg[0], rss_max_kb: ($rss|tonumber),
      rss_anon_end_kb: ($a|tonumber), rss_file_end_kb: ($f|tonumber), load_avg: $load}}'
}

# start_nginx DIR PORT: nginx answering every request `202 {"accepted":1}` (the ceiling a server cannot beat);
# stop it with stop_nginx DIR.
start_nginx() {
  mkdir -p "$1"
  cat > "$1/nginx.conf" <<CONF
worker_processes 1; pid $1/pid; error_log $1/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $1; server { listen 127.0.0.1:$2; location / { return 202 '{"accepted":1}'; } } }
CONF
  nginx -c "$1/nginx.conf"
}
stop_nginx() { nginx -c "$1/nginx.conf" -s stop 2>/dev/null || true; }

# The machine's floor, in the same run: the same loadgen against nginx `return 202` (no JVM serving),
# and how late a sleeping thread wakes here at all (bench/lib/TimerJitter.java).
latency_floor() {
  local jitter; jitter=$(java "$HERE/lib/TimerJitter.java")
  result "timer_jitter: a 1 ms park overshoots by $jitter (idle machine: the wake-up cost every request pays several times)"
  record --arg j "$jitter" '{timer_jitter: $j}'
  command -v nginx > /dev/null || { log "  no nginx here: its latency floor is skipped"; return 0; }
  local port=$((BASE_PORT + 5)) dir="$WORK/nginx-lat" out="$WORK/lat-nginx.json" rc=0
  start_nginx "$dir" "$port"
  timeout 300 java -jar "$LOADGEN_JAR" --url "http://127.0.0.1:$port/log" --rate "$LAT_RATE" \
    --duration "$LAT_DURATION" --warmup "$LAT_WARMUP" --payload structured --json-out "$out" > "$WORK/lat-nginx.txt" 2>&1 || rc=$?
  stop_nginx "$dir"
  if [[ ! -s $out ]]; then log "loadgen against nginx failed (rc $rc):"; cat "$WORK/lat-nginx.txt" >&2; exit 1; fi
  result "latency_nginx_floor: $(jq -r '.latency_ms | "p50 \(.p50) ms, p99 \(.p99) ms, p99.9 \(.p99_9) ms, max \(.max) ms, p99 by 10 s \(.p99_by_10s // [])"' "$out") (nginx return 202, same loadgen)"
  record --slurpfile lg "$out" '{latency: {name: "nginx_floor", loadgen: $lg[0]}}'
}

phase4() {
  log "phase 4: $LAT_RATE req/s for $LAT_DURATION (+$LAT_WARMUP warm-up), latency and RSS"
  latency_floor
  latency_run noop_ceiling process /bench/noop
  latency_run process process
  latency_run fsync fsync
  JAVA_OPTS=$TUNED_JAVA_OPTS MALLOC_ARENA_MAX=2 latency_run process_capped process
}

# --- main ---------------------------------------------------------------------------------------

main() {
  setup
  local started=$SECONDS
  for p in $PHASES; do
    case $p in
      1) phase1; phase1_fsync ;;
      2) phase2 ;;
      3) phase3 ;;
      4) phase4 ;;
      *) log "unknown phase $p"; exit 2 ;;
    esac
  done
  [[ -n ${INGEST_PID:-} ]] && stop_router "$INGEST_PID" TERM
  for db in $(mysql_ -N -e "SHOW DATABASES LIKE 'lr\\_bench\\_%'"); do
    [[ ${KEEP_DB:-0} == 1 ]] || mysql_ -e "DROP DATABASE \`$db\`"
  done
  jq -s --arg s "$((SECONDS - started))" 'reduce .[] as $o ({runs: []};
      if ($o|keys[0]) | test("round|drain|latency") then .runs += [$o] else . + $o end) + {elapsed_s: ($s|tonumber)}' \
    "$SUMMARY" > "$RESULT_JSON"
  log "done in $((SECONDS - started)) s; summary: $RESULT_JSON"
}

# Sourced (bench/ab-ingest.sh), this file only defines its functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  mkdir -p "$WORK" "$RESULTS_DIR"
  # Everything printed also goes to the .txt next to the JSON summary.
  exec > >(tee "$RESULT_TXT") 2>&1
  main "$@"
fi
