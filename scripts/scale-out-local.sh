#!/usr/bin/env bash
# The docker-compose scale-out topology without Docker, on loopback only:
#   local MariaDB (schema logrouter_scale) <- 3 routers (127.0.0.1:18081-18083, own queue dirs,
#   ids router-1..3) <- HAProxy (127.0.0.1:18080) <- loadgen, 1,000 req/s for 30 s, verify mode.
# Prints the loadgen report and how the rows split across routers, stops everything, and exits
# with the loadgen's code: 0 every acked event in MySQL exactly once, 1 failures/loss/duplicates,
# 2 it could not run. Anything else non-zero: the setup failed (the message says where).
#
# Environment knobs: RATE (1000), DURATION (30s), WARMUP (0s: the routers start cold, as in the
# user's test), PAYLOAD (seed), KEEP_WORK=1 keeps logs and queues, LOG_ROUTER_JAR / LOADGEN_JAR to
# use prebuilt jars.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUTER_JAR="${LOG_ROUTER_JAR:-$ROOT/target/log-router.jar}"
LOADGEN_JAR="${LOADGEN_JAR:-$ROOT/loadgen/target/loadgen.jar}"
RATE="${RATE:-1000}"
DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-0s}"
PAYLOAD="${PAYLOAD:-seed}"
SCHEMA=logrouter_scale
DB_HOST=127.0.0.1
DB_PORT=3306
LB_PORT=18080
ROUTER_PORTS=(18081 18082 18083)
# Routers get 60 s to come up: JVM start, schema migrations, queue open. Far more than needed.
READY_TIMEOUT_S=60
# SIGTERM drains and flushes; the router's own flush.shutdown.timeout is 30 s, so 45 s is its limit.
STOP_TIMEOUT_S=45

WORK="$(mktemp -d /tmp/log-router-scale.XXXXXX)"
ROUTER_PIDS=()
LB_PID=""

log() { printf '[scale-out] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 3; }

mysql_root() { mysql --protocol=TCP -h "$DB_HOST" -P "$DB_PORT" -uroot "$@"; }

stop_pid() { # pid name [signal]: signal (TERM), wait up to STOP_TIMEOUT_S, then SIGKILL
  local pid="$1" name="$2" signal="${3:-TERM}" waited=0 rc=0
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || rc=$?
    log "$name had already exited (exit $rc)"
    return 0
  fi
  kill "-$signal" "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= STOP_TIMEOUT_S * 10 )); then
      log "$name did not stop within ${STOP_TIMEOUT_S}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || rc=$?
  log "$name stopped (exit $rc)"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # USR1 is HAProxy's soft stop: it closes idle connections and exits 0.
  [[ -n "$LB_PID" ]] && stop_pid "$LB_PID" haproxy USR1
  for i in "${!ROUTER_PIDS[@]}"; do
    stop_pid "${ROUTER_PIDS[$i]}" "router-$((i + 1))"
  done
  if [[ "${KEEP_WORK:-0}" == 1 || $rc -ne 0 ]]; then
    log "logs and queues kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true; }

wait_for_200() { # url name pid
  local deadline=$((SECONDS + READY_TIMEOUT_S))
  until [[ "$(http_status "$1")" == 200 ]]; do
    kill -0 "$3" 2>/dev/null || die "$2 exited: $(tail -n 3 "$WORK/$2.log" | tr '\n' ' ')"
    (( SECONDS < deadline )) || die "$2 not ready at $1 after ${READY_TIMEOUT_S}s (log: $WORK/$2.log)"
    sleep 0.5
  done
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_tools() {
  command -v java >/dev/null || die "java (17+) is needed"
  command -v curl >/dev/null || die "curl is needed"
  command -v mysql >/dev/null || die "the mysql/mariadb client is needed"
  if ! command -v haproxy >/dev/null; then
    [[ $EUID -eq 0 ]] || die "haproxy is needed: sudo apt-get install -y haproxy"
    log "installing haproxy from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
  fi
  for port in "$LB_PORT" "${ROUTER_PORTS[@]}"; do
    port_free "$port" || die "port $port on 127.0.0.1 is in use"
  done
}

ensure_mariadb() {
  if ! mysql_root -e 'SELECT 1' >/dev/null 2>&1; then
    [[ $EUID -eq 0 ]] || die "MariaDB is down at $DB_HOST:$DB_PORT"
    log "starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    for _ in $(seq 1 60); do mysql_root -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.5; done
    mysql_root -e 'SELECT 1' >/dev/null 2>&1 || die "MariaDB did not come up at $DB_HOST:$DB_PORT"
  fi
  # A fresh schema each run: the routers migrate it, and no old offsets or rows can blur the check.
  mysql_root -e "DROP DATABASE IF EXISTS $SCHEMA;
    CREATE DATABASE $SCHEMA CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci;"
}

ensure_jars() {
  if [[ ! -f "$ROUTER_JAR" ]]; then
    log "building the router ($ROUTER_JAR)"
    (cd "$ROOT" && mvn -q -DskipTests package) || die "router build failed"
  fi
  if [[ ! -f "$LOADGEN_JAR" ]]; then
    log "building the loadgen ($LOADGEN_JAR)"
    (cd "$ROOT/loadgen" && mvn -q -DskipTests package) || die "loadgen build failed"
  fi
}

start_router() { # index (1-based)
  local i="$1" port="${ROUTER_PORTS[$(($1 - 1))]}" dir="$WORK/router-$1"
  mkdir -p "$dir/queue"
  # cd into the router's own dir so nothing it writes relative to the cwd mixes with the others.
  # No config file: the jar's built-in defaults plus these variables, so a config/ edited since the
  # jar was built cannot make it refuse to start.
  (
    cd "$dir"
    unset LOGROUTER_CONFIG
    export LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT="$port"
    export LOGROUTER_DB_URL="jdbc:mysql://$DB_HOST:$DB_PORT/$SCHEMA" LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD=
    export LOGROUTER_QUEUE_DIR="$dir/queue" LOGROUTER_ROUTER_ID="router-$i"
    # 1 s flushes so the verify step sees the rows without waiting out the 30 s default.
    export LOGROUTER_FLUSH_INTERVAL=1s LOGROUTER_FLUSH_MAX_BYTES=10MB
    exec java -Djava.io.tmpdir="$dir" -jar "$ROUTER_JAR"
  ) >"$WORK/router-$i.log" 2>&1 &
  ROUTER_PIDS+=("$!")
  wait_for_200 "http://127.0.0.1:$port/ready" "router-$i" "${ROUTER_PIDS[-1]}"
  log "router-$i ready on 127.0.0.1:$port (pid ${ROUTER_PIDS[-1]})"
}

start_lb() {
  haproxy -c -q -f "$ROOT/deploy/haproxy-local.cfg" || die "haproxy config invalid"
  haproxy -db -f "$ROOT/deploy/haproxy-local.cfg" >"$WORK/haproxy.log" 2>&1 &
  LB_PID=$!
  wait_for_200 "http://127.0.0.1:$LB_PORT/health" haproxy "$LB_PID"
  log "haproxy on 127.0.0.1:$LB_PORT (pid $LB_PID)"
}

rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

main() {
  require_tools
  ensure_mariadb
  ensure_jars
  # router-1 first and alone: it runs the schema migrations; the others then find them done.
  for i in 1 2 3; do start_router "$i"; done
  start_lb

  local flush_args=()
  for port in "${ROUTER_PORTS[@]}"; do flush_args+=(--flush-url "http://127.0.0.1:$port/admin/flush"); done
  log "loadgen: $RATE req/s for $DURATION (+$WARMUP warmup) through 127.0.0.1:$LB_PORT, then verify in $SCHEMA"
  local rc=0
  java -jar "$LOADGEN_JAR" --url "http://127.0.0.1:$LB_PORT/log" --rate "$RATE" --duration "$DURATION" \
    --warmup "$WARMUP" --payload "$PAYLOAD" --verify "jdbc:mysql://$DB_HOST:$DB_PORT/$SCHEMA" --db-user root --db-password '' \
    "${flush_args[@]}" --json-out "$WORK/loadgen.json" || rc=$?

  echo "rows per router:"
  mysql_root -t -e "SELECT router_id, COUNT(*) AS rows_stored FROM $SCHEMA.logs GROUP BY router_id ORDER BY router_id"
  for i in "${!ROUTER_PIDS[@]}"; do
    echo "router-$((i + 1)) RSS after the run: $(rss_mb "${ROUTER_PIDS[$i]}") MB"
  done
  return "$rc"
}

main "$@"
