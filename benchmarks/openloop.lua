-- Fixed-rate ("open loop") load for wrk, as wrk2 does it, with LuaJIT's ffi clock.
-- Run with one connection per thread (-t N -c N) and the per-thread rate as the
-- script argument: `wrk -t8 -c8 -d30s -s openloop.lua URL -- RATE_PER_THREAD`.
-- Request k of a connection is due at t0 + k/rate; delay() waits until then,
-- and each latency is measured from the time the request was DUE (not sent),
-- so a stall is charged to every request it held back (no coordinated omission).
-- Timer granularity is 1 ms: a request may leave up to 1 ms after its due time,
-- and that 1 ms is counted in its latency.
-- It also reports the send lag (how late each request actually left: at most ~1 ms
-- when the server keeps up; it grows when a connection is still busy with earlier
-- requests, i.e. the offered rate is above what client + server sustain) and the p99
-- of each half of the run (a queue that grows through the run shows as a second half
-- far worse than the first: overload, not tail latency). With servers that close the
-- connection after each response (gunicorn sync workers), wrk reconnects before the
-- next request: the connect is inside the measured latency, as a client would see it.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } openloop_timespec;
int clock_gettime(int clk_id, openloop_timespec *tp);
]]
local ts = ffi.new("openloop_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  interval = 1000 / tonumber(args[1])
  lat = {}
  lag = {}
  due = {}
  n = 0
  t0 = now_ms()
  req = wrk.format()
end

function request()
  lag[#lag + 1] = now_ms() - (t0 + n * interval)
  return req
end

function delay()
  local wait = t0 + n * interval - now_ms()
  if wait <= 0 then
    return 0
  end
  return math.ceil(wait)
end

function response(status, headers, body)
  local d = t0 + n * interval
  lat[#lat + 1] = now_ms() - d
  due[#due + 1] = d
  n = n + 1
end

function done(summary, latency, requests)
  local all, lags, first, second = {}, {}, {}, {}
  local start, half = math.huge, summary.duration / 2e3
  for _, t in ipairs(threads) do
    start = math.min(start, t:get("t0"))
  end
  for _, t in ipairs(threads) do
    local dues = t:get("due") or {}
    for i, v in ipairs(t:get("lat") or {}) do
      all[#all + 1] = v
      if dues[i] - start < half then first[#first + 1] = v else second[#second + 1] = v end
    end
    for _, v in ipairs(t:get("lag") or {}) do
      lags[#lags + 1] = v
    end
  end
  local function pct(xs, p)
    if #xs == 0 then return 0 end
    return xs[math.max(1, math.ceil(#xs * p))]
  end
  for _, xs in ipairs({all, lags, first, second}) do table.sort(xs) end
  io.write(string.format(
    "OPENLOOP count=%d seconds=%.3f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f errors=%d"
      .. " lag_p50=%.3f lag_p99=%.3f lag_max=%.3f p99_first_half=%.3f p99_second_half=%.3f\n",
    #all, summary.duration / 1e6, pct(all, 0.5), pct(all, 0.9), pct(all, 0.99), pct(all, 0.999),
    pct(all, 1.0),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    pct(lags, 0.5), pct(lags, 0.99), pct(lags, 1.0), pct(first, 0.99), pct(second, 0.99)))
end
