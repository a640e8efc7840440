#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on this machine, from Debian packages (mariadb-server + galera-4),
# for the failover tests (cluster.GaleraFailoverTest) and the Galera benchmark (scripts/galera-bench.sh).
#
#   scripts/galera-cluster.sh install        apt-get install galera-4 when missing (needs root + apt)
#   scripts/galera-cluster.sh start          creates the data dirs if needed, bootstraps node 1
#                                            (--wsrep-new-cluster), then joins nodes 2 and 3
#   scripts/galera-cluster.sh kill N         kill -9 node N (1-3)
#   scripts/galera-cluster.sh restart N      starts node N again; it rejoins (IST, or rsync SST)
#   scripts/galera-cluster.sh status         one line per node: port, pid, wsrep state, cluster size
#   scripts/galera-cluster.sh stop           stops every node and deletes nothing
#   scripts/galera-cluster.sh destroy        stops every node and deletes the base dir
#
# Node N listens for SQL on 127.0.0.1:430(5+N) (4306, 4307, 4308), for Galera replication on
# 45N7, IST on 45N8 and rsync SST on 45N9. Everything lives under GALERA_DIR (default
# /tmp/logrouter-galera): my.cnf, datadir, socket, error log and pid file per node. The main MariaDB
# on 3306 is never touched. root has an empty password on 127.0.0.1 (test clusters only).
set -euo pipefail

BASE=${GALERA_DIR:-/tmp/logrouter-galera}
PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
NODES=(1 2 3)

sql_port() { echo $((4305 + $1)); }
gcomm_port() { echo "45${1}7"; }
node_dir() { echo "$BASE/node$1"; }
cnf() { echo "$(node_dir "$1")/my.cnf"; }
pid_of() { local f; f="$(node_dir "$1")/mariadbd.pid"; [[ -s $f ]] && cat "$f" || true; }

die() { echo "galera-cluster: $*" >&2; exit 1; }

alive() {
  local pid; pid=$(pid_of "$1")
  # A killed node stays a zombie until its parent reaps it: that is not alive.
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && ! grep -qs '^State:.*Z' "/proc/$pid/status"
}

sql() { # node, statement
  mariadb --protocol=tcp -h127.0.0.1 -P"$(sql_port "$1")" -uroot -N -B -e "$2" 2>/dev/null
}

install() {
  if [[ -f $PROVIDER ]]; then
    return 0
  fi
  command -v apt-get >/dev/null || die "no apt-get: install galera-4 by hand"
  [[ $(id -u) == 0 ]] || die "installing galera-4 needs root"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq galera-4 rsync >/dev/null
  [[ -f $PROVIDER ]] || die "galera-4 installed but $PROVIDER is missing"
}

write_cnf() {
  local n=$1 dir; dir=$(node_dir "$n")
  local addresses="127.0.0.1:$(gcomm_port 1),127.0.0.1:$(gcomm_port 2),127.0.0.1:$(gcomm_port 3)"
  mkdir -p "$dir/data" "$dir/tmp"
  # mariadbd runs as mysql: the rsync SST daemon then writes as mysql too (started by root, rsync
  # would drop to "nobody", which cannot write the joiner's data dir).
  chown -R mysql:mysql "$BASE"
  cat >"$(cnf "$n")" <<EOF
[mariadbd]
user=mysql
bind-address=127.0.0.1
port=$(sql_port "$n")
socket=$dir/mariadbd.sock
pid-file=$dir/mariadbd.pid
datadir=$dir/data
tmpdir=$dir/tmp
log-error=$dir/error.log
skip-log-bin
local_infile=ON
max_allowed_packet=64M
innodb_buffer_pool_size=96M
innodb_log_file_size=64M
innodb_flush_log_at_trx_commit=2
performance_schema=OFF
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=logrouter-test
wsrep_cluster_address=gcomm://$addresses
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(gcomm_port "$n")
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:45${n}9
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:45${n}8;gcache.size=256M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
EOF
  if [[ ! -d $dir/data/mysql ]]; then
    mariadb-install-db --defaults-file="$(cnf "$n")" --auth-root-authentication-method=normal \
      --user=mysql --skip-test-db >"$dir/install.log" 2>&1 || die "mariadb-install-db failed for node $n: see $dir/install.log"
  fi
}

# Waits until node n answers SQL and is Synced (wsrep_local_state = 4).
await_synced() {
  local n=$1 deadline=$((SECONDS + ${GALERA_START_TIMEOUT:-180}))
  while ((SECONDS < deadline)); do
    alive "$n" || { sleep 0.2; alive "$n" || die "node $n exited: $(tail -n 20 "$(node_dir "$n")/error.log")"; }
    if [[ $(sql "$n" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='wsrep_local_state'" || true) == 4 ]]; then
      return 0
    fi
    sleep 0.3
  done
  die "node $n not synced after ${GALERA_START_TIMEOUT:-180}s: $(tail -n 20 "$(node_dir "$n")/error.log")"
}

# After a crash (kill -9) grastate.dat says seqno -1: the node does not know its position and would
# need a full state transfer (SST), whose rsync donor blocks writes while it copies. Recover the position
# from InnoDB first (what galera_recovery does under systemd) so that the node rejoins by IST from the
# donor's gcache, which blocks nothing.
recovered_position() {
  local n=$1 dir; dir=$(node_dir "$n")
  grep -qs '^seqno: *-1' "$dir/data/grastate.dat" || return 0
  rm -f "$dir/recover.log"
  /usr/sbin/mariadbd --defaults-file="$(cnf "$n")" --wsrep-recover --log-error="$dir/recover.log" \
    </dev/null >/dev/null 2>&1 || true
  sed -n 's/.*WSREP: Recovered position: *\([^ ]*:[0-9-]*\).*/\1/p' "$dir/recover.log" | tail -n 1
}

start_node() { # node [extra mariadbd args]
  local n=$1; shift
  alive "$n" && return 0
  rm -f "$(node_dir "$n")/mariadbd.pid"
  local position; position=$(recovered_position "$n")
  if [[ -n $position ]]; then
    set -- "$@" "--wsrep_start_position=$position"
  fi
  setsid /usr/sbin/mariadbd --defaults-file="$(cnf "$n")" "$@" </dev/null >>"$(node_dir "$n")/stdout.log" 2>&1 &
  # After a kill -9 the node recovers InnoDB and may need a full state transfer before it writes its pid.
  local deadline=$((SECONDS + ${GALERA_START_TIMEOUT:-180}))
  until [[ -n $(pid_of "$n") ]]; do
    ((SECONDS < deadline)) || die "node $n wrote no pid file: $(tail -n 20 "$(node_dir "$n")/error.log")"
    sleep 0.2
  done
  await_synced "$n"
}

start() {
  [[ -f $PROVIDER ]] || die "$PROVIDER missing: run '$0 install' (apt-get install galera-4)"
  for n in "${NODES[@]}"; do write_cnf "$n"; done
  if ! alive 1 && ! alive 2 && ! alive 3; then
    # Every node down (fresh, or after stop): the node that stopped last (safe_to_bootstrap: 1 in its
    # grastate) forms the new cluster; bootstrapping from one that is behind would make the others abort
    # ("reversing history"). A fresh cluster has no grastate yet: node 1.
    local first=1 n
    for n in "${NODES[@]}"; do
      if grep -qs '^safe_to_bootstrap: 1' "$(node_dir "$n")/data/grastate.dat"; then first=$n; break; fi
    done
    start_node "$first" --wsrep-new-cluster
  fi
  for n in "${NODES[@]}"; do start_node "$n"; done
  status
}

stop_node() {
  local n=$1 pid; pid=$(pid_of "$n")
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  # Joiners first, the last one standing leaves a grastate that is safe to bootstrap from.
  for n in 3 2 1; do stop_node "$n"; done
}

status() {
  for n in "${NODES[@]}"; do
    if alive "$n"; then
      echo "node$n port=$(sql_port "$n") pid=$(pid_of "$n") $(sql "$n" "SELECT GROUP_CONCAT(CONCAT(VARIABLE_NAME,'=',VARIABLE_VALUE) ORDER BY VARIABLE_NAME SEPARATOR ' ') FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_ready')" || echo unreachable)"
    else
      echo "node$n port=$(sql_port "$n") down"
    fi
  done
}

check_node() { [[ ${1:-} =~ ^[123]$ ]] || die "node must be 1, 2 or 3"; }

case ${1:-} in
  install) install ;;
  start) start ;;
  stop) stop ;;
  destroy) stop; rm -rf "$BASE" ;;
  status) status ;;
  kill) check_node "${2:-}"; pid=$(pid_of "$2"); [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null; true ;;
  restart) check_node "${2:-}"; start_node "$2" ;;
  *) die "usage: $0 install|start|stop|destroy|status|kill N|restart N" ;;
esac
