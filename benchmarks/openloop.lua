-- Fixed-rate ("open loop") load for wrk, as wrk2 does it, with LuaJIT's ffi clock.
-- Run with one connection per thread (-t N -c N) and the per-thread rate as the
-- script argument: `wrk -t8 -c8 -d30s -s openloop.lua URL -- RATE_PER_THREAD`.
-- Request k of a connection is due at t0 + k/rate; delay() waits until then,
-- and each latency is measured from the time the request was DUE (not sent),
-- so a stall is charged to every request it held back (no coordinated omission).
-- Timer granularity is 1 ms: a request may leave up to 1 ms after its due time,
-- and that 1 ms is counted in its latency.
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
  n = 0
  t0 = now_ms()
end

function delay()
  local wait = t0 + n * interval - now_ms()
  if wait <= 0 then
    return 0
  end
  return math.ceil(wait)
end

function response(status, headers, body)
  lat[#lat + 1] = now_ms() - (t0 + n * interval)
  n = n + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("lat") or {}) do
      all[#all + 1] = v
    end
  end
  table.sort(all)
  local function pct(p)
    if #all == 0 then return 0 end
    return all[math.max(1, math.ceil(#all * p))]
  end
  io.write(string.format(
    "OPENLOOP count=%d seconds=%.3f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f errors=%d\n",
    #all, summary.duration / 1e6, pct(0.5), pct(0.9), pct(0.99), pct(0.999), pct(1.0),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout))
end
