#!/usr/bin/env bash
# Fails if a C++ file under src/ or tests/ differs from what clang-format (.clang-format:
# Google at 100 columns) would write. Lists the files that need formatting and exits 1; it
# never rewrites a file. To fix one: clang-format -i FILE (or `git clang-format` for the lines
# you touched, as STYLE.md section 10 asks).
#
# Usage: tools/check_format.sh [FILE...]   (default: every *.h and *.cc under src/ and tests/)
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2

clang_format="${CLANG_FORMAT:-}"
if [ -z "$clang_format" ]; then
  for candidate in clang-format clang-format-14; do
    if command -v "$candidate" >/dev/null 2>&1; then clang_format="$candidate"; break; fi
  done
fi
if [ -z "$clang_format" ]; then
  echo "check_format: clang-format not found (bash scripts/install-deps.sh installs it)" >&2
  exit 2
fi

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find src tests -type f \( -name '*.h' -o -name '*.cc' \) | sort)
fi

bad=()
for f in "${files[@]}"; do
  if ! "$clang_format" --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    bad+=("$f")
  fi
done

if [ "${#bad[@]}" -gt 0 ]; then
  echo "check_format: ${#bad[@]} of ${#files[@]} files need clang-format:" >&2
  for f in "${bad[@]}"; do
    echo "  $f" >&2
    # Show the first differences, so CI logs say what is wrong without a rerun.
    "$clang_format" --style=file --dry-run "$f" 2>&1 | head -n 12 | sed 's/^/    /' >&2
  done
  exit 1
fi
echo "check_format: ok (${#files[@]} files)"
