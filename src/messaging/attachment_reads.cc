// Attachments as parts of messages: the references a message carries, reading an attachment
// back, and retention of uploads and blobs (messaging/attachments.h).
#include <algorithm>

#include "audit/audit_log.h"
#include "crypto/aead.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "messaging/attachments.h"
#include "messaging/internal/attachment_rows.h"
#include "messaging/internal/hub_audit.h"
#include "messaging/internal/message_rows.h"
#include "messaging/retention.h"

namespace ncbnet::messaging {
namespace internal {

Result<std::string> AttachmentKey(const DataKey& key) {
  NCBNET_RETURN_IF_ERROR(CheckDataKey(key));
  return crypto::DeriveSubkey(key.bytes, "ncbn-att", 2, crypto::kAeadKeyBytes);
}

std::string ChunkAd(std::string_view kind, std::string_view owner, std::int64_t index) {
  return std::string(kind) + "\n" + std::string(owner) + "\n" + std::to_string(index);
}

Status CheckAttachmentRefs(store::Transaction& tx, std::string_view sender_agency,
                           const std::vector<AttachmentRef>& refs) {
  for (std::size_t i = 0; i < refs.size(); ++i) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT b.size FROM attachment_possession p JOIN attachment_blobs b"
                    " ON b.sha256 = p.sha256 WHERE p.agency_id = ? AND p.sha256 = ?",
                    {sender_agency, refs[i].sha256}));
    // One answer for "no such blob", "not yours" and "other size": the hash alone tells nothing.
    if (!row || (*row)[0].AsInt() != refs[i].size) {
      return Status::InvalidArgument(
          "unknown_attachment",
          "attachment " + std::to_string(i) + " is not a completed upload of the sending agency");
    }
  }
  return Status::Ok();
}

Status InsertAttachmentRefs(store::Transaction& tx, std::string_view id,
                            const std::vector<AttachmentRef>& refs) {
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const AttachmentRef& a = refs[i];
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO message_attachments (message_id, idx, sha256, size, name, media_type)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                {id, static_cast<std::int64_t>(i), a.sha256, a.size, a.name, a.media_type})
            .status());
  }
  return Status::Ok();
}

Result<std::vector<AttachmentRef>> LoadAttachmentRefs(store::Transaction& tx, std::string_view id) {
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> rows,
                          tx.Query("SELECT sha256, size, name, media_type FROM message_attachments"
                                   " WHERE message_id = ? ORDER BY idx",
                                   {id}));
  std::vector<AttachmentRef> out;
  out.reserve(rows.size());
  for (const store::Row& r : rows) {
    out.push_back({r[0].AsText(), r[1].AsInt(), r[2].AsText(), r[3].AsText()});
  }
  return out;
}

}  // namespace internal

namespace {

Status Tampered(std::string_view message_id, std::int64_t index, std::int64_t chunk) {
  return Status::DataLoss("attachment_tampered", "message " + std::string(message_id) +
                                                     " attachment " + std::to_string(index) +
                                                     ": chunk " + std::to_string(chunk) +
                                                     " missing or does not open");
}

// Sender or recipient; anything else is answered as a missing message.
Status CheckReader(store::Transaction& tx, std::string_view reader, std::string_view message_id) {
  const Status not_found = Status::NotFound("message_not_found", "no such message");
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> sender,
                          internal::MessageSender(tx, message_id));
  if (!sender) return not_found;
  if (*sender == reader) return Status::Ok();
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT 1 FROM message_recipients WHERE message_id = ? AND agency_id = ?",
                  {message_id, reader}));
  return row ? Status::Ok() : not_found;
}

}  // namespace

Result<AttachmentBytes> ReadAttachment(store::Transaction& tx, const DataKey& key,
                                       std::string_view reader_agency, std::string_view message_id,
                                       std::int64_t index, std::int64_t offset,
                                       std::int64_t length) {
  NCBNET_ASSIGN_OR_RETURN(std::string attachment_key, internal::AttachmentKey(key));
  NCBNET_RETURN_IF_ERROR(CheckReader(tx, reader_agency, message_id));
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> ref,
      tx.QueryOne("SELECT sha256, size FROM message_attachments WHERE message_id = ? AND idx = ?",
                  {message_id, index}));
  if (!ref) return Status::NotFound("attachment_not_found", "the message has no such attachment");
  AttachmentBytes out{"", (*ref)[1].AsInt(), (*ref)[0].AsText()};
  if (offset < 0 || offset > out.size || length < 1 || length > kChunkBytes) {
    return Status::InvalidArgument("invalid_request",
                                   "'offset' must be 0 to the size, 'length' 1 to 1048576");
  }
  const std::int64_t end = std::min(out.size, offset + length);
  // Chunks are whole (kChunkBytes) but the last, so a range spans at most two.
  for (std::int64_t chunk = offset / kChunkBytes; chunk * kChunkBytes < end; ++chunk) {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT data FROM attachment_blob_chunks WHERE sha256 = ? AND idx = ?",
                    {out.sha256, chunk}));
    if (!row) return Tampered(message_id, index, chunk);
    Result<std::string> plain = crypto::Open(attachment_key, (*row)[0].AsText(),
                                             internal::ChunkAd("blob", out.sha256, chunk));
    const std::int64_t start = chunk * kChunkBytes;
    const std::int64_t expected = std::min(kChunkBytes, out.size - start);
    if (!plain.ok() || static_cast<std::int64_t>(plain->size()) != expected) {
      return Tampered(message_id, index, chunk);
    }
    const std::int64_t from = std::max(offset, start) - start;
    const std::int64_t to = std::min(end, start + expected) - start;
    out.bytes.append(*plain, static_cast<std::size_t>(from), static_cast<std::size_t>(to - from));
  }
  return out;
}

Result<int> PurgeAttachments(store::Transaction& tx, const crypto::SigningKey& audit_key,
                             std::int64_t now_ms, int limit) {
  if (limit < 1 || limit > kMaxPurgeBatch) {
    return Status::InvalidArgument("invalid_request", "purge limit must be 1 to 10000");
  }
  int purged = 0;
  NCBNET_ASSIGN_OR_RETURN(std::vector<store::Row> uploads,
                          tx.Query("SELECT id FROM attachment_uploads WHERE expires_ms <= ?"
                                   " ORDER BY expires_ms, id LIMIT ?",
                                   {now_ms, limit}));
  for (const store::Row& row : uploads) {
    const std::string& id = row[0].AsText();
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM attachment_upload_chunks WHERE upload_id = ?", {id}).status());
    NCBNET_RETURN_IF_ERROR(tx.Exec("DELETE FROM attachment_uploads WHERE id = ?", {id}).status());
    NCBNET_RETURN_IF_ERROR(
        internal::AuditHubAction(tx, audit_key, "attachment.upload_purge", id, now_ms));
    ++purged;
  }
  // A blob completed recently is kept for a day even if unreferenced: its uploader has that
  // long to send the message that uses it.
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<store::Row> blobs,
      tx.Query("SELECT sha256 FROM attachment_blobs b WHERE completed_ms <= ?"
               " AND NOT EXISTS (SELECT 1 FROM message_attachments m WHERE m.sha256 = b.sha256)"
               " AND NOT EXISTS (SELECT 1 FROM attachment_uploads u WHERE u.sha256 = b.sha256)"
               " ORDER BY completed_ms, sha256 LIMIT ?",
               {now_ms - kUploadLifetimeMs, limit}));
  for (const store::Row& row : blobs) {
    const std::string& sha = row[0].AsText();
    for (const char* sql : {"DELETE FROM attachment_blob_chunks WHERE sha256 = ?",
                            "DELETE FROM attachment_possession WHERE sha256 = ?",
                            "DELETE FROM attachment_blobs WHERE sha256 = ?"}) {
      NCBNET_RETURN_IF_ERROR(tx.Exec(sql, {sha}).status());
    }
    NCBNET_RETURN_IF_ERROR(
        internal::AuditHubAction(tx, audit_key, "attachment.blob_purge", sha, now_ms));
    ++purged;
  }
  return purged;
}

}  // namespace ncbnet::messaging
