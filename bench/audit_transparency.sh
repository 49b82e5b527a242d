#!/usr/bin/env bash
# Issue 22's benchmark: durable audited requests per second with and without the transparency
# log, and how long an entry waits for a signed tree head (the merge delay). Runs two ncbnet
# binaries side by side in the same run: BASE (before the Merkle tree) and NEW, each on a fresh
# network, `ncbnet serve` on 127.0.0.1, wrk against GET /v1/me (token resolution, authorisation
# and one durable audit append per request), alternating BASE, NEW, BASE, NEW so that the
# machine's drift falls on both. Then, on NEW's last database: the lag between each entry's
# commit and the first signed head that holds it (p50, p99, max), and `ncbnet audit verify`.
#
# Usage: bench/audit_transparency.sh BASE_BIN NEW_BIN   (DURATION=10s CONNECTIONS=16 ROUNDS=2)
# BASE_BIN is built from the commit before the tree, e.g.:
#   git worktree add /tmp/base 7cae066 && (cd /tmp/base && cmake --preset ci &&
#     cmake --build build/ci --target ncbnet -j2)
set -euo pipefail
cd "$(dirname "$0")/.."
base="$1"
new="$2"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
rounds="${ROUNDS:-2}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v sqlite3 >/dev/null || apt-get install -y -qq sqlite3 >/dev/null

work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# run BIN NAME: a fresh network served by BIN, loaded with wrk; prints "NAME <requests/s>".
run() {
  local bin="$1" name="$2" dir="$work/$2"
  rm -rf "$dir"
  mkdir -p "$dir"
  local password
  password=$("$bin" init --data-dir "$dir/data" --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["admin_password"])')
  "$bin" serve --data-dir "$dir/data" --port 0 >"$dir/out" 2>"$dir/err" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$dir/out" && break; sleep 0.1; done
  local url token
  url=$(sed -n 's/^ncbnet listening on //p' "$dir/out")
  token=$(curl -s --cacert "$dir/data/ca.crt" "$url/v1/auth/login" \
    -H 'Content-Type: application/json' -d "{\"user\":\"gs.admin\",\"password\":\"$password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  local rps
  rps=$(wrk -t2 -c"$connections" -d"$duration" -H "Authorization: Bearer $token" "$url/v1/me" |
    sed -n 's/^Requests\/sec: *//p')
  sleep 2  # the sequencer's last rounds
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
  echo "$name $rps"
}

echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the run"
for r in $(seq "$rounds"); do
  run "$base" "base-$r"
  run "$new" "new-$r"
done

db="$work/new-$rounds/data/ncbnet.db"
echo "== merge delay on the last NEW run: entry commit to the first signed head holding it (ms)"
sqlite3 "$db" "SELECT (SELECT MIN(h.time_ms) FROM audit_tree_heads h WHERE h.tree_size >= l.seq)
  - l.time_ms FROM audit_log l ORDER BY 1" | python3 -c '
import sys
lags = [int(x) for x in sys.stdin if x.strip() and x.strip() != ""]
lags.sort()
pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
print(f"entries {len(lags)}  p50 {pick(0.5)}  p99 {pick(0.99)}  max {lags[-1]}")'
echo "heads signed: $(sqlite3 "$db" 'SELECT COUNT(*) FROM audit_tree_heads')"
"$new" audit verify --data-dir "$work/new-$rounds/data"
