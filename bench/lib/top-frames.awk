# Top frames of a JFR recording, from `jfr print --events jdk.ExecutionSample FILE`: self (top frame)
# and inclusive sample shares of each method. Used by bench/profile-ingest.sh and bench/flush-cpu.sh.
# Usage: jfr print --events jdk.ExecutionSample rec.jfr | gawk -v top=25 [-v threads='REGEX'] -f top-frames.awk -f top-shares.awk
#   threads: only samples of threads whose quoted name matches (e.g. '"(flusher|queue-prefetch)"')
/jdk.ExecutionSample/ { inst = 1; first = 1; keep = (threads == ""); delete seen; next }
/sampledThread = / { if (threads != "") keep = ($0 ~ threads); next }
/stackTrace = \[/ { next }
inst && keep && /line:/ {
  f = $1; sub(/\(.*/, "", f)
  if (first) { self[f]++; first = 0; n++ }
  if (!(f in seen)) { incl[f]++; seen[f] = 1 }
}
