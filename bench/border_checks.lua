-- wrk script for bench/border_checks.sh: each request is the border check of one traveller's
-- passport, POST /v1/border-checks {"mrz": ...}, drawn at random from a file of JSON lines
-- (bench/border_gen.py mrz), with the headers given to wrk (-H "Authorization: Bearer ...").
-- Counts answers by status, and alerts, at the end.
--
--   wrk -t2 -c8 -d30s -H "Authorization: Bearer $token" -s bench/border_checks.lua "$url" -- mrz.jsonl

local bodies = {}
dofile("bench/lib/wrk_report.lua")  -- setup(), done(), counts
alerts = 0

function init(args)
  for line in io.lines(args[1] or "mrz.jsonl") do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  assert(#bodies > 0, "no travellers in " .. (args[1] or "mrz.jsonl"))
  math.randomseed(20261128 + id)  -- deterministic per thread
end

local headers = {}

function request()
  -- wrk.format() sends only the headers it is given: those of -H, and the content type.
  if headers["Content-Type"] == nil then
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Content-Type"] = "application/json"
  end
  return wrk.format("POST", "/v1/border-checks", headers, bodies[math.random(#bodies)])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 200 and body:find('"alert":true', 1, true) then alerts = alerts + 1 end
end
