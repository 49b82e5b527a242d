#!/usr/bin/env bash
# Name search on PERSONS synthetic persons (issue 4, "name search ... vs PostgreSQL pg_trgm"):
# ncbnet's NameIndex against PostgreSQL 15's pg_trgm, side by side in one run, on the same
# persons and the same labelled queries (the evaluation set of src/index/name_eval_set.h,
# docs/name-search.md).
#
#   ncbnet:     build/release/src/index/name_eval builds the set, indexes the persons in a
#               NameIndex in process, runs every query three times on one thread and reports
#               recall@1, recall at the default threshold, near-namesake false positives and the
#               latency of each Search (median, p90, p99).
#   PostgreSQL: the same persons, one row per distinct normalised name (ref, name, dob), the
#               name normalised by ncbnet's own text::NameTokens (ICU transliteration: pg_trgm
#               cannot read Cyrillic, Arabic or Han against Latin, so it gets our normalisation
#               for free); a GIN index with gin_trgm_ops; a query is
#                 SELECT ref FROM names WHERE name % $q
#                 ORDER BY similarity(name, $q) DESC, (dob = $dob) DESC LIMIT 10
#               (pg_trgm.similarity_threshold 0.3, the default). Latency is pgbench's, one
#               client, -M prepared, over loopback, for random queries of the set (the client
#               round trip is tens of microseconds, the query milliseconds). Recall@1 is the top
#               row of each query against the same labels; a near-namesake query that returns
#               any row is a false positive.
#
# PostgreSQL comes from bench/lib/postgres.sh (installs postgresql-15 from Debian and starts a
# throwaway cluster on 127.0.0.1); PG_LIB points elsewhere if needed.
#
# Usage: bench/names_vs_pg_trgm.sh [BUILD_DIR]   (default build/release;
#        PERSONS=1000000 QUERIES=2000 SEED=1 PG_SECONDS=60)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
persons="${PERSONS:-1000000}"
queries="${QUERIES:-2000}"
seed="${SEED:-1}"
pg_seconds="${PG_SECONDS:-60}"
eval_bin="$build/src/index/name_eval"
[ -x "$eval_bin" ] || { echo "build $eval_bin first (cmake --build --preset release --target name_eval)"; exit 1; }
pg_lib="${PG_LIB:-bench/lib/postgres.sh}"
[ -f "$pg_lib" ] || { echo "$pg_lib is missing (the shared PostgreSQL helper); set PG_LIB"; exit 1; }
# shellcheck source=/dev/null
source "$pg_lib"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 755 "$dir"
ms() { python3 -c 'import sys, time; print(int(time.time() * 1000))'; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== ncbnet NameIndex: $persons persons, $queries queries, seed $seed"
"$eval_bin" --persons "$persons" --queries "$queries" --seed "$seed" --out "$dir" | tee "$dir/ncbnet.txt"

echo "== PostgreSQL 15 pg_trgm"
pg_start
pg_psql -c 'CREATE EXTENSION pg_trgm' >/dev/null
t0=$(ms)
pg_psql <<SQL
CREATE TABLE names (ref bigint NOT NULL, name text NOT NULL, dob text);
\copy names FROM '$dir/persons.tsv'
CREATE TABLE queries (id int PRIMARY KEY, name text NOT NULL, dob text);
\copy queries FROM '$dir/queries.tsv'
SQL
t1=$(ms)
pg_psql -c 'CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops)'
pg_psql -c 'ANALYZE names' -c 'ANALYZE queries'
t2=$(ms)
rows=$(pg_psql -Atc 'SELECT count(*) FROM names')
echo "loaded $rows name rows in $(( (t1 - t0) / 1000 )) s; GIN trigram index built in $(( (t2 - t1) / 1000 )) s"
pg_psql -Atc "SELECT pg_size_pretty(pg_relation_size('names')) || ' table, ' || pg_size_pretty(pg_relation_size('names_trgm')) || ' index'"

query_sql='SELECT n.ref FROM queries q CROSS JOIN LATERAL (SELECT ref FROM names WHERE name % q.name ORDER BY similarity(name, q.name) DESC, (dob = q.dob) DESC NULLS LAST, ref LIMIT 10) n WHERE q.id = :id'
echo "plan:"
pg_psql -c "EXPLAIN $(echo "$query_sql" | sed 's/:id/1/')" | sed 's/^/  /'
nq=$(wc -l <"$dir/queries.tsv")
cat >"$dir/search.sql" <<SQL
\set id random(1, $nq)
$query_sql;
SQL
(cd "$dir" && pg_pgbench -n -M prepared -c 1 -j 1 -T "$pg_seconds" -l --log-prefix=pglat -f search.sql postgres) |
  grep -E 'number of transactions actually processed|latency average|tps'
cat "$dir"/pglat* | awk '{print $3}' | sort -n | awk '{v[NR] = $1} END {
  printf "pg_trgm latency over %d searches: median %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us\n",
    NR, v[int(NR / 2) + 1], v[int(NR * 0.9) + 1], v[int(NR * 0.99) + 1], v[NR] }'

t3=$(ms)
pg_psql -c "\\copy (SELECT q.id, (SELECT ref FROM names WHERE name % q.name ORDER BY similarity(name, q.name) DESC, (dob = q.dob) DESC NULLS LAST, ref LIMIT 1) FROM queries q ORDER BY q.id) TO '$dir/pg_top1.tsv'"
t4=$(ms)
echo "all $nq queries' top rows in $(( (t4 - t3) / 1000 )) s"
"$eval_bin" --persons "$persons" --queries "$queries" --seed "$seed" --score-pg "$dir/pg_top1.tsv"
pg_stop
