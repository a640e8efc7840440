# Top frames of an async-profiler collapsed-stack file (`collapsed,threads`): self (top frame) and
# inclusive sample shares of each frame, kernel frames included (they end in _[k]).
# Usage: gawk -v top=25 [-v threads='REGEX'] -f collapsed-top.awk -f top-shares.awk FILE
#   threads: only stacks whose thread frame (the first, "[name tid=N]") matches, e.g. '^\[(flusher|queue-prefetch)'
{
  c = $NF; stack = $0; sub(/ [0-9]+$/, "", stack)
  k = split(stack, f, ";")
  if (threads != "" && f[1] !~ threads) next
  n += c; self[f[k]] += c
  delete seen
  for (i = 2; i <= k; i++) if (!(f[i] in seen)) { incl[f[i]] += c; seen[f[i]] = 1 }
}
