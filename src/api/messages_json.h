// JSON forms of messaging's types, as docs/openapi.yaml and docs/message-format.md describe
// them: the signed content of a message, a stored message, mailbox events, receipts and the key
// directory. Used by the hub's handlers (message_handlers.cc, key_handlers.cc) and by the CLI
// (`ncbnet msg`, `ncbnet key`), which parses the hub's answers with the same functions.
//
// Parsing is strict, because the hub must store exactly what was signed: a field of the wrong
// JSON type, a missing required field or a field not in the format is kInvalidArgument
// "invalid_message" naming the field. Sizes and character sets are messaging::Validate()'s job.
//
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "access/agency_keys.h"
#include "core/status.h"
#include "messaging/mailbox_search.h"
#include "messaging/message.h"
#include "messaging/message_service.h"

namespace ncbnet::api {

// Signed content: every field, defaults included, so the JSON shows exactly what was signed;
// `to.groups` and `attachments` only when not empty, so a v1 message's JSON is unchanged.
nlohmann::json SignedContentJson(const messaging::SignedContent& content);
// An attachment of the signed content: {"sha256", "size", "name", "media_type"}.
nlohmann::json AttachmentRefJson(const messaging::AttachmentRef& attachment);
// The "attachments" list of `object` (absent: none), each {"sha256", "size", "name",
// "media_type"}, as other services take an agency's files (mla/mla.h). Errors:
// kInvalidArgument `reason` naming the field; the references are checked further by their user.
Result<std::vector<messaging::AttachmentRef>> AttachmentRefsFromJson(const nlohmann::json& object,
                                                                     const std::string& reason);
// `handling`, `thread_id`, `reply_to` default to "", `links`, `attachments` and `to.*` to
// empty/false.
Result<messaging::SignedContent> SignedContentFromJson(const nlohmann::json& json);

// The signature fields of a send request or a stored message: "key_id" and "signature"
// (128 lower- or upper-case hex). Errors: kUnauthenticated "invalid_signature" if either is
// missing or malformed.
Result<messaging::Signature> SignatureFromJson(const nlohmann::json& json);

// POST /v1/messages: {"content": {...}, "key_id": "...", "signature": "..."}.
struct SendRequest {
  messaging::SignedContent content;
  messaging::Signature signature;
};
nlohmann::json SendRequestJson(const SendRequest& request);
Result<SendRequest> SendRequestFromJson(const nlohmann::json& json);

// GET /v1/messages/{id}: {"id", "accepted_at", "recipients", "content", "key_id", "signature"}.
nlohmann::json StoredMessageJson(const messaging::StoredMessage& message);
// Errors: kInvalidArgument "invalid_message" naming the field.
Result<messaging::StoredMessage> StoredMessageFromJson(const nlohmann::json& json);

// A message's header in the mailbox (no body): id, sender_agency, subject, classification,
// priority, accepted_at, thread_id, reply_to.
nlohmann::json MessageHeaderJson(const messaging::StoredMessage& message);
// GET /v1/messages: {"messages": [header + "recipients", "recipient_count", "state"],
// "next_before": id or null}. "state" is the caller's receipt state, null for what it sent.
nlohmann::json MailboxPageJson(const messaging::MailboxPage& page);
// {"cursor", "kind": "message"|"receipt", "message_id", "message"|"receipt": {...}}.
nlohmann::json MailboxEventJson(const messaging::MailboxEvent& event);
// GET /v1/messages/{id}/receipts items: agency_id, state, queued_at, delivered_at, read_at.
nlohmann::json ReceiptJson(const messaging::Receipt& receipt);

// The key directory: key_id, agency_id, public_key (hex), created_at, revoked_at (or null).
nlohmann::json AgencyKeyJson(const access::AgencyKey& key);
// Errors: kInvalidArgument "invalid_key_directory" naming the field.
Result<access::AgencyKey> AgencyKeyFromJson(const nlohmann::json& json);

}  // namespace ncbnet::api
