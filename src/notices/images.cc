// Images of notices and diffusions (notices.h): recognised by their magic bytes, sealed at rest
// with the notice id and sequence number as associated data.
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "notices/internal/notice_rows.h"

namespace ncbnet::notices {
namespace {

// JPEG starts FF D8 FF; PNG with its 8-byte signature (ISO/IEC 15948, 5.2).
std::string MediaTypeOf(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) {
    return "image/jpeg";
  }
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) {
    return "image/png";
  }
  return "";
}

// An image row whose bytes do not open under its binding, or do not match its recorded type,
// digest and size. Its media type is not covered by the seal, so it is checked against the
// bytes: a type edited in the store must not make the hub serve an image as a page.
Status ImageTampered(std::string_view notice_id, std::int64_t seq) {
  return Status::DataLoss("image_tampered", "image " + std::to_string(seq) + " of notice " +
                                                std::string(notice_id) + " fails its checks");
}

bool MayAddImages(const Notice& n) {
  return n.state == "draft" || n.state == "info_requested" ||
         (n.state == "published" && n.pending_action == "update");
}

}  // namespace

Result<ImageInfo> AddImage(store::Transaction& tx, const Keys& keys, const Actor& actor,
                           std::string_view id, std::string_view bytes, std::int64_t now_ms,
                           std::string_view declared_type) {
  NCBNET_ASSIGN_OR_RETURN(Notice n, internal::LoadOwn(tx, keys, actor, id));
  if (!MayAddImages(n)) return internal::BadTransition("add an image to", n);
  if (bytes.size() > kMaxImageBytes) {
    return Status::InvalidArgument("image_too_large", "an image is at most 2 MiB");
  }
  ImageInfo info;
  info.media_type = MediaTypeOf(bytes);
  if (info.media_type.empty() || (!declared_type.empty() && declared_type != info.media_type)) {
    return Status::InvalidArgument("unsupported_image", "images are JPEG or PNG");
  }
  if (n.images.size() >= kMaxImages) {
    return Status::InvalidArgument("too_many_images", "a notice has at most 6 images");
  }
  info.seq = n.images.empty() ? 1 : n.images.back().seq + 1;
  info.sha256 = crypto::Sha256Hex(bytes);
  info.size = static_cast<std::int64_t>(bytes.size());
  NCBNET_ASSIGN_OR_RETURN(const std::string key, internal::SealingKey(keys.data_key));
  NCBNET_ASSIGN_OR_RETURN(
      std::string sealed,
      crypto::Seal(key, bytes, internal::Binding(n.id, "image:" + std::to_string(info.seq))));
  NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO notice_images (notice_id, seq, media_type, sha256,"
                                 " size, sealed) VALUES (?, ?, ?, ?, ?, ?)",
                                 {n.id, info.seq, info.media_type, info.sha256, info.size,
                                  store::Blob{std::move(sealed)}})
                             .status());
  NCBNET_RETURN_IF_ERROR(internal::SaveNotice(tx, keys, n, now_ms));
  NCBNET_RETURN_IF_ERROR(
      internal::AppendEvent(tx, n, "add_image", actor, "image " + std::to_string(info.seq), now_ms)
          .status());
  return info;
}

Result<Image> GetImage(store::Transaction& tx, const Keys& keys, const Actor& actor,
                       std::string_view id, std::int64_t seq) {
  NCBNET_ASSIGN_OR_RETURN(const Notice n, internal::LoadVisible(tx, keys, actor, id));
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT media_type, sha256, size, sealed FROM notice_images WHERE notice_id = ?"
                  " AND seq = ?",
                  {n.id, seq}));
  if (!row) return Status::NotFound("image_not_found", "no such image");
  NCBNET_ASSIGN_OR_RETURN(const std::string key, internal::SealingKey(keys.data_key));
  Image out;
  out.info = {seq, (*row)[0].AsText(), (*row)[1].AsText(), (*row)[2].AsInt()};
  Result<std::string> bytes = crypto::Open(key, (*row)[3].AsText(),
                                           internal::Binding(n.id, "image:" + std::to_string(seq)));
  if (!bytes.ok() || MediaTypeOf(*bytes) != out.info.media_type ||
      crypto::Sha256Hex(*bytes) != out.info.sha256 ||
      static_cast<std::int64_t>(bytes->size()) != out.info.size) {
    return ImageTampered(n.id, seq);
  }
  out.bytes = std::move(*bytes);
  return out;
}

}  // namespace ncbnet::notices
