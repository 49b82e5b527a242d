// Attachments: files of up to 50 MiB sent with a message (docs/message-format.md,
// "Attachments"). The HTTP server holds each request body in memory, so a file goes up in
// chunks of at most kChunkBytes, each sealed and committed in its own transaction, like a
// resumable multipart upload: an upload cut off resumes from the last committed chunk, and
// neither side ever holds a whole file.
//
// Stored once: a completed upload whose SHA-256 the hub already holds is dropped, and the
// uploading agency is recorded as possessing the existing blob. An agency may reference in a
// message only attachments it possesses (proof of possession), so knowing a hash gives no
// access. Readers are the message's sender and recipients.
//
// At rest every chunk is sealed with XChaCha20-Poly1305 under the attachment key (a subkey of
// the data key: context "ncbn-att", subkey id 2), with associated data binding it to its upload
// or blob and its index, so a chunk moved or altered fails to open.
//
// Thread safety: plain functions on the caller's store transaction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::messaging {

inline constexpr std::int64_t kChunkBytes = std::int64_t{1024} * 1024;
inline constexpr int kMaxOpenUploads = 8;  // per agency
inline constexpr std::int64_t kUploadLifetimeMs = std::int64_t{24} * 3600 * 1000;

struct Upload {
  std::string id;  // "upl_..."
  std::string agency_id;
  std::string sha256;  // declared by the uploader
  std::int64_t size = 0;
  std::int64_t received = 0;  // bytes committed so far
  std::int64_t created_ms = 0;
  std::int64_t expires_ms = 0;
};

// Opens an upload of `size` bytes with SHA-256 `sha256` (64 lower-case hex) for `agency_id`,
// expiring kUploadLifetimeMs from now. Errors: kInvalidArgument "attachment_too_large" (size
// outside 1..50 MiB), "invalid_request" (a malformed hash); kResourceExhausted
// "too_many_uploads" when the agency has kMaxOpenUploads unexpired uploads open.
Result<Upload> OpenUpload(store::Transaction& tx, std::string_view agency_id,
                          std::string_view sha256, std::int64_t size, std::int64_t now_ms);

// The unexpired upload `upload_id` of `agency_id`. Another agency's upload, an expired one and
// none at all are alike: kNotFound "upload_not_found".
Result<Upload> FindUpload(store::Transaction& tx, std::string_view agency_id,
                          std::string_view upload_id, std::int64_t now_ms);

// Seals and stores `bytes` as the next chunk of the upload and returns it updated. Each chunk is
// kChunkBytes long except the last. Errors: those of FindUpload(); kFailedPrecondition
// "upload_offset_mismatch" unless `offset` equals the bytes received so far (the message gives
// that offset); kInvalidArgument "upload_too_long" past the declared size, "invalid_chunk"
// for an empty chunk or one of the wrong length. Needs a write transaction.
Result<Upload> WriteChunk(store::Transaction& tx, const DataKey& key, std::string_view agency_id,
                          std::string_view upload_id, std::int64_t offset, std::string_view bytes,
                          std::int64_t now_ms);

struct Completion {
  bool hash_matches = false;    // false: the upload was deleted; report attachment_hash_mismatch
  bool already_stored = false;  // a blob with this hash existed: the new chunks were dropped
  std::string sha256;
  std::int64_t size = 0;
};

// Re-reads the upload's chunks one at a time and hashes them. If the hash differs from the
// declared one, deletes the upload (commit `tx`, then refuse). Otherwise the chunks become the
// blob, or are dropped if the blob exists, the upload is closed and `agency_id` possesses the
// blob. Errors: those of FindUpload(); kInvalidArgument "upload_incomplete" (fewer bytes than
// declared; the upload stays open); kDataLoss "attachment_tampered" if a chunk does not open.
Result<Completion> CompleteUpload(store::Transaction& tx, const DataKey& key,
                                  std::string_view agency_id, std::string_view upload_id,
                                  std::int64_t now_ms);

struct AttachmentBytes {
  std::string bytes;  // the range asked for
  std::int64_t size = 0;
  std::string sha256;
};

// Bytes [offset, offset + length) of attachment `index` of message `message_id`, cut at its end,
// for its sender or a recipient; anyone else gets kNotFound "message_not_found", as for a
// message that does not exist. Errors: kNotFound "attachment_not_found" (no such index);
// kInvalidArgument "invalid_request" (offset beyond the end, length outside 1..kChunkBytes);
// kDataLoss "attachment_tampered" when a chunk does not open or is missing.
Result<AttachmentBytes> ReadAttachment(store::Transaction& tx, const DataKey& key,
                                       std::string_view reader_agency, std::string_view message_id,
                                       std::int64_t index, std::int64_t offset,
                                       std::int64_t length);

// Retention: deletes up to `limit` uploads not completed by their expiry, and up to `limit`
// blobs that no message references, no open upload declares, and nobody completed within
// kUploadLifetimeMs; each deletion audited (actions "attachment.upload_purge" and
// "attachment.blob_purge", user "hub", source "local") in `tx`. Returns how many were deleted.
Result<int> PurgeAttachments(store::Transaction& tx, const crypto::SigningKey& audit_key,
                             std::int64_t now_ms, int limit);

}  // namespace ncbnet::messaging
