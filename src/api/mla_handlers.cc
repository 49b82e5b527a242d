// POST/GET /v1/mla-requests, GET /v1/mla-requests/{id}, POST /v1/mla-requests/{id}/transitions:
// mutual legal assistance and extradition requests (mla/mla.h). Who sees and moves a request is
// decided in mla/; this only translates, and wakes the parties' mailbox feeds after a commit.
#include <set>

#include "access/agencies.h"
#include "access/capabilities.h"
#include "api/errors.h"
#include "api/hit_api.h"
#include "api/json_fields.h"
#include "api/messages_json.h"
#include "api/routes.h"
#include "mla/mla.h"

namespace ncbnet::api {
namespace {

Status Bad(const std::string& why) { return Status::InvalidArgument("invalid_request", why); }

Status OnlyFields(const nlohmann::json& body, const std::set<std::string, std::less<>>& known) {
  for (const auto& [key, value] : body.items()) {
    if (!known.contains(key)) return Bad("unknown field '" + key.substr(0, 64) + "'");
  }
  return Status::Ok();
}

// A string field, "" when absent or null; its limits are mla/'s to check (text_too_long...).
Result<std::string> Text(const nlohmann::json& body, const char* field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Bad(std::string("'") + field + "' must be a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> Texts(const nlohmann::json& body, const char* field) {
  std::vector<std::string> out;
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) return Bad(std::string("'") + field + "' must be a list of strings");
  for (const nlohmann::json& item : *it) {
    if (!item.is_string()) return Bad(std::string("'") + field + "' must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// A required wire name, parsed by `parse`.
template <typename Parse>
auto Named(const nlohmann::json& body, const char* field, const char* fallback, Parse parse,
           const char* expected) -> Result<typename decltype(parse(""))::value_type> {
  NCBNET_ASSIGN_OR_RETURN(std::string name, Text(body, field));
  if (name.empty() && fallback != nullptr) name = fallback;
  const auto parsed = parse(name);
  if (!parsed) return Bad(std::string("'") + field + "' must be " + expected);
  return *parsed;
}

Result<mla::NewRequest> NewRequestFrom(const nlohmann::json& body) {
  NCBNET_RETURN_IF_ERROR(
      OnlyFields(body, {"type", "requested_country", "urgency", "deadline", "case_reference",
                        "legal_basis", "summary", "facts", "measures", "persons", "attachments"}));
  mla::NewRequest r;
  NCBNET_ASSIGN_OR_RETURN(
      r.type, Named(body, "type", nullptr, mla::ParseRequestType, "mla or extradition"));
  NCBNET_ASSIGN_OR_RETURN(
      r.urgency, Named(body, "urgency", "routine", mla::ParseUrgency, "routine or urgent"));
  NCBNET_ASSIGN_OR_RETURN(r.requested_country, RequiredString(body, "requested_country", 3));
  NCBNET_ASSIGN_OR_RETURN(const std::optional<std::int64_t> deadline,
                          OptionalTime(body, "deadline"));
  if (!deadline) return Bad("'deadline' is required (ISO 8601 UTC)");
  r.deadline_ms = *deadline;
  NCBNET_ASSIGN_OR_RETURN(r.text.case_reference, Text(body, "case_reference"));
  NCBNET_ASSIGN_OR_RETURN(r.text.legal_basis, Text(body, "legal_basis"));
  NCBNET_ASSIGN_OR_RETURN(r.text.summary, Text(body, "summary"));
  NCBNET_ASSIGN_OR_RETURN(r.text.facts, Text(body, "facts"));
  NCBNET_ASSIGN_OR_RETURN(r.text.measures, Texts(body, "measures"));
  NCBNET_ASSIGN_OR_RETURN(r.text.persons, Texts(body, "persons"));
  NCBNET_ASSIGN_OR_RETURN(r.attachments, AttachmentRefsFromJson(body, "invalid_request"));
  return r;
}

Result<mla::Transition> TransitionFrom(const nlohmann::json& body) {
  NCBNET_RETURN_IF_ERROR(OnlyFields(body, {"to", "note", "assign_to", "attachments"}));
  mla::Transition t;
  NCBNET_ASSIGN_OR_RETURN(t.to, Named(body, "to", nullptr, mla::ParseState,
                                      "received, in_progress, executed, refused or withdrawn"));
  NCBNET_ASSIGN_OR_RETURN(t.note, Text(body, "note"));
  NCBNET_ASSIGN_OR_RETURN(t.assign_to, Text(body, "assign_to"));
  NCBNET_ASSIGN_OR_RETURN(t.attachments, AttachmentRefsFromJson(body, "invalid_request"));
  return t;
}

Result<mla::Actor> ActorFor(const RequestContext& ctx, store::Transaction& tx) {
  NCBNET_ASSIGN_OR_RETURN(const hits::Checker c, CheckerFor(ctx, tx));
  return mla::Actor{c.agency_id, c.country, c.user_id};
}

// The parties' mailboxes got a message: wake their feeds.
void WakeParties(HubServices& hub, const mla::Request& r) {
  for (const std::string& agency : {r.requesting_agency, access::NcbIdFor(r.requesting_country),
                                    access::NcbIdFor(r.requested_country), r.assigned_agency}) {
    if (!agency.empty()) hub.wakeups.Notify(MailboxTopic(agency));
  }
}

Result<HttpResponse> CreateMlaRequest(RequestContext& ctx) {
  ctx.audit_object = ctx.agency();
  NCBNET_ASSIGN_OR_RETURN(const mla::NewRequest in, NewRequestFrom(ctx.body));
  ctx.audit_object = std::string(mla::RequestTypeName(in.type)) + " to " + in.requested_country;
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey* hub_key, HubMessageKeyOf(ctx));
  mla::Request created;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const mla::Actor actor, ActorFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(
        created, mla::CreateRequest(tx, {ctx.hub.data_key, *hub_key}, actor, in, ctx.NowMillis()));
    // The entry names the new request; it is appended after this callback, in its transaction.
    ctx.audit_object = created.id + " " + ctx.audit_object;
    return Status::Ok();
  }));
  WakeParties(ctx.hub, created);
  return JsonResponse(201, mla::RequestJson(created));
}

Result<mla::Filter> FilterFrom(const RequestContext& ctx) {
  static const std::set<std::string, std::less<>> kKnown = {"direction", "state", "overdue",
                                                            "before", "limit"};
  for (const auto& [key, value] : ctx.query) {
    if (!kKnown.contains(key)) return Bad("unknown query parameter '" + key.substr(0, 64) + "'");
  }
  mla::Filter f;
  if (const auto it = ctx.query.find("direction"); it != ctx.query.end()) {
    if (it->second != "outgoing" && it->second != "incoming") {
      return Bad("direction must be outgoing or incoming");
    }
    f.direction = it->second == "outgoing" ? mla::Direction::kOutgoing : mla::Direction::kIncoming;
  }
  if (const auto it = ctx.query.find("state"); it != ctx.query.end()) {
    f.state = mla::ParseState(it->second);
    if (!f.state) return Bad("unknown state '" + it->second.substr(0, 32) + "'");
  }
  if (const auto it = ctx.query.find("overdue"); it != ctx.query.end()) {
    if (it->second != "true" && it->second != "false") return Bad("overdue must be true or false");
    f.overdue_only = it->second == "true";
  }
  if (const auto it = ctx.query.find("before"); it != ctx.query.end()) f.before = it->second;
  NCBNET_ASSIGN_OR_RETURN(const std::int64_t limit, IntQueryParam(ctx, "limit", 100, 1, 500));
  f.limit = static_cast<int>(limit);
  return f;
}

Result<HttpResponse> ListMlaRequests(RequestContext& ctx) {
  ctx.audit_object = ctx.agency();
  NCBNET_ASSIGN_OR_RETURN(const mla::Filter filter, FilterFrom(ctx));
  std::vector<mla::Request> found;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const mla::Actor viewer, ActorFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(
        found, mla::ListRequests(tx, ctx.hub.data_key, viewer, filter, ctx.NowMillis()));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const mla::Request& r : found) {
    if (!r.damaged.empty()) ctx.hub.metrics.ReportDamaged("mla_request", r.id, r.damaged);
    list.push_back(mla::RequestJson(r));
  }
  nlohmann::json body = {{"mla_requests", std::move(list)}};
  if (found.size() == static_cast<std::size_t>(filter.limit)) body["next_before"] = found.back().id;
  return JsonResponse(200, body);
}

Result<HttpResponse> GetMlaRequest(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  mla::Request r;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const mla::Actor viewer, ActorFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(r, mla::GetRequest(tx, ctx.hub.data_key, id, viewer, ctx.NowMillis()));
    return Status::Ok();
  }));
  return JsonResponse(200, mla::RequestJson(r));
}

Result<HttpResponse> TransitionMlaRequest(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(const mla::Transition t, TransitionFrom(ctx.body));
  ctx.audit_object = id + " to " + std::string(mla::StateName(t.to));
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey* hub_key, HubMessageKeyOf(ctx));
  mla::Request r;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(const mla::Actor actor, ActorFor(ctx, tx));
    NCBNET_ASSIGN_OR_RETURN(
        r, mla::ApplyTransition(tx, {ctx.hub.data_key, *hub_key}, id, actor, t, ctx.NowMillis()));
    return Status::Ok();
  }));
  WakeParties(ctx.hub, r);
  return JsonResponse(201, mla::RequestJson(r));
}

}  // namespace

void AddMlaRoutes(Router& router) {
  // mla.request on every route; mla/mla.h shows each caller only the requests it is party to.
  const std::string cap(access::kMlaRequest);
  router.Add({.method = "POST",
              .pattern = "/v1/mla-requests",
              .access = Access::kCapability,
              .capability = cap,
              .scope = Scope::kMla,
              .json_body = true,
              .handler = CreateMlaRequest});
  router.Add({.method = "GET",
              .pattern = "/v1/mla-requests",
              .access = Access::kCapability,
              .capability = cap,
              .scope = Scope::kMla,
              .handler = ListMlaRequests});
  router.Add({.method = "GET",
              .pattern = "/v1/mla-requests/{id}",
              .access = Access::kCapability,
              .capability = cap,
              .scope = Scope::kMla,
              .handler = GetMlaRequest});
  router.Add({.method = "POST",
              .pattern = "/v1/mla-requests/{id}/transitions",
              .access = Access::kCapability,
              .capability = cap,
              .scope = Scope::kMla,
              .json_body = true,
              .handler = TransitionMlaRequest});
}

}  // namespace ncbnet::api
