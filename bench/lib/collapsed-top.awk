# Top frames of an async-profiler collapsed-stack file (`collapsed,threads`): self (top frame) and
# inclusive sample shares of each frame, kernel frames included (they end in _[k]).
# Usage: gawk -v top=25 [-v threads='REGEX'] -f collapsed-top.awk FILE
#   threads: only stacks whose thread frame (the first, "[name tid=N]") matches, e.g. '^\[(flusher|queue-prefetch)'
{
  n = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
  k = split(stack, f, ";")
  if (threads != "" && f[1] !~ threads) next
  total += n; self[f[k]] += n
  delete seen
  for (i = 2; i <= k; i++) if (!(f[i] in seen)) { incl[f[i]] += n; seen[f[i]] = 1 }
}
END {
  printf "samples: %d\n-- self (top frame) --\n", total
  PROCINFO["sorted_in"] = "@val_num_desc"; i = 0
  for (x in self) { if (i++ >= top) break; printf "%5.1f%%  %s\n", 100 * self[x] / total, x }
  print "-- inclusive --"; i = 0
  for (x in incl) { if (i++ >= top) break; printf "%5.1f%%  %s\n", 100 * incl[x] / total, x }
}
