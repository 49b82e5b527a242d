// The messaging tables (store/migrations.cc, migration 2) as rows: shared by
// message_service.cc, mailbox.cc and recipients.cc. Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::messaging::internal {

// kInternal "invalid_data_key" unless the data key is 32 bytes: a configuration error.
Status CheckDataKey(const DataKey& key);

// The associated data that binds a sealed field to its message: id + "\n" + field.
std::string FieldAd(std::string_view message_id, std::string_view field);

// The stored message `id`, or nullopt, always verified whole: its canonical encoding (the
// plaintext columns too) must hash to content_hash and carry a valid signature by the stored
// key (kDataLoss "message_tampered"). Without `with_body`, `content.body` is then emptied.
// kDataLoss "decrypt_failed" when a sealed field does not open.
Result<std::optional<StoredMessage>> LoadMessage(store::Transaction& tx, const DataKey& key,
                                                 std::string_view id, bool with_body);

// The sender agency of message `id` as a reader: nullopt when there is no such message, ""
// for a hub message, whose nominal sender does not read it (messaging/hub_messages.h).
Result<std::optional<std::string>> MessageSender(store::Transaction& tx, std::string_view id);

// Per-recipient receipts of message `id`, ordered by agency id.
Result<std::vector<Receipt>> LoadReceipts(store::Transaction& tx, std::string_view id);

// The newest cursor ever assigned (0 before the first event): the largest in mailbox_events,
// or the high-water mark retention.cc leaves in meta when it purges the newest events, so a
// cursor is never reused and a client's cursor never becomes "from the future".
inline constexpr std::string_view kCursorFloorKey = "mailbox_cursor_floor";
Result<std::int64_t> NewestCursor(store::Transaction& tx);

// Appends an event to `agency_id`'s mailbox with the next hub-wide cursor.
Status AppendEvent(store::Transaction& tx, std::string_view agency_id, EventKind kind,
                   std::string_view message_id, const std::optional<Receipt>& receipt,
                   std::int64_t at_ms);

// Moves `recipient`'s receipt on message `id` forward to `state` (delivered or read; never
// backwards) and, if it changed, appends a receipt event to the sender's mailbox (none when
// `sender` is empty: a hub message).
Status AdvanceReceipt(store::Transaction& tx, std::string_view id, std::string_view sender,
                      std::string_view recipient, ReceiptState state, std::int64_t now_ms);

std::optional<ReceiptState> ParseReceiptState(std::string_view name);

}  // namespace ncbnet::messaging::internal
