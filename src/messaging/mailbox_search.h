// Listing and searching an agency's own mailbox (issue 3, item 8): the messages it sent or
// received, newest first, as headers (no body), with filters and a blind full-text search.
//
// Subjects and bodies are encrypted at rest, so the text index holds no plaintext: each token
// is stored as a keyed hash (messaging/internal/terms.h, docs/message-format.md "Search
// index"), and a query is hashed the same way and compared. A message matches when it holds
// every query term (AND).
//
// Confidentiality: only messages whose sender or recipient is the caller's agency are ever
// considered, the GS included; a message the caller is not party to is indistinguishable from
// one that does not exist, in results, counts and errors.
//
// Thread safety: plain functions on the caller's transaction; a read transaction suffices
// (searching marks nothing delivered or read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "messaging/message.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::messaging {

inline constexpr int kMaxSearchLimit = 200;
inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxQueryTerms = 16;

struct MailboxFilter {
  std::string query;          // free text; empty: no text condition
  std::string correspondent;  // agency id: the sender of a received message, or a recipient of
                              // a sent one; empty: any
  std::optional<std::int64_t> from_ms;  // accepted at or after
  std::optional<std::int64_t> to_ms;    // accepted before
  std::optional<Priority> priority;
  std::optional<Classification> classification;
  bool unread_only = false;  // received and not yet read by the caller
  std::string thread_id;     // the thread's first message id; empty: any
  int limit = 50;            // 1..kMaxSearchLimit
  std::string before;        // a message id from an earlier page: only older messages
};

struct MailboxEntry {
  StoredMessage message;                 // header only: content.body is empty
  std::optional<ReceiptState> my_state;  // the caller's receipt, when it is a recipient
  // Set (e.g. "decrypt_failed", "message_tampered") when the stored message no longer opens
  // or verifies; then only message.id is known.
  std::string damaged_reason;
};

struct MailboxPage {
  std::vector<MailboxEntry> entries;  // newest first (accepted time, then id)
  std::string next_before;            // pass as `before` for the next page; empty at the end
};

// The caller's matching messages. Errors: kInvalidArgument "invalid_request" naming the filter
// at fault (limit outside 1..200; q longer than 1000 bytes, with no searchable term, or more
// than 16 terms; from after to; `before` not a message of this mailbox); the store's errors.
// A message that does not open or verify is listed with damaged_reason, never fails the page.
Result<MailboxPage> SearchMailbox(store::Transaction& tx, const DataKey& key,
                                  std::string_view agency_id, const MailboxFilter& filter);

}  // namespace ncbnet::messaging
