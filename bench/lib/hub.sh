# Shell helpers for the benchmarks that run a real hub (source it; bash). The caller sets
# `bin` (the ncbnet binary), `dir` (a scratch directory) and `hub` (the data directory), and
# kills "$hub_pid" in its EXIT trap.

now() { date +%s.%N; }
since() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
machine() { echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(uptime | sed 's/.*load average: //')"; }
# json EXPR: prints EXPR applied to the JSON on stdin, e.g. json '["token"]'.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# Starts `ncbnet serve` on the data directory $hub and waits until it listens; sets url, hub_pid.
ncbnet_serve() {
  local t0
  t0=$(now)
  "$bin" serve --data-dir "$hub" --port 0 >"$dir/hub.out" 2>"$dir/hub.err" &
  hub_pid=$!
  for _ in $(seq 3000); do grep -qs listening "$dir/hub.out" && break; sleep 0.1; done
  url=$(sed -n 's/^ncbnet listening on //p' "$dir/hub.out")
  [ -n "$url" ] || { echo "ncbnet serve did not start:"; cat "$dir/hub.err"; exit 1; }
  echo "   serve to listening: $(since "$t0") s"
}

ncbnet_stop() {
  kill "$hub_pid"
  wait "$hub_pid" 2>/dev/null || true
  hub_pid=""
}

# hub_call METHOD PATH TOKEN [BODY]: one JSON request to the running hub; prints the answer.
hub_call() {
  curl -sf --cacert "$hub/ca.crt" -X "$1" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' ${4:+--data-binary "$4"} "$url$2"
}

# hub_login USER PASSWORD: prints a session token.
hub_login() {
  curl -sf --cacert "$hub/ca.crt" "$url/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"user\":\"$1\",\"password\":\"$2\"}" | json '["token"]'
}
