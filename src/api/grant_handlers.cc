// GET/POST /v1/grants and DELETE /v1/grants/{id}: the grant rules live in access/grants.h;
// this only translates.
#include "access/agencies.h"
#include "access/capabilities.h"
#include "access/grants.h"
#include "api/access_json.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"

namespace ncbnet::api {
namespace {

access::Grantor GrantorOf(const RequestContext& ctx) {
  return {ctx.principal->agency_id, ctx.principal->user_id};
}

Result<HttpResponse> ListGrants(RequestContext& ctx) {
  const auto it = ctx.query.find("agency_id");
  const std::string agency_id = it == ctx.query.end() ? ctx.agency() : it->second;
  ctx.audit_object = agency_id;
  std::vector<access::Grant> grants;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(bool visible, access::IsInBranch(tx, ctx.agency(), agency_id));
    if (!visible) return Status::NotFound("agency_not_found", "no such agency");
    NCBNET_ASSIGN_OR_RETURN(grants, access::ListGrants(tx, agency_id));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const access::Grant& g : grants) list.push_back(GrantJson(g));
  return JsonResponse(200, {{"grants", list}});
}

Result<HttpResponse> CreateGrant(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(std::string agency_id, RequiredString(ctx.body, "agency_id", 128));
  NCBNET_ASSIGN_OR_RETURN(std::string capability, RequiredString(ctx.body, "capability", 64));
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::int64_t> expires,
                          OptionalTime(ctx.body, "expires_at"));
  ctx.audit_object = agency_id + " " + capability;
  access::Grant grant;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(grant, access::GrantCapability(tx, GrantorOf(ctx), agency_id,
                                                           capability, expires, ctx.NowMillis()));
    ctx.audit_object = grant.id + " " + agency_id + " " + capability;
    return Status::Ok();
  }));
  return JsonResponse(201, GrantJson(grant));
}

Result<HttpResponse> RevokeGrant(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  std::vector<std::string> revoked;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(revoked, access::RevokeGrant(tx, GrantorOf(ctx), id, ctx.NowMillis()));
    std::string object = id + " cascade:";
    for (const std::string& r : revoked) object += " " + r;
    ctx.audit_object = object;
    return Status::Ok();
  }));
  return JsonResponse(200, {{"revoked", revoked}});
}

}  // namespace

void AddGrantRoutes(Router& router) {
  const std::string admin(access::kAgencyAdmin);
  router.Add({.method = "GET",
              .pattern = "/v1/grants",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = ListGrants});
  router.Add({.method = "POST",
              .pattern = "/v1/grants",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .json_body = true,
              .handler = CreateGrant});
  router.Add({.method = "DELETE",
              .pattern = "/v1/grants/{id}",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = RevokeGrant});
}

}  // namespace ncbnet::api
