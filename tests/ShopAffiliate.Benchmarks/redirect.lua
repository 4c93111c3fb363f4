-- wrk script for the redirect benchmark: exact request/response counts and a quiet tail.
--
--   wrk -t2 -c64 -d22s --latency -s redirect.lua http://127.0.0.1:PORT/r/CODE -- 20
--
-- The argument after `--` is the measured window in seconds; run wrk a little longer (run.sh adds 2 s).
-- Why: wrk stops on a timer with up to one request per connection in flight. Those requests are served (a
-- click is stored) but wrk never counts them, so "stored clicks == requests wrk counted" would not be exact.
-- Here each thread sends real requests only until the window ends; after that a connection that gets its
-- answer sends nothing more (an empty request: wrk writes 0 bytes and waits), and once every request the
-- thread sent has been answered the thread stops itself. So, when `inflight=0` is printed, every request
-- sent was answered and counted: the server handled exactly `sent` requests.
--
-- Prints one machine-readable line (parsed by run.sh):
--   BENCH sent=.. done=.. s2xx=.. s302=.. s3xx=.. s4xx=.. s5xx=.. inflight=.. window=.. rps=.. p50_us=.. p90_us=..
--         p99_us=.. max_us=.. mean_us=.. err_connect=.. err_read=.. err_write=.. err_timeout=.. wrk_requests=..

local ffi = require("ffi")
ffi.cdef [[
  struct sa_timespec { long tv_sec; long tv_nsec; };
  int clock_gettime(int clk_id, struct sa_timespec *tp);
]]
local ts = ffi.new("struct sa_timespec")
local function now() -- CLOCK_MONOTONIC, seconds; the same clock in every thread
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}

function setup(thread) -- runs in wrk's main Lua state, before the thread's init()
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  local window = tonumber(args[1]) or error("redirect.lua: give the measured window in seconds after --")
  t0 = now()
  deadline = t0 + window
  t_last = t0
  req = wrk.format() -- method, path and headers (-H) from the command line
  sent, done_, s2xx, s302, s3xx, s4xx, s5xx = 0, 0, 0, 0, 0, 0, 0
  closed = false
  -- wrk calls request() once on the first thread's state to check the request (script_verify_request);
  -- that request is never sent, so it is not counted.
  verify_pending = (tid == 1)
end

-- Past the deadline, checked after every response and every request that was not sent: once every request this
-- thread sent has been answered, stop the thread (its other connections idle; none has anything in flight).
function stop_if_idle()
  if done_ == sent then wrk.thread:stop() end
end

function request()
  if verify_pending then
    verify_pending = false
    return req
  end
  if closed or now() >= deadline then
    closed = true
    stop_if_idle()
    return "" -- nothing is written; the connection idles until the thread stops
  end
  sent = sent + 1
  return req
end

function response(status, headers, body)
  done_ = done_ + 1
  t_last = now()
  if status == 302 then
    s302 = s302 + 1
  elseif status >= 200 and status < 300 then
    s2xx = s2xx + 1
  elseif status >= 300 and status < 400 then
    s3xx = s3xx + 1
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  else
    s5xx = s5xx + 1
  end
  if closed or t_last >= deadline then
    closed = true
    stop_if_idle()
  end
end

function done(summary, latency, requests)
  local tot = { sent = 0, done_ = 0, s2xx = 0, s302 = 0, s3xx = 0, s4xx = 0, s5xx = 0 }
  local first, last = math.huge, 0
  for _, t in ipairs(threads) do
    for k, _ in pairs(tot) do tot[k] = tot[k] + t:get(k) end
    first = math.min(first, t:get("t0"))
    last = math.max(last, t:get("t_last"))
  end
  local window = last - first
  local e = summary.errors
  io.write(string.format(
    "BENCH sent=%d done=%d s2xx=%d s302=%d s3xx=%d s4xx=%d s5xx=%d inflight=%d window=%.3f rps=%.1f " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d wrk_requests=%d\n",
    tot.sent, tot.done_, tot.s2xx, tot.s302, tot.s3xx, tot.s4xx, tot.s5xx, tot.sent - tot.done_,
    window, window > 0 and tot.done_ / window or 0,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, summary.requests))
end
