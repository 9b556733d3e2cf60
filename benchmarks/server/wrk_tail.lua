-- shared tail of the generated wrk scripts (from the anchor serving-baseline lua): cycle the bodies, print WRKJSON
local reqs = {}
local i = 0
function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for k, b in ipairs(bodies) do reqs[k] = wrk.format("POST", "ROUTE", headers, b) end
end
function request()
  i = (i % #reqs) + 1
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d,"lat_mean_us":%.1f,"lat_stdev_us":%.1f,' ..
    '"lat_min_us":%d,"lat_max_us":%d,"p50_us":%d,"p75_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency.stdev, latency.min, latency.max, latency:percentile(50),
    latency:percentile(75), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
