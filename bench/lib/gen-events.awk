# Generates N log events, deterministically, twice over:
#   - as NDJSON request bodies of PER events each: OUTDIR/body-000000.ndjson, ... (what apps send);
#   - as one TSV file (TSV=path) holding exactly the row the router stores for each event
#     (ts, level, source, message, attributes, received_at, router_id), for the LOAD DATA ceiling.
# Each event is ~200 bytes of JSON (the size the issues' goals are stated for):
#   {"timestamp":"2024-10-07T10:00:00.001Z","level":"info","source":"checkout-07",
#    "message":"order 1 placed by user 7919 total 42.17 EUR","user_id":7919,
#    "request_id":"00000000-0000-4000-8000-000000000001","env":"prod"}
# Usage: gawk -v n=1000000 -v per=1000 -v outdir=DIR -v tsv=FILE -v router_id=ID -f gen-events.awk
BEGIN {
  base = 1728295200                       # 2024-10-07T10:00:00Z: a fixed start keeps runs identical
  split("info info info info info info info warn error debug", lv, " ")   # 70% INFO, like real logs
  received = "2026-01-01 00:00:00.000000"   # the ceiling's rows need some receive time; value is irrelevant
  file = ""
  for (i = 0; i < n; i++) {
    if (i % per == 0) {
      if (file != "") close(file)
      file = sprintf("%s/body-%06d.ndjson", outdir, i / per)
    }
    ms = i % 1000                          # one event per millisecond: ts increases like a real stream
    sec = base + int(i / 1000)
    iso = strftime("%Y-%m-%dT%H:%M:%S", sec, 1)
    sql = strftime("%Y-%m-%d %H:%M:%S", sec, 1)
    level = lv[(i % 10) + 1]
    source = sprintf("checkout-%02d", i % 20)   # 20 services: a realistic spread for the source index
    user = (i * 7919) % 100000
    message = sprintf("order %d placed by user %d total %d.%02d EUR", i, user, i % 500, i % 100)
    attrs = sprintf("{\"user_id\":%d,\"request_id\":\"00000000-0000-4000-8000-%012d\",\"env\":\"prod\"}", user, i)
    printf "{\"timestamp\":\"%s.%03dZ\",\"level\":\"%s\",\"source\":\"%s\",\"message\":\"%s\",%s\n",
      iso, ms, level, source, message, substr(attrs, 2) > file
    if (tsv != "")
      printf "%s.%03d000\t%s\t%s\t%s\t%s\t%s\t%s\n", sql, ms, toupper(level), source, message, attrs,
        received, router_id > tsv
  }
  close(file)
}
