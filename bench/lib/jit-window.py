#!/usr/bin/env python3
"""JIT compile tasks that started inside a time window of a HotSpot -XX:+LogCompilation file.

Prints the number of tasks, their summed compile time and the longest ones (ms, tier, method); then
the deoptimizations of the window, which are what make code compile again after a warm-up: uncommon
traps taken by running compiled code (reason, action, the method and bci where it trapped) and
compiled methods made not entrant. The window is in JVM uptime seconds (the log's stamps): map
wall-clock times with a -Xlog:jit+compilation log decorated with time,uptime (see
bench/flush-cpu.sh's JAVA_OPTS example).

Usage: bench/lib/jit-window.py LOGFILE FROM_S TO_S [TOP]
"""
import collections
import re
import sys


def attr(name, line):
    found = re.search(name + r"='([^']*)'", line)
    return found.group(1) if found else None


def main():
    path, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    task, done = None, []
    compiled = {}  # compile_id -> method, from the nmethod lines
    traps, not_entrant = collections.Counter(), collections.Counter()
    trap = None  # a runtime uncommon_trap in the window, waiting for its first jvms line
    with open(path, errors="replace") as log:
        for line in log:
            if line.startswith("<task "):
                stamp = float(attr("stamp", line))
                task = (attr("method", line) or "?", stamp, attr("level", line) or "4")
            elif line.startswith("<task_done") and task:
                end = float(attr("stamp", line))
                if lo <= task[1] <= hi:
                    done.append((end - task[1], task[2], task[0]))
                task = None
            elif line.startswith("<nmethod "):
                compiled[attr("compile_id", line)] = attr("method", line) or "?"
            elif line.startswith("<uncommon_trap thread=") and attr("stamp", line):
                in_window = lo <= float(attr("stamp", line)) <= hi
                trap = (attr("reason", line), attr("action", line)) if in_window else None
            elif line.startswith("<jvms ") and trap:
                traps[(trap[0], trap[1], attr("method", line), attr("bci", line))] += 1
                trap = None
            elif line.startswith("<make_not_entrant ") and lo <= float(attr("stamp", line) or -1) <= hi:
                not_entrant[(compiled.get(attr("compile_id", line), "?"), attr("level", line) or "?")] += 1
    done.sort(reverse=True)
    print(f"tasks {len(done)}, compile time {sum(d[0] for d in done):.3f} s")
    for seconds, level, method in done[:top]:
        print(f"{seconds * 1000:7.1f} ms  tier {level}  {method}")
    print(f"uncommon traps {sum(traps.values())} (reason, action, where)")
    for (reason, action, method, bci), n in traps.most_common(top):
        print(f"{n:6d}  {reason} {action}  {method} @{bci}")
    print(f"made not entrant {sum(not_entrant.values())}")
    for (method, level), n in not_entrant.most_common(top):
        print(f"{n:6d}  tier {level}  {method}")


if __name__ == "__main__":
    main()
