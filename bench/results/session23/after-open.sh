#!/bin/bash
# after-open.sh DIR: compiles and deopts in the 15 s after the port opened, from DIR/jit.log and DIR/router.log
d=$1
open=$(grep "start-up warm-up" $d/router.log | cut -c12-23 | awk -F: '{print $1*3600+$2*60+$3}')
start=$(head -1 $d/jit.log | cut -c13-24 | awk -F: '{print $1*3600+$2*60+$3}')
up0=$(head -1 $d/jit.log | sed -E 's/.*\]\[([0-9.]+)s\].*/\1/')
o=$(echo "$open - $start + $up0" | bc)
awk -F'[][]' -v o=$o '{u=$4; sub(/s$/,"",u); u+=0; if (u>=o && u<o+15) { if ($5 ~ /made not entrant/) { ne++; if ($5 ~ /^ *[0-9]+ +[!%sbn ]* +4 /) ne4++ } else c++ } }
  END {printf "open at %.2f s: 15 s after: compile tasks %d, made not entrant %d (tier 4: %d)\n", o, c, ne, ne4}' $d/jit.log
awk -F'[][]' -v o=$o '{u=$4; sub(/s$/,"",u); u+=0; if (u>=o && u<o+15 && $5 ~ /made not entrant/ && $5 ~ /^ *[0-9]+ +[!%sbn ]* +4 /) print u, $5}' $d/jit.log | head -${2:-30}
