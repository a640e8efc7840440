#!/bin/bash
# Runs inst.sh and traces scheduling from load t=FROM s for DUR s.
V=${V:-new}
FROM=${FROM:-27}; DUR=${DUR:-7}
T=/sys/kernel/tracing
echo 0 > $T/tracing_on; echo > $T/trace; echo mono > $T/trace_clock; echo 65536 > $T/buffer_size_kb
echo 1 > $T/events/sched/sched_switch/enable; echo 1 > $T/events/sched/sched_wakeup/enable
rm -f /tmp/ab/inst-$V/lg.txt
/tmp/ab/inst.sh $V > /tmp/ab/trace-inst.txt 2>&1 &
until [[ -f /tmp/ab/inst-$V/lg.txt ]]; do sleep 0.05; done
sleep $FROM; echo 1 > $T/tracing_on; sleep $DUR; echo 0 > $T/tracing_on
cat $T/trace > /tmp/ab/trace-$V.txt
echo 0 > $T/events/sched/sched_switch/enable; echo 0 > $T/events/sched/sched_wakeup/enable
wait
grep p99 /tmp/ab/trace-inst.txt
