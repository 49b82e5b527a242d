# shellcheck shell=bash
# A throwaway PostgreSQL 15 for benchmarks: source this file, call pg_start, talk to the server
# with pg_psql / pg_pgbench (or any libpq client: PGHOST, PGPORT, PGUSER and PGDATABASE are
# exported), and it is stopped and deleted when the script exits.
#
#   source "$(dirname "$0")/lib/postgres.sh"
#   pg_start                          # or: pg_start -c max_connections=200 ...
#   pg_psql -c 'SELECT version()'
#   pg_pgbench -n -M prepared -c 8 -T 30 -f lookups.sql
#   pg_stop                           # optional: also runs on EXIT
#
# The cluster lives in a fresh directory under ${PG_TMPDIR:-/tmp} (on disk, not tmpfs: we compare
# durable systems, so fsync, synchronous_commit and full_page_writes stay on), owned by the
# `postgres` system user, listening on 127.0.0.1 on a free port, trust authentication on
# loopback only. Settings suit this 2-core, 24 GiB box; override any with `pg_start -c k=v`
# (later settings win) or PG_SHARED_BUFFERS. PG_KEEP=1 keeps the directory after the exit.
#
# Installs postgresql-15 (whose contrib extensions, pg_trgm among them, Debian 12 ships in the
# same package) with apt-get if it is missing; nothing else is downloaded. Needs root (the
# benchmark machine runs as root) to install and to run the server as `postgres`.
#
# Exit trap: pg_start chains pg_stop in front of whatever EXIT trap is set when it runs. A
# script that sets its own EXIT trap after pg_start must call pg_stop in it.

PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DIR=""   # the cluster's directory (data/, log, sock/), set by pg_start
PG_PORT=""  # its TCP port on 127.0.0.1, set by pg_start

pg_log() { echo "postgres.sh: $*" >&2; }

# Installs PostgreSQL 15 from the Debian packages if its server binary is missing.
pg_install() {
  [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/pgbench" ] && return 0
  [ "$(id -u)" -eq 0 ] || { pg_log "PostgreSQL $PG_VERSION is missing; run as root to install it"; return 1; }
  pg_log "installing postgresql-$PG_VERSION"
  # An image without package lists has an empty lists directory; update once then.
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then apt-get update -qq; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "postgresql-$PG_VERSION" "postgresql-client-$PG_VERSION" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "postgresql-$PG_VERSION" "postgresql-client-$PG_VERSION" >/dev/null; }
  # Debian's package starts a system cluster on 5432; we do not use it, and it would hold
  # memory and a port, so stop it (only the one the package created, if it runs).
  if command -v pg_ctlcluster >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q "^$PG_VERSION main .* online"; then
    pg_ctlcluster "$PG_VERSION" main stop || true
  fi
  [ -x "$PG_BIN/postgres" ]
}

# Prints a TCP port on 127.0.0.1 that nothing listens on (the kernel's choice, released at once;
# pg_start retries if another process takes it in between).
pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs a command as the postgres user, from a directory it may enter.
pg_as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# Creates, configures and starts the cluster; arguments are extra `-c name=value` settings.
pg_start() {
  [ -z "$PG_DIR" ] || { pg_log "already started in $PG_DIR"; return 1; }
  pg_install || return 1
  PG_DIR=$(mktemp -d -p "${PG_TMPDIR:-/tmp}" ncbnet-pg.XXXXXX)
  _pg_chain_exit_trap
  mkdir -p "$PG_DIR/sock"
  chown -R postgres:postgres "$PG_DIR"
  chmod 0700 "$PG_DIR"
  pg_as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  _pg_write_conf "$@"
  local attempt
  for attempt in 1 2 3 4 5; do
    PG_PORT=$(pg_free_port)
    if pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
      -o "-p $PG_PORT" start >/dev/null; then
      export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres
      pg_log "PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT, data in $PG_DIR/data"
      return 0
    fi
    pg_log "start on port $PG_PORT failed (attempt $attempt); log:"
    tail -n 5 "$PG_DIR/log" >&2 || true
  done
  return 1
}

# The settings. 2 cores, 24 GiB shared with other work: a quarter of a typical share for
# shared_buffers (4 GiB holds a 10M-row table and its btree), the OS cache for the rest.
_pg_write_conf() {
  local conf="$PG_DIR/data/postgresql.conf"
  cat >>"$conf" <<EOF

# ---- bench/lib/postgres.sh ----
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR/sock'
max_connections = 100
shared_buffers = '${PG_SHARED_BUFFERS:-4GB}'
huge_pages = try
effective_cache_size = '16GB'
work_mem = '64MB'
maintenance_work_mem = '2GB'
wal_buffers = '64MB'
max_wal_size = '16GB'
min_wal_size = '1GB'
checkpoint_timeout = '30min'
checkpoint_completion_target = 0.9
random_page_cost = 1.1
effective_io_concurrency = 200
max_worker_processes = 4
max_parallel_workers = 2
max_parallel_workers_per_gather = 2
max_parallel_maintenance_workers = 2
# Durable, as the hub is: an acknowledged commit is on disk.
fsync = on
synchronous_commit = on
full_page_writes = on
# Compiling short lookup queries costs more than it saves.
jit = off
autovacuum = on
logging_collector = off
log_min_messages = warning
EOF
  local setting
  while [ $# -gt 0 ]; do
    case "$1" in
      -c) setting="$2"; shift 2 ;;
      -c*) setting="${1#-c}"; shift ;;
      *) pg_log "pg_start: expected -c name=value, got '$1'"; return 1 ;;
    esac
    echo "${setting%%=*} = '${setting#*=}'" >>"$conf"
  done
}

# psql against the cluster, stopping at the first error, no .psqlrc.
pg_psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# pgbench against the cluster (same connection settings).
pg_pgbench() { "$PG_BIN/pgbench" "$@"; }

# Stops the server and deletes its directory (unless PG_KEEP=1). Safe to call twice.
pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ "${PG_KEEP:-0}" = 1 ]; then
    pg_log "kept $PG_DIR"
  else
    rm -rf "$PG_DIR"
  fi
  PG_DIR=""
  PG_PORT=""
}

# Puts pg_stop in front of the EXIT trap that is set now, keeping that trap's commands.
_pg_chain_exit_trap() {
  local previous=""
  local current
  current=$(trap -p EXIT)
  if [ -n "$current" ]; then
    # `trap -p` prints: trap -- 'commands' EXIT, with the commands shell-quoted.
    local quoted="${current#trap -- }"
    eval "previous=${quoted% EXIT}"
  fi
  # shellcheck disable=SC2064  # expand now: the previous commands are fixed text
  trap "pg_stop; $previous" EXIT
  # Also stop on the usual signals (their default action would skip the EXIT trap in some shells).
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
