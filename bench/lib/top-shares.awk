# The END of bench/lib/top-frames.awk and bench/lib/collapsed-top.awk (give it as a second -f): prints
# the `top` frames by self and by inclusive share of the n samples counted in self[] and incl[].
END {
  printf "samples: %d\n-- self (top frame) --\n", n
  PROCINFO["sorted_in"] = "@val_num_desc"; i = 0
  for (frame in self) { if (i++ >= top) break; printf "%5.1f%%  %s\n", 100 * self[frame] / n, frame }
  print "-- inclusive --"; i = 0
  for (frame in incl) { if (i++ >= top) break; printf "%5.1f%%  %s\n", 100 * incl[frame] / n, frame }
}
