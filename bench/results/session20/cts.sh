#!/bin/bash
for x in "" "-XX:CompileThresholdScaling=0.25" "" "-XX:CompileThresholdScaling=0.25" "" "-XX:CompileThresholdScaling=0.25"; do
  EXTRA="$x" ./inst.sh new > /dev/null 2>&1
  st=$(head -1 inst-new/router.log | cut -c12-23); dm=$(grep "JIT warm-up over" inst-new/router.log | cut -c12-23)
  jq -r --arg x "${x:-default}" --arg st "$st" --arg dm "$dm" '.latency_ms | .p99_by_10s as $w | "\($x) p99 \(.p99) start \($st) demoted \($dm) warm-up 5-9: \($w[5:10]) 10-14: \($w[10:15]) windows>1ms after 10s: \([$w[10:][] | select(. != null and . > 1)] | length)"' inst-new/lg.json
done
