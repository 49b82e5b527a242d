#!/usr/bin/env bash
# HTTPS load on the real hub: a fresh network, `ncbnet serve` on 127.0.0.1, then wrk (Debian
# package) against /healthz (TLS + HTTP only) and /v1/me (token resolution, capabilities and a
# durable audit append per request), keep-alive connections. Results go to stdout; copy them
# into docs/BENCHMARKS.md with the machine and the command.
#
# Usage: bench/https_load.sh [BUILD_DIR]   (default build/release; DURATION=10s CONNECTIONS=16)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bin="$build/src/apps/ncbnet/ncbnet"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
[ -x "$bin" ] || { echo "build $bin first (cmake --preset release && cmake --build --preset release)"; exit 1; }

dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
password=$("$bin" init --data-dir "$dir/data" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["admin_password"])')
"$bin" serve --data-dir "$dir/data" --port 0 >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" && break; sleep 0.1; done
url=$(sed -n 's/^ncbnet listening on //p' "$dir/out")
token=$(curl -s --cacert "$dir/data/ca.crt" "$url/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"user\":\"gs.admin\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

echo "== GET /healthz ($connections connections, $duration)"
wrk -t2 -c"$connections" -d"$duration" "$url/healthz"
echo "== GET /v1/me with a bearer token ($connections connections, $duration)"
wrk -t2 -c"$connections" -d"$duration" -H "Authorization: Bearer $token" "$url/v1/me"
echo "== audit entries written: $("$bin" audit verify --data-dir "$dir/data" 2>/dev/null || true)"
