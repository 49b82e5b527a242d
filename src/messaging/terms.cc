#include "messaging/internal/terms.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/kdf.h"
#include "messaging/internal/message_rows.h"

namespace ncbnet::messaging::internal {
namespace {

// Changing either changes every stored term: a new context needs a re-index of all messages.
constexpr std::string_view kIndexContext = "ncbn-idx";
constexpr std::uint64_t kIndexSubkeyId = 1;
constexpr std::size_t kIndexKeyBytes = 32;
constexpr std::size_t kTermBytes = 16;

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::set<std::string, std::less<>> tokens;
  std::string current;
  auto flush = [&] {
    if (current.size() >= kMinTokenBytes && current.size() <= kMaxTokenBytes) {
      tokens.insert(current);
    }
    current.clear();
  };
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (!IsWordByte(c)) {
      flush();
      continue;
    }
    // Past the maximum the token will be dropped anyway; stop growing it.
    if (current.size() <= kMaxTokenBytes) {
      current.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch);
    }
  }
  flush();
  return {tokens.begin(), tokens.end()};
}

Result<std::string> IndexKey(const DataKey& key) {
  NCBNET_RETURN_IF_ERROR(CheckDataKey(key));
  return crypto::DeriveSubkey(key.bytes, kIndexContext, kIndexSubkeyId, kIndexKeyBytes);
}

std::string BlindTerm(std::string_view index_key, std::string_view token) {
  return crypto::HexEncode(crypto::HmacSha256(index_key, token).substr(0, kTermBytes));
}

Status IndexMessage(store::Transaction& tx, const DataKey& key, std::string_view id,
                    std::string_view subject, std::string_view body) {
  NCBNET_ASSIGN_OR_RETURN(const std::string index_key, IndexKey(key));
  std::vector<std::string> tokens = Tokenize(subject);
  std::vector<std::string> body_tokens = Tokenize(body);
  tokens.insert(tokens.end(), body_tokens.begin(), body_tokens.end());
  std::vector<std::string> terms;
  terms.reserve(tokens.size());
  for (const std::string& t : tokens) terms.push_back(BlindTerm(index_key, t));
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  // Several rows a statement (a notification's body has dozens of terms), in chunks of a few
  // fixed sizes so that the store's statement cache holds three statements, not one per count.
  std::size_t next = 0;
  for (const std::size_t rows : {std::size_t{32}, std::size_t{8}, std::size_t{1}}) {
    for (; terms.size() - next >= rows; next += rows) {
      std::string sql = "INSERT INTO message_terms (message_id, term) VALUES (?, ?)";
      std::vector<store::Value> params;
      params.reserve(2 * rows);
      for (std::size_t i = next; i < next + rows; ++i) {
        if (i > next) sql += ", (?, ?)";
        params.emplace_back(id);
        params.emplace_back(terms[i]);
      }
      NCBNET_RETURN_IF_ERROR(tx.Exec(sql, params).status());
    }
  }
  return Status::Ok();
}

}  // namespace ncbnet::messaging::internal
