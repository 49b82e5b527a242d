#!/usr/bin/env bash
# Fails on constructs that STYLE.md section 9 bans from src/, in the manner of the allowlists of
# Envoy's check_format.py. Each rule is a grep over C++ sources; a hit inside a // comment does
# not count. Prints every offending line as path:line: text [rule] and exits 1 if any.
#
#   system_clock::now          outside src/core/clock.cc   (take a Clock&)
#   rand( std::mt19937 std::random_device                    (use crypto/random.h)
#   memcmp in src/crypto, src/access (sodium_memcmp is fine) (timing leaks)
#   throw                      outside THROW_ALLOWLIST      (Status and Result<T>)
#   std::regex, <regex>                                      (use ICU)
#   json::parse                outside src/core/json.cc and tests of literals
#                                                            (ParseJson bounds the nesting)
#
# Usage: tools/check_banned.sh [ROOT]   (ROOT defaults to the repository)
set -uo pipefail

root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root" || exit 2

# Files under src/ that may contain `throw`. Start empty; adding a file needs a reason beside it.
THROW_ALLOWLIST=(
)

failures=0

# scan RULE PATTERN DIR [EXCLUDED_FILE...]: extended-regex PATTERN over the C++ files of DIR,
# ignoring text after `//` and the excluded files.
scan() {
  local rule="$1" pattern="$2" dir="$3"
  shift 3
  [ -d "$dir" ] || return 0
  local hits
  hits="$(grep -rnE --include='*.h' --include='*.cc' --include='*.hpp' --include='*.cpp' \
            -e "$pattern" "$dir" 2>/dev/null |
          awk -v pat="$pattern" -v rule="$rule" -v excluded="$*" '
            BEGIN { n = split(excluded, list, " "); for (i = 1; i <= n; i++) skip[list[i]] = 1 }
            {
              # path:line:text. Skip allowed files; strip the // comment from text, test again.
              n = index($0, ":"); path = substr($0, 1, n - 1);
              if (path in skip) next;
              rest = substr($0, n + 1); m = index(rest, ":");
              code = substr(rest, m + 1); sub(/\/\/.*/, "", code);
              if (code ~ pat) print $0 "  [" rule "]";
            }')"
  if [ -n "$hits" ]; then
    printf '%s\n' "$hits"
    failures=$((failures + $(printf '%s\n' "$hits" | wc -l)))
  fi
}

scan "system_clock::now outside src/core/clock.cc: take a Clock&" \
     'system_clock::now' src src/core/clock.cc
scan "rand(): use crypto/random.h" '(^|[^_[:alnum:]])s?rand[[:space:]]*\(' src
scan "std::mt19937: use crypto/random.h" 'mt19937' src
scan "std::random_device: use crypto/random.h" 'random_device' src
scan "memcmp in crypto/: use sodium_memcmp" '(^|[^_[:alnum:]])memcmp[[:space:]]*\(' src/crypto
scan "memcmp in access/: use sodium_memcmp" '(^|[^_[:alnum:]])memcmp[[:space:]]*\(' src/access
scan "throw: return a Status (or list the file in THROW_ALLOWLIST with a reason)" \
     '(^|[^_[:alnum:]])throw([[:space:]]|;|\(|$)' src "${THROW_ALLOWLIST[@]+"${THROW_ALLOWLIST[@]}"}"
scan "std::regex: use ICU" '(std::regex|std::wregex|std::basic_regex|#include[[:space:]]*<regex>)' src
# A JSON nested 76,000 levels deep overflows the stack of whatever walks it: every parse of
# text from outside goes through ParseJson (core/json.h), which refuses it first. Unit tests
# that parse their own literals are listed.
scan "json::parse: use ParseJson (core/json.h), which bounds the nesting" \
     'json::parse[[:space:]]*\(' src src/core/json.cc src/api/messages_json_test.cc \
     src/api/notice_checks_test.cc src/apps/ncbnet/border_check_text_test.cc \
     src/notices/notices_test.cc

if [ "$failures" -gt 0 ]; then
  echo "check_banned: $failures banned construct(s) found (see STYLE.md section 9)" >&2
  exit 1
fi
echo "check_banned: ok"
