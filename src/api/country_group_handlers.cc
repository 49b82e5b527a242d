// PUT/GET/DELETE /v1/country-groups/{name}, GET /v1/country-groups: named groups of countries
// that messages can be addressed to (messaging/country_groups.h). Only the General Secretariat
// defines them: the route asks for agency.admin, and the handler for the caller's agency to be
// the GS, since every NCB holds agency.admin for its own branch. Any authenticated principal
// may read them, as anyone may address a message to a group.
#include "access/agencies.h"
#include "access/capabilities.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"
#include "core/time_format.h"
#include "messaging/country_groups.h"

namespace ncbnet::api {
namespace {

const Status kGroupNotFound = Status::NotFound("group_not_found", "no such country group");

nlohmann::json GroupJson(const messaging::CountryGroup& g) {
  return {{"name", g.name},
          {"description", g.description},
          {"countries", g.countries},
          {"created_at", FormatIsoMillis(g.created_ms)},
          {"updated_at", FormatIsoMillis(g.updated_ms)}};
}

Result<std::vector<std::string>> Countries(const nlohmann::json& body) {
  const auto it = body.find("countries");
  const Status invalid =
      Status::InvalidArgument("invalid_request", "'countries' must be a list of ISO3 codes");
  if (it == body.end() || !it->is_array() || it->size() > 4 * messaging::kMaxGroupMembers) {
    return invalid;
  }
  std::vector<std::string> out;
  for (const nlohmann::json& c : *it) {
    if (!c.is_string()) return invalid;
    out.push_back(c.get<std::string>());
  }
  return out;
}

Result<HttpResponse> PutGroup(RequestContext& ctx) {
  const std::string& name = ctx.params.at("name");
  ctx.audit_object = name;
  for (const auto& item : ctx.body.items()) {
    if (item.key() != "description" && item.key() != "countries") {
      return Status::InvalidArgument("invalid_request", "'" + item.key().substr(0, 64) +
                                                            "' is not a field of a country group");
    }
  }
  NCBNET_ASSIGN_OR_RETURN(
      std::optional<std::string> description,
      OptionalString(ctx.body, "description", messaging::kMaxGroupDescriptionBytes));
  NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> countries, Countries(ctx.body));
  messaging::PutResult put;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(put, messaging::PutCountryGroup(tx, name, description.value_or(""),
                                                            countries, ctx.NowMillis()));
    // The audit entry names the group and its members: who could be reached through it.
    std::string object = name + (put.created ? " created:" : " replaced:");
    for (const std::string& c : put.group.countries) object += " " + c;
    ctx.audit_object = std::move(object);
    return Status::Ok();
  }));
  return JsonResponse(put.created ? 201 : 200, GroupJson(put.group));
}

Result<HttpResponse> ListGroups(RequestContext& ctx) {
  std::vector<messaging::CountryGroup> groups;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(groups, messaging::ListCountryGroups(tx));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const messaging::CountryGroup& g : groups) list.push_back(GroupJson(g));
  return JsonResponse(200, {{"groups", list}});
}

Result<HttpResponse> GetGroup(RequestContext& ctx) {
  const std::string& name = ctx.params.at("name");
  ctx.audit_object = name;
  std::optional<messaging::CountryGroup> group;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(group, messaging::GetCountryGroup(tx, name));
    return Status::Ok();
  }));
  if (!group) return kGroupNotFound;
  return JsonResponse(200, GroupJson(*group));
}

Result<HttpResponse> DeleteGroup(RequestContext& ctx) {
  const std::string& name = ctx.params.at("name");
  ctx.audit_object = name;
  NCBNET_RETURN_IF_ERROR(
      ctx.Write([&](store::Transaction& tx) { return messaging::DeleteCountryGroup(tx, name); }));
  return JsonResponse(200, {{"name", name}, {"deleted", true}});
}

}  // namespace

void AddCountryGroupRoutes(Router& router) {
  const std::string admin(access::kAgencyAdmin);
  const std::string one = "/v1/country-groups/{name}";
  router.Add({.method = "GET",
              .pattern = "/v1/country-groups",
              .scope = Scope::kNetwork,
              .handler = ListGroups});
  router.Add({.method = "GET", .pattern = one, .scope = Scope::kNetwork, .handler = GetGroup});
  router.Add({.method = "PUT",
              .pattern = one,
              .access = Access::kCapability,
              .capability = admin,
              .caller = Caller::kGs,
              .scope = Scope::kNetwork,
              .json_body = true,
              .handler = PutGroup});
  router.Add({.method = "DELETE",
              .pattern = one,
              .access = Access::kCapability,
              .capability = admin,
              .caller = Caller::kGs,
              .scope = Scope::kNetwork,
              .handler = DeleteGroup});
}

}  // namespace ncbnet::api
