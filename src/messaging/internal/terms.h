// The blind search index of the mailbox (docs/message-format.md, "Search index"): subject and
// body are encrypted at rest, so the index holds for each token only a keyed hash, which the
// hub can compare but not read back. Shared by message_service.cc (indexing at send),
// mailbox_search.cc (querying) and retention.cc (purging). Not part of the module's surface.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::messaging::internal {

inline constexpr std::size_t kMinTokenBytes = 2;
inline constexpr std::size_t kMaxTokenBytes = 64;

// The distinct tokens of `text`, sorted: maximal runs of ASCII letters and digits and of
// bytes >= 0x80 (so UTF-8 letters stay inside words), ASCII letters lower-cased, kept only if
// 2..64 bytes long. Non-ASCII text is not case-folded.
std::vector<std::string> Tokenize(std::string_view text);

// The index key: a subkey of the data key for this purpose only (crypto::DeriveSubkey,
// context "ncbn-idx", id 1). Errors: those of CheckDataKey().
Result<std::string> IndexKey(const DataKey& key);

// The stored form of `token`: the first 16 bytes of HMAC-SHA-256(index_key, token), as 32
// lower-case hex characters.
std::string BlindTerm(std::string_view index_key, std::string_view token);

// Indexes message `id`: one message_terms row per distinct token of subject and body.
Status IndexMessage(store::Transaction& tx, const DataKey& key, std::string_view id,
                    std::string_view subject, std::string_view body);

}  // namespace ncbnet::messaging::internal
