-- wrk's script for bench/endpoint/wrk.ts: sends the requests listed in the file named by
-- WRK_REQUESTS, one per line (a path, then `name: value` headers, tab-separated), each thread
-- from its own place in the list, round and round; prints one JSON line at the end.
local requests = {}

local threads = {}
function setup(thread)
  thread:set("place", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  -- Made here, not as the script loads: wrk knows the Host header only from now on.
  for line in io.lines(os.getenv("WRK_REQUESTS")) do
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = field end
    local headers = {}
    for i = 2, #fields do
      local name, value = string.match(fields[i], "^([^:]+): (.*)$")
      headers[name] = value
    end
    requests[#requests + 1] = wrk.format("GET", fields[1], headers)
  end
  -- The second thread starts halfway (wrk.ts runs at most two), so they do not ask alike at once.
  next_request = 1 + (place * math.floor(#requests / 2)) % #requests
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"microseconds":%d,"non2xx":%d,"errors":%d,"p50":%d,"p99":%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
