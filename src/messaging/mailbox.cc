#include "messaging/internal/message_rows.h"
#include "messaging/message_service.h"

namespace ncbnet::messaging {
namespace {

constexpr int kMaxFetch = 500;

// A receipt event: the recipient and the state it reached at the event's time.
Result<MailboxEvent> ReceiptEvent(store::Transaction& tx, MailboxEvent event,
                                  const store::Row& row) {
  const std::optional<ReceiptState> state =
      internal::ParseReceiptState(row[4].AsOptionalText().value_or(""));
  if (!state || row[3].is_null()) {
    return Status::DataLoss("mailbox_corrupt",
                            "malformed receipt event " + std::to_string(event.cursor));
  }
  Receipt receipt;
  receipt.agency_id = row[3].AsText();
  receipt.state = *state;
  const std::int64_t at_ms = row[5].AsInt();
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> times,
                          tx.QueryOne("SELECT queued_ms, delivered_ms FROM message_recipients"
                                      " WHERE message_id = ? AND agency_id = ?",
                                      {event.message_id, receipt.agency_id}));
  if (times) {
    receipt.queued_ms = (*times)[0].AsInt();
    receipt.delivered_ms = (*times)[1].AsOptionalInt();
  }
  if (*state == ReceiptState::kDelivered) receipt.delivered_ms = at_ms;
  if (*state == ReceiptState::kRead) receipt.read_ms = at_ms;
  event.receipt = std::move(receipt);
  return event;
}

// A message event: the header, and the delivered receipt if this is the first fetch.
Result<MailboxEvent> MessageEvent(store::Transaction& tx, const DataKey& key,
                                  std::string_view agency_id, MailboxEvent event,
                                  std::int64_t now_ms) {
  Result<std::optional<StoredMessage>> loaded =
      internal::LoadMessage(tx, key, event.message_id, /*with_body=*/false);
  if (!loaded.ok() && loaded.status().code() == StatusCode::kDataLoss) {
    // One damaged message must not lock its recipient out of the rest of the mailbox (or end
    // a live feed): the event says so, and the message stays undelivered.
    event.damaged_reason = loaded.status().reason();
    return event;
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<StoredMessage> message, std::move(loaded));
  if (!message) {
    return Status::DataLoss("mailbox_corrupt", "event for missing message " + event.message_id);
  }
  NCBNET_RETURN_IF_ERROR(internal::AdvanceReceipt(
      tx, event.message_id, message->from_hub ? std::string() : message->content.sender_agency,
      agency_id, ReceiptState::kDelivered, now_ms));
  event.message = *std::move(message);
  return event;
}

Status CheckCursor(store::Transaction& tx, std::int64_t after_cursor) {
  if (after_cursor < 0) return Status::InvalidArgument("invalid_request", "cursor must be >= 0");
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t newest, internal::NewestCursor(tx));
  if (after_cursor > newest) {
    return Status::InvalidArgument("cursor_from_future", "cursor is beyond the newest event");
  }
  return Status::Ok();
}

}  // namespace

Result<bool> HasMailboxEvents(store::Transaction& tx, std::string_view agency_id,
                              std::int64_t after_cursor) {
  NCBNET_RETURN_IF_ERROR(CheckCursor(tx, after_cursor));
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT cursor FROM mailbox_events WHERE agency_id = ? AND cursor > ? LIMIT 1",
                  {agency_id, after_cursor}));
  return row.has_value();
}

Result<std::vector<MailboxEvent>> FetchMailbox(store::Transaction& tx, const DataKey& key,
                                               std::string_view agency_id,
                                               std::int64_t after_cursor, int limit,
                                               std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(internal::CheckDataKey(key));
  if (limit < 1 || limit > kMaxFetch) {
    return Status::InvalidArgument("invalid_request", "limit must be 1 to 500");
  }
  NCBNET_RETURN_IF_ERROR(CheckCursor(tx, after_cursor));
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT cursor, kind, message_id, receipt_agency, receipt_state, at_ms"
               " FROM mailbox_events WHERE agency_id = ? AND cursor > ? ORDER BY cursor LIMIT ?",
               {agency_id, after_cursor, limit}));
  std::vector<MailboxEvent> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    MailboxEvent event;
    event.cursor = row[0].AsInt();
    event.message_id = row[2].AsText();
    if (row[1].AsText() == "message") {
      event.kind = EventKind::kMessage;
      NCBNET_ASSIGN_OR_RETURN(event, MessageEvent(tx, key, agency_id, std::move(event), now_ms));
    } else if (row[1].AsText() == "receipt") {
      event.kind = EventKind::kReceipt;
      NCBNET_ASSIGN_OR_RETURN(event, ReceiptEvent(tx, std::move(event), row));
    } else {
      return Status::DataLoss("mailbox_corrupt",
                              "unknown event kind at " + std::to_string(event.cursor));
    }
    out.push_back(std::move(event));
  }
  return out;
}

}  // namespace ncbnet::messaging
