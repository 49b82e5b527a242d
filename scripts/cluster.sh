#!/usr/bin/env bash
# A highly available ncbnet cluster on one machine, from Debian's packages (docs/deployment.md,
# "A cluster on one machine"). Not run by CI: scripts/failover.py measures failover on it.
#
#   cluster.sh up [DIR]      install what is missing (apt-get), then start in DIR (default: a new
#                            temporary directory, printed): one etcd, three PostgreSQL 15 under
#                            Patroni (synchronous mode, one synchronous standby), a network made
#                            by `ncbnet init` on them, three `ncbnet serve` nodes and HAProxy in
#                            front of the nodes. Everything listens on loopback, on free ports.
#   cluster.sh status [DIR]  Patroni's view (patronictl list), each hub node's /healthz and /readyz
#   cluster.sh down [DIR]    stop everything started in DIR and remove DIR
#
# DIR defaults, for status and down, to the last directory `up` made (recorded in
# ${TMPDIR:-/tmp}/ncbnet-cluster.current). DIR/cluster.env holds the ports, the store's URI and
# the paths a client needs (the administrator's password is in DIR/hub/init.json, mode 0600).
# The hub binary is $NCBNET_BIN (default build/ci/src/apps/ncbnet/ncbnet); it is not built here.
#
# CLUSTER_NETNS=1 (root only): each PostgreSQL and its Patroni run in a network namespace of
# their own (ncbnet-pg1..3, address 10.77.0.11..13), joined by veth pairs (ncbnet-v1..3) to a
# bridge (ncbnet-br0, 10.77.0.1) on which etcd listens, as three database machines on one
# network; the hubs and HAProxy stay on loopback. `ip link set ncbnet-vN down` cuts pgN off
# from everything (scripts/failover.py --scenario partition). One such cluster at a time.
# As root, etcd, Patroni and PostgreSQL run as the "postgres" user (PostgreSQL refuses root).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
ncbnet_bin="${NCBNET_BIN:-$repo/build/ci/src/apps/ncbnet/ncbnet}"
current_file="${TMPDIR:-/tmp}/ncbnet-cluster.current"
pg_bindir=/usr/lib/postgresql/15/bin
netns="${CLUSTER_NETNS:-0}"

log() { echo "cluster.sh: $*" >&2; }
die() { log "$*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# ---- packages ---------------------------------------------------------------------------------

install_packages() {
  local missing=()
  command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
  command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
  command -v patroni >/dev/null 2>&1 || missing+=(patroni)
  command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
  [ -x "$pg_bindir/postgres" ] || missing+=(postgresql-15)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client-15)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "missing packages (${missing[*]}): install them as root"
    sudo=(sudo)
  fi
  log "installing ${missing[*]}"
  # Debian's packages start their own services under systemd; none are wanted here (and
  # without systemd nothing is started).
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends "${missing[@]}" >&2; then
    "${sudo[@]}" apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends "${missing[@]}" >&2
  fi
}

# ---- processes --------------------------------------------------------------------------------

# start_detached NAME USER CMD...: starts CMD in its own session, detached, output to
# DIR/log/NAME.log, its pid in DIR/run/NAME.pid. As root, USER "postgres" runs it as postgres.
start_detached() {
  local name="$1" user="$2"; shift 2
  local prefix=()
  if is_root && [ "$user" = postgres ]; then
    prefix=(setpriv --reuid=postgres --regid=postgres --init-groups --reset-env)
  fi
  # NETNS=NAME start_detached ...: in that network namespace.
  if [ -n "${NETNS:-}" ]; then prefix=(ip netns exec "$NETNS" "${prefix[@]}"); fi
  setsid "${prefix[@]}" env HOME="$dir" PATH="/usr/sbin:/usr/bin:/sbin:/bin" "$@" \
    >"$dir/log/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/run/$name.pid"
}

stop_pid() {  # stop_pid PID [SECONDS]: TERM, then KILL
  local pid="$1" wait_s="${2:-20}" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop_service() {
  local f="$dir/run/$1.pid"
  [ -f "$f" ] || return 0
  stop_pid "$(cat "$f")" "${2:-20}"
  rm -f "$f"
}

free_ports() {  # free_ports N: N distinct free TCP ports on loopback
  python3 - "$1" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

wait_for() {  # wait_for SECONDS WHAT CMD...
  local secs="$1" what="$2" i; shift 2
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "timed out after ${secs}s waiting for $what (logs in $dir/log)"
}

# ---- addresses: loopback, or one network namespace per database server (CLUSTER_NETNS=1) ------

pg_host() { if [ "$netns" = 1 ]; then echo "10.77.0.1$1"; else echo 127.0.0.1; fi; }
etcd_host() { if [ "$netns" = 1 ]; then echo 10.77.0.1; else echo 127.0.0.1; fi; }

netns_up() {  # the bridge, and per database server a namespace joined to it by a veth pair
  is_root || die "CLUSTER_NETNS=1 needs root (ip netns)"
  ! ip link show ncbnet-br0 >/dev/null 2>&1 || die "ncbnet-br0 exists: another netns cluster runs"
  ip link add ncbnet-br0 type bridge
  ip addr add 10.77.0.1/24 dev ncbnet-br0
  ip link set ncbnet-br0 up
  local n
  for n in 1 2 3; do
    ip netns add "ncbnet-pg$n"
    ip link add "ncbnet-v$n" type veth peer name eth0 netns "ncbnet-pg$n"
    ip link set "ncbnet-v$n" master ncbnet-br0 up
    ip -n "ncbnet-pg$n" addr add "$(pg_host "$n")/24" dev eth0
    ip -n "ncbnet-pg$n" link set eth0 up
    ip -n "ncbnet-pg$n" link set lo up
  done
}

netns_down() {  # whatever still runs in the namespaces is killed
  local n pid
  for n in 1 2 3; do
    ip netns list 2>/dev/null | grep -q "^ncbnet-pg$n\b" || continue
    for pid in $(ip netns pids "ncbnet-pg$n" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "ncbnet-pg$n"
  done
  ip link del ncbnet-br0 2>/dev/null || true
}

as_pg() { if is_root; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }
patronictl_() { patronictl -c "$dir/pg1/patroni.yml" "$@"; }

# ---- up ---------------------------------------------------------------------------------------

write_patroni_config() {  # write_patroni_config N PG_PORT REST_PORT
  local n="$1" pg_port="$2" rest_port="$3" host subnet=127.0.0.1/32
  host="$(pg_host "$n")"
  if [ "$netns" = 1 ]; then subnet=10.77.0.0/24; fi
  cat >"$dir/pg$n/patroni.yml" <<EOF
scope: ncbnet
name: pg$n
log:
  level: INFO
restapi:
  listen: $host:$rest_port
  connect_address: $host:$rest_port
etcd3:
  hosts: $(etcd_host):$etcd_client
bootstrap:
  dcs:
    # Failover timings (defaults 30/10/10 take ~30 s to notice a lost leader). The leader key
    # lives ttl seconds unless renewed; every node runs its loop each loop_wait seconds; a DCS
    # or PostgreSQL call is retried for retry_timeout seconds. Patroni wants
    # loop_wait + 2 * retry_timeout <= ttl, so that a leader that cannot reach etcd demotes
    # itself before its key expires and another node may take it.
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    # A crashed primary is not restarted in place: fail over to the synchronous standby at once.
    primary_start_timeout: 0
    # Only the synchronous standby may be promoted (it has every acknowledged commit), and
    # one synchronous standby is kept. Strict: with no standby left, the primary stops
    # acknowledging writes rather than acknowledge a write held by one server only.
    synchronous_mode: true
    synchronous_mode_strict: true
    synchronous_node_count: 1
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        fsync: "on"
        synchronous_commit: "on"
        full_page_writes: "on"
        wal_log_hints: "on"
        wal_level: replica
        hot_standby: "on"
        max_connections: 200
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
        # A standby whose primary went away tries again after this (default 5 s): the replica
        # left behind follows the new primary sooner, and strict synchronous mode lets writes
        # through again once it does.
        wal_retrieve_retry_interval: 500ms
  initdb:
    - encoding: UTF8
    - locale: C
    - data-checksums
  pg_hba:
    - local all all trust
    - host replication replicator $subnet trust
    - host all all $subnet trust
postgresql:
  listen: $host:$pg_port
  connect_address: $host:$pg_port
  data_dir: $dir/pg$n/data
  bin_dir: $pg_bindir
  pgpass: $dir/pg$n/pgpass
  authentication:
    superuser:
      username: postgres
      password: postgres-loopback-only
    replication:
      username: replicator
      password: replicator-loopback-only
    rewind:
      username: rewinder
      password: rewinder-loopback-only
  parameters:
    unix_socket_directories: $dir/pg$n
    port: $pg_port
tags:
  nofailover: false
  noloadbalance: false
EOF
}

cluster_ready() {  # a leader, two streaming replicas, one of them synchronous
  patronictl_ list -f json | python3 -c '
import json, sys
m = json.load(sys.stdin)
roles = sorted(x["Role"] for x in m)
ok = roles == ["Leader", "Replica", "Sync Standby"] and all(
    x["State"] in ("running", "streaming") for x in m)
sys.exit(0 if ok else 1)'
}

leader_member() {
  patronictl_ list -f json | python3 -c '
import json, sys
print([x["Member"] for x in json.load(sys.stdin) if x["Role"] == "Leader"][0])'
}

hub_healthy() { curl -sfk --max-time 2 "https://127.0.0.1:$1/healthz"; }
hub_ready() {
  curl -sf --cacert "$dir/hub/node1/ca.crt" --resolve "localhost:$1:127.0.0.1" --max-time 2 \
    "https://localhost:$1/readyz"
}

# The address HAProxy connects to the hub nodes from (its `source`), the one address the nodes
# accept PROXY headers from.
proxy_ip=127.0.0.3

up() {
  install_packages
  [ -x "$ncbnet_bin" ] || die "no hub binary at $ncbnet_bin (set NCBNET_BIN)"
  if [ -z "$dir" ]; then
    dir="$(mktemp -d "${TMPDIR:-/tmp}/ncbnet-cluster.XXXXXX")"
  else
    [ ! -e "$dir/cluster.env" ] || die "$dir already holds a cluster: cluster.sh down $dir"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
  fi
  echo "$dir" >"$current_file"
  chmod 755 "$dir"
  mkdir -p "$dir/log" "$dir/run" "$dir/etcd" "$dir/pg1" "$dir/pg2" "$dir/pg3" "$dir/hub"
  if is_root; then chown postgres "$dir/log" "$dir/run" "$dir/etcd" "$dir/pg1" "$dir/pg2" "$dir/pg3"; fi
  chmod 700 "$dir/etcd" "$dir/hub"

  read -r etcd_client etcd_peer pg1 pg2 pg3 rest1 rest2 rest3 hub1 hub2 hub3 front \
    <<<"$(free_ports 12)"
  local store h1 h2 h3 eh
  h1="$(pg_host 1)"; h2="$(pg_host 2)"; h3="$(pg_host 3)"; eh="$(etcd_host)"
  store="postgresql://ncbnet@$h1:$pg1,$h2:$pg2,$h3:$pg3/ncbnet?target_session_attrs=read-write"
  if [ "$netns" = 1 ]; then
    # A server cut off sends no reset: keepalives drop a connection to it within ~5 s, and a
    # new connection gives up on it after 2 s and tries the next host.
    store="$store&connect_timeout=2&keepalives_idle=2&keepalives_interval=1&keepalives_count=3&tcp_user_timeout=5000"
    netns_up
  fi
  cat >"$dir/cluster.env" <<EOF
CLUSTER_DIR=$dir
ETCD_PORT=$etcd_client
PG_PORTS="$pg1 $pg2 $pg3"
PG_HOSTS="$h1 $h2 $h3"
CLUSTER_NETNS=$netns
PATRONI_PORTS="$rest1 $rest2 $rest3"
HUB_PORTS="$hub1 $hub2 $hub3"
HAPROXY_PORT=$front
STORE_URI='$store'
NCBNET_BIN=$ncbnet_bin
HUB_DATA_DIRS="$dir/hub/node1 $dir/hub/node2 $dir/hub/node3"
HUB_INIT_JSON=$dir/hub/init.json
HUB_CA_CERT=$dir/hub/node1/ca.crt
EOF

  log "etcd on 127.0.0.1:$etcd_client"
  start_detached etcd postgres etcd --name e1 --data-dir "$dir/etcd" \
    --listen-client-urls "http://$eh:$etcd_client" \
    --advertise-client-urls "http://$eh:$etcd_client" \
    --listen-peer-urls "http://$eh:$etcd_peer" \
    --initial-advertise-peer-urls "http://$eh:$etcd_peer" \
    --initial-cluster "e1=http://$eh:$etcd_peer" --initial-cluster-state new \
    --heartbeat-interval 100 --election-timeout 1000
  wait_for 30 etcd env ETCDCTL_API=3 etcdctl --endpoints "$eh:$etcd_client" endpoint health

  local n ports=("" "$pg1" "$pg2" "$pg3") rests=("" "$rest1" "$rest2" "$rest3") ns=""
  for n in 1 2 3; do
    write_patroni_config "$n" "${ports[$n]}" "${rests[$n]}"
    if is_root; then chown postgres "$dir/pg$n/patroni.yml"; fi
    log "Patroni pg$n: PostgreSQL on $(pg_host "$n"):${ports[$n]}, REST API on $(pg_host "$n"):${rests[$n]}"
    if [ "$netns" = 1 ]; then ns="ncbnet-pg$n"; fi
    NETNS="$ns" start_detached "patroni$n" postgres patroni "$dir/pg$n/patroni.yml"
    if [ "$n" = 1 ]; then
      # The first node bootstraps the cluster (initdb); the others then copy it.
      wait_for 90 "pg1 to lead" curl -sf "http://$h1:$rest1/primary"
    fi
  done
  wait_for 120 "a leader and a synchronous standby" cluster_ready

  local lm
  lm="$(leader_member)"
  log "database ncbnet (collation C) on the leader ($lm)"
  psql -X -q -v ON_ERROR_STOP=1 -h "$dir/$lm" -p "${ports[${lm#pg}]}" -U postgres -d postgres \
    -c "CREATE ROLE ncbnet LOGIN" \
    -c "CREATE DATABASE ncbnet OWNER ncbnet TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >&2

  log "ncbnet init --store '$store'"
  (umask 077 && "$ncbnet_bin" init --data-dir "$dir/hub/seed" --store "$store" --json \
    >"$dir/hub/init.json")
  local hubs=("" "$hub1" "$hub2" "$hub3")
  for n in 1 2 3; do
    # Each node: the same keys and store setting, not the seed's index snapshots.
    mkdir -m 700 "$dir/hub/node$n"
    (cd "$dir/hub/seed" && tar --exclude=./indexes -cf - .) | tar -C "$dir/hub/node$n" -xf -
    # HAProxy connects to the nodes from $proxy_ip and opens each connection with a PROXY v2
    # header: the nodes take the client's address from it, from that address only (a client
    # on 127.0.0.1, like the checks below, still reaches a node directly).
    printf 'proxy_protocol_from = ["%s/32"]\n' "$proxy_ip" >>"$dir/hub/node$n/ncbnet.toml"
    start_detached "hub$n" "$(id -un)" "$ncbnet_bin" serve --data-dir "$dir/hub/node$n" \
      --port "${hubs[$n]}"
  done
  for n in 1 2 3; do
    wait_for 60 "hub node $n" hub_ready "${hubs[$n]}"
    log "hub node $n: https://127.0.0.1:${hubs[$n]}"
  done

  cat >"$dir/haproxy.cfg" <<EOF
global
    maxconn 4096
    log stderr format short local0 notice

defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 2m
    timeout server 2m
    timeout check 2s
    retries 2
    option redispatch

# TLS passes through untouched: client certificates end at the hub. Each connection to a node
# opens with a PROXY protocol v2 header naming the client, so that the audit log, the
# per-source connection cap, the login throttle and the public rate limit see the client's
# address, not HAProxy's (docs/security.md).
frontend hub_front
    bind 127.0.0.1:$front
    default_backend hub_nodes

backend hub_nodes
    balance roundrobin
    source $proxy_ip
    # Readiness: GET /readyz over HTTPS on each node, the node's certificate verified against
    # the network CA and its name (localhost here). 200 means the node's store takes writes
    # (the PostgreSQL primary, not a standby) and its indexes are loaded; 503 takes it out.
    # The checks send the PROXY header too (LOCAL: HAProxy's own connection).
    option httpchk GET /readyz
    http-check expect status 200
    default-server send-proxy-v2 check check-ssl verify required ca-file $dir/hub/node1/ca.crt verifyhost localhost check-sni localhost inter 1s fastinter 500ms downinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
    server node1 127.0.0.1:$hub1
    server node2 127.0.0.1:$hub2
    server node3 127.0.0.1:$hub3
    # When no node is ready (the database fails over: every node is on no primary at once),
    # the same nodes unchecked, all of them: a live node then answers 503 store_unavailable
    # with Retry-After, which clients retry, rather than HAProxy closing their connections; a
    # dead one refuses and the connection is redispatched.
    option allbackups
    server node1-fallback 127.0.0.1:$hub1 backup no-check
    server node2-fallback 127.0.0.1:$hub2 backup no-check
    server node3-fallback 127.0.0.1:$hub3 backup no-check
EOF
  haproxy -c -q -f "$dir/haproxy.cfg" >&2 || die "haproxy refuses $dir/haproxy.cfg"
  start_detached haproxy "$(id -un)" haproxy -f "$dir/haproxy.cfg"
  wait_for 30 HAProxy hub_ready "$front"
  log "HAProxy: https://127.0.0.1:$front (TCP, TLS passed through)"
  echo "$dir"
}

# ---- status, down -----------------------------------------------------------------------------

load_env() {
  if [ -z "$dir" ]; then
    [ -f "$current_file" ] || die "no cluster directory given and none recorded"
    dir="$(cat "$current_file")"
  fi
  [ -f "$dir/cluster.env" ] || die "$dir holds no cluster (no cluster.env)"
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
}

status() {
  load_env
  patronictl_ list || true
  local n=0 port
  for port in $HUB_PORTS; do
    n=$((n + 1))
    printf 'hub node %d (127.0.0.1:%s): %s\n' "$n" "$port" \
      "$(curl -sk --max-time 2 -w ' HTTP %{http_code}' "https://127.0.0.1:$port/healthz" || echo unreachable)"
    printf '  ready: %s\n' \
      "$(curl -sk --max-time 2 -w ' HTTP %{http_code}' "https://127.0.0.1:$port/readyz" || echo unreachable)"
  done
  printf 'HAProxy (127.0.0.1:%s): %s\n' "$HAPROXY_PORT" \
    "$(curl -sk --max-time 2 -w ' HTTP %{http_code}' "https://127.0.0.1:$HAPROXY_PORT/healthz" || echo unreachable)"
}

down() {
  if [ -z "$dir" ] && [ -f "$current_file" ]; then dir="$(cat "$current_file")"; fi
  [ -n "$dir" ] || die "no cluster directory given and none recorded"
  [ -d "$dir" ] || { log "$dir does not exist"; rm -f "$current_file"; return 0; }
  [ -f "$dir/cluster.env" ] || [ -d "$dir/run" ] || die "$dir holds no cluster; not removing it"
  stop_service haproxy 5
  stop_service hub1; stop_service hub2; stop_service hub3
  # Patroni stops its PostgreSQL when it stops.
  stop_service patroni1 30; stop_service patroni2 30; stop_service patroni3 30
  local n pid
  for n in 1 2 3; do  # a PostgreSQL whose Patroni was killed
    if [ -f "$dir/pg$n/data/postmaster.pid" ]; then
      pid="$(head -n 1 "$dir/pg$n/data/postmaster.pid")"
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        as_pg "$pg_bindir/pg_ctl" -D "$dir/pg$n/data" -m immediate -w stop >/dev/null 2>&1 ||
          kill -KILL "$pid" 2>/dev/null || true
      fi
    fi
  done
  stop_service etcd 10
  if grep -q "^CLUSTER_NETNS=1" "$dir/cluster.env" 2>/dev/null; then netns_down; fi
  rm -rf "$dir"
  if [ -f "$current_file" ] && [ "$(cat "$current_file")" = "$dir" ]; then rm -f "$current_file"; fi
  log "stopped and removed $dir"
}

cmd="${1:-}"
dir="${2:-}"
case "$cmd" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: cluster.sh up|down|status [DIR]" >&2; exit 2 ;;
esac
