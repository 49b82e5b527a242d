#!/usr/bin/env bash
# Long fuzzing, outside CI (CI replays each corpus as a test): builds the `fuzz` preset (clang-14,
# libFuzzer, AddressSanitizer and UBSan) and runs every target for SECONDS each (default 3600),
# one after the other, starting from a copy of its committed corpus. New inputs that widen
# coverage land in build/fuzz-work/<target>/corpus; a crash, leak or timeout stops that target
# and leaves its input in build/fuzz-work/<target>/ (crash-*, leak-*, timeout-*). Fix it, add
# the input to tests/fuzz/corpus/<target>/, and it is replayed in every CI run from then on.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: the names of tests/fuzz/*_fuzz.cc)
# Environment: JOBS (parallel fuzzing processes per target, default 1).
# Exits 1 if any target found a problem; prints one line per target at the end.
set -uo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
seconds="${1:-3600}"
shift || true
jobs="${JOBS:-1}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cc; do targets+=("$(basename "$f" _fuzz.cc)"); done
fi

bash scripts/install-deps.sh || exit 1
cmake --preset fuzz >/dev/null || exit 1
cmake --build --preset fuzz -j"$(nproc)" || exit 1

work="$root/build/fuzz-work"
declare -a summary=()
failed=0
for t in "${targets[@]}"; do
  bin="$root/build/fuzz/tests/fuzz/${t}_fuzz"
  if [ ! -x "$bin" ]; then
    summary+=("$t: no such target")
    failed=1
    continue
  fi
  mkdir -p "$work/$t/corpus"
  cp -n "$root/tests/fuzz/corpus/$t/"* "$work/$t/corpus/" 2>/dev/null || true
  before=$(ls "$work/$t/corpus" | wc -l)
  echo "==> $t for ${seconds}s"
  start=$(date +%s)
  (cd "$work/$t" &&
    ASAN_OPTIONS="detect_leaks=1:halt_on_error=1" \
      "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=1048576 \
      -jobs="$jobs" -workers="$jobs" -print_final_stats=1 corpus >"$work/$t/fuzz.log" 2>&1)
  rc=$?
  after=$(ls "$work/$t/corpus" | wc -l)
  runs=$(grep -hoE 'stat::number_of_executed_units: *[0-9]+' "$work/$t/"*.log 2>/dev/null |
         awk '{s += $2} END {print s + 0}')
  artefacts=$(ls "$work/$t" | grep -cE '^(crash|leak|timeout|oom)-' || true)
  line="$t: $runs runs in $(($(date +%s) - start))s, corpus $before -> $after"
  if [ "$rc" -ne 0 ] || [ "$artefacts" -gt 0 ]; then
    line="$line, FOUND $artefacts problem input(s): see $work/$t"
    failed=1
  fi
  summary+=("$line")
done

printf '\n==================== fuzz summary ====================\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
