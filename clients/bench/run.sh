#!/usr/bin/env bash
# Application-thread cost of one log.info("... {}", arg) per appender (JMH), then the sustained
# rate into MySQL through one router. Results go to target/bench/*.txt; BENCHMARKS.md quotes them.
#   clients/bench/run.sh            # everything (~10 min on 2 cores)
#   clients/bench/run.sh jmh        # only the JMH part
#   clients/bench/run.sh sustained  # only the sustained run (needs MariaDB and target/log-router.jar;
#                                   # SUSTAINED_RATE, SUSTAINED_SECONDS, SUSTAINED_MAX_IN_FLIGHT, and
#                                   # SUSTAINED_FLUSH: default = the router's own flush settings, 10 MB
#                                   # or 30 s; fast = the client tests' 200 ms)
#   JMH_APPENDERS=logrouter,logback-floor clients/bench/run.sh jmh   # a subset of AppenderBench's appenders
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
mvn -B -q -ntp -Pbench -pl bench -am -DskipTests package
out=bench/target/bench
mkdir -p "$out"
jar=bench/target/client-benchmarks.jar
common=(-f 1 -wi 2 -w 2s -i 3 -r 3s -jvmArgs "-Xmx512m")
if [[ -n "${JMH_APPENDERS:-}" ]]; then common+=(-p "appender=$JMH_APPENDERS"); fi
if [[ "$what" == all || "$what" == jmh ]]; then
  # Latency per call (median, p99) and allocation per call, one thread.
  java -jar "$jar" AppenderBench "${common[@]}" -bm sample -tu ns -t 1 -prof gc | tee "$out/latency.txt"
  for t in 1 4 16; do
    java -jar "$jar" AppenderBench "${common[@]}" -bm thrpt -tu s -t "$t" | tee "$out/throughput-t$t.txt"
  done
fi
if [[ "$what" == all || "$what" == sustained ]]; then
  java -Xmx512m -cp "$jar" -Dlogrouter.jar="$PWD/../target/log-router.jar" io.logrouter.client.bench.SustainedLoad \
    "${SUSTAINED_RATE:-100000}" "${SUSTAINED_SECONDS:-20}" "${SUSTAINED_MAX_IN_FLIGHT:-}" "${SUSTAINED_FLUSH:-default}" | tee "$out/sustained.txt"
  # Its ceiling, same box and router setup: the same batches posted with no logging or encoding.
  java -Xmx512m -cp "$jar" -Dlogrouter.jar="$PWD/../target/log-router.jar" io.logrouter.client.bench.SustainedCeiling \
    "${SUSTAINED_SECONDS:-20}" "${SUSTAINED_MAX_IN_FLIGHT:-2}" "${SUSTAINED_FLUSH:-default}" | tee "$out/sustained-ceiling.txt"
fi
