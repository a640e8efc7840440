#!/usr/bin/env python3
"""JIT compile tasks that started inside a time window of a HotSpot -XX:+LogCompilation file.

Prints the number of tasks, their summed compile time and the longest ones (ms, tier, method). The
window is in JVM uptime seconds (the log's stamps): map wall-clock times with a -Xlog:jit+compilation
log decorated with time,uptime (see bench/flush-cpu.sh's JAVA_OPTS example).

Usage: bench/lib/jit-window.py LOGFILE FROM_S TO_S [TOP]
"""
import re
import sys


def main():
    path, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    top = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    task, done = None, []
    with open(path, errors="replace") as log:
        for line in log:
            if line.startswith("<task "):
                method = re.search(r"method='([^']*)'", line)
                level = re.search(r"level='(\d)'", line)
                stamp = float(re.search(r"stamp='([0-9.]+)'", line).group(1))
                task = (method.group(1) if method else "?", stamp, level.group(1) if level else "4")
            elif line.startswith("<task_done") and task:
                end = float(re.search(r"stamp='([0-9.]+)'", line).group(1))
                if lo <= task[1] <= hi:
                    done.append((end - task[1], task[2], task[0]))
                task = None
    done.sort(reverse=True)
    print(f"tasks {len(done)}, compile time {sum(d[0] for d in done):.3f} s")
    for seconds, level, method in done[:top]:
        print(f"{seconds * 1000:7.1f} ms  tier {level}  {method}")


if __name__ == "__main__":
    main()
