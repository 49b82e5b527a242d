#!/usr/bin/env bash
# ncbnet against NATS JetStream, side by side in one run, both on 127.0.0.1 (issue 3,
# "Benchmark"), two measurements with the same client (bench/msgload, Node):
#
# 1. Accepted messages per second: MESSAGES signed requests with a 1 KiB body from CONCURRENCY
#    connections, each waiting for its answer:
#   ncbnet:    POST /v1/messages over HTTPS keep-alive with ncb-fra's client certificate, to
#              country DEU; the hub verifies the Ed25519 signature and answers 201 only after
#              the message, its mailbox events and its audit entry are committed with fsync.
#   JetStream: Debian's nats-server, a file-storage stream on "msgs.>", js.publish awaiting
#              each acknowledgement (which by default does not wait for fsync).
# 2. Push delivery latency at a fixed rate: a connected recipient, and a sender sending RATE
#    messages per second for DURATION seconds, open loop (message i at t0 + i/RATE, never
#    waiting for earlier answers), after 500 uncounted warm-up messages; latency is the time
#    from a send's start to the recipient's receipt of that message:
#   ncbnet:    ncb-deu holds a WebSocket on GET /v1/mailbox/stream (its client certificate);
#              ncb-fra POSTs /v1/messages to country DEU over up to 48 keep-alive connections
#              (the hub admits 64 connections per source address).
#   JetStream: an ordered push consumer on its own connection; js.publish on another, each
#              acknowledgement awaited, many in flight.
# Results go to stdout; copy them into docs/BENCHMARKS.md with the machine and the command.
#
# Usage: bench/messaging_vs_jetstream.sh [BUILD_DIR]   (default build/release;
#        MESSAGES=5000 CONCURRENCY=32 RATE=1000 DURATION=10)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bin="$build/src/apps/ncbnet/ncbnet"
messages="${MESSAGES:-5000}"
concurrency="${CONCURRENCY:-32}"
rate="${RATE:-1000}"
duration="${DURATION:-10}"
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
"$bin" cert issue --agency ncb-deu --out "$dir/deu" --json --data-dir "$dir/data" >"$dir/deu-cert.json"
deu_cert=$(json '.get("cert", "'"$dir/deu.crt"'")' <"$dir/deu-cert.json")
deu_key=$(json '.get("key", "'"$dir/deu.key"'")' <"$dir/deu-cert.json")

echo "== ncbnet: POST /v1/messages, $messages messages, $concurrency connections"
ncb=$(node bench/msgload/msgload.mjs ncbnet --url "$url" --ca "$ca" --cert "$cert" --cert-key "$cert_key" \
  --seed "$dir/fra.seed" --key-id "$key_id" --from ncb-fra --to-country DEU -n "$messages" -c "$concurrency")
echo "$ncb"
echo "== ncbnet push: ncb-deu's WebSocket, $rate msgs/s for $duration s"
ncb_push=$(node bench/msgload/msgload.mjs ncbnet-push --url "$url" --ca "$ca" --cert "$cert" --cert-key "$cert_key" \
  --seed "$dir/fra.seed" --key-id "$key_id" --from ncb-fra --to-country DEU \
  --recipient-cert "$deu_cert" --recipient-key "$deu_key" --rate "$rate" --duration "$duration")
echo "$ncb_push"
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
echo "== JetStream push: ordered push consumer, $rate msgs/s for $duration s"
jet_push=$(node bench/msgload/msgload.mjs jetstream-push --port "$port" --rate "$rate" --duration "$duration")
echo "$jet_push"

echo
echo "| system | messages | connections | accepted msgs/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for r in "$ncb" "$jet"; do
  echo "$r" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("| %s | %d | %d | {:,} | %s | %s |".format(r["msgs_per_s"]) % (r["target"], r["messages"], r["concurrency"], r["p50_ms"], r["p99_ms"]))'
done
echo
echo "| system | target msgs/s | achieved msgs/s | messages | received | lost | p50 ms | p99 ms | max ms | ack p99 ms | ack-to-push p99 ms |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for r in "$ncb_push" "$jet_push"; do
  echo "$r" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("| %s | {:,} | {:,} | {:,} | {:,} | %d | %s | %s | %s | %s | %s |".format(r["rate_target"], r["rate_achieved"], r["messages"], r["received"]) % (r["target"], r["lost"], r["p50_ms"], r["p99_ms"], r["max_ms"], r["send_p99_ms"], r["after_ack_p99_ms"]))'
done
