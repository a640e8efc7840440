#!/usr/bin/env bash
# The hostile-client probe of issue 15, re-runnable: starts a router jar with -Xmx256m on a free
# port and attacks it with slowhttptest (slow body, then slowloris headers) while a well-behaved
# client POSTs one event every 100 ms. Reports, per attack: heap used after a full GC (max of three
# samples), OutOfMemoryErrors in the router's output, and the normal POSTs' p50/p99/max and failures.
# Also: heap after GC while 50 sockets hold a body declared 8 MB with one byte sent.
#   scripts/hostile-probe.sh [JAR] [LABEL]
# Needs: java, curl, python3, slowhttptest (Debian package), a MariaDB/MySQL at LOGROUTER_DB_URL
# (default jdbc:mysql://127.0.0.1:3306/h15_probe, created by the router) with user root.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(realpath "${1:-target/log-router.jar}")
label=${2:-$(basename "$jar")}
seconds=${PROBE_SECONDS:-60}
work=$(mktemp -d /tmp/hostile-probe.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/log"

# Run from the scratch directory: no config/log-router.properties there, so every key is its
# default (a checkout's file may hold keys an older jar does not know).
(cd "$work" && exec env LOGROUTER_DB_URL="${LOGROUTER_DB_URL:-jdbc:mysql://127.0.0.1:3306/h15_probe}" \
LOGROUTER_QUEUE_DIR="$work/queue" LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_PORT=$port \
LOGROUTER_DISK_MIN_FREE_BYTES=64MB \
  java -Xmx256m -jar "$jar" >"$work/router.log" 2>&1) &
router=$!
trap 'kill $router 2>/dev/null; wait $router 2>/dev/null; cp "$work/router.log" "/tmp/hostile-probe-$label.log"; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.5
done

# Heap used after a full GC, in MB (jcmd GC.run, then GC.heap_info's "used").
heap_after_gc() {
  jcmd "$router" GC.run >/dev/null 2>&1 || { echo "n/a"; return; }
  jcmd "$router" GC.heap_info 2>/dev/null | awk '/heap/ && /used/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%d", v / 1024; exit } }'
}

# A well-behaved client: one small POST every 100 ms; prints seconds per request (or FAIL).
normal_client() {
  local until=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$until" ]; do
    out=$(curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total} %{time_connect}' \
      -H 'Content-Type: application/json' -d '{"message":"normal client during the attack"}' "$url" || true)
    case "$out" in 202\ *) echo "${out#* }";; *) echo FAIL;; esac
    sleep 0.1
  done
}

summary() { # file of "total connect" seconds (or FAIL) -> p50 p99 max failures, and p99 of the TCP connect
  python3 - "$1" <<'EOF'
import sys
v = [l.split() for l in open(sys.argv[1]) if l.strip()]
ok = sorted(float(x[0]) * 1000 for x in v if x[0] != "FAIL")
connect = sorted(float(x[1]) * 1000 for x in v if x[0] != "FAIL")
fail = sum(1 for x in v if x[0] == "FAIL")
q = lambda s, p: s[min(len(s) - 1, int(p * len(s)))] if s else float("nan")
print(f"normal POSTs: {len(v)} sent, {fail} failed; p50 {q(ok, 0.50):.1f} ms, p99 {q(ok, 0.99):.1f} ms, "
      f"max {max(ok) if ok else float('nan'):.1f} ms (p99 of the TCP connect alone {q(connect, 0.99):.1f} ms)")
EOF
}

attack() { # name, slowhttptest mode flags
  local name=$1; shift
  local before_oom
  before_oom=$(grep -c OutOfMemoryError "$work/router.log" || true)
  slowhttptest "$@" -c 600 -i 5 -r 100 -t POST -u "$url" -x 10 -p 3 -l "$seconds" -o "$work/$name" \
    >"$work/$name.out" 2>&1 &
  local attacker=$!
  # The client stops 12 s before the attack does: the full GCs that measure the heap then pause the
  # router without counting against the normal client's latency.
  normal_client $(( seconds - 12 )) >"$work/$name.lat"
  local heaps=()
  for _ in 1 2 3; do
    heaps+=("$(heap_after_gc)")
    sleep 2
  done
  local alive
  alive=$(kill -0 $router 2>/dev/null && echo yes || echo NO)
  wait $attacker || true
  local oom
  oom=$(( $(grep -c OutOfMemoryError "$work/router.log" || true) - before_oom ))
  echo "[$label] $name: heap after GC ${heaps[*]} MB (of 256); OutOfMemoryError x$oom; router process alive: $alive;" \
    "$(summary "$work/$name.lat")"
  sed 's/\x1b\[[0-9;]*m//g' "$work/$name.out" | grep -E "service available|closed|pending|connected" | tail -4 \
    | sed "s/^/[$label]   slowhttptest at the end: /" || true
}

echo "[$label] load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# Control: the same client with no attack, so a shared machine's own latency can be told apart.
normal_client 30 >"$work/baseline.lat"
echo "[$label] no attack (control): $(summary "$work/baseline.lat")"
attack slow-body -B -s 8388608
attack slowloris -H

# 50 sockets: POST /log declaring 8 MB, one byte sent, then held.
python3 - "$port" >"$work/held.pid" <<'EOF' &
import socket, sys, time
socks = []
for i in range(50):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"POST /log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8388608\r\n\r\n[")
    socks.append(s)
time.sleep(4)
EOF
held=$!
sleep 2
echo "[$label] 50 held 8 MB-declared bodies: heap after GC $(heap_after_gc) MB"
wait $held || true
echo "[$label] load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "[$label] router alive at the end: $(curl -s -m 5 -o /dev/null -w '%{http_code}' -d '{"message":"after"}' "$url")"
