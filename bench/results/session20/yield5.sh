#!/bin/bash
# new vs yield with flush.interval=5s: 12 flushes a run, so the flushes' share of the tail is measurable.
for v in new yield new yield new yield new yield; do
  RENV="LOGROUTER_FLUSH_INTERVAL=5s" ./inst.sh $v > /dev/null 2>&1
  jq -r --arg v $v '.latency_ms | .p99_by_10s as $w | ([$w[10:][] | select(. != null)] | sort | reverse) as $s | "\($v) p99 \(.p99) p99.9 \(.p99_9) seconds>1ms after 10s: \([$s[] | select(. > 1)] | length); worst 12 after 10s: \($s[0:12])"' inst-$v/lg.json
done
