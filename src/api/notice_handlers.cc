// Notices and diffusions (notices/notices.h):
//   POST /v1/notices | /v1/diffusions                  a draft (notice.request)
//   GET  /v1/notices | /v1/diffusions?scope=&state=&kind=&limit=
//   GET  /v1/notices/{id}, PUT /v1/notices/{id}        read; edit a draft
//   POST /v1/notices/{id}/submit | /update | /extend | /cancel     the requesting country
//   POST /v1/notices/{id}/review | /suspend | /resume | /withdraw  the GS
//   POST /v1/diffusions/{id}/circulate | /cancel | /review
// Who sees and changes what is decided in notices/; a notice the caller may not see is 404
// notice_not_found, exactly as an absent one. Every change of a live notice's record is in the
// record indexes before the answer, so checks see it at once.
#include <charconv>
#include <set>

#include "access/capabilities.h"
#include "api/errors.h"
#include "api/hit_api.h"
#include "api/json_fields.h"
#include "api/notice_api.h"
#include "api/record_access.h"
#include "api/routes.h"
#include "api/wakeups.h"
#include "notices/kinds.h"

namespace ncbnet::api {

Result<notices::Actor> NoticeActorOf(const RequestContext& ctx, store::Transaction& tx) {
  // The caller's agency, read as a check reads its checker.
  NCBNET_ASSIGN_OR_RETURN(const hits::Checker c, CheckerFor(ctx, tx));
  notices::Actor a;
  a.agency_id = c.agency_id;
  a.country = c.country;
  a.kind = c.kind;
  a.user_id = c.user_id;
  a.may_request = ctx.principal && ctx.principal->Has("notice.request");
  a.may_review = ctx.principal && ctx.principal->Has("notice.review");
  a.may_read = ctx.principal && ctx.principal->Has(access::kNoticeRead);
  return a;
}

Result<notices::Keys> NoticeKeysOf(const RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey* hub_key, HubMessageKeyOf(ctx));
  NCBNET_RETURN_IF_ERROR(IndexesOf(ctx).status());
  return notices::Keys{ctx.hub.data_key, *hub_key, *ctx.hub.index_secret};
}

Result<std::string> NoticeIdOf(const RequestContext& ctx, std::string_view channel) {
  const std::string& id = ctx.params.at("id");
  const std::string_view prefix = channel == "notice" ? "ntc_" : "dif_";
  if (id.compare(0, prefix.size(), prefix) != 0) {
    return Status::NotFound("notice_not_found", "no such notice");
  }
  return id;
}

Status AfterNoticeChange(RequestContext& ctx, const notices::Notice& n) {
  NCBNET_ASSIGN_OR_RETURN(records::RecordIndexes * indexes, IndexesOf(ctx));
  NCBNET_RETURN_IF_ERROR(indexes->CatchUp(ctx.hub.store));
  for (const std::string& agency : n.told) ctx.hub.wakeups.Notify(MailboxTopic(agency));
  return Status::Ok();
}

namespace {

using nlohmann::json;

Status BadRequest(const std::string& why) {
  return Status::InvalidArgument("invalid_request", why);
}

Status OnlyKeys(const json& body, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (std::string_view k : keys) known = known || key == k;
    if (!known) return BadRequest("unknown field '" + key.substr(0, 64) + "'");
  }
  return Status::Ok();
}

std::string NoteOf(const json& body, const char* key) {
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status CheckNoteType(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it != body.end() && !it->is_null() && !it->is_string()) {
    return BadRequest(std::string(key) + " must be a string");
  }
  return Status::Ok();
}

// One change of a notice, run in a write transaction with the caller as actor; the answer is
// the notice as the caller now sees it. A notice_incomplete refusal lists its problems.
using Change =
    std::function<Result<notices::Notice>(store::Transaction&, const notices::Keys&,
                                          const notices::Actor&, std::vector<notices::Problem>*)>;

Result<HttpResponse> Run(RequestContext& ctx, int status, const Change& change) {
  NCBNET_ASSIGN_OR_RETURN(const notices::Keys keys, NoticeKeysOf(ctx));
  notices::Notice n;
  notices::Actor actor;
  std::vector<notices::Problem> problems;
  const Status s = ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(actor, NoticeActorOf(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(n, change(tx, keys, actor, &problems));
    ctx.audit_object = n.id;
    return Status::Ok();
  });
  if (!s.ok()) {
    if (!problems.empty()) ctx.error_details = {{"problems", notices::ProblemsJson(problems)}};
    return s;
  }
  NCBNET_RETURN_IF_ERROR(AfterNoticeChange(ctx, n));
  return JsonResponse(status, notices::NoticeJson(n, actor));
}

Result<HttpResponse> CreateDraft(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(notices::DraftInput in,
                          notices::ParseDraftInput(ctx.body, channel, /*kind_required=*/true));
  return Run(ctx, 201,
             [&](store::Transaction& tx, const notices::Keys& keys, const notices::Actor& a,
                 std::vector<notices::Problem>*) {
               return notices::CreateDraft(tx, keys, a, channel, in, ctx.NowMillis());
             });
}

Result<HttpResponse> EditDraft(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(const std::string id, NoticeIdOf(ctx, channel));
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(notices::DraftInput in,
                          notices::ParseDraftInput(ctx.body, channel, /*kind_required=*/false));
  std::optional<std::int64_t> version;
  if (const auto it = ctx.body.find("version"); it != ctx.body.end()) {
    if (!it->is_number_integer()) return BadRequest("version must be an integer");
    version = it->get<std::int64_t>();
  }
  return Run(ctx, 200,
             [&](store::Transaction& tx, const notices::Keys& keys, const notices::Actor& a,
                 std::vector<notices::Problem>*) {
               return notices::EditDraft(tx, keys, a, id, in, version, ctx.NowMillis());
             });
}

Result<HttpResponse> GetOne(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(const std::string id, NoticeIdOf(ctx, channel));
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(const notices::Keys keys, NoticeKeysOf(ctx));
  json out;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const notices::Actor actor, NoticeActorOf(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(const notices::Notice n, notices::GetNotice(tx, keys, actor, id));
    out = notices::NoticeJson(n, actor);
    return Status::Ok();
  }));
  return JsonResponse(200, out);
}

Result<notices::NoticeFilter> FilterOf(const RequestContext& ctx, std::string_view channel,
                                       const notices::Actor& actor) {
  static const std::set<std::string, std::less<>> kKnown = {"scope", "state", "kind", "limit"};
  for (const auto& [key, value] : ctx.query) {
    if (!kKnown.contains(key)) return BadRequest("unknown query parameter '" + key + "'");
  }
  notices::NoticeFilter f;
  f.channel = std::string(channel);
  f.scope = actor.country.empty() ? "review" : "own";
  if (auto it = ctx.query.find("scope"); it != ctx.query.end()) f.scope = it->second;
  if (auto it = ctx.query.find("state"); it != ctx.query.end()) f.state = it->second;
  if (auto it = ctx.query.find("kind"); it != ctx.query.end()) {
    NCBNET_RETURN_IF_ERROR(notices::Kinds::Builtin().Find(it->second).status());
    f.kind = it->second;
  }
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t limit, IntQueryParam(ctx, "limit", 100, 1, 500));
  f.limit = static_cast<int>(limit);
  return f;
}

Result<HttpResponse> List(RequestContext& ctx, std::string_view channel) {
  NCBNET_ASSIGN_OR_RETURN(const notices::Keys keys, NoticeKeysOf(ctx));
  json list = json::array();
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const notices::Actor actor, NoticeActorOf(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(const notices::NoticeFilter f, FilterOf(ctx, channel, actor));
    ctx.audit_object = f.scope;
    NCBNET_ASSIGN_OR_RETURN(std::vector<notices::Notice> found,
                            notices::ListNotices(tx, keys, actor, f));
    for (const notices::Notice& n : found) {
      if (!n.damaged.empty()) ctx.hub.metrics.ReportDamaged("notice", n.id, n.damaged);
      list.push_back(notices::NoticeJson(n, actor));
    }
    return Status::Ok();
  }));
  return JsonResponse(200, {{channel == "notice" ? "notices" : "diffusions", list}});
}

// POST /v1/{notices,diffusions}/{id}/<action>: the body's keys per action.
Result<HttpResponse> Act(RequestContext& ctx, std::string_view channel, std::string_view action) {
  NCBNET_ASSIGN_OR_RETURN(const std::string id, NoticeIdOf(ctx, channel));
  ctx.audit_object = id;
  const std::int64_t now = ctx.NowMillis();
  const json& body = ctx.body;
  if (action == "review") {
    NCBNET_RETURN_IF_ERROR(OnlyKeys(body, {"decision", "reasons"}));
    NCBNET_RETURN_IF_ERROR(CheckNoteType(body, "reasons"));
    NCBNET_ASSIGN_OR_RETURN(const std::string decision, RequiredString(body, "decision", 32));
    const std::string reasons = NoteOf(body, "reasons");
    if (channel == "diffusion") {
      if (decision != "compliant" && decision != "non_compliant") {
        return BadRequest("decision must be compliant or non_compliant");
      }
      return Run(ctx, 200,
                 [&](store::Transaction& tx, const notices::Keys& k, const notices::Actor& a,
                     std::vector<notices::Problem>*) {
                   return notices::ReviewDiffusion(tx, k, a, id, decision == "compliant", reasons,
                                                   now);
                 });
    }
    const std::optional<notices::Decision> d = notices::ParseDecision(decision);
    if (!d) return BadRequest("decision must be approve, reject or request_info");
    return Run(ctx, 200,
               [&](store::Transaction& tx, const notices::Keys& k, const notices::Actor& a,
                   std::vector<notices::Problem>*) {
                 return notices::Review(tx, k, a, id, *d, reasons, now);
               });
  }
  if (action == "update") {
    NCBNET_RETURN_IF_ERROR(OnlyKeys(body, {"fields"}));
    const auto fields = body.find("fields");
    if (fields == body.end() || !fields->is_object()) return BadRequest("fields is required");
    return Run(ctx, 200,
               [&](store::Transaction& tx, const notices::Keys& k, const notices::Actor& a,
                   std::vector<notices::Problem>* p) {
                 return notices::ProposeUpdate(tx, k, a, id, *fields, p, now);
               });
  }
  NCBNET_RETURN_IF_ERROR(OnlyKeys(body, {"reason"}));
  NCBNET_RETURN_IF_ERROR(CheckNoteType(body, "reason"));
  const std::string reason = NoteOf(body, "reason");
  return Run(ctx, 200,
             [&](store::Transaction& tx, const notices::Keys& k, const notices::Actor& a,
                 std::vector<notices::Problem>* p) {
               if (action == "submit") return notices::Submit(tx, k, a, id, p, now);
               if (action == "circulate") return notices::Circulate(tx, k, a, id, p, now);
               if (action == "extend") return notices::ProposeExtension(tx, k, a, id, now);
               if (action == "cancel") return notices::Cancel(tx, k, a, id, reason, now);
               if (action == "suspend") return notices::Suspend(tx, k, a, id, reason, now);
               if (action == "resume") return notices::Resume(tx, k, a, id, reason, now);
               return notices::Withdraw(tx, k, a, id, reason, now);
             });
}

Handler For(std::string_view channel,
            Result<HttpResponse> (*fn)(RequestContext&, std::string_view)) {
  return [channel, fn](RequestContext& ctx) { return fn(ctx, channel); };
}

Handler ActFor(std::string_view channel, std::string_view action) {
  return [channel, action](RequestContext& ctx) { return Act(ctx, channel, action); };
}

}  // namespace

void AddNoticeRoutes(Router& router) {
  const std::string request = "notice.request";
  for (const std::string_view channel :
       {std::string_view("notice"), std::string_view("diffusion")}) {
    const std::string base = channel == "notice" ? "/v1/notices" : "/v1/diffusions";
    router.Add({.method = "POST",
                .pattern = base,
                .access = Access::kCapability,
                .capability = request,
                .scope = Scope::kNotices,
                .json_body = true,
                .handler = For(channel, CreateDraft)});
    router.Add({.method = "GET",
                .pattern = base,
                .scope = Scope::kNotices,
                .handler = For(channel, List)});
    router.Add({.method = "GET",
                .pattern = base + "/{id}",
                .scope = Scope::kNotices,
                .handler = For(channel, GetOne)});
    router.Add({.method = "PUT",
                .pattern = base + "/{id}",
                .access = Access::kCapability,
                .capability = request,
                .scope = Scope::kNotices,
                .json_body = true,
                .handler = For(channel, EditDraft)});
    const std::vector<std::string_view> own =
        channel == "notice" ? std::vector<std::string_view>{"submit", "update", "extend", "cancel"}
                            : std::vector<std::string_view>{"circulate", "cancel"};
    for (std::string_view action : own) {
      router.Add({.method = "POST",
                  .pattern = base + "/{id}/" + std::string(action),
                  .access = Access::kCapability,
                  .capability = request,
                  .scope = Scope::kNotices,
                  .json_body = true,
                  .handler = ActFor(channel, action)});
    }
    // The General Secretariat's acts: refused to anyone without notice.review before any notice
    // is read, so the refusal says nothing of the notice (the service checks again).
    const std::vector<std::string_view> gs =
        channel == "notice"
            ? std::vector<std::string_view>{"review", "suspend", "resume", "withdraw"}
            : std::vector<std::string_view>{"review"};
    for (std::string_view action : gs) {
      router.Add({.method = "POST",
                  .pattern = base + "/{id}/" + std::string(action),
                  .access = Access::kCapability,
                  .capability = std::string(access::kNoticeReview),
                  .scope = Scope::kNotices,
                  .json_body = true,
                  .handler = ActFor(channel, action)});
    }
  }
}

}  // namespace ncbnet::api
