// GET /v1/messages: the caller's own mailbox, listed and searched (messaging/mailbox_search.h).
// Every filter is validated here and a bad one is 400 invalid_request naming it; unknown query
// parameters are refused too, so a misspelt filter is not silently ignored.
#include <charconv>
#include <set>

#include "api/errors.h"
#include "api/messages_json.h"
#include "api/routes.h"
#include "core/time_format.h"
#include "messaging/mailbox_search.h"

namespace ncbnet::api {
namespace {

constexpr std::size_t kMaxIdBytes = 128;

Status Bad(const std::string& name, const std::string& why) {
  return Status::InvalidArgument("invalid_request", "'" + name + "' " + why);
}

const std::string* Param(const RequestContext& ctx, const char* name) {
  const auto it = ctx.query.find(name);
  return it == ctx.query.end() ? nullptr : &it->second;
}

Result<std::optional<std::int64_t>> TimeParam(const RequestContext& ctx, const char* name) {
  const std::string* v = Param(ctx, name);
  if (v == nullptr) return std::optional<std::int64_t>();
  Result<std::int64_t> ms = ParseIsoMillis(*v);
  if (!ms.ok()) return Bad(name, "must be an ISO 8601 UTC time like 2026-01-31T12:00:00Z");
  return std::optional<std::int64_t>(*ms);
}

Result<std::string> IdParam(const RequestContext& ctx, const char* name) {
  const std::string* v = Param(ctx, name);
  if (v == nullptr) return std::string();
  if (v->empty() || v->size() > kMaxIdBytes) return Bad(name, "must be 1 to 128 bytes");
  return *v;
}

Status CheckKnownParams(const RequestContext& ctx) {
  static const std::set<std::string, std::less<>> kKnown = {
      "q",      "correspondent", "from",  "to",    "priority", "classification",
      "unread", "thread",        "limit", "before"};
  for (const auto& [name, value] : ctx.query) {
    if (!kKnown.contains(name)) return Bad(name.substr(0, 64), "is not a filter of this list");
  }
  return Status::Ok();
}

Status ReadEnums(const RequestContext& ctx, messaging::MailboxFilter& f) {
  if (const std::string* v = Param(ctx, "priority")) {
    f.priority = messaging::ParsePriority(*v);
    if (!f.priority) return Bad("priority", "must be routine, urgent or flash");
  }
  if (const std::string* v = Param(ctx, "classification")) {
    f.classification = messaging::ParseClassification(*v);
    if (!f.classification) {
      return Bad("classification",
                 "must be unclassified, interpol_fouo, interpol_restricted or "
                 "interpol_confidential");
    }
  }
  if (const std::string* v = Param(ctx, "unread")) {
    if (*v != "true" && *v != "false") return Bad("unread", "must be true or false");
    f.unread_only = *v == "true";
  }
  return Status::Ok();
}

Result<messaging::MailboxFilter> FilterFrom(const RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(CheckKnownParams(ctx));
  messaging::MailboxFilter f;
  if (const std::string* q = Param(ctx, "q")) {
    if (q->size() > messaging::kMaxQueryBytes) return Bad("q", "must be at most 1000 bytes");
    f.query = *q;
  }
  NCBNET_ASSIGN_OR_RETURN(f.correspondent, IdParam(ctx, "correspondent"));
  NCBNET_ASSIGN_OR_RETURN(f.thread_id, IdParam(ctx, "thread"));
  NCBNET_ASSIGN_OR_RETURN(f.before, IdParam(ctx, "before"));
  NCBNET_ASSIGN_OR_RETURN(f.from_ms, TimeParam(ctx, "from"));
  NCBNET_ASSIGN_OR_RETURN(f.to_ms, TimeParam(ctx, "to"));
  NCBNET_RETURN_IF_ERROR(ReadEnums(ctx, f));
  if (const std::string* v = Param(ctx, "limit")) {
    int limit = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
    if (ec != std::errc() || end != v->data() + v->size() || limit < 1 ||
        limit > messaging::kMaxSearchLimit) {
      return Bad("limit", "must be an integer in [1, 200]");
    }
    f.limit = limit;
  }
  return f;
}

Result<HttpResponse> SearchMessages(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const messaging::MailboxFilter filter, FilterFrom(ctx));
  // The audit entry names the caller and which filters were used, never the search text.
  ctx.audit_object = ctx.agency() + (filter.query.empty() ? "" : " q") +
                     (filter.correspondent.empty() ? "" : " correspondent " + filter.correspondent);
  messaging::MailboxPage page;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(page,
                            messaging::SearchMailbox(tx, ctx.hub.data_key, ctx.agency(), filter));
    return Status::Ok();
  }));
  for (const messaging::MailboxEntry& e : page.entries) {
    if (!e.damaged_reason.empty()) {
      ctx.hub.metrics.ReportDamaged("message", e.message.id, e.damaged_reason);
    }
  }
  return JsonResponse(200, MailboxPageJson(page));
}

}  // namespace

void AddMessageSearchRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = "/v1/messages",
              .scope = Scope::kMessages,
              .handler = SearchMessages});
}

}  // namespace ncbnet::api
