// Message retention (issue 3, item 9): each message carries retention_until_ms, set at send
// (messaging::Send, default five years); once past it, the hub deletes the message with its
// receipts, mailbox events and search terms, and records each deletion in the audit log.
//
// Run periodically by the hub (apps/ncbnet/hub_runner.cc) and once by `ncbnet msg purge`.
//
// Thread safety: a plain function on the caller's write transaction.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::messaging {

inline constexpr int kMaxPurgeBatch = 10'000;

// Deletes up to `limit` (1..10000) messages whose retention_until_ms <= now_ms, oldest expiry
// first, and appends for each an audit entry (action "message.purge", object the message id,
// user "hub", agency "gs", source "local") signed into the chain with `audit_key`, all in `tx`:
// a message is gone if and only if its purge is audited. Mailbox cursors are never reused
// (internal::NewestCursor). In the same transaction it purges expired uploads and unused blobs
// (messaging::PurgeAttachments, each audited too). Returns how many messages, uploads and blobs
// were purged; fewer than `limit` means none is left. Errors: kInvalidArgument "invalid_request"
// for a bad limit; audit::Append's errors (kDataLoss "audit_chain_broken" stops purging); the
// store's errors.
Result<int> PurgeExpired(store::Transaction& tx, const crypto::SigningKey& audit_key,
                         std::int64_t now_ms, int limit);

}  // namespace ncbnet::messaging
