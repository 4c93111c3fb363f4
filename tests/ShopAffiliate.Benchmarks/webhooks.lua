-- wrk script for the webhook benchmark: signed Shopify orders/create deliveries, exact counts and a quiet tail.
--
--   wrk -t2 -c64 -d12s --latency -s webhooks.lua http://127.0.0.1:PORT/webhooks/shopify -- 10 deliveries.tsv RUN
--
-- Arguments after `--`: the measured window in seconds, the deliveries file (one per line: signature TAB body, as
-- webhooks.sh writes it) and a run name that makes the webhook ids unique. Thread t of T sends orders t, t+T, t+2T, ...
-- of the file (T from the WRK_THREADS environment variable), round and round: every request a new
-- X-Shopify-Webhook-Id, as Shopify sends a re-sent order.
-- Like redirect.lua, each thread sends only until the window ends and then waits for every answer, so with inflight=0
-- the server handled exactly `sent` requests.
--
-- Prints one machine-readable line (parsed by webhooks.sh):
--   BENCH sent=.. done=.. s2xx=.. s4xx=.. s5xx=.. other=.. inflight=.. window=.. rps=.. p50_us=.. p99_us=.. max_us=..
--         err_connect=.. err_read=.. err_write=.. err_timeout=..

local ffi = require("ffi")
ffi.cdef [[
  struct sa_timespec { long tv_sec; long tv_nsec; };
  int clock_gettime(int clk_id, struct sa_timespec *tp);
]]
local ts = ffi.new("struct sa_timespec")
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  local window = tonumber(args[1]) or error("webhooks.lua: give the window, the deliveries file and a run name after --")
  run = args[3] or "run"
  signatures, bodies = {}, {}
  for line in io.lines(args[2]) do
    local tab = line:find("\t", 1, true)
    table.insert(signatures, line:sub(1, tab - 1))
    table.insert(bodies, line:sub(tab + 1))
  end
  t0 = now()
  deadline = t0 + window
  t_last = t0
  sent, done_, s2xx, s4xx, s5xx, other = 0, 0, 0, 0, 0, 0
  closed = false
  verify_pending = (tid == 1)
  step = tonumber(os.getenv("WRK_THREADS") or "1")
  index = tid - 1
end

local function stop_if_idle()
  if done_ == sent then wrk.thread:stop() end
end

local function delivery()
  local i = index % #bodies + 1
  index = index + step
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-Shopify-Topic"] = "orders/create",
    ["X-Shopify-Shop-Domain"] = "bench-shop.myshopify.com",
    ["X-Shopify-Hmac-Sha256"] = signatures[i],
    ["X-Shopify-Webhook-Id"] = string.format("%s-%d-%d", run, tid, sent),
    ["X-Shopify-Triggered-At"] = "2026-03-14T14:21:34Z",
  }, bodies[i])
end

function request()
  if verify_pending then -- wrk's check of the request; never sent
    verify_pending = false
    return delivery()
  end
  if closed or now() >= deadline then
    closed = true
    stop_if_idle()
    return ""
  end
  sent = sent + 1
  return delivery()
end

function response(status, headers, body)
  done_ = done_ + 1
  t_last = now()
  if status >= 200 and status < 300 then s2xx = s2xx + 1
  elseif status >= 400 and status < 500 then s4xx = s4xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  else other = other + 1 end
  if closed or t_last >= deadline then
    closed = true
    stop_if_idle()
  end
end

function done(summary, latency, requests)
  local tot = { sent = 0, done_ = 0, s2xx = 0, s4xx = 0, s5xx = 0, other = 0 }
  local first, last = math.huge, 0
  for _, t in ipairs(threads) do
    for k, _ in pairs(tot) do tot[k] = tot[k] + t:get(k) end
    first = math.min(first, t:get("t0"))
    last = math.max(last, t:get("t_last"))
  end
  local window = last - first
  local e = summary.errors
  io.write(string.format(
    "BENCH sent=%d done=%d s2xx=%d s4xx=%d s5xx=%d other=%d inflight=%d window=%.3f rps=%.1f " ..
    "p50_us=%d p99_us=%d max_us=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    tot.sent, tot.done_, tot.s2xx, tot.s4xx, tot.s5xx, tot.other, tot.sent - tot.done_,
    window, window > 0 and tot.done_ / window or 0,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout))
end
