-- wrk script: POST the bytes of one file to the target on every request.
--   wrk ... -s wrk-post.lua URL -- BODY_FILE CONTENT_TYPE [keyed|unkeyed]
-- keyed: every request carries its own Idempotency-Key; unkeyed: the same per-request path without
-- the header (so a keyed/unkeyed comparison pays the same client-side cost). Without the third
-- argument wrk sends its one pre-built request (fastest client).
-- At the end it prints one machine-readable line, prefixed WRKJSON, that run.sh parses:
-- wrk's own "Requests/sec" counts non-2xx answers too, and only 202s are acked.

-- Each thread gets a number, so that keys differ between wrk's threads (each has its own Lua state, and
-- math.random starts from the same seed in every one of them and in every run).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = args[2] or "application/json"
  if args[3] == "keyed" or args[3] == "unkeyed" then
    keyed = args[3] == "keyed"
    -- Unique per run (the start second) and per thread; a repeated key would be answered from the
    -- router's recent-key memory without storing anything, and measure that instead.
    prefix = string.format("%d-%d-", os.time(), thread_number or 0)
    counter = 0
    request = function()
      counter = counter + 1
      local headers = {["Content-Type"] = wrk.headers["Content-Type"]}
      if keyed then
        headers["Idempotency-Key"] = prefix .. counter
      end
      return wrk.format("POST", nil, headers, wrk.body)
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"non_2xx":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
