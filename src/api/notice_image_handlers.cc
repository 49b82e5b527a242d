// Images and history of notices and diffusions (notices/notices.h):
//   POST /v1/notices/{id}/images          the image as the raw body, Content-Type image/jpeg or
//                                         image/png (at most 2 MiB, 6 per notice)
//   GET  /v1/notices/{id}/images/{seq}    the image's bytes
//   GET  /v1/notices/{id}/history         every step, oldest first
// and the same under /v1/diffusions. Visibility as for the notice itself.
#include <charconv>

#include "api/errors.h"
#include "api/notice_api.h"
#include "api/routes.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

Result<HttpResponse> AddImage(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(const std::string id, NoticeIdOf(ctx, channel));
  ctx.audit_object = id;
  const std::string& type = ctx.http.Header("content-type");
  const std::string declared = type.substr(0, type.find(';'));
  if (declared != "image/jpeg" && declared != "image/png") {
    return Status::InvalidArgument("unsupported_image",
                                   "send the image as Content-Type image/jpeg or image/png");
  }
  NCBNET_ASSIGN_OR_RETURN(const notices::Keys keys, NoticeKeysOf(ctx));
  notices::ImageInfo info;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const notices::Actor actor, NoticeActorOf(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(
        info, notices::AddImage(tx, keys, actor, id, ctx.http.body, ctx.NowMillis(), declared));
    ctx.audit_object = id + " image " + std::to_string(info.seq);
    return Status::Ok();
  }));
  return JsonResponse(201, {{"seq", info.seq},
                            {"media_type", info.media_type},
                            {"sha256", info.sha256},
                            {"size", info.size}});
}

Result<HttpResponse> GetImage(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(const std::string id, NoticeIdOf(ctx, channel));
  const std::string& seq_text = ctx.params.at("seq");
  ctx.audit_object = id + " image " + seq_text;
  std::int64_t seq = 0;
  const auto [end, ec] = std::from_chars(seq_text.data(), seq_text.data() + seq_text.size(), seq);
  if (ec != std::errc() || end != seq_text.data() + seq_text.size() || seq < 1) {
    return Status::NotFound("image_not_found", "no such image");
  }
  NCBNET_ASSIGN_OR_RETURN(const notices::Keys keys, NoticeKeysOf(ctx));
  notices::Image image;
  const Status read = ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const notices::Actor actor, NoticeActorOf(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(image, notices::GetImage(tx, keys, actor, id, seq));
    return Status::Ok();
  });
  if (read.reason() == "image_tampered") {
    ctx.hub.metrics.ReportDamaged("notice_image", id + "/" + seq_text, read.reason());
  }
  NCBNET_RETURN_IF_ERROR(read);
  HttpResponse r;
  r.content_type = image.info.media_type;
  r.body = std::move(image.bytes);
  return r;
}

Result<HttpResponse> GetHistory(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(const std::string id, NoticeIdOf(ctx, channel));
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(const notices::Keys keys, NoticeKeysOf(ctx));
  json events = json::array();
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const notices::Actor actor, NoticeActorOf(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(std::vector<notices::Event> found,
                            notices::History(tx, keys, actor, id));
    for (const notices::Event& e : found) events.push_back(notices::EventJson(e));
    return Status::Ok();
  }));
  return JsonResponse(200, {{"events", events}});
}

Handler For(std::string_view channel,
            Result<HttpResponse> (*fn)(RequestContext&, std::string_view)) {
  return [channel, fn](RequestContext& ctx) { return fn(ctx, channel); };
}

}  // namespace

void AddNoticeImageRoutes(Router& router) {
  for (const std::string_view channel :
       {std::string_view("notice"), std::string_view("diffusion")}) {
    const std::string base = channel == "notice" ? "/v1/notices/{id}" : "/v1/diffusions/{id}";
    router.Add({.method = "POST",
                .pattern = base + "/images",
                .access = Access::kCapability,
                .capability = "notice.request",
                .scope = Scope::kNotices,
                .handler = For(channel, AddImage)});
    router.Add({.method = "GET",
                .pattern = base + "/images/{seq}",
                .scope = Scope::kNotices,
                .handler = For(channel, GetImage)});
    router.Add({.method = "GET",
                .pattern = base + "/history",
                .scope = Scope::kNotices,
                .handler = For(channel, GetHistory)});
  }
}

}  // namespace ncbnet::api
