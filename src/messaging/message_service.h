// Store-and-forward messaging between agencies: the domain logic behind /v1/messages and
// `ncbnet msg`. Plain functions on a caller's store transaction, so the API layer can append
// its audit entry in the same transaction (api/request_context.h).
//
// Rules (issue 3):
// - Addressing follows grants: the sender's agency needs message.send; an NCB (or the GS) may
//   send to any NCB, to the GS, and to agencies of its own branch; a national agency may send to
//   its own NCB and to agencies of its NCB's branch, and to other countries' NCBs only if it holds
//   message.send (granted by its NCB); a terminal sends only to its own NCB. An unknown or
//   disallowed recipient refuses the whole message (kNotFound "unknown_recipient" or
//   kPermissionDenied "recipient_not_allowed", naming it).
// - The signature is verified against the sender agency's registered, unrevoked key before
//   anything is stored (kUnauthenticated "invalid_signature").
// - Idempotency: the same (sender agency, idempotency key) with the same canonical content
//   returns the first message's id; with different content, kAlreadyExists
//   "idempotency_key_reused".
// - Confidentiality: subject and body are stored encrypted (XChaCha20-Poly1305, the hub's data
//   key, the message id as associated data); only the sender agency and recipient agencies
//   can read a message, the GS included (a message not addressed to it is kNotFound).
// - Each recipient has a mailbox: an append-only sequence of events (a new message; a receipt
//   on a message it sent) with a per-hub increasing sequence number, read from a cursor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "messaging/message.h"
#include "store/store.h"

namespace ncbnet::messaging {

// The hub's key for encryption at rest: 32 bytes, from <data-dir>/data.key (mode 0600).
struct DataKey {
  std::string bytes;
};

struct Sender {
  std::string agency_id;
  std::string user_id;    // empty for a system with a client certificate
  std::string user_name;  // the login name of user_id; empty with it
};

struct Accepted {
  std::string message_id;
  bool duplicate = false;               // an idempotent retry of an earlier send
  std::vector<std::string> recipients;  // resolved agency ids
};

// Validates, resolves recipients, checks addressing rules and the signature, and stores the
// message with one queued receipt and one mailbox event per recipient. `sender.agency_id`
// must equal `content.sender_agency` (kPermissionDenied "sender_mismatch"). Recipients are
// deduplicated and returned sorted; the sender is dropped from them, and a message addressed
// only to its sender is kInvalidArgument "invalid_message". Other errors: those of Validate();
// kPermissionDenied "missing_capability" (no live message.send, or the sender is disabled);
// kAlreadyExists "idempotency_key_reused"; kInvalidArgument "unknown_attachment" (an attachment
// that is not a completed upload of the sender's agency, messaging/attachments.h). An
// idempotent retry is answered before the
// signature is checked again (its key may have been revoked since). Needs a write transaction.
// The message is kept until now_ms + retention_ms (messaging/retention.h), and its subject and
// body are indexed for SearchMailbox() as keyed hashes only (messaging/mailbox_search.h).
inline constexpr std::int64_t kDefaultRetentionMs = std::int64_t{1826} * 24 * 3600 * 1000;
Result<Accepted> Send(store::Transaction& tx, const DataKey& key, const Sender& sender,
                      const SignedContent& content, const Signature& signature, std::int64_t now_ms,
                      std::int64_t retention_ms = kDefaultRetentionMs);

// The signature check of Send(), alone, in any transaction: a caller that runs it before its
// write transaction makes Send()'s own check nearly free (crypto/signature_memo.h), moving the
// Ed25519 verification off the serialised write path. Errors as for Send()'s check.
Status PrecheckSignature(store::Transaction& tx, const SignedContent& content,
                         const Signature& signature);

enum class ReceiptState { kQueued, kDelivered, kRead };
std::string_view ReceiptStateName(ReceiptState s);

struct Receipt {
  std::string agency_id;
  ReceiptState state = ReceiptState::kQueued;
  std::int64_t queued_ms = 0;
  std::optional<std::int64_t> delivered_ms;
  std::optional<std::int64_t> read_ms;
};

struct StoredMessage {
  std::string id;
  std::int64_t accepted_ms = 0;
  SignedContent content;  // decrypted
  Signature signature;
  std::vector<std::string> recipients;
  // Sent by the hub itself (messaging/hub_messages.h): read only by its recipients.
  bool from_hub = false;
};

enum class EventKind { kMessage, kReceipt };

struct MailboxEvent {
  std::int64_t cursor = 0;  // pass back as `after` to get what follows
  EventKind kind = EventKind::kMessage;
  std::string message_id;
  // kMessage: the message's header (no body); kReceipt: the recipient and its new state.
  std::optional<StoredMessage> message;
  std::optional<Receipt> receipt;
  // kMessage only: set (e.g. "decrypt_failed") when the stored message no longer opens; then
  // `message` is empty and the message is not marked delivered.
  std::string damaged_reason;
};

// Events for `agency_id` after `after_cursor`, oldest first, at most `limit` (1..500). A
// cursor beyond the newest event is kInvalidArgument "cursor_from_future". Fetching marks
// the fetched messages delivered (and emits receipts to their senders), in `tx`, which must
// therefore be a write transaction. kInvalidArgument "invalid_request" for a limit outside
// 1..500 or a negative cursor. A message event's header is decrypted (if it does not open,
// the event carries damaged_reason instead) but fully verified only by ReadMessage().
Result<std::vector<MailboxEvent>> FetchMailbox(store::Transaction& tx, const DataKey& key,
                                               std::string_view agency_id,
                                               std::int64_t after_cursor, int limit,
                                               std::int64_t now_ms);

// Whether `agency_id` has events after `after_cursor`, marking nothing: a long poll asks this
// before it decides to wait. The same cursor errors as FetchMailbox(); any transaction.
Result<bool> HasMailboxEvents(store::Transaction& tx, std::string_view agency_id,
                              std::int64_t after_cursor);

// The whole message for a reader who is its sender or a recipient; anyone else gets
// kNotFound "message_not_found". A recipient's read marks it read (and emits a receipt), so
// a recipient reads in a write transaction. kDataLoss "decrypt_failed" when a sealed field
// does not open, "message_tampered" when the stored content no longer matches its hash or
// its sender's signature.
Result<StoredMessage> ReadMessage(store::Transaction& tx, const DataKey& key,
                                  std::string_view reader_agency, std::string_view message_id,
                                  std::int64_t now_ms);

// Per-recipient receipts, for the sender only (else kNotFound "message_not_found").
Result<std::vector<Receipt>> Receipts(store::Transaction& tx, std::string_view sender_agency,
                                      std::string_view message_id);

}  // namespace ncbnet::messaging
