#!/usr/bin/env bash
# The embedded store against PostgreSQL, side by side in one run (docs/deployment.md):
#
# 1. Accepted messages per second (bench/msgload, as in bench/messaging_vs_jetstream.sh:
#    MESSAGES signed 1 KiB messages from CONCURRENCY connections, each answered only after its
#    commit is durable), on a hub over SQLite, then a hub over PostgreSQL 15 (a throwaway
#    server from tests/pg/pg_server.sh on this machine, durable defaults), then two hub nodes
#    over that PostgreSQL database with half the connections on each.
# 2. Identifier checks per second on the same three set-ups: RECORDS SLTD records
#    (bench/sltd_gen.py) imported through the API, then wrk with bench/sltd_checks.lua (GET
#    /v1/checks/SLTD, 95% misses, each check authorised and durably audited) from CLIENTS
#    keep-alive connections for DURATION seconds; on two nodes half the connections on each.
# 3. Cross-node lag: SAMPLES times, an SLTD record created through node A, then checked
#    through node B in a tight loop until it matches; the time from A's 201 to B's first match
#    (LISTEN/NOTIFY wakes B's index), p50, p99 and max: once while the two-node message load
#    runs, once on its own.
# Results go to stdout; copy them into docs/BENCHMARKS.md with the machine and the command.
#
# Usage: bench/store_backends.sh [BUILD_DIR]   (default build/release;
#        MESSAGES=5000 CONCURRENCY=32 SAMPLES=200 RECORDS=100000 CLIENTS=8 DURATION=15)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bin="$build/src/apps/ncbnet/ncbnet"
messages="${MESSAGES:-5000}"
concurrency="${CONCURRENCY:-32}"
samples="${SAMPLES:-200}"
records="${RECORDS:-100000}"
clients="${CLIENTS:-8}"
duration="${DURATION:-15}"
[ -x "$bin" ] || { echo "build $bin first"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v node >/dev/null || { echo "Node 20 or later is needed for bench/msgload"; exit 1; }
(cd bench/msgload && npm ci --no-audit --no-fund --silent)

dir=$(mktemp -d)
pg="/tmp/ncbnet-bench-pg-$$"
# Every hub's pid goes to $dir/<name>.pid (serve runs in a subshell, $(...)).
trap 'cat "$dir"/*.pid 2>/dev/null | xargs -r kill 2>/dev/null || true; wait 2>/dev/null || true; bash tests/pg/pg_server.sh stop "$pg"; rm -rf "$dir"' EXIT
source bench/lib/hub.sh
echo "$(machine)"
python3 bench/sltd_gen.py records "$records" "$dir/records.csv"
python3 bench/sltd_gen.py probes "$records" 200000 "$dir/probes.csv"

# serve DATA_DIR NAME: starts a hub, prints its URL.
serve() {
  "$bin" serve --data-dir "$1" --port 0 >"$dir/$2.out" 2>"$dir/$2.err" &
  echo $! >"$dir/$2.pid"
  for _ in $(seq 600); do grep -qs listening "$dir/$2.out" && break; sleep 0.1; done
  sed -n 's/^ncbnet listening on //p' "$dir/$2.out"
}

# setup DATA_DIR URL: ncb-fra's signing key and client certificate; sets key_id, cert, cert_key.
setup() {
  local data="$1" url="$2" password token public_key
  password=$(json '["admin_password"]' <"$data.init.json")
  token=$(curl -sf --cacert "$data/ca.crt" "$url/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"user\":\"gs.admin\",\"password\":\"$password\"}" | json '["token"]')
  public_key=$("$bin" key generate --out "$data.fra.seed" --json | json '["public_key"]')
  key_id=$(curl -sf --cacert "$data/ca.crt" "$url/v1/agencies/ncb-fra/keys" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"public_key\":\"$public_key\"}" | json '["key_id"]')
  "$bin" cert issue --agency ncb-fra --out "$data.fra" --json --data-dir "$data" >/dev/null
  "$bin" cert issue --agency ncb-deu --out "$data.deu" --json --data-dir "$data" >/dev/null
  cert="$data.fra.crt"
  cert_key="$data.fra.key"
  echo "$token" >"$data.token"  # the GS administrator holds record.check:SLTD
}

# import URL DATA_DIR: the SLTD records, as ncb-fra's.
import_records() {
  python3 bench/sltd_api_import.py "$1" "$2/ca.crt" "$cert" "$cert_key" "$dir/records.csv" 2
}

# checks URL DATA_DIR CONNECTIONS NAME: wrk's report of DURATION seconds of single checks
# (after 3 s of warm-up), also kept in $dir/NAME.wrk.
checks() {
  wrk -t2 -c"$3" -d3s -H "Authorization: Bearer $(cat "$2.token")" -s bench/sltd_checks.lua \
    "$1" -- "$dir/probes.csv" >/dev/null
  wrk -t2 -c"$3" -d"${duration}s" --latency -H "Authorization: Bearer $(cat "$2.token")" \
    -s bench/sltd_checks.lua "$1" -- "$dir/probes.csv" | tee "$dir/$4.wrk"
}

# check_row LABEL NAME: a table row from $dir/NAME.wrk.
check_row() {
  awk -v label="$1" -v c="$3" '/^Requests\/sec/ {rps = $2} /p50 .* us, p99/ {p50 = $2; p99 = $5}
    END {printf "| %s | %d | %.0f | %.2f | %.2f |\n", label, c, rps, p50 / 1000, p99 / 1000}' "$dir/$2.wrk"
}

# load URL DATA_DIR CONNECTIONS N: msgload's JSON line.
load() {
  node bench/msgload/msgload.mjs ncbnet --url "$1" --ca "$2/ca.crt" --cert "$cert" --cert-key "$cert_key" \
    --seed "$2.fra.seed" --key-id "$key_id" --from ncb-fra --to-country DEU -n "$4" -c "$3"
}

row() {
  python3 -c 'import json,sys; r=json.loads(sys.argv[2]); print("| %s | %d | %d | {:,} | %s | %s |".format(r["msgs_per_s"]) % (sys.argv[1], r["messages"], r["concurrency"], r["p50_ms"], r["p99_ms"]))' "$1" "$2"
}

echo "== SQLite"
"$bin" init --data-dir "$dir/lite" --countries data/countries.tsv --json >"$dir/lite.init.json"
url=$(serve "$dir/lite" lite)
setup "$dir/lite" "$url"
lite=$(load "$url" "$dir/lite" "$concurrency" "$messages")
echo "$lite"
import_records "$url" "$dir/lite"
echo "== SQLite: checks, $clients connections, ${duration}s"
checks "$url" "$dir/lite" "$clients" lite

echo "== PostgreSQL, one node"
server=$(bash tests/pg/pg_server.sh start "$pg")
psql "$server" -qc "CREATE DATABASE bench TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
store="${server/\/postgres?//bench?}"
"$bin" init --data-dir "$dir/pg" --countries data/countries.tsv --json --store "$store" >"$dir/pg.init.json"
url_a=$(serve "$dir/pg" node-a)
setup "$dir/pg" "$url_a"
one=$(load "$url_a" "$dir/pg" "$concurrency" "$messages")
echo "$one"
import_records "$url_a" "$dir/pg"
echo "== PostgreSQL, one node: checks, $clients connections, ${duration}s"
checks "$url_a" "$dir/pg" "$clients" one

echo "== PostgreSQL, two nodes, $((concurrency / 2)) connections each"
cp -r "$dir/pg" "$dir/pg-b"
rm -rf "$dir/pg-b/indexes"
for f in "$dir/pg".fra* "$dir/pg".token; do cp "$f" "$dir/pg-b${f#"$dir/pg"}"; done
url_b=$(serve "$dir/pg-b" node-b)
lag_sampler() {
  python3 bench/lib/cross_node_lag.py "$url_a" "$url_b" "$dir/pg/ca.crt" \
    "$dir/pg.fra.crt" "$dir/pg.fra.key" "$dir/pg.deu.crt" "$dir/pg.deu.key" "$1"
}
lag_sampler $((samples / 2)) >"$dir/lag-loaded.json" &
lag_loaded=$!
load "$url_a" "$dir/pg" $((concurrency / 2)) $((messages / 2)) >"$dir/two-a.json" &
load_a=$!
load "$url_b" "$dir/pg-b" $((concurrency / 2)) $((messages / 2)) >"$dir/two-b.json"
wait "$load_a" "$lag_loaded"
echo "node A: $(cat "$dir/two-a.json")"
echo "node B: $(cat "$dir/two-b.json")"
echo "cross-node lag while the message load ran: $(cat "$dir/lag-loaded.json")"
echo "== PostgreSQL, two nodes: checks, $((clients / 2)) connections on each, ${duration}s"
checks "$url_a" "$dir/pg" $((clients / 2)) two-a &
checks_a=$!
checks "$url_b" "$dir/pg-b" $((clients / 2)) two-b
wait "$checks_a"

echo "== cross-node lag: $samples records created through A, checked through B"
lag=$(lag_sampler "$samples")
echo "$lag"
echo "== audit chain after the run: $("$bin" audit verify --data-dir "$dir/pg" 2>&1 || true)"

echo
echo "| store | messages | connections | accepted msgs/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
row "SQLite" "$lite"
row "PostgreSQL, 1 node" "$one"
row "PostgreSQL, 2 nodes: A" "$(cat "$dir/two-a.json")"
row "PostgreSQL, 2 nodes: B" "$(cat "$dir/two-b.json")"
echo
echo "| store | check connections | checks/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- |"
check_row "SQLite" lite "$clients"
check_row "PostgreSQL, 1 node" one "$clients"
check_row "PostgreSQL, 2 nodes: A" two-a $((clients / 2))
check_row "PostgreSQL, 2 nodes: B" two-b $((clients / 2))
echo
echo "cross-node lag (record through A -> first match through B), quiet: $lag"
echo "cross-node lag while the two-node message load ran: $(cat "$dir/lag-loaded.json")"
echo "CPU time per hub (lite, node-a, node-b): $(ps -o time= -p "$(cat "$dir"/lite.pid "$dir"/node-a.pid "$dir"/node-b.pid | paste -sd,)" | tr -s ' \n' ' ')"
pm=$(head -n 1 "$pg/data/postmaster.pid")
echo "CPU time of this PostgreSQL server's processes: $(ps -o time= -p "$pm,$(pgrep -d, -P "$pm")" | awk -F: '{s += $1 * 3600 + $2 * 60 + $3} END {print s " s"}')"
