#!/usr/bin/env bash
# Syslog TCP, end to end into MySQL: the same loggen command (syslog-ng's load generator: N RFC 5424
# messages of SIZE bytes, octet-counted, over ONE TCP connection) against
#   1. log-router   (syslog.tcp.port, LOAD DATA flush)
#   2. rsyslog      imtcp -> ommysql   (transactional batches of 1,000)
#   3. syslog-ng    network() -> sql() (explicit commits of 1,000 lines)
# The clock starts when loggen starts and stops when all N rows are in MySQL; then lost (N - distinct)
# and duplicated (rows - distinct) are counted. Usage: N=1000000 SIZE=200 bench/syslog-bench.sh
# Needs: the router jar (mvn -o package -DskipTests), MariaDB/MySQL on 127.0.0.1:3306 as root with an
# empty password, and the Debian clients (scripts/syslog-clients.sh installs them).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
N=${N:-1000000}
SIZE=${SIZE:-200}
WORK=${WORK:-$ROOT/target/syslog-bench}
JAR=${JAR:-$ROOT/target/log-router.jar}
PORT_ROUTER=${PORT_ROUTER:-25514}
PORT_RSYSLOG=${PORT_RSYSLOG:-25515}
PORT_SYSLOGNG=${PORT_SYSLOGNG:-25516}
source "$ROOT/bench/lib/syslog-common.sh"

run_loggen() {
  env LD_LIBRARY_PATH="$SYSLOGNG_LD_LIBRARY_PATH" SYSLOGNG_PREFIX="$SYSLOGNG_PREFIX" \
    "$LOGGEN" --inet --stream --syslog-proto --size "$SIZE" --number "$N" --rate 1000000 --interval 36000 --quiet 127.0.0.1 "$1" \
    > "$WORK/loggen-$2.log" 2>&1
}

# wait_rows TABLE: until N rows or no progress for 120 s
wait_rows() {
  local last=-1 since=$SECONDS count
  while :; do
    count=$(sql "SELECT COUNT(*) FROM $1")
    ((count >= N)) && return 0
    if ((count != last)); then last=$count; since=$SECONDS; fi
    ((SECONDS - since > 120)) && { log "$1 stalled at $count rows"; return 0; }
    sleep 0.5
  done
}

# report NAME TABLE START: one result line
report() {
  local end rows distinct secs
  end=$(now)
  rows=$(sql "SELECT COUNT(*) FROM $2")
  distinct=$(sql "SELECT COUNT(DISTINCT $4) FROM $2")
  secs=$(echo "$end - $3" | bc -l)
  printf '%-10s %9d rows in %7.1f s = %8.0f rows/s; lost %d, duplicated %d\n' "$1" "$rows" "$secs" \
    "$(echo "$rows / $secs" | bc -l)" "$((N - distinct))" "$((rows - distinct))" | tee -a "$WORK/results.txt"
}

# --- 1. log-router ---------------------------------------------------------------------------------
sql "DROP DATABASE IF EXISTS bench_syslog_router; CREATE DATABASE bench_syslog_router"
mkdir -p "$WORK/router"
(cd "$WORK/router" && exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=0 LOGROUTER_SYSLOG_HOST=127.0.0.1 \
  LOGROUTER_SYSLOG_TCP_PORT=$PORT_ROUTER LOGROUTER_DB_URL=jdbc:mysql://127.0.0.1:3306/bench_syslog_router \
  LOGROUTER_DB_USER=root LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR="$WORK/router/queue" LOGROUTER_ROUTER_ID=bench \
  LOGROUTER_FLUSH_INTERVAL=1s java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/router/router.log" 2>&1) &
PIDS+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/$PORT_ROUTER) 2>/dev/null; do sleep 0.2; done
until sql "SELECT 1 FROM bench_syslog_router.logs LIMIT 1" >/dev/null 2>&1; do sleep 0.2; done
log "router up; loggen $N x $SIZE B"
start=$(now); run_loggen $PORT_ROUTER router; wait_rows bench_syslog_router.logs
report log-router bench_syslog_router.logs "$start" message
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# --- 2. rsyslog imtcp -> ommysql -----------------------------------------------------------------------
sql "DROP DATABASE IF EXISTS bench_syslog_rsyslog; CREATE DATABASE bench_syslog_rsyslog;
  CREATE TABLE bench_syslog_rsyslog.logs (id BIGINT AUTO_INCREMENT PRIMARY KEY, ts DATETIME, host VARCHAR(255),
  tag VARCHAR(255), msg TEXT) ENGINE=InnoDB"
mkdir -p "$WORK/rsyslog"
cat > "$WORK/rsyslog/rsyslog.conf" <<CONF
global(workDirectory="$WORK/rsyslog")
module(load="imtcp")
module(load="ommysql")
template(name="row" type="string" option.sql="on"
  string="INSERT INTO logs (ts, host, tag, msg) VALUES ('%timereported:::date-mysql%', '%hostname%', '%syslogtag%', '%msg%')")
input(type="imtcp" address="127.0.0.1" port="$PORT_RSYSLOG" ruleset="db")
ruleset(name="db") {
  action(type="ommysql" server="127.0.0.1" db="bench_syslog_rsyslog" uid="root" pwd="" template="row"
         queue.type="LinkedList" queue.size="200000" queue.dequeueBatchSize="1000")
}
CONF
rsyslogd -n -f "$WORK/rsyslog/rsyslog.conf" -i "$WORK/rsyslog/pid" > "$WORK/rsyslog/rsyslog.log" 2>&1 &
PIDS+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/$PORT_RSYSLOG) 2>/dev/null; do sleep 0.2; done
log "rsyslog up"
start=$(now); run_loggen $PORT_RSYSLOG rsyslog; wait_rows bench_syslog_rsyslog.logs
report rsyslog bench_syslog_rsyslog.logs "$start" msg
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# --- 3. syslog-ng network() -> sql() -----------------------------------------------------------------
sql "DROP DATABASE IF EXISTS bench_syslog_sng; CREATE DATABASE bench_syslog_sng"
mkdir -p "$WORK/syslog-ng"
cat > "$WORK/syslog-ng/syslog-ng.conf" <<CONF
@version: 3.38
options { stats_freq(0); };
source s { network(ip(127.0.0.1) port($PORT_SYSLOGNG) transport(tcp) flags(syslog-protocol) log-iw-size(100000)); };
destination d { sql(type(mysql) host("127.0.0.1") username("root") password("") database("bench_syslog_sng")
  table("logs") columns("ts", "host", "tag", "msg") values("\${R_YEAR}-\${R_MONTH}-\${R_DAY} \${R_HOUR}:\${R_MIN}:\${R_SEC}", "\${HOST}", "\${PROGRAM}", "\${MSG}")
  indexes() flags(explicit-commits) batch-lines(1000) batch-timeout(500) log-fifo-size(200000)); };
# flow-control: when the destination's queue is full, stop reading the source (like the router's
# back-pressure) instead of dropping; without it syslog-ng dropped 73 % of the messages in a run.
log { source(s); destination(d); flags(flow-control); };
CONF
env LD_LIBRARY_PATH="$SYSLOGNG_LD_LIBRARY_PATH" "$SYSLOGNG" -F -f "$WORK/syslog-ng/syslog-ng.conf" \
  --module-path="$SYSLOGNG_MODULES" -p "$WORK/syslog-ng/pid" -R "$WORK/syslog-ng/persist" -c "$WORK/syslog-ng/ctl" \
  > "$WORK/syslog-ng/syslog-ng.log" 2>&1 &
PIDS+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/$PORT_SYSLOGNG) 2>/dev/null; do sleep 0.2; done
log "syslog-ng up"
start=$(now); run_loggen $PORT_SYSLOGNG syslog-ng; wait_rows bench_syslog_sng.logs
report syslog-ng bench_syslog_sng.logs "$start" msg
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
cat "$WORK/results.txt"
