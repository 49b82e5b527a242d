#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's packages: no container, no service.
#   pg_server.sh start DIR   initdb in DIR, start the server on a Unix socket in DIR, print the
#                            URI of its superuser "ncbnet" (trust authentication, socket only:
#                            no TCP port is opened)
#   pg_server.sh stop DIR    stop it (fast shutdown) and remove DIR
#   pg_server.sh halt DIR    stop it (fast shutdown) but keep DIR: an outage of the store
#   pg_server.sh resume DIR  start a halted server again, on the same socket
# The server keeps PostgreSQL's durable defaults (fsync, synchronous_commit, full_page_writes
# on: ncbnet refuses a server without them) and the C collation. As root (CI), the server runs
# as the "postgres" user that Debian's package creates, since PostgreSQL refuses to run as root.
set -euo pipefail

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg_server.sh: PostgreSQL's server is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd="${1:-}"
dir="${2:-}"
if [ -z "$dir" ]; then
  echo "usage: pg_server.sh start|stop|halt|resume DIR" >&2
  exit 2
fi

dir="$(realpath -m "$dir")"
self="$(realpath "$0")"
# The server's user may not be allowed into the caller's directory (a clone under /root).
cd /

run_server() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -p 5432 -c max_connections=300" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
}

case "$cmd" in
  start)
    bash "$self" stop "$dir"  # what a killed run left behind
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_owner "$bindir/initdb" -D "$dir/data" -U ncbnet --auth=trust --locale=C \
      --encoding=UTF8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    run_server
    echo "postgresql://ncbnet@/postgres?host=$dir&port=5432"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  halt)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    run_server
    ;;
  *)
    echo "usage: pg_server.sh start|stop|halt|resume DIR" >&2
    exit 2
    ;;
esac
