#!/usr/bin/env bash
# The README's second command: installs what is missing, builds and runs every test.
#   1. Debian packages (scripts/install-deps.sh)
#   2. preset ci (release, -Werror): build, then every CTest test (unit, integration, fuzz replay)
#   3. preset asan (AddressSanitizer + UBSan): build the unit tests and fuzz replays only (the
#      target test_binaries: not the ncbnet binary or the benchmarks), then run them
#   4. the web console: type check and build, unit tests (Vitest), browser tests (Chromium);
#      with its npm packages, the lint of the API description docs/openapi.yaml (docs/redocly.yaml)
#   5. tools/check_banned.sh and tools/check_format.sh
# Every step runs even if an earlier one failed (a failed build skips its own tests), and a
# summary with the counts is printed at the end. Exits 1 if anything failed.
# Environment: JOBS (default: number of cores, at most what the machine has).
set -uo pipefail

cd "$(dirname "$0")/.."
root="$PWD"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
logdir="$root/build/test-logs"

declare -a summary=()
failed=0

note() { printf '\n==> %s\n' "$*"; }
record() {  # record STEP OK|FAIL|SKIP DETAIL
  summary+=("$(printf '%-34s %-5s %s' "$1" "$2" "$3")")
  if [ "$2" = "FAIL" ]; then failed=1; fi
}
elapsed() { echo "$(($(date +%s) - $1))s"; }

# ctest_counts LOG: "P passed, F failed of N" from CTest's closing line.
ctest_counts() {
  local line
  line="$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" | tail -n 1)"
  if [ -z "$line" ]; then
    if grep -q 'No tests were found' "$1"; then echo "0 tests found"; else echo "no result"; fi
    return
  fi
  local failed_n total
  failed_n="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")"
  total="$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")"
  echo "$((total - failed_n)) passed, $failed_n failed of $total"
}

# run_ctest STEP LOG ARGS...: runs ctest, records its counts.
run_ctest() {
  local step="$1" log="$2"
  shift 2
  local t0
  t0=$(date +%s)
  note "$step"
  if ctest "$@" 2>&1 | tee "$log"; then
    if grep -q 'No tests were found' "$log"; then
      record "$step" FAIL "no tests found ($(elapsed "$t0"))"
    else
      record "$step" ok "$(ctest_counts "$log") ($(elapsed "$t0"))"
    fi
  else
    record "$step" FAIL "$(ctest_counts "$log") ($(elapsed "$t0")); see $log"
  fi
}

# build PRESET [TARGET]: configures and builds a preset (all of it, or TARGET); returns non-zero
# on failure.
build() {
  local preset="$1" target="${2:-all}" t0
  t0=$(date +%s)
  note "build preset $preset (-j$jobs)"
  if cmake --preset "$preset" >"$logdir/configure-$preset.log" 2>&1 &&
     cmake --build --preset "$preset" -j"$jobs" --target "$target" 2>&1 |
       tee "$logdir/build-$preset.log"; then
    record "build $preset" ok "($(elapsed "$t0"))"
    return 0
  fi
  tail -n 40 "$logdir/configure-$preset.log"
  record "build $preset" FAIL "($(elapsed "$t0")); see $logdir/*-$preset.log"
  return 1
}

start=$(date +%s)

note "install dependencies"
if bash scripts/install-deps.sh; then
  record "install-deps" ok ""
else
  record "install-deps" FAIL ""
  echo "test: cannot install dependencies; stopping" >&2
  exit 1
fi
mkdir -p "$logdir"

ci_built=0
if build ci; then
  ci_built=1
  run_ctest "ctest ci (all tests)" "$logdir/ctest-ci.log" \
    --test-dir build/ci --output-on-failure -j"$jobs"
else
  record "ctest ci (all tests)" SKIP "build failed"
fi

if build asan test_binaries; then
  # Sanitizer reports fail the test (halt_on_error); leaks are reported too.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    run_ctest "ctest asan (unit, fuzz replays)" "$logdir/ctest-asan.log" \
      --test-dir build/asan -L 'unit|fuzz' --output-on-failure -j"$jobs"
else
  record "ctest asan (unit, fuzz replays)" SKIP "build failed"
fi

# The web console (docs/console.md): npm ci, type check and build (console/build.sh), its unit
# tests (Vitest), then its browser tests in Debian's Chromium against the ci build's hub.
note "console: type check, build, unit tests"
t0=$(date +%s)
if bash console/build.sh >"$logdir/console-build.log" 2>&1; then
  record "console build (tsc + vite)" ok "($(elapsed "$t0"))"
else
  tail -n 40 "$logdir/console-build.log"
  record "console build (tsc + vite)" FAIL "see $logdir/console-build.log"
fi
# The API description against the linter's strict rules (docs/redocly.yaml): a few seconds.
t0=$(date +%s)
note "lint docs/openapi.yaml"
if npm --prefix console run lint:api >"$logdir/lint-api.log" 2>&1; then
  ignored="$(grep -m1 -oE '[0-9]+ problems? (is|are) explicitly ignored' "$logdir/lint-api.log")"
  record "lint openapi.yaml" ok "${ignored:+$ignored }($(elapsed "$t0"))"
else
  tail -n 40 "$logdir/lint-api.log"
  record "lint openapi.yaml" FAIL "see $logdir/lint-api.log"
fi
t0=$(date +%s)
if (cd console && npm test) 2>&1 | tee "$logdir/console-unit.log"; then
  record "console unit tests" ok "$(grep -E '^ +Tests ' "$logdir/console-unit.log" | tail -n 1 | sed -E 's/ +/ /g; s/^ //') ($(elapsed "$t0"))"
else
  record "console unit tests" FAIL "see $logdir/console-unit.log"
fi
ncbnet_ci="$root/build/ci/src/apps/ncbnet/ncbnet"
if [ "$ci_built" -eq 1 ] && ! "$ncbnet_ci" demo --help 2>&1 | grep -q -- '--console-dir'; then
  record "console browser tests" FAIL "this ncbnet cannot serve the console (no demo --console-dir)"
elif [ "$ci_built" -eq 1 ] && [ -f console/dist/index.html ]; then
  t0=$(date +%s)
  note "console: browser tests (Chromium)"
  if NCBNET_BIN="$ncbnet_ci" npm --prefix console run e2e 2>&1 |
      tee "$logdir/console-e2e.log"; then
    record "console browser tests" ok "$(grep -E '^# (pass|fail) ' "$logdir/console-e2e.log" | tr '\n' ' ')($(elapsed "$t0"))"
  else
    record "console browser tests" FAIL "$(grep -E '^# (pass|fail) ' "$logdir/console-e2e.log" | tr '\n' ' ')see $logdir/console-e2e.log"
  fi
else
  record "console browser tests" SKIP "no ci build or no console build"
fi

note "tools/check_banned.sh"
if bash tools/check_banned.sh; then
  record "check_banned" ok ""
else
  record "check_banned" FAIL "banned constructs listed above"
fi

note "tools/check_format.sh"
if bash tools/check_format.sh >"$logdir/check-format.log" 2>&1; then
  record "check_format" ok "$(tail -n 1 "$logdir/check-format.log")"
else
  cat "$logdir/check-format.log"
  record "check_format" FAIL "$(grep -m1 'files need clang-format' "$logdir/check-format.log")"
fi

printf '\n==================== ncbnet test summary ====================\n'
printf '%s\n' "${summary[@]}"
printf 'total time: %s\n' "$(elapsed "$start")"
if [ "$failed" -ne 0 ]; then
  printf 'RESULT: FAILED\n'
  exit 1
fi
printf 'RESULT: all passed\n'
