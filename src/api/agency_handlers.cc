// GET/POST /v1/agencies, GET /v1/agencies/{id}, POST /v1/agencies/{id}/disable. An agency
// sees and manages only its own branch of the tree (the GS sees all); outside it, an agency
// looks exactly like one that does not exist (api/agency_scope.h).
#include "access/agencies.h"
#include "access/capabilities.h"
#include "access/disabling.h"
#include "api/access_json.h"
#include "api/agency_scope.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"

namespace ncbnet::api {
namespace {

Result<HttpResponse> ListAgencies(RequestContext& ctx) {
  std::vector<access::Agency> agencies;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(agencies, access::ListBranch(tx, ctx.agency()));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const access::Agency& a : agencies) list.push_back(AgencyJson(a));
  return JsonResponse(200, {{"agencies", list}});
}

Result<HttpResponse> GetAgency(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  std::optional<access::Agency> agency;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(agency, VisibleAgency(tx, ctx, id));
    return Status::Ok();
  }));
  return JsonResponse(200, AgencyJson(*agency));
}

Result<HttpResponse> CreateAgency(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(std::string parent_id, RequiredString(ctx.body, "parent_id", 128));
  NCBNET_ASSIGN_OR_RETURN(std::string kind_name, RequiredString(ctx.body, "kind", 16));
  NCBNET_ASSIGN_OR_RETURN(std::string name, RequiredString(ctx.body, "name", 200));
  const std::optional<access::AgencyKind> kind = access::ParseAgencyKind(kind_name);
  if (!kind) return Status::InvalidArgument("invalid_request", "'kind' must be agency or terminal");
  ctx.audit_object = parent_id;
  access::Agency created;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(created, access::CreateChildAgency(tx, ctx.agency(), parent_id, *kind,
                                                               name, ctx.NowMillis()));
    ctx.audit_object = created.id;
    return Status::Ok();
  }));
  return JsonResponse(201, AgencyJson(created));
}

// Final: the agency, everything below it, their users, sessions, certificates and grants
// (access/disabling.h). The audit entry counts what went with it.
Result<HttpResponse> DisableAgency(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  access::DisabledAgency done;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(done, access::DisableAgency(tx, ctx.agency(), id, ctx.NowMillis()));
    const access::DisableSummary& s = done.summary;
    ctx.audit_object =
        id + " agencies:" + std::to_string(s.agencies) + " users:" + std::to_string(s.users) +
        " sessions:" + std::to_string(s.sessions) +
        " certificates:" + std::to_string(s.certificates) + " grants:" + std::to_string(s.grants);
    return Status::Ok();
  }));
  return JsonResponse(
      200, {{"agency", AgencyJson(done.agency)}, {"disabled", DisableSummaryJson(done.summary)}});
}

}  // namespace

void AddAgencyRoutes(Router& router) {
  const std::string admin(access::kAgencyAdmin);
  router.Add({.method = "GET",
              .pattern = "/v1/agencies",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = ListAgencies});
  router.Add({.method = "POST",
              .pattern = "/v1/agencies",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .json_body = true,
              .handler = CreateAgency});
  router.Add({.method = "GET",
              .pattern = "/v1/agencies/{id}",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = GetAgency});
  router.Add({.method = "POST",
              .pattern = "/v1/agencies/{id}/disable",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = DisableAgency});
}

}  // namespace ncbnet::api
