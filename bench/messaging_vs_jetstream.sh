#!/usr/bin/env bash
# Accepted messages per second, ncbnet against NATS JetStream, side by side in one run, both on
# 127.0.0.1 (issue 3, "Benchmark"). The same client (bench/msgload, Node) sends MESSAGES signed
# requests with a 1 KiB body from CONCURRENCY connections, each waiting for its answer:
#   ncbnet:    POST /v1/messages over HTTPS keep-alive with ncb-fra's client certificate, to
#              country DEU; the hub verifies the Ed25519 signature and answers 201 only after
#              the message, its mailbox events and its audit entry are committed with fsync.
#   JetStream: Debian's nats-server, a file-storage stream on "msgs.>", js.publish awaiting
#              each acknowledgement (which by default does not wait for fsync).
# Push delivery latency is not measured: ncbnet has no push yet.
# Results go to stdout; copy them into docs/BENCHMARKS.md with the machine and the command.
#
# Usage: bench/messaging_vs_jetstream.sh [BUILD_DIR]   (default build/release;
#        MESSAGES=5000 CONCURRENCY=8)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bin="$build/src/apps/ncbnet/ncbnet"
messages="${MESSAGES:-5000}"
concurrency="${CONCURRENCY:-8}"
[ -x "$bin" ] || { echo "build $bin first (cmake --preset release && cmake --build --preset release -j2)"; exit 1; }
command -v nats-server >/dev/null || { apt-get update -qq && apt-get install -y -qq nats-server >/dev/null; }
command -v node >/dev/null || { echo "Node 20 or later is needed for bench/msgload"; exit 1; }
(cd bench/msgload && npm ci --no-audit --no-fund --silent)

dir=$(mktemp -d)
pid=""
nats_pid=""
trap 'kill $pid $nats_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# ---- ncbnet: a fresh network, ncb-fra's signing key and client certificate --------------
password=$("$bin" init --data-dir "$dir/data" --countries data/countries.tsv --json | json '["admin_password"]')
"$bin" serve --data-dir "$dir/data" --port 0 >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" && break; sleep 0.1; done
url=$(sed -n 's/^ncbnet listening on //p' "$dir/out")
[ -n "$url" ] || { echo "ncbnet serve did not start:"; cat "$dir/err"; exit 1; }
ca="$dir/data/ca.crt"
token=$(curl -sf --cacert "$ca" "$url/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"user\":\"gs.admin\",\"password\":\"$password\"}" | json '["token"]')
public_key=$("$bin" key generate --out "$dir/fra.seed" --json | json '["public_key"]')
key_id=$(curl -sf --cacert "$ca" "$url/v1/agencies/ncb-fra/keys" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "{\"public_key\":\"$public_key\"}" | json '["key_id"]')
"$bin" cert issue --agency ncb-fra --out "$dir/fra" --json --data-dir "$dir/data" >"$dir/cert.json"
cert=$(json '.get("cert", "'"$dir/fra.crt"'")' <"$dir/cert.json")
cert_key=$(json '.get("key", "'"$dir/fra.key"'")' <"$dir/cert.json")

echo "== ncbnet: POST /v1/messages, $messages messages, $concurrency connections"
ncb=$(node bench/msgload/msgload.mjs ncbnet --url "$url" --ca "$ca" --cert "$cert" --cert-key "$cert_key" \
  --seed "$dir/fra.seed" --key-id "$key_id" --from ncb-fra --to-country DEU -n "$messages" -c "$concurrency")
echo "$ncb"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "== ncbnet audit chain after the run: $("$bin" audit verify --data-dir "$dir/data" 2>&1 || true)"

# ---- NATS JetStream on a free loopback port ----------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nats-server -js -sd "$dir/nats" -a 127.0.0.1 -p "$port" >"$dir/nats.log" 2>&1 &
nats_pid=$!
for _ in $(seq 100); do grep -q "Server is ready" "$dir/nats.log" && break; sleep 0.1; done
grep -q "Server is ready" "$dir/nats.log" || { echo "nats-server did not start:"; cat "$dir/nats.log"; exit 1; }
echo "== JetStream ($(nats-server --version)): js.publish, $messages messages, $concurrency connections"
jet=$(node bench/msgload/msgload.mjs jetstream --port "$port" -n "$messages" -c "$concurrency")
echo "$jet"

echo
echo "| system | messages | connections | accepted msgs/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for r in "$ncb" "$jet"; do
  echo "$r" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("| %s | %d | %d | {:,} | %s | %s |".format(r["msgs_per_s"]) % (r["target"], r["messages"], r["concurrency"], r["p50_ms"], r["p99_ms"]))'
done
