# Sourced by bench/syslog-bench.sh and bench/syslog-tls-bench.sh (ROOT and WORK set): the Debian
# syslog clients on PATH, a clean WORK dir, and the helpers both use. Processes started by a bench
# go into PIDS and are killed when it exits.
eval "$("$ROOT/scripts/syslog-clients.sh" "$ROOT/target/syslog-clients")"
rm -rf "$WORK" && mkdir -p "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
log() { echo "[$(date +%T)] $*" >&2; }
sql() { mysql -h127.0.0.1 -uroot -N -B -e "$1"; }
now() { date +%s.%N; }
