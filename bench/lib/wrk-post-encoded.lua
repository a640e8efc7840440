-- wrk script: POST the bytes of one file with a Content-Type and an optional Content-Encoding.
--   wrk ... -s wrk-post-encoded.lua URL -- BODY_FILE CONTENT_TYPE [CONTENT_ENCODING]
-- Prints the same WRKJSON line as wrk-post.lua.

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = args[2]
  if args[3] and args[3] ~= "" then
    wrk.headers["Content-Encoding"] = args[3]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"non_2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, latency:percentile(50), latency:percentile(99)))
end
