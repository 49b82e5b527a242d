#include "text/phonetic_key.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace ncbnet::text {
namespace {

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// Multi-letter spellings of one sound, longest first so that "shch" wins over "sh".
struct Digraph {
  std::string_view spelling;
  char code;
};
constexpr std::array<Digraph, 18> kDigraphs = {{
    {"shch", 'J'},
    {"tsch", 'J'},
    {"sch", 'J'},
    {"tch", 'J'},
    {"dzh", 'J'},
    {"dj", 'J'},
    {"zh", 'J'},
    {"ch", 'J'},
    {"sh", 'J'},
    {"cz", 'J'},
    {"sz", 'J'},
    {"ph", 'F'},
    {"kh", 'H'},
    {"gh", 'K'},
    {"ck", 'K'},
    {"th", 'T'},
    {"ts", 'S'},
    {"tz", 'S'},
}};

// The code of the single letter at `i` of `t`; '\0' for a vowel or a silent letter.
char SingleCode(std::string_view t, std::size_t i) {
  const char c = t[i];
  const char next = i + 1 < t.size() ? t[i + 1] : '\0';
  switch (c) {
    case 'b':
    case 'p':
      return 'P';
    case 'd':
    case 't':
      return 'T';
    case 'g':
    case 'k':
    case 'q':
      return 'K';
    case 's':
    case 'z':
      return 'S';
    case 'v':
    case 'w':
    case 'f':
      return 'F';
    case 'c':
      return (next == 'e' || next == 'i' || next == 'y') ? 'S' : 'K';
    case 'h':
      return i + 1 == t.size() ? '\0' : 'H';
    case 'j': {
      // "sergej", "evgenij": a j that closes a vowel is a glide, not a consonant.
      const bool after_vowel = i > 0 && IsVowel(t[i - 1]);
      const bool before_consonant = next == '\0' || !IsVowel(next);
      return after_vowel && before_consonant ? '\0' : 'J';
    }
    case 'l':
    case 'r':
    case 'm':
    case 'n':
      return static_cast<char>(c - 'a' + 'A');
    default:
      return '\0';  // vowels and anything that is not a letter
  }
}

}  // namespace

std::string PhoneticKey(std::string_view token) {
  std::string key;
  char last = '\0';  // the code of the previous letter, '\0' after a vowel
  std::size_t i = 0;
  if (token.size() > 2 && token.starts_with("hs") &&
      IsVowel(token[2])) {  // Wade-Giles "Hsu" = "Xu"
    key = "KS";
    last = 'S';
    i = 2;
  }
  while (i < token.size()) {
    char code = '\0';
    std::size_t len = 1;
    if (token[i] == 'x') {
      if (last != 'K') key.push_back('K');
      code = 'S';
    } else if (token.substr(i) == "ng") {
      code = 'N';
      len = 2;
    } else {
      const auto* d = std::find_if(kDigraphs.begin(), kDigraphs.end(), [&](const Digraph& g) {
        return token.substr(i, g.spelling.size()) == g.spelling;
      });
      if (d != kDigraphs.end()) {
        code = d->code;
        len = d->spelling.size();
      } else {
        code = SingleCode(token, i);
      }
    }
    if (code != '\0' && code != last) key.push_back(code);
    last = code;
    i += len;
  }
  if (key.empty()) {
    key.push_back('~');
    for (char c : token) {
      if (c >= 'a' && c <= 'z') key.push_back(c);
    }
  }
  return key;
}

int BoundedEditDistance(std::string_view a, std::string_view b, int max) {
  constexpr std::size_t kMaxLen = 64;
  if (a == b) return 0;  // before the length cap: a long token is still 0 edits from itself
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  if (a.size() > kMaxLen || b.size() > kMaxLen || std::abs(la - lb) > max) return max + 1;
  // Three rows of the optimal-string-alignment table: two back for adjacent swaps.
  std::array<int, kMaxLen + 1> prev2{};
  std::array<int, kMaxLen + 1> prev{};
  std::array<int, kMaxLen + 1> cur{};
  for (int j = 0; j <= lb; ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[lb] > max ? max + 1 : prev[lb];
}

}  // namespace ncbnet::text
