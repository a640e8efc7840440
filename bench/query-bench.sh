#!/usr/bin/env bash
# Query benchmark of log-router on a `logs` table of ROWS rows (default 10,000,000).
#
#   bench/query-bench.sh              # load (if not loaded yet) and measure
#   RELOAD=1 bench/query-bench.sh     # drop the bench schema and load again
#
# Measures, as server time (SHOW PROFILES) of the exact SQL GET /logs issues:
#   1. first page (100 rows) of a one-hour window filtered by level and source;
#   2. a `ct` (contains) search inside a one-day window, with EXPLAIN/ANALYZE showing that only
#      that day's index range is read, not the other days;
#   3. keyset paging: page 1 vs page 1,000 (100 rows a page), and OFFSET for comparison;
#   4. the explorer's GET /logs/histogram over 24 h (goal < 100 ms on this machine), unfiltered and
#      with a level, with the distinct-levels dive it starts with, and GET /logs/sources over 24 h;
#      then the same histogram from the per-minute counts (V4, issue 14): the whole minutes from
#      log_minute_counts / log_source_minute_counts, the partial first and last minutes from logs.
# Loading 10M rows (awk + LOAD DATA, then the keys) took about LOAD_TIME_NOTE on the 2-core machine;
# later runs reuse the schema. The counts tables come from V4's own backfill (one INSERT … SELECT …
# GROUP BY over logs: about 4 min here), applied once to a schema loaded without them.
# ONLY=histogram skips sections 1-3.
# Needs: mysql client, awk (gawk), a MySQL 8 / MariaDB 10.11 server with local_infile=ON.
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
DB_USER=${DB_USER:-root}
DB_PASSWORD=${DB_PASSWORD:-}
SCHEMA=${SCHEMA:-lr_query_bench}
ROWS=${ROWS:-10000000}
DAYS=${DAYS:-30}                      # 10M rows over 30 days ≈ 14k rows an hour, 333k a day
SOURCES=${SOURCES:-20}
START_EPOCH=${START_EPOCH:-1727740800} # 2024-10-01T00:00:00Z
REPEAT=${REPEAT:-5}                   # warm runs per query; the report gives the median
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=${WORK:-$ROOT/target/query-bench}

mysql_() { mysql --default-character-set=utf8mb4 --local-infile=1 -h"$DB_HOST" -P"$DB_PORT" -u"$DB_USER" ${DB_PASSWORD:+-p"$DB_PASSWORD"} "$@"; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

load() {
  mkdir -p "$WORK"
  local data="$WORK/rows-$ROWS.tsv"
  if [[ ! -s $data ]]; then
    log "generating $ROWS rows into $data"
    LC_ALL=C awk -v seed=42 -v rows="$ROWS" -v days="$DAYS" -v sources="$SOURCES" -v start="$START_EPOCH" \
      -f "$HERE/query/gen-rows.awk" > "$data.tmp"
    mv "$data.tmp" "$data"
  fi
  log "creating schema $SCHEMA from V1"
  mysql_ -e "DROP DATABASE IF EXISTS $SCHEMA; CREATE DATABASE $SCHEMA CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci"
  mysql_ "$SCHEMA" < "$ROOT/src/main/resources/db/migration/V1__logs_offsets_rejected.sql"
  # Secondary keys are built after the load: one sorted build each is far cheaper than keeping
  # three B-trees up to date row by row in a small buffer pool.
  mysql_ "$SCHEMA" -e "ALTER TABLE logs DROP KEY logs_ts, DROP KEY logs_level_ts, DROP KEY logs_source_ts"
  log "LOAD DATA LOCAL INFILE"
  mysql_ "$SCHEMA" -e "SET unique_checks = 0; LOAD DATA LOCAL INFILE '$data' INTO TABLE logs
      CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\t' LINES TERMINATED BY '\n'
      (ts, level, source, message, attributes, received_at, router_id)"
  log "building the V1 secondary keys"
  mysql_ "$SCHEMA" -e "ALTER TABLE logs ADD KEY logs_ts (ts, id), ADD KEY logs_level_ts (level, ts, id), ADD KEY logs_source_ts (source, ts, id); ANALYZE TABLE logs"
  log "loaded"
}

# The per-minute counts (V4) of the loaded rows, by the migration itself (its backfill).
ensure_counts() {
  if ! mysql_ -N -e "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA='$SCHEMA' AND TABLE_NAME='log_source_minute_counts'" | grep -q 1; then
    log "applying V4: counting the loaded rows per minute"
    mysql_ "$SCHEMA" < "$ROOT/src/main/resources/db/migration/V4__minute_counts.sql"
    mysql_ "$SCHEMA" -e "ANALYZE TABLE log_minute_counts, log_source_minute_counts" > /dev/null
    log "counted"
  fi
}

loaded_rows() {
  mysql_ -N -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='$SCHEMA' AND TABLE_NAME='logs'" | grep -q 1 \
    && mysql_ -N "$SCHEMA" -e "SELECT COUNT(*) FROM logs" || echo 0
}

# Runs one statement once cold-ish (first) and REPEAT times warm; prints first and median ms, and
# the median CPU ms the server spent on it (information_schema.PROFILING: user + system), which
# depends far less on how busy the machine is than the elapsed time.
time_sql() {
  local label=$1 sql=$2
  local script="SET profiling=1; SET profiling_history_size=100;"
  for ((i = 0; i <= REPEAT; i++)); do script+=" $sql;"; done
  script+=" SHOW PROFILES; SELECT 'cpu', QUERY_ID, SUM(CPU_USER) + SUM(CPU_SYSTEM) FROM information_schema.PROFILING GROUP BY QUERY_ID;"
  # On stdin: REPEAT copies of a 49-part UNION outgrow one command-line argument (128 kB).
  mysql_ -N "$SCHEMA" <<< "$script" | awk -F'\t' -v label="$label" -v n="$REPEAT" '
    NF >= 3 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9.]+$/ && $3 ~ /^SELECT/ { d[++k] = $2 * 1000; ids[k] = $1 }
    $1 == "cpu" { cpu[$2] = $3 * 1000 }
    END {
      first = d[1]; m = 0; for (i = 2; i <= k; i++) { w[++m] = d[i]; c[m] = cpu[ids[i]] }
      asort(w); med = w[int((m + 1) / 2)]; asort(c); cmed = c[int((m + 1) / 2)];
      printf "%-58s first %8.2f ms   median of %d warm %8.2f ms   server CPU %8.2f ms\n", label, first, n, med, cmed }'
}

main() {
  local have
  have=$(loaded_rows)
  if [[ ${RELOAD:-0} == 1 || $have -lt $ROWS ]]; then load; fi
  ensure_counts
  log "machine: $(uptime)"
  log "table: $(loaded_rows) rows; server $(mysql_ -N -e 'SELECT VERSION()'), buffer pool $(mysql_ -N -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MB"

  # Windows in the middle of the data: day 15, its 12:00-13:00 hour.
  local day_from day_to hour_from hour_to
  day_from=$(date -u -d "@$((START_EPOCH + 15 * 86400))" '+%Y-%m-%d %H:%M:%S')
  day_to=$(date -u -d "@$((START_EPOCH + 16 * 86400 - 1))" '+%Y-%m-%d %H:%M:%S').999999
  hour_from=$(date -u -d "@$((START_EPOCH + 15 * 86400 + 12 * 3600))" '+%Y-%m-%d %H:%M:%S')
  hour_to=$(date -u -d "@$((START_EPOCH + 15 * 86400 + 13 * 3600 - 1))" '+%Y-%m-%d %H:%M:%S').999999
  local cols="SELECT id, ts, level, source, message, attributes FROM logs"
  local order="ORDER BY ts DESC, id DESC LIMIT 101"

  if [[ ${ONLY:-} == histogram ]]; then histogram_section; return; fi
  echo "== 1. first page, one-hour window, level=ERROR, source=svc-07"
  local q1="$cols WHERE ts >= '$hour_from' AND ts <= '$hour_to' AND level = 'ERROR' AND source = 'svc-07' $order"
  mysql_ -t "$SCHEMA" -e "EXPLAIN $q1"
  time_sql "hour + level + source, first page" "$q1"
  local q1b="$cols WHERE ts >= '$hour_from' AND ts <= '$hour_to' AND level = 'WARN' $order"
  time_sql "hour + level only, first page" "$q1b"

  echo "== 2. ct 'timeout' inside one day ($day_from .. $day_to)"
  local q2="$cols WHERE ts >= '$day_from' AND ts <= '$day_to' AND message LIKE '%timeout%' ESCAPE '!' $order"
  mysql_ -t "$SCHEMA" -e "EXPLAIN $q2"
  echo "-- ANALYZE (r_rows = rows actually read; the table holds $(loaded_rows)):"
  mysql_ -t "$SCHEMA" -e "ANALYZE $q2" 2>/dev/null | cut -c1-200 || echo "(ANALYZE statement is MariaDB's; on MySQL use EXPLAIN ANALYZE)"
  time_sql "one day + ct 'timeout', first page" "$q2"
  local q2b="$cols WHERE ts >= '$day_from' AND ts <= '$day_to' AND message LIKE '%no such text%' ESCAPE '!' $order"
  mysql_ -t "$SCHEMA" -e "ANALYZE $q2b" 2>/dev/null | cut -c1-200 || true
  time_sql "one day + ct with no match (reads the whole day)" "$q2b"

  echo "== 3. paging: page 1 vs page 1,000 (100 rows a page)"
  local c
  c=$(mysql_ -N "$SCHEMA" -e "SELECT CONCAT(ts, ',', id) FROM logs ORDER BY ts DESC, id DESC LIMIT 1 OFFSET 99899")
  local c_ts=${c%,*} c_id=${c#*,}
  local page1="$cols ORDER BY ts DESC, id DESC LIMIT 101"
  local page1000="$cols WHERE (ts < '$c_ts' OR (ts = '$c_ts' AND id < $c_id)) ORDER BY ts DESC, id DESC LIMIT 101"
  mysql_ -t "$SCHEMA" -e "EXPLAIN $page1000"
  time_sql "page 1 (no cursor)" "$page1"
  time_sql "page 1,000 (cursor after row 99,900)" "$page1000"
  time_sql "page 1,000 by OFFSET 99900 (what the API avoids)" "$cols ORDER BY ts DESC, id DESC LIMIT 101 OFFSET 99900"
  local lp1="$cols WHERE level = 'ERROR' ORDER BY ts DESC, id DESC LIMIT 101"
  c=$(mysql_ -N "$SCHEMA" -e "SELECT CONCAT(ts, ',', id) FROM logs WHERE level='ERROR' ORDER BY ts DESC, id DESC LIMIT 1 OFFSET 99899")
  c_ts=${c%,*}; c_id=${c#*,}
  time_sql "level=ERROR page 1" "$lp1"
  time_sql "level=ERROR page 1,000 (cursor)" "$cols WHERE level = 'ERROR' AND (ts < '$c_ts' OR (ts = '$c_ts' AND id < $c_id)) $order"
}

# The statements of LogSql.histogram / LogSql.sources / LogSql.distinct for the explorer's default
# 24 h window (60 buckets asked → 1,800 s buckets, 49 of them from the aligned start), values
# written in as GET /logs/sql would: one SELECT … GROUP BY level per bucket, UNION ALL.
histogram_section() {
  local f0=$((START_EPOCH + 15 * 86400 + 12 * 3600)) width=1800
  local from to start0 count
  from=$(date -u -d "@$f0" '+%Y-%m-%d %H:%M:%S')
  to=$(date -u -d "@$((f0 + 86400))" '+%Y-%m-%d %H:%M:%S')
  start0=$((f0 / width * width))
  count=$(( (f0 + 86400 - start0) / width + 1 ))
  local levels in_list rows_in_window
  levels=$(mysql_ -N "$SCHEMA" -e "SELECT DISTINCT level FROM logs WHERE level IS NOT NULL LIMIT 201")
  in_list=$(printf "'%s'," $levels); in_list=${in_list%,}
  rows_in_window=$(mysql_ -N "$SCHEMA" -e "SELECT COUNT(*) FROM logs WHERE ts >= '$from' AND ts <= '$to'")
  echo "== 4. explorer histogram: 24 h ($from .. $to, $rows_in_window rows of $(loaded_rows)), $count buckets of $width s"
  local window="ts >= '$from' AND ts <= '$to'" union="" b lo hi
  for ((b = 0; b < count; b++)); do
    lo=""; hi=""
    ((b > 0)) && lo=" AND ts >= '$(date -u -d "@$((start0 + b * width))" '+%Y-%m-%d %H:%M:%S')'"
    ((b < count - 1)) && hi=" AND ts < '$(date -u -d "@$((start0 + (b + 1) * width))" '+%Y-%m-%d %H:%M:%S')'"
    union+="${union:+ UNION ALL }SELECT $b AS bucket, level, COUNT(*) FROM logs WHERE $window AND level IN ($in_list)$lo$hi GROUP BY level"
  done
  mysql_ -t "$SCHEMA" -e "EXPLAIN $union" | head -6
  local grouped="SELECT TIMESTAMPDIFF(SECOND, '$(date -u -d "@$start0" '+%Y-%m-%d %H:%M:%S')', ts) DIV $width AS bucket, level, COUNT(*) FROM logs"
  time_sql "distinct levels (the IN list's dive)" "SELECT DISTINCT level FROM logs WHERE level IS NOT NULL LIMIT 201"
  time_sql "histogram 24 h, every level (the API's statement)" "$union"
  local errors_only="level = 'ERROR'"
  time_sql "histogram 24 h, level=ERROR" "${union//"level IN ($in_list)"/$errors_only}"
  time_sql "floor: COUNT(*) of the same key ranges, no buckets" "SELECT COUNT(*) FROM logs WHERE $window AND level IN ($in_list)"
  time_sql "one GROUP BY bucket expression, level (replaced)" "$grouped WHERE $window AND level IN ($in_list) GROUP BY bucket, level ORDER BY NULL"
  time_sql "the same without the IN list (what it avoids)" "$grouped WHERE $window GROUP BY bucket, level ORDER BY NULL"
  local sources s_in
  sources=$(mysql_ -N "$SCHEMA" -e "SELECT DISTINCT source FROM logs WHERE source IS NOT NULL LIMIT 201")
  s_in=$(printf "'%s'," $sources); s_in=${s_in%,}
  time_sql "sources 24 h, top 10" "SELECT source, COUNT(*) AS n FROM logs WHERE $window AND (source IN ($s_in) OR source IS NULL) GROUP BY source ORDER BY n DESC, source LIMIT 10"
  local one_source="level IN ($in_list) AND source = 'svc-07'"
  time_sql "histogram 24 h, source=svc-07" "${union//"level IN ($in_list)"/$one_source}"
  counts_section "$f0" "$width" "$in_list"
}

# The statements of CountedMinutes.sql and of the partial minutes (LogSql.histogram of one bucket)
# for the same window shifted by 30.5 s, so that both ends cut a minute (what the explorer sends:
# "last 24 h" from now), and for the aligned window, which has none.
counts_section() {
  local f0=$1 width=$2 in_list=$3
  local start0=$((f0 / width * width)) shifted
  for shifted in 1 0; do
    local from_s=$((f0 + 30 * shifted)) frac=$((shifted ? 500000 : 0))
    local to_s=$((from_s + 86400 - (shifted ? 0 : 1)))
    local from to first last head_end tail_start label
    from="$(date -u -d "@$from_s" '+%Y-%m-%d %H:%M:%S').$(printf %06d $frac)"
    # The aligned window ends on the last microsecond of a minute: no partial minute at either end.
    to="$(date -u -d "@$to_s" '+%Y-%m-%d %H:%M:%S').$( ((shifted)) && printf %06d $frac || echo 999999)"
    # The first whole minute at or after from; the last whole minute that ends at or before to.
    local first_s=$(( (from_s + 59 + (frac > 0 ? 1 : 0)) / 60 * 60 )) last_s=$(( to_s / 60 * 60 - (shifted ? 60 : 0) ))
    first=$(date -u -d "@$first_s" '+%Y-%m-%d %H:%M:%S'); last=$(date -u -d "@$last_s" '+%Y-%m-%d %H:%M:%S')
    local offset=$(( (first_s - start0) / 60 )) per=$((width / 60))
    local counted="SELECT (TIMESTAMPDIFF(MINUTE, '$first', minute) + $offset) DIV $per AS bucket, level, SUM(events)"
    local range="minute >= '$first' AND minute <= '$last'"
    label=$([[ $shifted == 1 ]] && echo "$from .. $to, partial ends" || echo "$from .. $to, whole minutes")
    echo "== 4b. histogram from the per-minute counts: $label"
    mysql_ -t "$SCHEMA" -e "EXPLAIN $counted FROM log_minute_counts WHERE $range GROUP BY bucket, level ORDER BY NULL"
    time_sql "counts: 24 h, every level (whole minutes)" "$counted FROM log_minute_counts WHERE $range GROUP BY bucket, level ORDER BY NULL"
    time_sql "counts: 24 h, level=ERROR" "$counted FROM log_minute_counts WHERE $range AND level = 'ERROR' GROUP BY bucket, level ORDER BY NULL"
    time_sql "counts: 24 h, source=svc-07" "$counted FROM log_source_minute_counts WHERE source = 'svc-07' AND $range GROUP BY bucket, level ORDER BY NULL"
    if [[ $shifted == 1 ]]; then
      head_end="$(date -u -d "@$((first_s - 1))" '+%Y-%m-%d %H:%M:%S').999999"
      tail_start=$(date -u -d "@$((last_s + 60))" '+%Y-%m-%d %H:%M:%S')
      time_sql "logs: the partial first minute" "SELECT 0 AS bucket, level, COUNT(*) FROM logs WHERE ts >= '$from' AND ts <= '$head_end' AND level IN ($in_list) GROUP BY level"
      time_sql "logs: the partial last minute" "SELECT 0 AS bucket, level, COUNT(*) FROM logs WHERE ts >= '$tail_start' AND ts <= '$to' AND level IN ($in_list) GROUP BY level"
    fi
  done
}

main "$@"
