// Attachments (messaging/attachments.h): POST /v1/attachments opens an upload,
// GET|PUT /v1/attachments/uploads/{id} reads its state or adds a chunk (raw bytes, never
// parsed as JSON), POST /v1/attachments/uploads/{id}/complete checks its hash and stores it
// once, GET /v1/messages/{id}/attachments/{index} reads a range back for the message's sender
// and recipients. Every change goes through ctx.Write, so each chunk is committed with the
// request's audit entry.
#include <charconv>

#include "access/capabilities.h"
#include "api/audit_trail.h"
#include "api/errors.h"
#include "api/routes.h"
#include "core/time_format.h"
#include "messaging/attachments.h"

namespace ncbnet::api {
namespace {

nlohmann::json UploadJson(const messaging::Upload& u) {
  return {{"upload_id", u.id},
          {"sha256", u.sha256},
          {"size", u.size},
          {"received", u.received},
          {"chunk_bytes", messaging::kChunkBytes},
          {"expires_at", FormatIsoMillis(u.expires_ms)}};
}

Result<std::int64_t> QueryInt(const RequestContext& ctx, const char* name,
                              std::optional<std::int64_t> fallback) {
  const auto it = ctx.query.find(name);
  if (it == ctx.query.end()) {
    if (fallback) return *fallback;
    return Status::InvalidArgument("invalid_request", std::string("'") + name + "' is required");
  }
  std::int64_t v = 0;
  const std::string& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    return Status::InvalidArgument("invalid_request",
                                   std::string("'") + name + "' must be a non-negative integer");
  }
  return v;
}

Result<HttpResponse> OpenUpload(RequestContext& ctx) {
  const auto size = ctx.body.find("size");
  const auto sha = ctx.body.find("sha256");
  if (size == ctx.body.end() || !size->is_number_integer() || sha == ctx.body.end() ||
      !sha->is_string() || ctx.body.size() != 2) {
    return Status::InvalidArgument("invalid_request",
                                   "expected {\"size\": bytes, \"sha256\": \"<64 hex>\"}");
  }
  // A size beyond int64 is simply too large; anything else is judged by OpenUpload.
  std::int64_t bytes = messaging::kMaxAttachmentBytes + 1;
  if (!size->is_number_unsigned() ||
      size->get<std::uint64_t>() <= static_cast<std::uint64_t>(messaging::kMaxAttachmentBytes)) {
    bytes = size->get<std::int64_t>();
  }
  messaging::Upload upload;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(upload, messaging::OpenUpload(tx, ctx.agency(), sha->get<std::string>(),
                                                          bytes, ctx.NowMillis()));
    ctx.audit_object = upload.id + " size " + std::to_string(upload.size);
    return Status::Ok();
  }));
  return JsonResponse(201, UploadJson(upload));
}

Result<HttpResponse> GetUpload(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  messaging::Upload upload;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(upload, messaging::FindUpload(tx, ctx.agency(), id, ctx.NowMillis()));
    return Status::Ok();
  }));
  return JsonResponse(200, UploadJson(upload));
}

Result<HttpResponse> PutChunk(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  NCBNET_ASSIGN_OR_RETURN(std::int64_t offset, QueryInt(ctx, "offset", std::nullopt));
  ctx.audit_object = id + " offset " + std::to_string(offset);
  const std::string& type = ctx.http.Header("content-type");
  if (type.substr(0, type.find(';')) != "application/octet-stream") {
    return Status::InvalidArgument("unsupported_media_type",
                                   "send a chunk as Content-Type: application/octet-stream");
  }
  if (static_cast<std::int64_t>(ctx.http.body.size()) > messaging::kChunkBytes) {
    return Status::InvalidArgument("chunk_too_large", "a chunk is at most 1048576 bytes");
  }
  messaging::Upload upload;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(upload, messaging::WriteChunk(tx, ctx.hub.data_key, ctx.agency(), id,
                                                          offset, ctx.http.body, ctx.NowMillis()));
    return Status::Ok();
  }));
  return JsonResponse(200, UploadJson(upload));
}

Result<HttpResponse> Complete(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  messaging::Completion done;
  // Not ctx.Write: a hash mismatch commits the upload's deletion together with an audit entry
  // that records the refusal, rather than "ok".
  NCBNET_RETURN_IF_ERROR(ctx.hub.store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        done, messaging::CompleteUpload(tx, ctx.hub.data_key, ctx.agency(), id, ctx.NowMillis()));
    ctx.audit_object =
        id + " sha256 " + done.sha256 + (done.already_stored ? " already stored" : " stored");
    return AppendRequestAudit(tx, ctx, done.hash_matches ? "ok" : "error:attachment_hash_mismatch");
  }));
  ctx.audited = true;
  if (!done.hash_matches) {
    return Status::InvalidArgument("attachment_hash_mismatch",
                                   "the bytes received do not have the declared SHA-256; the "
                                   "upload was discarded");
  }
  return JsonResponse(200, {{"sha256", done.sha256}, {"size", done.size}});
}

Result<HttpResponse> Download(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  const std::string& index_text = ctx.params.at("index");
  ctx.audit_object = id + " attachment " + index_text;
  std::int64_t index = 0;
  const auto [end, ec] =
      std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
  if (ec != std::errc() || end != index_text.data() + index_text.size() || index < 0) {
    return Status::NotFound("attachment_not_found", "the message has no such attachment");
  }
  NCBNET_ASSIGN_OR_RETURN(std::int64_t offset, QueryInt(ctx, "offset", 0));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t length, QueryInt(ctx, "length", messaging::kChunkBytes));
  messaging::AttachmentBytes got;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(got, messaging::ReadAttachment(tx, ctx.hub.data_key, ctx.agency(), id,
                                                           index, offset, length));
    return Status::Ok();
  }));
  ctx.audit_object +=
      " offset " + std::to_string(offset) + " bytes " + std::to_string(got.bytes.size());
  HttpResponse r;
  r.status = 200;
  r.content_type = "application/octet-stream";
  r.body = std::move(got.bytes);
  r.headers.emplace_back("x-attachment-size", std::to_string(got.size));
  r.headers.emplace_back("x-attachment-sha256", got.sha256);
  return r;
}

}  // namespace

void AddAttachmentRoutes(Router& router) {
  const std::string send(access::kMessageSend);
  const std::string upload = "/v1/attachments/uploads/{id}";
  router.Add({.method = "POST",
              .pattern = "/v1/attachments",
              .access = Access::kCapability,
              .capability = send,
              .scope = Scope::kOwn,
              .json_body = true,
              .handler = OpenUpload});
  router.Add({.method = "GET",
              .pattern = upload,
              .access = Access::kCapability,
              .capability = send,
              .scope = Scope::kOwn,
              .handler = GetUpload});
  // json_body = false: a chunk is raw bytes, checked for its own content type.
  router.Add({.method = "PUT",
              .pattern = upload,
              .access = Access::kCapability,
              .capability = send,
              .scope = Scope::kOwn,
              .handler = PutChunk});
  router.Add({.method = "POST",
              .pattern = upload + "/complete",
              .access = Access::kCapability,
              .capability = send,
              .scope = Scope::kOwn,
              .handler = Complete});
  router.Add({.method = "GET",
              .pattern = "/v1/messages/{id}/attachments/{index}",
              .scope = Scope::kMessages,
              .handler = Download});
}

}  // namespace ncbnet::api
