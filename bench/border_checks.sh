#!/usr/bin/env bash
# Border checks per second over HTTPS (issue 5, "benchmarks"): the real hub, on SLTD documents
# and NOMINAL persons imported through `ncbnet records import`, answers POST /v1/border-checks
# {"mrz": ...} for a passport-control terminal's user (record.check:SLTD and :NOMINAL) at
# CLIENTS keep-alive connections for DURATION seconds (wrk, bench/border_checks.lua). Each call
# reads and verifies the MRZ, checks the document in SLTD and among NOMINAL's identity documents,
# searches the name with date of birth, sex and nationality in NOMINAL, records every match as a
# hit with a message to its owner, and is audited. Travellers (bench/border_gen.py): 90% nobody
# sought, 5% a stolen document, 5% a wanted person on another passport.
# Then the terminal's offline replica over HTTPS (`ncbnet replica sync` with its client
# certificate): the first sync (enrolment and snapshot), and the sync of a day's changes, taken
# as 0.5% of the SLTD records added (DAY_CHANGES), with the sizes of what came.
#
# Usage: bench/border_checks.sh [BUILD_DIR]   (default build/release)
#   SLTD=1000000 PERSONS=100000 TRAVELLERS=100000 CLIENTS=8 DURATION=30 DAY_CHANGES=SLTD/200
#   BORDER_DATA=DIR   keep the generated files in DIR and reuse them on the next run
# Results go to stdout; copy them into docs/BENCHMARKS.md with the machine and the command.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bin="$build/src/apps/ncbnet/ncbnet"
sltd="${SLTD:-1000000}"
persons="${PERSONS:-100000}"
travellers="${TRAVELLERS:-100000}"
day_changes="${DAY_CHANGES:-$((sltd / 200))}"
clients="${CLIENTS:-8}"
duration="${DURATION:-30}"
[ -x "$bin" ] || { echo "build $bin first (cmake --preset release && cmake --build --preset release -j2)"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

dir=$(mktemp -d)
hub="$dir/hub"
hub_pid=""
trap 'if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; fi; rm -rf "$dir"' EXIT
# shellcheck source=bench/lib/hub.sh
source bench/lib/hub.sh

generate_data() {
  data="${BORDER_DATA:-$dir/data}"
  mkdir -p "$data"
  local stamp t0
  stamp="sltd=$sltd persons=$persons travellers=$travellers $(cat bench/border_gen.py bench/sltd_gen.py | sha256sum | cut -c1-16)"
  if [ -f "$data/stamp" ] && [ "$(cat "$data/stamp")" = "$stamp" ]; then
    echo "== data: reusing $data ($stamp)"
    return
  fi
  echo "== data: $sltd SLTD documents, $persons NOMINAL persons, $travellers travellers' MRZs"
  t0=$(now)
  python3 bench/border_gen.py sltd "$sltd" "$data/sltd.csv"
  python3 bench/border_gen.py nominal "$persons" "$data/nominal.jsonl"
  python3 bench/border_gen.py mrz "$sltd" "$persons" "$travellers" "$data/mrz.jsonl"
  echo "$stamp" >"$data/stamp"
  echo "   generated in $(since "$t0") s"
}

# The network: NCB Paris owns the records; a CDG passport-control terminal, granted SLTD and
# NOMINAL checks, has a user whose token wrk sends. Sets token, fra (NCB Paris's token) and
# terminal (the terminal's agency id).
set_up_hub() {
  local password admin t0
  password=$("$bin" init --data-dir "$hub" --countries data/countries.tsv --json | json '["admin_password"]')
  ncbnet_serve
  admin=$(hub_login gs.admin "$password")
  hub_call POST /v1/agencies/ncb-fra/users "$admin" \
    '{"name": "fra.bench", "password": "bench-password-2026"}' >/dev/null
  fra=$(hub_login fra.bench bench-password-2026)
  terminal=$(hub_call POST /v1/agencies "$admin" \
    '{"parent_id": "ncb-fra", "kind": "terminal", "name": "CDG T2E passport control"}' | json '["id"]')
  for db in SLTD NOMINAL; do
    hub_call POST /v1/grants "$admin" "{\"agency_id\": \"$terminal\", \"capability\": \"record.check:$db\"}" >/dev/null
  done
  hub_call POST "/v1/agencies/$terminal/users" "$admin" \
    '{"name": "cdg.gate", "password": "bench-password-2026"}' >/dev/null
  token=$(hub_login cdg.gate bench-password-2026)
  echo "== ncbnet: import as NCB Paris"
  t0=$(now)
  "$bin" records import SLTD "$data/sltd.csv" --url "$url" --ca "$hub/ca.crt" --token "$fra" --json
  echo "   SLTD: $(since "$t0") s"
  t0=$(now)
  "$bin" records import NOMINAL "$data/nominal.jsonl" --url "$url" --ca "$hub/ca.crt" --token "$fra" --json
  echo "   NOMINAL: $(since "$t0") s"
  echo "   hub RSS: $(ps -o rss= -p "$hub_pid" | awk '{printf "%.0f MB", $1/1024}')"
}

echo "== border_checks: SLTD=$sltd PERSONS=$persons TRAVELLERS=$travellers CLIENTS=$clients DURATION=$duration"
machine
generate_data
set_up_hub
# One traveller of each kind, so that a wrong URL, token or data set fails loudly.
for n in 1 2 3; do
  echo "   sample: $(hub_call POST /v1/border-checks "$token" "$(sed -n ${n}p "$data/mrz.jsonl")" | head -c 300)"
done
echo "== ncbnet: POST /v1/border-checks over HTTPS keep-alive, $clients connections, ${duration}s"
echo "   $(machine)"
wrk -t2 -c"$clients" -d5s -H "Authorization: Bearer $token" -s bench/border_checks.lua \
  "$url" -- "$data/mrz.jsonl" >/dev/null
wrk -t2 -c"$clients" -d"${duration}s" --latency -H "Authorization: Bearer $token" \
  -s bench/border_checks.lua "$url" -- "$data/mrz.jsonl"
echo "   $(machine)"

# replica_sync LABEL: one `ncbnet replica sync` of the terminal, timed.
replica_sync() {
  local t0
  t0=$(now)
  "$bin" replica sync --url "$url" --ca "$hub/ca.crt" --cert "$dir/gate.crt" \
    --cert-key "$dir/gate.key" --dir "$dir/replica" --json >"$dir/sync.json"
  echo "   $1: $(since "$t0") s; replica directory $(du -sk "$dir/replica" | cut -f1) KB; $(head -c 300 "$dir/sync.json" | tr -d '\n')"
}
echo "== ncbnet: the terminal's offline replica over HTTPS"
"$bin" cert issue --agency "$terminal" --out "$dir/gate" --json --data-dir "$hub" >/dev/null
replica_sync "first sync (enrol, snapshot)"
python3 bench/border_gen.py sltd "$day_changes" "$dir/day.csv" "$sltd"
"$bin" records import SLTD "$dir/day.csv" --url "$url" --ca "$hub/ca.crt" --token "$fra" >/dev/null
echo "   a day's changes: $day_changes SLTD records added"
replica_sync "sync of the day's changes (delta)"
echo "   $(machine)"
ncbnet_stop
