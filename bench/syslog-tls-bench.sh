#!/usr/bin/env bash
# Syslog over TLS vs plain TCP into the router, same loggen command (N RFC 5424 messages of SIZE bytes,
# octet-counted, ONE connection; `-U` = loggen's TLS), in one run:
#   ceiling  loggen into a sink that only reads: a python recv loop (plain), openssl s_server (TLS)
#   router   syslog.tcp.port plain, then with syslog.tls.keystore: "ingest" = loggen's wall time (the
#            router has read, decrypted, framed and appended every message to its queue when loggen ends,
#            or it could not have sent the rest: back-pressure), "end to end" = until all N rows are in MySQL.
# Lost = N - distinct messages, duplicated = rows - distinct. Usage: N=1000000 SIZE=200 bench/syslog-tls-bench.sh
# Needs: the router jar (mvn -o package -DskipTests -Dclients.skip=true), MariaDB/MySQL on 127.0.0.1:3306 as
# root with an empty password, python3, openssl, and loggen (scripts/syslog-clients.sh installs it).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
N=${N:-1000000}
SIZE=${SIZE:-200}
WORK=${WORK:-$ROOT/target/syslog-tls-bench}
JAR=${JAR:-$ROOT/target/log-router.jar}
PORT=${PORT:-18610}          # uses PORT .. PORT+3
PW=bench-tls-pw
source "$ROOT/bench/lib/syslog-common.sh"

"$(dirname "$(realpath "$(command -v java)")")/keytool" -genkeypair -alias router -keyalg EC -groupname secp256r1 \
  -dname CN=localhost -ext san=ip:127.0.0.1,dns:localhost -validity 2 -storetype PKCS12 \
  -keystore "$WORK/router.p12" -storepass $PW -keypass $PW >/dev/null 2>&1
openssl pkcs12 -in "$WORK/router.p12" -passin pass:$PW -nodes -out "$WORK/router.pem" 2>/dev/null

# run_loggen PORT NAME [-U]: prints loggen's wall seconds (-U is loggen's TLS plugin, instead of --inet --stream)
run_loggen() {
  local start end
  start=$(now)
  env LD_LIBRARY_PATH="$SYSLOGNG_LD_LIBRARY_PATH" SYSLOGNG_PREFIX="$SYSLOGNG_PREFIX" \
    "$LOGGEN" ${3:---inet --stream} --syslog-proto --size "$SIZE" --number "$N" --rate 10000000 --interval 36000 \
    --quiet 127.0.0.1 "$1" > "$WORK/loggen-$2.log" 2>&1
  end=$(now)
  echo "$end - $start" | bc -l
}

rate() { echo "$N / $1" | bc -l; }

# --- ceilings: a reader that does nothing with the bytes -------------------------------------------
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
c, _ = s.accept(); b = bytearray(1 << 20)
while c.recv_into(b): pass
' $((PORT + 2)) &
PIDS+=($!); sleep 1 # no probe: the sink accepts one connection
secs=$(run_loggen $((PORT + 2)) sink-plain)
printf '%-34s ingest %7.1f s = %9.0f msg/s\n' "ceiling plain (1 MB recv, discard)" "$secs" "$(rate "$secs")" | tee -a "$WORK/results.txt"
openssl s_server -accept "127.0.0.1:$((PORT + 3))" -cert "$WORK/router.pem" -key "$WORK/router.pem" -quiet \
  -tls1_3 > /dev/null 2>"$WORK/s_server.log" &
PIDS+=($!); sleep 1
secs=$(run_loggen $((PORT + 3)) sink-tls -U)
printf '%-34s ingest %7.1f s = %9.0f msg/s\n' "ceiling TLS (openssl s_server)" "$secs" "$(rate "$secs")" | tee -a "$WORK/results.txt"
kill "${PIDS[-1]}" 2>/dev/null || true

# --- the router, plain then TLS ---------------------------------------------------------------------
# bench_router NAME PORT [extra env...]
bench_router() {
  local name=$1 port=$2; shift 2
  local db=bench_htls_$name tls=
  [ $# -gt 0 ] && tls=-U
  sql "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && exec env LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=0 LOGROUTER_SYSLOG_HOST=127.0.0.1 \
    LOGROUTER_SYSLOG_TCP_PORT="$port" LOGROUTER_DB_URL="jdbc:mysql://127.0.0.1:3306/$db" LOGROUTER_DB_USER=root \
    LOGROUTER_DB_PASSWORD= LOGROUTER_QUEUE_DIR="$WORK/$name/queue" LOGROUTER_ROUTER_ID=bench LOGROUTER_FLUSH_INTERVAL=1s \
    "$@" java ${JAVA_OPTS:-} -jar "$JAR" > "$WORK/$name/router.log" 2>&1) &
  PIDS+=($!)
  until grep -q "listening on" "$WORK/$name/router.log" 2>/dev/null; do sleep 0.2; done
  log "router $name up; loggen $N x $SIZE B $tls"
  local start secs end rows distinct total
  start=$(now)
  secs=$(run_loggen "$port" "$name" $tls)
  local last=-1 since=$SECONDS
  while :; do
    rows=$(sql "SELECT COUNT(*) FROM $db.logs")
    ((rows >= N)) && break
    if ((rows != last)); then last=$rows; since=$SECONDS; fi
    ((SECONDS - since > 120)) && { log "$name stalled at $rows rows"; break; }
    sleep 0.5
  done
  end=$(now)
  total=$(echo "$end - $start" | bc -l)
  distinct=$(sql "SELECT COUNT(DISTINCT message) FROM $db.logs")
  printf '%-34s ingest %7.1f s = %9.0f msg/s; end to end %7.1f s = %7.0f rows/s; lost %d, duplicated %d\n' \
    "router $name" "$secs" "$(rate "$secs")" "$total" "$(echo "$rows / $total" | bc -l)" "$((N - distinct))" \
    "$((rows - distinct))" | tee -a "$WORK/results.txt"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  grep -h "ERROR" "$WORK/$name/router.log" | head -3 >&2 || true
}
bench_router plain "$PORT"
bench_router tls $((PORT + 1)) LOGROUTER_SYSLOG_TLS_KEYSTORE="$WORK/router.p12" LOGROUTER_SYSLOG_TLS_KEYSTORE_PASSWORD=$PW
echo "uptime: $(uptime)" | tee -a "$WORK/results.txt"
