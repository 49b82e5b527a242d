#include "messaging/internal/message_rows.h"

#include <nlohmann/json.hpp>

#include "access/agency_keys.h"
#include "core/json.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/sign.h"
#include "crypto/signature_memo.h"
#include "messaging/internal/attachment_rows.h"

namespace ncbnet::messaging::internal {
namespace {

constexpr std::string_view kMessageColumns =
    "id, sender_agency, idempotency_key, content_hash, created_ms, accepted_ms, classification,"
    " priority, language, handling, thread_id, reply_to, addressing_json, links_json,"
    " subject_enc, body_enc, key_id, signature, hub, signed_sender_user";

Status Tampered(std::string_view id, std::string_view what) {
  return Status::DataLoss("message_tampered",
                          "message " + std::string(id) + ": " + std::string(what));
}

bool ToStrings(const nlohmann::json& j, std::vector<std::string>& out) {
  if (!j.is_array()) return false;
  for (const nlohmann::json& item : j) {
    if (!item.is_string()) return false;
    out.push_back(item.get<std::string>());
  }
  return true;
}

// addressing_json and links_json, as Send() wrote them.
Status DecodeJsonColumns(std::string_view id, const store::Row& row, SignedContent& c) {
  const nlohmann::json to = ParseJson(row[12].AsText());
  const nlohmann::json links = ParseJson(row[13].AsText());
  if (to.is_discarded() || !to.is_object() || links.is_discarded()) {
    return Tampered(id, "addressing or links unreadable");
  }
  const auto all = to.find("all_ncbs");
  const auto agencies = to.find("agencies");
  const auto countries = to.find("countries");
  if (all == to.end() || !all->is_boolean() || agencies == to.end() || countries == to.end() ||
      !ToStrings(*agencies, c.to.agencies) || !ToStrings(*countries, c.to.countries) ||
      !ToStrings(links, c.links)) {
    return Tampered(id, "addressing or links malformed");
  }
  c.to.all_ncbs = all->get<bool>();
  // Groups were added with format v2; rows written before have none.
  if (const auto groups = to.find("groups");
      groups != to.end() && !ToStrings(*groups, c.to.groups)) {
    return Tampered(id, "addressing groups malformed");
  }
  return Status::Ok();
}

Result<std::string> OpenField(const DataKey& key, std::string_view id, std::string_view field,
                              const store::Value& sealed) {
  Result<std::string> plain = crypto::Open(key.bytes, sealed.AsText(), FieldAd(id, field));
  if (!plain.ok()) {
    return Status::DataLoss("decrypt_failed", "message " + std::string(id) + ": " +
                                                  std::string(field) + " failed to decrypt");
  }
  return plain;
}

// The stored hash and the sender's signature must both match the content as decoded.
Status VerifyStored(store::Transaction& tx, const store::Row& row, const StoredMessage& m) {
  const std::string encoding = CanonicalEncoding(m.content);
  if (crypto::Sha256Hex(encoding) != row[3].AsText()) return Tampered(m.id, "hash mismatch");
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::AgencyKey> signer,
                          access::FindAgencyKey(tx, m.signature.key_id));
  // A key revoked since still verifies what it signed before (docs/message-format.md).
  if (!signer || signer->agency_id != m.content.sender_agency ||
      !crypto::VerifySignatureMemo(signer->public_key, encoding, m.signature.signature)) {
    return Tampered(m.id, "signature does not verify");
  }
  return Status::Ok();
}

Result<StoredMessage> Decode(store::Transaction& tx, const DataKey& key, const store::Row& row,
                             bool with_body) {
  StoredMessage m;
  m.id = row[0].AsText();
  SignedContent& c = m.content;
  c.sender_agency = row[1].AsText();
  c.sender_user = row[19].AsText();
  c.idempotency_key = row[2].AsText();
  c.created_ms = row[4].AsInt();
  m.accepted_ms = row[5].AsInt();
  const std::optional<Classification> classification = ParseClassification(row[6].AsText());
  const std::optional<Priority> priority = ParsePriority(row[7].AsText());
  if (!classification || !priority) return Tampered(m.id, "unknown classification or priority");
  c.classification = *classification;
  c.priority = *priority;
  c.language = row[8].AsText();
  c.handling = row[9].AsText();
  c.thread_id = row[10].AsText();
  c.reply_to = row[11].AsText();
  NCBNET_RETURN_IF_ERROR(DecodeJsonColumns(m.id, row, c));
  NCBNET_ASSIGN_OR_RETURN(c.attachments, LoadAttachmentRefs(tx, m.id));
  NCBNET_ASSIGN_OR_RETURN(c.subject, OpenField(key, m.id, "subject", row[14]));
  m.signature.key_id = row[16].AsText();
  m.signature.signature = row[17].AsText();
  m.from_hub = row[18].AsInt() != 0;
  NCBNET_ASSIGN_OR_RETURN(std::vector<Receipt> receipts, LoadReceipts(tx, m.id));
  for (const Receipt& r : receipts) m.recipients.push_back(r.agency_id);
  // The hash and the signature cover every field, the plaintext columns too (priority,
  // classification, addressing): a header is verified as a whole message is, then its body
  // dropped. Verifying is cheap after the first read (signature_memo.h).
  NCBNET_ASSIGN_OR_RETURN(c.body, OpenField(key, m.id, "body", row[15]));
  NCBNET_RETURN_IF_ERROR(VerifyStored(tx, row, m));
  if (!with_body) c.body.clear();
  return m;
}

}  // namespace

Status CheckDataKey(const DataKey& key) {
  if (key.bytes.size() != crypto::kAeadKeyBytes) {
    return Status::Internal("invalid_data_key", "the data key must be 32 bytes");
  }
  return Status::Ok();
}

std::string FieldAd(std::string_view message_id, std::string_view field) {
  return std::string(message_id) + "\n" + std::string(field);
}

Result<std::optional<StoredMessage>> LoadMessage(store::Transaction& tx, const DataKey& key,
                                                 std::string_view id, bool with_body) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT " + std::string(kMessageColumns) + " FROM messages WHERE id = ?", {id}));
  if (!row) return std::optional<StoredMessage>();
  NCBNET_ASSIGN_OR_RETURN(StoredMessage m, Decode(tx, key, *row, with_body));
  return std::optional<StoredMessage>(std::move(m));
}

Result<std::optional<std::string>> MessageSender(store::Transaction& tx, std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT sender_agency, hub FROM messages WHERE id = ?", {id}));
  if (!row) return std::optional<std::string>();
  // A hub message has no sender who reads it (messaging/hub_messages.h).
  if ((*row)[1].AsInt() != 0) return std::optional<std::string>(std::string());
  return std::optional<std::string>((*row)[0].AsText());
}

std::optional<ReceiptState> ParseReceiptState(std::string_view name) {
  for (ReceiptState s : {ReceiptState::kQueued, ReceiptState::kDelivered, ReceiptState::kRead}) {
    if (name == ReceiptStateName(s)) return s;
  }
  return std::nullopt;
}

Result<std::vector<Receipt>> LoadReceipts(store::Transaction& tx, std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> rows,
      tx.Query("SELECT agency_id, state, queued_ms, delivered_ms, read_ms FROM message_recipients"
               " WHERE message_id = ? ORDER BY agency_id",
               {id}));
  std::vector<Receipt> out;
  out.reserve(rows.size());
  for (const store::Row& row : rows) {
    const std::optional<ReceiptState> state = ParseReceiptState(row[1].AsText());
    if (!state) return Tampered(id, "unknown receipt state");
    out.push_back(Receipt{row[0].AsText(), *state, row[2].AsInt(), row[3].AsOptionalInt(),
                          row[4].AsOptionalInt()});
  }
  return out;
}

Result<std::int64_t> NewestCursor(store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT COALESCE(MAX(c), 0) FROM (SELECT MAX(cursor) AS c FROM mailbox_events"
                  " UNION ALL SELECT CAST(value AS INTEGER) AS c FROM meta WHERE key = ?) t",
                  {kCursorFloorKey}));
  return row ? row->front().AsInt() : 0;
}

Status AppendEvent(store::Transaction& tx, std::string_view agency_id, EventKind kind,
                   std::string_view message_id, const std::optional<Receipt>& receipt,
                   std::int64_t at_ms) {
  // max + 1 inside the write transaction: writes are serialised, so cursors strictly increase
  // in commit order and a reader never sees a later cursor before an earlier one.
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t newest, NewestCursor(tx));
  const std::int64_t cursor = newest + 1;
  store::Value receipt_agency;
  store::Value receipt_state;
  if (receipt) {
    receipt_agency = receipt->agency_id;
    receipt_state = ReceiptStateName(receipt->state);
  }
  return tx
      .Exec(
          "INSERT INTO mailbox_events (cursor, agency_id, kind, message_id, receipt_agency,"
          " receipt_state, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {cursor, agency_id, kind == EventKind::kMessage ? "message" : "receipt", message_id,
           receipt_agency, receipt_state, at_ms})
      .status();
}

Status AdvanceReceipt(store::Transaction& tx, std::string_view id, std::string_view sender,
                      std::string_view recipient, ReceiptState state, std::int64_t now_ms) {
  // The WHERE clauses keep the state from moving backwards (read never becomes delivered).
  Result<std::int64_t> changed =
      state == ReceiptState::kRead
          ? tx.Exec(
                "UPDATE message_recipients SET state = 'read', read_ms = ?,"
                " delivered_ms = COALESCE(delivered_ms, ?)"
                " WHERE message_id = ? AND agency_id = ? AND state <> 'read'",
                {now_ms, now_ms, id, recipient})
          : tx.Exec(
                "UPDATE message_recipients SET state = 'delivered', delivered_ms = ?"
                " WHERE message_id = ? AND agency_id = ? AND state = 'queued'",
                {now_ms, id, recipient});
  if (!changed.ok()) return changed.status();
  if (*changed == 0 || sender.empty()) return Status::Ok();  // a hub message: no receipt event
  Receipt receipt;
  receipt.agency_id = std::string(recipient);
  receipt.state = state;
  return AppendEvent(tx, sender, EventKind::kReceipt, id, receipt, now_ms);
}

}  // namespace ncbnet::messaging::internal
