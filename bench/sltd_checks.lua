-- wrk script for bench/sltd_vs_postgres.sh: each request checks one document drawn at random
-- from a probe file (bench/sltd_gen.py probes: a header, then number,issuing_country lines, 95%
-- of them absent from the records), GET /v1/checks/SLTD?number=..&issuing_country=.., with the
-- headers given to wrk (-H "Authorization: Bearer ..."). Counts answers by status at the end.
--
--   wrk -t2 -c8 -d30s -H "Authorization: Bearer $token" -s bench/sltd_checks.lua "$url" -- probes.csv

local paths = {}
dofile("bench/lib/wrk_report.lua")  -- setup(), done(), counts

function init(args)
  local file = args[1] or "probes.csv"
  local first = true
  for line in io.lines(file) do
    if first then
      first = false  -- the header
    else
      local number, country = line:match("^([^,]+),([^,]+)$")
      if number then
        paths[#paths + 1] = "/v1/checks/SLTD?number=" .. number .. "&issuing_country=" .. country
      end
    end
  end
  assert(#paths > 0, "no probes in " .. file)
  math.randomseed(20261128 + id)  -- deterministic per thread
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end
