#include "text/name_tokens.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace ncbnet::text {
namespace {

// The scripts that get a transliteration of their own (see the header); kSeparator marks
// characters that end a token.
enum class Script { kLatin, kCyrillic, kGreek, kArabic, kHan, kSeparator };

// One thread's transliterators: ICU's are not thread-safe and take milliseconds to build.
struct Transliterators {
  std::unique_ptr<icu::Transliterator> cyrillic;  // BGN/PCGN, as Russian passports
  std::unique_ptr<icu::Transliterator> greek;     // UNGEGN (ELOT 743), as Greek passports
  std::unique_ptr<icu::Transliterator> arabic;
  std::unique_ptr<icu::Transliterator> han;  // one character at a time, see FlushHan
  std::unique_ptr<icu::Transliterator> other;
  const icu::Normalizer2* nfkc = nullptr;
  bool ok = false;
};

std::unique_ptr<icu::Transliterator> Make(const char* id, UErrorCode& status) {
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString(id, -1, US_INV), UTRANS_FORWARD, status));
  return U_SUCCESS(status) ? std::move(t) : nullptr;
}

const Transliterators& ThreadTransliterators() {
  thread_local const Transliterators kSet = [] {
    Transliterators t;
    UErrorCode status = U_ZERO_ERROR;
    // Any-Latin after the Russian table catches the Ukrainian and Serbian letters it lacks.
    t.cyrillic = Make("Russian-Latin/BGN; Any-Latin; Latin-ASCII", status);
    t.greek = Make("Greek-Latin/UNGEGN; Latin-ASCII", status);
    t.arabic = Make("Arabic-Latin; Latin-ASCII", status);
    t.han = Make("Han-Latin/Names; Latin-ASCII", status);
    t.other = Make("Any-Latin; Latin-ASCII", status);
    t.nfkc = icu::Normalizer2::getNFKCInstance(status);
    t.ok = U_SUCCESS(status);
    return t;
  }();
  return kSet;
}

constexpr std::array<std::string_view, 24> kParticles = {
    "al",  "el", "ul", "bin", "ibn", "bint", "ben", "van", "von", "der", "den",   "de",
    "del", "di", "da", "du",  "dos", "das",  "do",  "la",  "le",  "ter", "della", "y"};

bool IsApostrophe(UChar32 c) {
  return c == 0x27 || c == 0x60 || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02BB ||
         c == 0x02BF || c == 0x02BE;
}

Script ScriptOf(UChar32 c, Script current) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode sc = uscript_getScript(c, &status);
  if (sc == USCRIPT_INHERITED) return current == Script::kSeparator ? Script::kLatin : current;
  if (!u_isalpha(c) && !(u_charType(c) == U_NON_SPACING_MARK)) return Script::kSeparator;
  switch (sc) {
    case USCRIPT_CYRILLIC:
      return Script::kCyrillic;
    case USCRIPT_GREEK:
      return Script::kGreek;
    case USCRIPT_ARABIC:
      return Script::kArabic;
    case USCRIPT_HAN:
      return Script::kHan;
    default:
      return Script::kLatin;
  }
}

// A token with the script it came from, which decides the particle rules.
struct RawToken {
  std::string text;
  Script script;
};

// Splits transliterated text into letter runs, lower-cased; anything else separates.
void SplitAscii(const icu::UnicodeString& latin, Script script, std::vector<RawToken>& out) {
  std::string utf8;
  latin.toUTF8String(utf8);
  std::string cur;
  for (char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') {
      cur.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c >= 'a' && c <= 'z') {
      cur.push_back(static_cast<char>(c));
    } else if (c >= 0x80 || c == '\'' || c == '`') {
      continue;  // what Latin-ASCII left (modifier letters such as U+02BF ayn) is dropped
    } else if (!cur.empty()) {
      out.push_back({std::move(cur), script});
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back({std::move(cur), script});
}

// Arabic: the article is often written joined ("الحسن" -> "alhsn").
void StripArabicArticle(std::vector<RawToken>& tokens, std::size_t first) {
  for (std::size_t i = first; i < tokens.size(); ++i) {
    std::string& t = tokens[i].text;
    if (t.size() > 4 && t.starts_with("al")) t.erase(0, 2);
  }
}

// Arabic: "عبد" (servant of) and the name that follows are one name ("عبد الله" -> "abdallah",
// Abdullah), which Latin spellings write as one word.
void JoinArabicAbd(std::vector<RawToken>& tokens) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    std::string& t = tokens[i].text;
    if (tokens[i].script != Script::kArabic || tokens[i + 1].script != Script::kArabic) continue;
    if (t == "bd" || t == "abd") {
      std::string next = tokens[i + 1].text;
      if (next == "allh" || next == "llh") next = "allah";
      t = "abd" + next;
      tokens.erase(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    }
  }
}

void FlushRun(const Transliterators& tr, icu::UnicodeString& run, Script script,
              std::vector<RawToken>& out) {
  if (run.isEmpty()) return;
  const std::size_t first = out.size();
  if (script == Script::kHan) {
    // Pinyin per character; the first is the family name, the rest one given name, as
    // passports write Chinese names ("Zhang Xiaoming").
    std::string given;
    for (int32_t i = 0; i < run.length();) {
      const UChar32 c = run.char32At(i);
      icu::UnicodeString one(c);
      tr.han->transliterate(one);
      std::vector<RawToken> syllable;
      SplitAscii(one, script, syllable);
      for (RawToken& s : syllable) {
        if (out.size() == first) {
          out.push_back(std::move(s));
        } else {
          given += s.text;
        }
      }
      i += U16_LENGTH(c);
    }
    if (!given.empty()) out.push_back({std::move(given), script});
  } else {
    icu::Transliterator* t = tr.other.get();
    if (script == Script::kCyrillic) t = tr.cyrillic.get();
    if (script == Script::kGreek) t = tr.greek.get();
    if (script == Script::kArabic) {
      t = tr.arabic.get();
      run.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x0629)),
                         icu::UnicodeString(static_cast<UChar32>(0x0647)));  // ta marbuta: -a
    }
    t->transliterate(run);
    SplitAscii(run, script, out);
    if (script == Script::kArabic) StripArabicArticle(out, first);
  }
  run.remove();
}

bool ValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

bool IsNameParticle(std::string_view token) {
  for (std::string_view p : kParticles) {
    if (p == token) return true;
  }
  return false;
}

Result<std::vector<std::string>> NameTokens(std::string_view utf8) {
  if (utf8.size() > kMaxNameBytes) {
    return Status::InvalidArgument("name_too_long", "a name is at most 256 bytes");
  }
  if (!ValidUtf8(utf8)) return Status::InvalidArgument("invalid_name", "a name must be UTF-8");
  const Transliterators& tr = ThreadTransliterators();
  if (!tr.ok) return Status::Internal("icu_unavailable", "ICU transliteration is unavailable");

  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString name = tr.nfkc->normalize(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                                   utf8.data(), static_cast<int32_t>(utf8.size()))),
                                               status);
  if (U_FAILURE(status)) return Status::InvalidArgument("invalid_name", "not a name");
  name.foldCase();

  std::vector<RawToken> raw;
  icu::UnicodeString run;
  Script script = Script::kSeparator;
  bool any_letter = false;
  for (int32_t i = 0; i < name.length();) {
    const UChar32 c = name.char32At(i);
    i += U16_LENGTH(c);
    if (IsApostrophe(c)) continue;
    const Script s = ScriptOf(c, script);
    if (s != script) FlushRun(tr, run, script, raw);
    script = s;
    if (s != Script::kSeparator) {
      run.append(c);
      any_letter = true;
    }
  }
  FlushRun(tr, run, script, raw);
  JoinArabicAbd(raw);
  if (!any_letter) return Status::InvalidArgument("empty_name", "a name needs a letter");

  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const bool particle = raw[i].script != Script::kHan && IsNameParticle(raw[i].text);
    if (particle && i + 1 < raw.size()) continue;
    tokens.push_back(std::move(raw[i].text));
  }
  if (tokens.empty()) return Status::InvalidArgument("invalid_name", "no letters in the name");
  if (tokens.size() > kMaxNameTokens) {
    return Status::InvalidArgument("too_many_tokens", "a name has at most 16 words");
  }
  return tokens;
}

}  // namespace ncbnet::text
