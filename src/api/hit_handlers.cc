// GET /v1/hits, GET /v1/hits/{id}, POST /v1/hits/{id}/follow-ups, and the helpers of
// api/hit_api.h. Who sees a hit is decided in hits/hits.h; this only translates.
#include <charconv>
#include <map>
#include <set>

#include "access/agencies.h"
#include "api/errors.h"
#include "api/hit_api.h"
#include "api/json_fields.h"
#include "api/routes.h"
#include "core/time_format.h"

namespace ncbnet::api {

Result<const crypto::SigningKey*> HubMessageKeyOf(const RequestContext& ctx) {
  if (ctx.hub.hub_message_key == nullptr) {
    return Status::Unavailable("hub_messages_off", "this hub sends no messages of its own");
  }
  return ctx.hub.hub_message_key;
}

Result<hits::Checker> CheckerFor(const RequestContext& ctx, store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency,
                          access::FindAgency(tx, ctx.agency()));
  if (!agency || agency->disabled_ms) {
    return Status::PermissionDenied("agency_disabled", "the caller's agency is disabled");
  }
  hits::Checker c;
  c.agency_id = agency->id;
  c.country = agency->country.value_or("");
  c.kind = agency->kind;
  if (ctx.principal) {
    c.user_id = ctx.principal->user_id;
    c.user_name = ctx.principal->user_name;
  }
  return c;
}

Result<hits::HitViewer> HitViewerFor(const RequestContext& ctx, store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(hits::Checker c, CheckerFor(ctx, tx));
  return hits::HitViewer{c.agency_id, c.country, c.kind};
}

void AfterHitsRecorded(HubServices& hub, std::span<const records::Record> records) {
  std::map<std::string, std::uint64_t> by_database;
  std::set<std::string> owners;
  for (const records::Record& r : records) {
    ++by_database[r.database];
    owners.insert(r.owner_agency);
  }
  for (const auto& [database, n] : by_database) hub.metrics.AddHits(database, n);
  for (const std::string& owner : owners) hub.wakeups.Notify(MailboxTopic(owner));
}

namespace {

Status BadQuery(const std::string& why) { return Status::InvalidArgument("invalid_request", why); }

std::string QueryValue(const RequestContext& ctx, const char* name) {
  const auto it = ctx.query.find(name);
  return it == ctx.query.end() ? std::string() : it->second;
}

Result<hits::HitFilter> ParseFilter(const RequestContext& ctx) {
  static const std::set<std::string, std::less<>> kKnown = {"side",  "database", "record", "state",
                                                            "since", "before",   "limit"};
  for (const auto& [key, value] : ctx.query) {
    if (!kKnown.contains(key)) return BadQuery("unknown query parameter '" + key + "'");
  }
  hits::HitFilter f;
  if (const std::string side = QueryValue(ctx, "side"); !side.empty()) {
    if (side != "checker" && side != "owner") return BadQuery("side must be checker or owner");
    f.side = side == "owner" ? hits::Side::kOwner : hits::Side::kChecker;
  }
  f.database = QueryValue(ctx, "database");
  f.record_id = QueryValue(ctx, "record");
  if (const std::string state = QueryValue(ctx, "state"); !state.empty()) {
    f.state = hits::ParseFollowUpState(state);
    if (!f.state) return BadQuery("unknown state '" + state.substr(0, 32) + "'");
  }
  if (const std::string since = QueryValue(ctx, "since"); !since.empty()) {
    NCBNET_ASSIGN_OR_RETURN(const std::int64_t ms, ParseIsoMillis(since));
    f.since_ms = ms;
  }
  f.before = QueryValue(ctx, "before");
  if (const std::string limit = QueryValue(ctx, "limit"); !limit.empty()) {
    int v = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), v);
    if (ec != std::errc() || end != limit.data() + limit.size() || v < 1 || v > 500) {
      return BadQuery("limit must be an integer in [1, 500]");
    }
    f.limit = v;
  }
  return f;
}

Result<HttpResponse> ListHits(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const hits::HitFilter filter, ParseFilter(ctx));
  ctx.audit_object = ctx.agency();
  std::vector<hits::Hit> found;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const hits::HitViewer viewer, HitViewerFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(found, hits::ListHits(tx, viewer, filter));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const hits::Hit& h : found) list.push_back(hits::HitJson(h));
  nlohmann::json body = {{"hits", std::move(list)}};
  if (found.size() == static_cast<std::size_t>(filter.limit)) {
    body["next_before"] = found.back().id;
  }
  return JsonResponse(200, body);
}

Result<HttpResponse> GetHit(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  hits::Hit hit;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const hits::HitViewer viewer, HitViewerFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(hit, hits::GetHit(tx, id, viewer));
    return Status::Ok();
  }));
  return JsonResponse(200, hits::HitJson(hit));
}

Result<HttpResponse> AddFollowUp(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  for (const auto& [key, value] : ctx.body.items()) {
    if (key != "state" && key != "note")
      return BadQuery("unknown field '" + key.substr(0, 64) + "'");
  }
  NCBNET_ASSIGN_OR_RETURN(const std::string state_name, RequiredString(ctx.body, "state", 32));
  const std::optional<hits::FollowUpState> state = hits::ParseFollowUpState(state_name);
  if (!state || *state == hits::FollowUpState::kOpen) {
    return Status::InvalidArgument(
        "invalid_follow_up", "state must be confirmed, not_same_person, action_taken or closed");
  }
  std::string note;
  if (const auto it = ctx.body.find("note"); it != ctx.body.end() && !it->is_null()) {
    if (!it->is_string()) return BadQuery("note must be a string");
    note = it->get<std::string>();
  }
  const std::string user = ctx.principal ? ctx.principal->user_id : std::string();
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey* hub_key, HubMessageKeyOf(ctx));
  hits::Hit hit;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const hits::HitViewer viewer, HitViewerFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(hit, hits::AddFollowUp(tx, ctx.hub.data_key, *hub_key, id, viewer, user,
                                                   *state, note, ctx.NowMillis()));
    return Status::Ok();
  }));
  const hits::FollowUp& added = hit.follow_ups.back();
  ctx.hub.metrics.AddFollowUp(std::string(hits::SideName(added.side)),
                              std::string(hits::FollowUpStateName(added.state)));
  // The other side's mailboxes got a message: wake their feeds.
  ctx.hub.wakeups.Notify(MailboxTopic(hit.owner_agency));
  ctx.hub.wakeups.Notify(MailboxTopic(hit.checker_agency));
  if (!hit.checker_country.empty()) {
    ctx.hub.wakeups.Notify(MailboxTopic(access::NcbIdFor(hit.checker_country)));
  }
  return JsonResponse(201, hits::HitJson(hit));
}

}  // namespace

void AddHitRoutes(Router& router) {
  // Any authenticated agency may ask; hits/hits.h shows each only the hits it is party to.
  router.Add({.method = "GET", .pattern = "/v1/hits", .scope = Scope::kHits, .handler = ListHits});
  router.Add(
      {.method = "GET", .pattern = "/v1/hits/{id}", .scope = Scope::kHits, .handler = GetHit});
  router.Add({.method = "POST",
              .pattern = "/v1/hits/{id}/follow-ups",
              .scope = Scope::kHits,
              .json_body = true,
              .handler = AddFollowUp});
}

}  // namespace ncbnet::api
