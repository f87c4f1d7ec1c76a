-- wrk's summary of one run as a line of JSON, for bench/server.py: requests, seconds, latency
-- percentiles in ms (p95 is not in wrk's own --latency table), errors of every kind, bytes read.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.4f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout, summary.bytes))
end
