#!/usr/bin/env bash
# The embedded store against PostgreSQL, side by side in one run (docs/deployment.md):
#
# 1. Accepted messages per second (bench/msgload, as in bench/messaging_vs_jetstream.sh:
#    MESSAGES signed 1 KiB messages from CONCURRENCY connections, each answered only after its
#    commit is durable), on a hub over SQLite, then a hub over PostgreSQL 15 (a throwaway
#    server from tests/pg/pg_server.sh on this machine, durable defaults), then NODES hub nodes
#    over that PostgreSQL database with the connections shared among them; last, the same load
#    on a cluster of three NATS JetStream servers with a stream of three replicas.
# 2. Identifier checks per second on the three ncbnet set-ups: RECORDS SLTD records
#    (bench/sltd_gen.py) imported through the API, then wrk with bench/sltd_checks.lua (GET
#    /v1/checks/SLTD, 95% misses, each check authorised and durably audited) from CLIENTS
#    keep-alive connections for DURATION seconds, shared among the nodes.
# 3. Cross-node lag: SAMPLES times, an SLTD record created through node 1, then checked
#    through node 2 in a tight loop until it matches; the time from node 1's 201 to node 2's
#    first match (LISTEN/NOTIFY wakes its index), p50, p99 and max: once while the nodes'
#    message load runs, once on its own.
# Results go to stdout; copy them into docs/BENCHMARKS.md with the machine and the command.
#
# Usage: bench/store_backends.sh [BUILD_DIR]   (default build/release;
#        MESSAGES=5000 CONCURRENCY=32 SAMPLES=200 RECORDS=100000 CLIENTS=8 DURATION=15 NODES=3)
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
nodes="${NODES:-3}"
[ -x "$bin" ] || { echo "build $bin first"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v nats-server >/dev/null || { apt-get update -qq && apt-get install -y -qq nats-server >/dev/null; }
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
url_a=$(serve "$dir/pg" node-1)
setup "$dir/pg" "$url_a"
one=$(load "$url_a" "$dir/pg" "$concurrency" "$messages")
echo "$one"
import_records "$url_a" "$dir/pg"
echo "== PostgreSQL, one node: checks, $clients connections, ${duration}s"
checks "$url_a" "$dir/pg" "$clients" one

# Nodes 1 (node-1, $dir/pg) and 2..NODES ($dir/pg-N), each a copy of node 1's data directory
# without its index snapshots, on the same database.
urls=("$url_a")
datas=("$dir/pg")
for n in $(seq 2 "$nodes"); do
  cp -r "$dir/pg" "$dir/pg-$n"
  rm -rf "$dir/pg-$n/indexes"
  for f in "$dir/pg".fra* "$dir/pg".token; do cp "$f" "$dir/pg-$n${f#"$dir/pg"}"; done
  urls+=("$(serve "$dir/pg-$n" "node-$n")")
  datas+=("$dir/pg-$n")
done
per_node=$((concurrency / nodes > 0 ? concurrency / nodes : 1))
checks_per_node=$((clients / nodes > 0 ? clients / nodes : 1))
echo "== PostgreSQL, $nodes nodes, $per_node connections each"
lag_sampler() {
  python3 bench/lib/cross_node_lag.py "${urls[0]}" "${urls[1]}" "$dir/pg/ca.crt" \
    "$dir/pg.fra.crt" "$dir/pg.fra.key" "$dir/pg.deu.crt" "$dir/pg.deu.key" "$1"
}
lag_sampler $((samples / 2)) >"$dir/lag-loaded.json" &
waits=($!)
for i in "${!urls[@]}"; do
  load "${urls[$i]}" "${datas[$i]}" "$per_node" $((messages / nodes)) >"$dir/many-$i.json" &
  waits+=($!)
done
wait "${waits[@]}"
for i in "${!urls[@]}"; do echo "node $((i + 1)): $(cat "$dir/many-$i.json")"; done
echo "cross-node lag while the message load ran: $(cat "$dir/lag-loaded.json")"
echo "== PostgreSQL, $nodes nodes: checks, $checks_per_node connections on each, ${duration}s"
waits=()
for i in "${!urls[@]}"; do
  checks "${urls[$i]}" "${datas[$i]}" "$checks_per_node" "many-$i" >/dev/null &
  waits+=($!)
done
wait "${waits[@]}"

echo "== cross-node lag: $samples records created through node 1, checked through node 2"
lag=$(lag_sampler "$samples")
echo "$lag"
echo "== audit chain after the run: $("$bin" audit verify --data-dir "$dir/pg" 2>&1 || true)"
hub_cpu="$(ps -o time= -p "$(cat "$dir"/lite.pid "$dir"/node-*.pid | paste -sd,)" | tr -s ' \n' ' ')"
pm=$(head -n 1 "$pg/data/postmaster.pid")
pg_cpu="$(ps -o time= -p "$pm,$(pgrep -d, -P "$pm")" | awk -F: '{s += $1 * 3600 + $2 * 60 + $3} END {print s " s"}')"
cat "$dir"/*.pid | xargs -r kill 2>/dev/null || true
rm -f "$dir"/*.pid
bash tests/pg/pg_server.sh stop "$pg" >/dev/null

# NATS JetStream, three servers in one cluster on loopback, a file-storage stream with three
# replicas: a publish is acknowledged once a majority of the servers holds the message (in
# their page cache: nats-server 2.9 does not fsync each message), the same message load.
echo "== NATS JetStream, 3 servers, stream replicas 3 ($(nats-server --version))"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ports=() cluster_ports=()
for n in 1 2 3; do ports+=("$(free_port)"); cluster_ports+=("$(free_port)"); done
routes=$(printf 'nats-route://127.0.0.1:%s,' "${cluster_ports[@]}")
for n in 0 1 2; do
  nats-server -js -sd "$dir/nats-$n" -a 127.0.0.1 -p "${ports[$n]}" -n "nats-$n" \
    --cluster_name bench --cluster "nats://127.0.0.1:${cluster_ports[$n]}" --routes "${routes%,}" \
    >"$dir/nats-$n.log" 2>&1 &
  echo $! >"$dir/nats-$n.pid"
done
for _ in $(seq 300); do
  [ "$(grep -l "JetStream cluster new metadata leader\|Self is new JetStream cluster metadata leader" "$dir"/nats-*.log 2>/dev/null | wc -l)" -ge 1 ] && break
  sleep 0.1
done
jet=$(node bench/msgload/msgload.mjs jetstream --port "$(IFS=,; echo "${ports[*]}")" --replicas 3 \
  -n "$messages" -c "$concurrency")
echo "$jet"
for n in 0 1 2; do kill "$(cat "$dir/nats-$n.pid")"; rm "$dir/nats-$n.pid"; done

echo
echo "| store | messages | connections | accepted msgs/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
row "SQLite" "$lite"
row "PostgreSQL, 1 node" "$one"
for i in "${!urls[@]}"; do row "PostgreSQL, $nodes nodes: node $((i + 1))" "$(cat "$dir/many-$i.json")"; done
row "NATS JetStream, 3 servers, R3" "$jet"
echo
echo "| store | check connections | checks/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- |"
check_row "SQLite" lite "$clients"
check_row "PostgreSQL, 1 node" one "$clients"
for i in "${!urls[@]}"; do check_row "PostgreSQL, $nodes nodes: node $((i + 1))" "many-$i" "$checks_per_node"; done
echo
echo "cross-node lag (record through node 1 -> first match through node 2), quiet: $lag"
echo "cross-node lag while the $nodes-node message load ran: $(cat "$dir/lag-loaded.json")"
echo "CPU time per hub (SQLite, then nodes 1 to $nodes): $hub_cpu"
echo "CPU time of this PostgreSQL server's processes: $pg_cpu"
