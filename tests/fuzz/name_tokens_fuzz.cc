// Names come from officers, national systems and imported files in any script and any
// encoding mistake: NameTokens must return tokens or an error, never crash. What it returns
// must be what the name index relies on: 1..16 non-empty tokens of 'a'..'z', each with a
// phonetic key, and tokenising the tokens again gives (a subset of) them back. The bytes after the
// first NUL are a second name, compared with the first by edit distance.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/check.h"
#include "text/name_tokens.h"
#include "text/phonetic_key.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ncbnet::text;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string_view name = bytes.substr(0, bytes.find('\0'));
  const ncbnet::Result<std::vector<std::string>> tokens = NameTokens(name);
  if (!tokens.ok()) return 0;
  NCBNET_CHECK(!tokens->empty() && tokens->size() <= kMaxNameTokens, "1..16 tokens");
  std::string joined;
  for (const std::string& t : *tokens) {
    NCBNET_CHECK(!t.empty(), "no empty token");
    for (char c : t) NCBNET_CHECK(c >= 'a' && c <= 'z', "tokens are a..z");
    NCBNET_CHECK(!PhoneticKey(t).empty(), "every token has a key");
    NCBNET_CHECK(BoundedEditDistance(t, t, 2) == 0, "a token is 0 edits from itself");
    joined += (joined.empty() ? "" : " ") + t;
  }
  if (joined.size() <= kMaxNameBytes) {
    const ncbnet::Result<std::vector<std::string>> again = NameTokens(joined);
    // The same tokens, less any that now read as a Latin particle ("de" from Han "德").
    NCBNET_CHECK(again.ok() && again->size() <= tokens->size(), "tokens tokenise again");
    for (const std::string& t : *again) {
      NCBNET_CHECK(std::find(tokens->begin(), tokens->end(), t) != tokens->end(),
                   "re-tokenising adds nothing");
    }
  }
  if (name.size() < bytes.size()) {
    const ncbnet::Result<std::vector<std::string>> other =
        NameTokens(bytes.substr(name.size() + 1));
    if (other.ok()) {
      const int d = BoundedEditDistance(tokens->front(), other->front(), 2);
      NCBNET_CHECK(d >= 0 && d <= 3, "bounded distance stays in 0..max+1");
    }
  }
  return 0;
}
