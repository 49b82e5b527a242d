// Uploads: open, write chunk by chunk, complete (messaging/attachments.h).
#include "messaging/attachments.h"

#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/kdf.h"
#include "crypto/random.h"
#include "messaging/internal/attachment_rows.h"
#include "messaging/internal/message_rows.h"

namespace ncbnet::messaging {
namespace {

constexpr std::string_view kUploadColumns =
    "id, agency_id, sha256, size, received, created_ms, expires_ms";

bool IsSha256Hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Upload FromRow(const store::Row& row) {
  return {row[0].AsText(), row[1].AsText(), row[2].AsText(), row[3].AsInt(),
          row[4].AsInt(),  row[5].AsInt(),  row[6].AsInt()};
}

std::int64_t ChunkCount(std::int64_t size) { return (size + kChunkBytes - 1) / kChunkBytes; }

Status Tampered(std::string_view what) {
  return Status::DataLoss("attachment_tampered", std::string(what));
}

// Opens chunk `index` of upload `u` (its sealed bytes read from the store one at a time).
Result<std::string> OpenUploadChunk(store::Transaction& tx, std::string_view attachment_key,
                                    const Upload& u, std::int64_t index) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT data FROM attachment_upload_chunks WHERE upload_id = ? AND idx = ?",
                  {u.id, index}));
  if (!row) return Tampered("upload " + u.id + ": chunk " + std::to_string(index) + " missing");
  Result<std::string> plain =
      crypto::Open(attachment_key, (*row)[0].AsText(), internal::ChunkAd("upload", u.id, index));
  const std::int64_t expected = std::min(kChunkBytes, u.size - index * kChunkBytes);
  if (!plain.ok() || static_cast<std::int64_t>(plain->size()) != expected) {
    return Tampered("upload " + u.id + ": chunk " + std::to_string(index) + " does not open");
  }
  return plain;
}

Status DeleteUpload(store::Transaction& tx, std::string_view upload_id) {
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM attachment_upload_chunks WHERE upload_id = ?", {upload_id}).status());
  return tx.Exec("DELETE FROM attachment_uploads WHERE id = ?", {upload_id}).status();
}

// The upload's chunks, re-sealed under the blob's associated data: the new blob.
Status MoveToBlob(store::Transaction& tx, std::string_view attachment_key, const Upload& u,
                  std::int64_t now_ms) {
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO attachment_blobs (sha256, size, chunk_count, created_ms, completed_ms)"
              " VALUES (?, ?, ?, ?, ?)",
              {u.sha256, u.size, ChunkCount(u.size), now_ms, now_ms})
          .status());
  for (std::int64_t i = 0; i < ChunkCount(u.size); ++i) {
    NCBNET_ASSIGN_OR_RETURN(std::string plain, OpenUploadChunk(tx, attachment_key, u, i));
    NCBNET_ASSIGN_OR_RETURN(
        std::string sealed,
        crypto::Seal(attachment_key, plain, internal::ChunkAd("blob", u.sha256, i)));
    NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO attachment_blob_chunks (sha256, idx, length, data)"
                                   " VALUES (?, ?, ?, ?)",
                                   {u.sha256, i, static_cast<std::int64_t>(plain.size()),
                                    store::Blob{std::move(sealed)}})
                               .status());
  }
  return Status::Ok();
}

Status GrantPossession(store::Transaction& tx, std::string_view agency_id, std::string_view sha256,
                       std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT 1 FROM attachment_possession WHERE agency_id = ? AND sha256 = ?",
                  {agency_id, sha256}));
  if (row) return Status::Ok();
  return tx
      .Exec("INSERT INTO attachment_possession (agency_id, sha256, created_ms) VALUES (?, ?, ?)",
            {agency_id, sha256, now_ms})
      .status();
}

}  // namespace

Result<Upload> OpenUpload(store::Transaction& tx, std::string_view agency_id,
                          std::string_view sha256, std::int64_t size, std::int64_t now_ms) {
  if (size < 1 || size > kMaxAttachmentBytes) {
    return Status::InvalidArgument("attachment_too_large",
                                   "an attachment is 1 to 52428800 bytes (50 MiB)");
  }
  if (!IsSha256Hex(sha256)) {
    return Status::InvalidArgument("invalid_request", "'sha256' must be 64 lower-case hex");
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> open,
      tx.QueryOne("SELECT COUNT(*) FROM attachment_uploads WHERE agency_id = ? AND expires_ms > ?",
                  {agency_id, now_ms}));
  if (open && (*open)[0].AsInt() >= kMaxOpenUploads) {
    return Status::ResourceExhausted("too_many_uploads",
                                     "at most 8 open uploads per agency; complete one first");
  }
  Upload u{crypto::NewId("upl"),      std::string(agency_id), std::string(sha256), size, 0, now_ms,
           now_ms + kUploadLifetimeMs};
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO attachment_uploads (id, agency_id, sha256, size,"
              " received, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {u.id, u.agency_id, u.sha256, u.size, u.received, u.created_ms, u.expires_ms})
          .status());
  return u;
}

Result<Upload> FindUpload(store::Transaction& tx, std::string_view agency_id,
                          std::string_view upload_id, std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT " + std::string(kUploadColumns) + " FROM attachment_uploads WHERE id = ?",
                  {upload_id}));
  // Someone else's upload looks exactly like none: an upload id grants nothing.
  if (!row || (*row)[1].AsText() != agency_id || (*row)[6].AsInt() <= now_ms) {
    return Status::NotFound("upload_not_found", "no such upload");
  }
  return FromRow(*row);
}

Result<Upload> WriteChunk(store::Transaction& tx, const DataKey& key, std::string_view agency_id,
                          std::string_view upload_id, std::int64_t offset, std::string_view bytes,
                          std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(std::string attachment_key, internal::AttachmentKey(key));
  NCBNET_ASSIGN_OR_RETURN(Upload u, FindUpload(tx, agency_id, upload_id, now_ms));
  if (offset != u.received) {
    return Status::FailedPrecondition("upload_offset_mismatch",
                                      "the upload has " + std::to_string(u.received) +
                                          " bytes; send from offset " + std::to_string(u.received));
  }
  const auto length = static_cast<std::int64_t>(bytes.size());
  if (length > u.size - u.received) {
    return Status::InvalidArgument("upload_too_long", "the chunk passes the declared size of " +
                                                          std::to_string(u.size) + " bytes");
  }
  // Whole chunks keep every chunk's place computable (index * kChunkBytes) and bound the rows
  // a file takes.
  if (length == 0 || (length != kChunkBytes && offset + length != u.size)) {
    return Status::InvalidArgument("invalid_chunk", "each chunk is 1048576 bytes, except the last");
  }
  const std::int64_t index = offset / kChunkBytes;
  NCBNET_ASSIGN_OR_RETURN(
      std::string sealed,
      crypto::Seal(attachment_key, bytes, internal::ChunkAd("upload", u.id, index)));
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO attachment_upload_chunks (upload_id, idx, length, data)"
              " VALUES (?, ?, ?, ?)",
              {u.id, index, length, store::Blob{std::move(sealed)}})
          .status());
  u.received += length;
  NCBNET_RETURN_IF_ERROR(
      tx.Exec("UPDATE attachment_uploads SET received = ? WHERE id = ?", {u.received, u.id})
          .status());
  return u;
}

Result<Completion> CompleteUpload(store::Transaction& tx, const DataKey& key,
                                  std::string_view agency_id, std::string_view upload_id,
                                  std::int64_t now_ms) {
  NCBNET_ASSIGN_OR_RETURN(std::string attachment_key, internal::AttachmentKey(key));
  NCBNET_ASSIGN_OR_RETURN(Upload u, FindUpload(tx, agency_id, upload_id, now_ms));
  if (u.received < u.size) {
    return Status::InvalidArgument("upload_incomplete", "the upload has " +
                                                            std::to_string(u.received) + " of " +
                                                            std::to_string(u.size) + " bytes");
  }
  crypto::Sha256Stream hash;
  for (std::int64_t i = 0; i < ChunkCount(u.size); ++i) {
    NCBNET_ASSIGN_OR_RETURN(std::string plain, OpenUploadChunk(tx, attachment_key, u, i));
    hash.Update(plain);
  }
  Completion c{false, false, u.sha256, u.size};
  if (hash.FinishHex() != u.sha256) {
    NCBNET_RETURN_IF_ERROR(DeleteUpload(tx, u.id));
    return c;
  }
  c.hash_matches = true;
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> blob,
      tx.QueryOne("SELECT size FROM attachment_blobs WHERE sha256 = ?", {u.sha256}));
  if (blob) {
    c.already_stored = true;
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("UPDATE attachment_blobs SET completed_ms = ? WHERE sha256 = ?", {now_ms, u.sha256})
            .status());
  } else {
    NCBNET_RETURN_IF_ERROR(MoveToBlob(tx, attachment_key, u, now_ms));
  }
  NCBNET_RETURN_IF_ERROR(DeleteUpload(tx, u.id));
  NCBNET_RETURN_IF_ERROR(GrantPossession(tx, agency_id, u.sha256, now_ms));
  return c;
}

}  // namespace ncbnet::messaging
