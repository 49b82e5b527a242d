#include "messaging/message_service.h"

#include <nlohmann/json.hpp>

#include "access/agencies.h"
#include "access/agency_keys.h"
#include "access/capabilities.h"
#include "access/grants.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/sign.h"
#include "crypto/signature_memo.h"
#include "messaging/internal/attachment_rows.h"
#include "messaging/internal/message_rows.h"
#include "messaging/internal/recipients.h"
#include "messaging/internal/terms.h"

namespace ncbnet::messaging {
namespace {

constexpr std::size_t kSignatureBytes = 64;

// The earlier message with the same (sender, idempotency key), if any: its id when the content
// is the same, kAlreadyExists "idempotency_key_reused" when it differs.
Result<std::optional<Accepted>> FindRetry(store::Transaction& tx, const SignedContent& content,
                                          std::string_view content_hash) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT id, content_hash FROM messages"
                                      " WHERE sender_agency = ? AND idempotency_key = ?",
                                      {content.sender_agency, content.idempotency_key}));
  if (!row) return std::optional<Accepted>();
  if ((*row)[1].AsText() != content_hash) {
    return Status::AlreadyExists("idempotency_key_reused",
                                 "idempotency key already used for a different message");
  }
  Accepted accepted{(*row)[0].AsText(), true, {}};
  NCBNET_ASSIGN_OR_RETURN(std::vector<Receipt> receipts,
                          internal::LoadReceipts(tx, accepted.message_id));
  for (const Receipt& r : receipts) accepted.recipients.push_back(r.agency_id);
  return std::optional<Accepted>(std::move(accepted));
}

// The signature must be by a registered, unrevoked key of the sender agency.
Status VerifySender(store::Transaction& tx, const SignedContent& content, std::string_view encoding,
                    const Signature& signature) {
  const Status invalid = Status::Unauthenticated("invalid_signature", "signature does not verify");
  if (signature.signature.size() != kSignatureBytes) return invalid;
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::AgencyKey> key,
                          access::FindAgencyKey(tx, signature.key_id));
  if (!key || key->agency_id != content.sender_agency || key->revoked_ms) return invalid;
  if (!crypto::VerifySignatureMemo(key->public_key, encoding, signature.signature)) return invalid;
  return Status::Ok();
}

// The sender agency, live and holding message.send.
Result<access::Agency> CheckSender(store::Transaction& tx, std::string_view agency_id,
                                   std::int64_t now_ms) {
  const Status missing = Status::PermissionDenied("missing_capability", "message.send required");
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency, access::FindAgency(tx, agency_id));
  if (!agency || agency->disabled_ms) return missing;
  NCBNET_ASSIGN_OR_RETURN(auto caps, access::LiveCapabilities(tx, agency_id, now_ms));
  if (!caps.contains(access::kMessageSend)) return missing;
  return *agency;
}

Status Insert(store::Transaction& tx, const DataKey& key, const Sender& sender,
              const SignedContent& c, const Signature& signature, std::string_view hash,
              std::string_view id, std::int64_t now_ms, std::int64_t retention_until_ms) {
  NCBNET_ASSIGN_OR_RETURN(std::string subject,
                          crypto::Seal(key.bytes, c.subject, internal::FieldAd(id, "subject")));
  NCBNET_ASSIGN_OR_RETURN(std::string body,
                          crypto::Seal(key.bytes, c.body, internal::FieldAd(id, "body")));
  nlohmann::json to = {
      {"agencies", c.to.agencies}, {"countries", c.to.countries}, {"all_ncbs", c.to.all_ncbs}};
  if (!c.to.groups.empty()) to["groups"] = c.to.groups;
  const nlohmann::json links = c.links;
  return tx
      .Exec(
          "INSERT INTO messages (id, sender_agency, sender_user, signed_sender_user,"
          " idempotency_key, content_hash, created_ms, accepted_ms, classification, priority,"
          " language, handling, thread_id, reply_to, addressing_json, links_json, subject_enc,"
          " body_enc, key_id, signature, retention_until_ms)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {id,
           c.sender_agency,
           sender.user_id.empty() ? store::Value() : store::Value(sender.user_id),
           c.sender_user,
           c.idempotency_key,
           hash,
           c.created_ms,
           now_ms,
           ClassificationName(c.classification),
           PriorityName(c.priority),
           c.language,
           c.handling,
           c.thread_id,
           c.reply_to,
           to.dump(),
           links.dump(),
           store::Blob{std::move(subject)},
           store::Blob{std::move(body)},
           signature.key_id,
           store::Blob{signature.signature},
           retention_until_ms})
      .status();
}

}  // namespace

std::string_view ReceiptStateName(ReceiptState s) {
  switch (s) {
    case ReceiptState::kQueued:
      return "queued";
    case ReceiptState::kDelivered:
      return "delivered";
    case ReceiptState::kRead:
      return "read";
  }
  return "queued";
}

Status PrecheckSignature(store::Transaction& tx, const SignedContent& content,
                         const Signature& signature) {
  return VerifySender(tx, content, CanonicalEncoding(content), signature);
}

Result<Accepted> Send(store::Transaction& tx, const DataKey& key, const Sender& sender,
                      const SignedContent& content, const Signature& signature, std::int64_t now_ms,
                      std::int64_t retention_ms) {
  return internal::SendAttesting(tx, key, sender, content, signature, now_ms, retention_ms,
                                 content.sender_agency);
}

namespace internal {

Result<Accepted> SendAttesting(store::Transaction& tx, const DataKey& key, const Sender& sender,
                               const SignedContent& content, const Signature& signature,
                               std::int64_t now_ms, std::int64_t retention_ms,
                               std::string_view possessor) {
  NCBNET_RETURN_IF_ERROR(internal::CheckDataKey(key));
  if (retention_ms <= 0) {
    return Status::Internal("invalid_retention", "message retention must be positive");
  }
  if (sender.agency_id != content.sender_agency) {
    return Status::PermissionDenied("sender_mismatch", "sender_agency is not the caller's agency");
  }
  // The agency's key signs; the user it names must be the one who sends it now.
  if (!content.sender_user.empty() && content.sender_user != sender.user_name) {
    return Status::PermissionDenied("sender_user_mismatch",
                                    "sender_user is not the signed-in user of this request");
  }
  NCBNET_RETURN_IF_ERROR(Validate(content));
  const std::string encoding = CanonicalEncoding(content);
  const std::string hash = crypto::Sha256Hex(encoding);
  // A retry is answered from the store before the signature is checked again: the original
  // passed every check, and its key may have been rotated since.
  NCBNET_ASSIGN_OR_RETURN(std::optional<Accepted> retry, FindRetry(tx, content, hash));
  if (retry) return *retry;
  NCBNET_RETURN_IF_ERROR(VerifySender(tx, content, encoding, signature));
  NCBNET_ASSIGN_OR_RETURN(access::Agency agency, CheckSender(tx, sender.agency_id, now_ms));
  NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> recipients,
                          internal::ResolveRecipients(tx, agency, content.to));
  NCBNET_RETURN_IF_ERROR(internal::CheckAttachmentRefs(tx, possessor, content.attachments));

  Accepted accepted{crypto::NewId("msg"), false, std::move(recipients)};
  NCBNET_RETURN_IF_ERROR(Insert(tx, key, sender, content, signature, hash, accepted.message_id,
                                now_ms, now_ms + retention_ms));
  NCBNET_RETURN_IF_ERROR(
      internal::InsertAttachmentRefs(tx, accepted.message_id, content.attachments));
  NCBNET_RETURN_IF_ERROR(
      internal::IndexMessage(tx, key, accepted.message_id, content.subject, content.body));
  for (const std::string& recipient : accepted.recipients) {
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO message_recipients (message_id, agency_id, state, queued_ms)"
                " VALUES (?, ?, 'queued', ?)",
                {accepted.message_id, recipient, now_ms})
            .status());
    NCBNET_RETURN_IF_ERROR(internal::AppendEvent(tx, recipient, EventKind::kMessage,
                                                 accepted.message_id, std::nullopt, now_ms));
  }
  return accepted;
}

}  // namespace internal

Result<StoredMessage> ReadMessage(store::Transaction& tx, const DataKey& key,
                                  std::string_view reader_agency, std::string_view message_id,
                                  std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(internal::CheckDataKey(key));
  const Status not_found = Status::NotFound("message_not_found", "no such message");
  // Who may read is decided before anything is decrypted: the GS, like anyone, reads only
  // what it sent or what is addressed to it.
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> sender,
                          internal::MessageSender(tx, message_id));
  if (!sender) return not_found;
  bool is_recipient = false;
  if (*sender != reader_agency) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT 1 FROM message_recipients WHERE message_id = ? AND agency_id = ?",
                    {message_id, reader_agency}));
    if (!row) return not_found;
    is_recipient = true;
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<StoredMessage> message,
                          internal::LoadMessage(tx, key, message_id, /*with_body=*/true));
  if (!message) return not_found;
  if (is_recipient) {
    NCBNET_RETURN_IF_ERROR(internal::AdvanceReceipt(tx, message_id, *sender, reader_agency,
                                                    ReceiptState::kRead, now_ms));
  }
  return *std::move(message);
}

Result<std::vector<Receipt>> Receipts(store::Transaction& tx, std::string_view sender_agency,
                                      std::string_view message_id) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> sender,
                          internal::MessageSender(tx, message_id));
  if (!sender || *sender != sender_agency) {
    return Status::NotFound("message_not_found", "no such message");
  }
  return internal::LoadReceipts(tx, message_id);
}

}  // namespace ncbnet::messaging
