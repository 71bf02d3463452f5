-- POSTs the seed's sample report on every request and prints machine-readable figures at the end.
local f = assert(io.open(os.getenv("CALLDASH_BENCH_BODY") or "benchmarks/sample-report.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50_us=%d p99_us=%d max_us=%d requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99), latency.max,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
