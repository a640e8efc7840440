#!/usr/bin/env bash
# The TLS half of the hostile-client probe (issue 15): starts a router jar with only an HTTPS
# listener (a fresh RSA-2048 self-signed keystore, so static-RSA suites would show if offered) and
# runs testssl.sh on it: protocols, cipher categories, forward secrecy, renegotiation, and every
# cipher offered per protocol. Prints testssl's findings; the full log is kept in /tmp.
#   scripts/tls-probe.sh [JAR] [LABEL]
# Needs: java (keytool), testssl (Debian package testssl.sh), curl, python3, a database as for
# scripts/hostile-probe.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(realpath "${1:-target/log-router.jar}")
label=${2:-$(basename "$jar")}
work=$(mktemp -d /tmp/tls-probe.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=tls-probe-pw
"$(dirname "$(realpath "$(command -v java)")")/keytool" -genkeypair -alias router -keyalg RSA -keysize 2048 \
  -dname CN=localhost -ext san=ip:127.0.0.1,dns:localhost -validity 2 -storetype PKCS12 \
  -keystore "$work/router.p12" -storepass "$password" -keypass "$password" >/dev/null 2>&1

(cd "$work" && exec env LOGROUTER_DB_URL="${LOGROUTER_DB_URL:-jdbc:mysql://127.0.0.1:3306/h15_probe}" \
  LOGROUTER_QUEUE_DIR="$work/queue" LOGROUTER_HTTP_HOST=127.0.0.1 LOGROUTER_HTTP_ENABLED=false \
  LOGROUTER_HTTP_TLS_KEYSTORE="$work/router.p12" LOGROUTER_HTTP_TLS_KEYSTORE_PASSWORD=$password \
  LOGROUTER_HTTP_TLS_PORT=$port LOGROUTER_DISK_MIN_FREE_BYTES=64MB \
  java -Xmx256m -jar "$jar" >"$work/router.log" 2>&1) &
router=$!
trap 'kill $router 2>/dev/null; wait $router 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fks "https://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.5
done

testssl --quiet --color 0 --warnings off -p -s -f -R -E "127.0.0.1:$port" >"/tmp/tls-probe-$label.txt" 2>&1 || true
grep -E "TLS 1(\.[0-3])?  |SSLv|NULL ciphers|Anonymous|Export|LOW:|Triple DES|Obsoleted CBC|Strong encryption|Forward Secrecy strong|Secure Renegotiation|Secure Client-Initiated|^ x[0-9a-f]+ |^TLS" \
  "/tmp/tls-probe-$label.txt" | sed "s/^/[$label] /"
echo "[$label] full testssl output: /tmp/tls-probe-$label.txt"
