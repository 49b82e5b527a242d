-- What the wrk scripts under bench/ share (dofile'd from the repository's root): each thread's
-- id, its answers counted by status in the global `counts` (and `alerts`, if the script counts
-- them), and a report of those and of the latency percentiles at the end.
local threads = {}
counts = {}  -- globals: done() reads each thread's through thread:get
alerts = nil

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts") or {}) do
      io.write(string.format("   thread %d: %d answers with status %d\n", thread:get("id"), n, status))
    end
    local a = thread:get("alerts")
    if a then io.write(string.format("   thread %d: %d alerts\n", thread:get("id"), a)) end
  end
  io.write(string.format("   p50 %.0f us, p99 %.0f us, p99.9 %.0f us\n", latency:percentile(50),
                         latency:percentile(99), latency:percentile(99.9)))
end
