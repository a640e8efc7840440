#!/bin/bash
# Alternates jars at 1,000 req/s (5 s warm-up), 1 s p99 windows; prints the flush windows and slow windows.
for v in $VARIANTS; do
  ./inst.sh $v > /dev/null 2>&1
  jq -r --arg v $v '.latency_ms | .p99_by_10s as $w | "\($v) p99 \(.p99) first-flush(29-31) \($w[29:32]) second(59-61) \($w[59:62]) windows>1ms after 10s: \([$w[10:][] | select(. != null and . > 1)] | length) of \($w[10:] | length); warm-up 5-9: \($w[5:10])"' inst-$v/lg.json
done
