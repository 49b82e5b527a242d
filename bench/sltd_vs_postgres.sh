#!/usr/bin/env bash
# Identifier checks, ncbnet against PostgreSQL 15 on the same SLTD records, in one run on this
# machine (issue 4, "What it must show"). Both sides read the same generated files
# (bench/sltd_gen.py, fixed seed):
#   records.csv  RECORDS stolen/lost travel documents (number,issuing_country,document_type,
#                status,date)
#   probes.csv   1,000,000 single checks, 5% present, 95% absent (for wrk, and loaded into
#                PostgreSQL's probes table for pgbench)
#   batch.csv    BATCH documents, half present, half absent, shuffled
#
# PostgreSQL (postgres_side): a throwaway cluster (bench/lib/postgres.sh, fsync on), table sltd
# with a btree index on (issuing_country, number), loaded with \copy, vacuumed, analysed and
# prewarmed into shared_buffers (the hub's index is in memory too). Then
#   (a) pgbench -M prepared, CLIENTS clients, DURATION seconds: one point lookup per
#       transaction, 95% of them for absent documents, twice: the fair baseline (probes.csv,
#       the probes wrk sends to ncbnet, in a table, one drawn at random and looked up by id,
#       then in sltd) and, for comparison with earlier figures, keys computed in SQL;
#   (b) the batch: one statement joining the table against unnest($1::text[], $2::text[]) of
#       BATCH (number, issuing_country) pairs, run RUNS times with psql's \timing (client
#       observed: send, plan, execute, receive), then EXPLAIN ANALYZE (planning + execution in
#       the server). Two forms: the inner join of the brief (rows for present documents only)
#       and a LEFT JOIN WITH ORDINALITY that answers every item, as the hub does.
# ncbnet (ncbnet_side): records imported with the API's batch create
# (bench/sltd_api_import.py), `ncbnet serve` restarted on 127.0.0.1
# (restart time and RSS with the records), then (a) wrk with bench/sltd_checks.lua:
# GET /v1/checks/SLTD?number=..&issuing_country=.. with the GS administrator's bearer token,
# CLIENTS keep-alive connections, DURATION seconds, probes drawn from probes.csv; (b) POST
# /v1/checks/SLTD with the BATCH items as JSON, RUNS times, timed by curl.
#
# Usage: bench/sltd_vs_postgres.sh [BUILD_DIR]   (default build/release)
#   RECORDS=10000000 BATCH=100000 CLIENTS=8 DURATION=30 RUNS=3
#   SIDES="postgres ncbnet"  (either or both)
#   SLTD_DATA=DIR            keep the generated files in DIR and reuse them on the next run
# Results go to stdout; copy them into docs/BENCHMARKS.md with the machine and the command.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
bin="$build/src/apps/ncbnet/ncbnet"
records="${RECORDS:-10000000}"
batch="${BATCH:-100000}"
clients="${CLIENTS:-8}"
duration="${DURATION:-30}"
runs="${RUNS:-3}"
sides="${SIDES:-postgres ncbnet}"
probes=1000000

dir=$(mktemp -d)
chmod 0755 "$dir"
hub_pid=""
# Set before pg_start, which chains pg_stop in front of it.
trap 'if [ -n "$hub_pid" ]; then kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true; fi; rm -rf "$dir"' EXIT
# shellcheck source=bench/lib/postgres.sh
source bench/lib/postgres.sh
# shellcheck source=bench/lib/hub.sh
source bench/lib/hub.sh  # now, since, machine, json, ncbnet_serve, ncbnet_stop


# ---- data, shared by both sides --------------------------------------------------------------
generate_data() {
  data="${SLTD_DATA:-$dir/data}"
  mkdir -p "$data"
  local stamp
  stamp="records=$records probes=$probes batch=$batch $(sha256sum bench/sltd_gen.py | cut -c1-16)"
  if [ -f "$data/stamp" ] && [ "$(cat "$data/stamp")" = "$stamp" ]; then
    echo "== data: reusing $data ($stamp)"
    return
  fi
  echo "== data: generating $records records, $probes probes, a batch of $batch in $data"
  local t0
  t0=$(now)
  python3 bench/sltd_gen.py probes "$records" "$probes" "$data/probes.csv" &
  local probes_pid=$!
  python3 bench/sltd_gen.py batch "$records" "$batch" "$data/batch.csv"
  python3 bench/sltd_gen.py records "$records" "$data/records.csv"
  wait "$probes_pid"
  echo "$stamp" >"$data/stamp"
  echo "   generated in $(since "$t0") s; records.csv is $(du -m "$data/records.csv" | cut -f1) MB"
}

# ---- PostgreSQL --------------------------------------------------------------------------------
pg_load() {
  echo "== PostgreSQL: load"
  pg_psql -c "CREATE TABLE sltd (number text NOT NULL, issuing_country text NOT NULL,
    document_type text NOT NULL, status text NOT NULL, date date NOT NULL)"
  local t0
  t0=$(now)
  pg_psql -c "\\copy sltd FROM '$data/records.csv' WITH (FORMAT csv, HEADER true)"
  echo "   COPY $records rows: $(since "$t0") s"
  t0=$(now)
  pg_psql -c "CREATE INDEX sltd_country_number ON sltd (issuing_country, number)"
  echo "   CREATE INDEX: $(since "$t0") s"
  t0=$(now)
  pg_psql -c "VACUUM (ANALYZE) sltd" -c "CHECKPOINT"
  echo "   VACUUM ANALYZE + CHECKPOINT: $(since "$t0") s"
  python3 bench/sltd_gen.py sql | pg_psql
  pg_psql -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" >/dev/null
  pg_psql -At -c "SELECT 'table ' || pg_size_pretty(pg_relation_size('sltd')) ||
    ', index ' || pg_size_pretty(pg_relation_size('sltd_country_number')) ||
    '; prewarmed ' || pg_prewarm('sltd') + pg_prewarm('sltd_country_number') || ' blocks'"
  # The SQL functions name the same documents as the files: all of 0..999 are present and
  # none of RECORDS..RECORDS+999.
  local hits misses
  hits=$(pg_psql -At -c "SELECT count(*) FROM generate_series(0, 999) AS g(i)
    JOIN sltd ON issuing_country = sltd_country(i) AND number = sltd_number(i)")
  misses=$(pg_psql -At -c "SELECT count(*) FROM generate_series($records, $records + 999) AS g(i)
    JOIN sltd ON issuing_country = sltd_country(i) AND number = sltd_number(i)")
  if [ "$hits" != 1000 ] || [ "$misses" != 0 ]; then
    echo "sltd_gen.py's SQL functions disagree with records.csv ($hits, $misses)"
    exit 1
  fi
}

# (a) Single lookups, two ways. The fair baseline: the probes of probes.csv (the very ones wrk
# sends to ncbnet) loaded into a table, each transaction one of them drawn at random and looked
# up by id, then in sltd: two index probes and no key arithmetic, so PostgreSQL does only the
# lookup. The historical one (kept for comparison with earlier figures): the key computed in
# SQL by sltd_gen.py's functions, numeric multiply-modulo and base 36, in every transaction.
pg_probes() {
  pg_psql -c "CREATE TABLE probes (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number text NOT NULL, issuing_country text NOT NULL)"
  pg_psql -c "\\copy probes (number, issuing_country) FROM '$data/probes.csv' WITH (FORMAT csv, HEADER true)"
  pg_psql -c "VACUUM (ANALYZE) probes" >/dev/null
  pg_psql -At -c "SELECT 'probes: ' || count(*) || ', present ' ||
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM sltd s WHERE s.issuing_country = p.issuing_country
      AND s.number = p.number)) || '; prewarmed ' || pg_prewarm('probes') || ' blocks' FROM probes p"
}

# pg_bench_run NAME SCRIPT: pgbench -M prepared, CLIENTS clients, 5 s of warm-up then DURATION.
pg_bench_run() {
  echo "== PostgreSQL (a, $1): pgbench -M prepared, $clients clients, ${duration}s, 95% misses"
  echo "   $(machine)"
  pg_pgbench -n -M prepared -c "$clients" -j 2 -T 5 -D records="$records" -D nprobes="$probes" \
    -f "$2" >/dev/null
  pg_pgbench -n -M prepared -c "$clients" -j 2 -T "$duration" -D records="$records" \
    -D nprobes="$probes" -f "$2" | grep -E 'transactions actually|latency|tps'
  echo "   $(machine)"
}

pg_single() {
  pg_probes
  cat >"$dir/probe.sql" <<'EOF'
\set p random(1, :nprobes)
SELECT s.document_type, s.status, s.date FROM probes p
  JOIN sltd s ON s.issuing_country = p.issuing_country AND s.number = p.number
 WHERE p.id = :p;
EOF
  pg_bench_run "fair: probes by id" "$dir/probe.sql"
  cat >"$dir/lookup.sql" <<'EOF'
\set r random(0, 99)
\set i case when :r < 5 then random(0, :records - 1) else random(:records, 20 * :records - 1) end
SELECT document_type, status, date FROM sltd
 WHERE issuing_country = sltd_country(:i) AND number = sltd_number(:i);
EOF
  pg_bench_run "historical: keys computed in SQL" "$dir/lookup.sql"
}

# Writes the batch as two text[] literals into batch.sql: PREPARE, RUNS timed EXECUTEs of each
# form, and EXPLAIN ANALYZE of each.
pg_batch_sql() {
  python3 - "$data/batch.csv" "$runs" >"$dir/batch.sql" <<'EOF'
import sys
rows = [line.rstrip("\n").split(",") for line in open(sys.argv[1])][1:]
numbers = "'{" + ",".join(r[0] for r in rows) + "}'"
countries = "'{" + ",".join(r[1] for r in rows) + "}'"
runs = int(sys.argv[2])
print("""PREPARE inner_join(text[], text[]) AS
  SELECT s.number, s.issuing_country, s.document_type, s.status, s.date
    FROM unnest($1::text[], $2::text[]) AS b(number, issuing_country)
    JOIN sltd s ON s.issuing_country = b.issuing_country AND s.number = b.number;
PREPARE every_item(text[], text[]) AS
  SELECT b.ord, s.document_type, s.status, s.date
    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS b(number, issuing_country, ord)
    LEFT JOIN sltd s ON s.issuing_country = b.issuing_country AND s.number = b.number;""")
for form in ("inner_join", "every_item"):
    print("\\o /dev/null\n\\timing on")
    for _ in range(runs):
        print("\\echo %s: client-observed" % form)
        print("EXECUTE %s(%s, %s);" % (form, numbers, countries))
    print("\\timing off\n\\o")
    print("\\echo %s: EXPLAIN ANALYZE" % form)
    print("EXPLAIN (ANALYZE, BUFFERS, SUMMARY) EXECUTE %s(%s, %s);" % (form, numbers, countries))
EOF
}

pg_batch() {
  echo "== PostgreSQL (b): one batch of $batch documents (half absent) joined against unnest, $runs runs"
  echo "   $(machine)"
  pg_batch_sql
  pg_psql -f "$dir/batch.sql" | grep -E 'client-observed|Time:|EXPLAIN|Planning Time|Execution Time|Hash|Nested|Index|Function Scan|^ *->|rows' |
    grep -v '^ *Buffers' | sed 's/^/   /'
  echo "   $(machine)"
}

postgres_side() {
  pg_start  # default settings (bench/lib/postgres.sh)
  pg_load
  pg_single
  pg_batch
  pg_stop
}

# ---- ncbnet ------------------------------------------------------------------------------------
# Imports records.csv as ncb-fra's records through the API's batch create
# (bench/sltd_api_import.py, 1,000 records a request, each durable and all or nothing), with
# ncb-fra's client certificate. (`ncbnet records import` validates every row in a dry run
# first, then imports: twice the requests for the same result.)
ncbnet_import() {
  echo "== ncbnet: import $records records as ncb-fra's (POST /v1/records/SLTD/batch)"
  local t0
  t0=$(now)
  "$bin" cert issue --agency ncb-fra --out "$dir/fra" --json --data-dir "$hub" >"$dir/cert.json"
  local cert key
  cert=$(json '.get("cert", "'"$dir/fra.crt"'")' <"$dir/cert.json")
  key=$(json '.get("key", "'"$dir/fra.key"'")' <"$dir/cert.json")
  python3 bench/sltd_api_import.py "$url" "$ca" "$cert" "$key" "$data/records.csv" \
    "${IMPORT_CONNECTIONS:-2}"
  echo "   import: $(since "$t0") s"
}

ncbnet_side() {
  [ -x "$bin" ] || { echo "build $bin first (cmake --preset release && cmake --build --preset release -j2)"; exit 1; }
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  hub="$dir/hub"
  ca="$hub/ca.crt"
  local password token
  password=$("$bin" init --data-dir "$hub" --countries data/countries.tsv --json | json '["admin_password"]')
  ncbnet_serve
  ncbnet_import
  echo "== ncbnet: restart with $records records"
  ncbnet_stop
  ncbnet_serve
  echo "   hub RSS: $(ps -o rss= -p "$hub_pid" | awk '{printf "%.0f MB", $1/1024}')"
  # The GS administrator holds every capability, record.check:SLTD among them.
  token=$(curl -sf --cacert "$ca" "$url/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"user\":\"gs.admin\",\"password\":\"$password\"}" | json '["token"]')
  # One known-present and one known-absent document, so a wrong URL or token fails loudly.
  local present absent doc
  present=$(sed -n 2p "$data/records.csv" | cut -d, -f1,2)
  absent=$(python3 -c "import sys; sys.path.insert(0, 'bench'); import sltd_gen as g; print(g.number($records) + ',' + g.country($records))")
  for doc in "$present" "$absent"; do
    echo "   check $doc: $(curl -sf --cacert "$ca" -H "Authorization: Bearer $token" \
      "$url/v1/checks/SLTD?number=${doc%,*}&issuing_country=${doc#*,}" | head -c 200)"
  done

  echo "== ncbnet (a): GET /v1/checks/SLTD over HTTPS keep-alive, $clients connections, ${duration}s, 95% misses"
  echo "   $(machine)"
  wrk -t2 -c"$clients" -d5s -H "Authorization: Bearer $token" -s bench/sltd_checks.lua \
    "$url" -- "$data/probes.csv" >/dev/null
  wrk -t2 -c"$clients" -d"${duration}s" --latency -H "Authorization: Bearer $token" \
    -s bench/sltd_checks.lua "$url" -- "$data/probes.csv"
  echo "   $(machine)"

  echo "== ncbnet (b): POST /v1/checks/SLTD, one batch of $batch documents (half absent), $runs runs"
  python3 -c '
import json, sys
rows = [line.rstrip("\n").split(",") for line in open(sys.argv[1])][1:]
json.dump({"items": [{"number": n, "issuing_country": c} for n, c in rows]}, sys.stdout)
' "$data/batch.csv" >"$dir/batch.json"
  echo "   $(machine)"
  local i
  for i in $(seq "$runs"); do
    curl -sf --cacert "$ca" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      --data-binary @"$dir/batch.json" -o "$dir/batch-answer.json" \
      -w "   run $i: client-observed %{time_total} s (connect+TLS %{time_appconnect} s), %{size_download} bytes\n" \
      "$url/v1/checks/SLTD"
  done
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print("   answers: %d, matched: %d" % (len(r), sum(1 for x in r if x.get("match"))))
' "$dir/batch-answer.json"
  echo "   $(machine)"
  ncbnet_stop
}

echo "== sltd_vs_postgres: RECORDS=$records BATCH=$batch CLIENTS=$clients DURATION=$duration RUNS=$runs SIDES='$sides'"
machine
generate_data
for side in $sides; do
  case "$side" in
    postgres) postgres_side ;;
    ncbnet) ncbnet_side ;;
    *) echo "unknown side '$side' (postgres, ncbnet)"; exit 2 ;;
  esac
done
