-- wrk script for the reload scenario: no per-response callback (wrk stays at full speed); at the
-- end, one line "summary {JSON}" with the request count, every error counter and latency
-- percentiles from wrk's latency histogram (microseconds). wrk counts a response with a status
-- of 400 or more as a status error; a connection closed without a response is a read error.
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'summary {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
        '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
        '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "p99.9": %d, "max": %d}}\n',
        summary.requests, summary.duration, summary.bytes,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
        latency:percentile(99.9), latency.max))
end
