// The notices tables (store/migrations.cc, migration 9) as Notice values, sealing at rest, the
// visibility and actor rules of notices.h, and the history. Shared by the module's files; not
// part of its public surface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "notices/notices.h"
#include "store/store.h"

namespace ncbnet::notices::internal {

// The 32-byte key that seals notices' fields and images (a subkey of the data key).
Result<std::string> SealingKey(const messaging::DataKey& data_key);

// The associated data that binds a sealed value to its notice and purpose.
std::string Binding(std::string_view id, std::string_view what);

Status InsertNotice(store::Transaction& tx, const Keys& keys, const Notice& n);

// Writes every mutable column of `n`, whose version must still be the stored one; increments
// n.version and sets n.updated_ms. kFailedPrecondition "version_conflict" otherwise.
Status SaveNotice(store::Transaction& tx, const Keys& keys, Notice& n, std::int64_t now_ms);

// The stored notice (with its image list), or nullopt.
Result<std::optional<Notice>> LoadNotice(store::Transaction& tx, const Keys& keys,
                                         std::string_view id);

// What LoadNotices does with a row whose sealed values no longer open (kDataLoss): fail the
// whole read (kRefuse: whoever changes a notice), return it with only its plaintext columns
// and `damaged` set (kMark: lists), or leave it out (kSkip: duplicate search, expiry).
enum class Damaged { kRefuse, kMark, kSkip };

// Notices by a WHERE clause over the notices table (without "WHERE"), newest update first.
Result<std::vector<Notice>> LoadNotices(store::Transaction& tx, const Keys& keys,
                                        const std::string& where,
                                        const std::vector<store::Value>& params, int limit,
                                        Damaged damaged);

bool MaySee(const Notice& n, const Actor& actor);
bool IsRequester(const Notice& n, const Actor& actor);

// The notice if `actor` may see it, else kNotFound "notice_not_found".
Result<Notice> LoadVisible(store::Transaction& tx, const Keys& keys, const Actor& actor,
                           std::string_view id);

// LoadVisible, then kPermissionDenied "not_requesting_country" unless the actor is of the
// requesting country (and holds notice.request).
Result<Notice> LoadOwn(store::Transaction& tx, const Keys& keys, const Actor& actor,
                       std::string_view id);

// LoadVisible, then kPermissionDenied "not_reviewer" unless the actor holds notice.review.
Result<Notice> LoadForReview(store::Transaction& tx, const Keys& keys, const Actor& actor,
                             std::string_view id);

Status NoticeNotFound();
Status BadTransition(std::string_view action, const Notice& n);

// Appends the history row of `action` (n.state as it is now); returns its seq.
Result<std::int64_t> AppendEvent(store::Transaction& tx, const Notice& n, std::string_view action,
                                 const Actor& actor, std::string_view note, std::int64_t now_ms);

}  // namespace ncbnet::notices::internal
