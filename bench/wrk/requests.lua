-- wrk script for bench/load.py: cycles through the requests in $BENCH_FILE, one per line:
--   METHOD <tab> PATH <tab> AUTHORIZATION <tab> COOKIE <tab> BODY   (empty fields allowed)
-- Each of wrk's threads takes every $BENCH_THREADS-th line from its own offset, so a POST line
-- (a transition on one application) is used once. done() prints one JSON line of figures.

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local lines, counter, stride = {}, 1, 1
function init(args)
  for line in io.lines(os.getenv("BENCH_FILE")) do
    table.insert(lines, line)
  end
  stride = tonumber(os.getenv("BENCH_THREADS") or "1")
  counter = (tid or 0) + 1
end

function request()
  local line = lines[((counter - 1) % #lines) + 1]
  counter = counter + stride
  local method, path, auth, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
  if method == nil then
    error("not a request line in " .. os.getenv("BENCH_FILE") .. ": " .. line)
  end
  local headers = {}
  if auth ~= "" then headers["Authorization"] = auth end
  if cookie ~= "" then headers["Cookie"] = cookie end
  if body ~= "" then
    headers["Content-Type"] = "application/json"
  else
    body = nil
  end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
