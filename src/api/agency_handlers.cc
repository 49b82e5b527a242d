// GET/POST /v1/agencies, GET /v1/agencies/{id}, POST /v1/agencies/{id}/users. An agency sees
// and manages only its own branch of the tree (the GS sees all); outside it, an agency looks
// exactly like one that does not exist.
#include "access/agencies.h"
#include "access/capabilities.h"
#include "access/users.h"
#include "api/access_json.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"
#include "crypto/password.h"

namespace ncbnet::api {
namespace {

const Status kAgencyNotFound = Status::NotFound("agency_not_found", "no such agency");

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

// The agency `id` if it lies in the caller's branch.
Result<access::Agency> VisibleAgency(store::Transaction& tx, const RequestContext& ctx,
                                     const std::string& id) {
  NCBNET_ASSIGN_OR_RETURN(bool visible, access::IsInBranch(tx, ctx.agency(), id));
  if (!visible) return kAgencyNotFound;
  NCBNET_ASSIGN_OR_RETURN(std::optional<access::Agency> agency, access::FindAgency(tx, id));
  if (!agency) return kAgencyNotFound;
  return *agency;
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

Result<HttpResponse> CreateUser(RequestContext& ctx) {
  const std::string& agency_id = ctx.params.at("id");
  ctx.audit_object = agency_id;
  NCBNET_ASSIGN_OR_RETURN(std::string name, RequiredString(ctx.body, "name", 64));
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> display,
                          OptionalString(ctx.body, "display_name", 200));
  NCBNET_ASSIGN_OR_RETURN(std::string password, RequiredString(ctx.body, "password", 1024));
  NCBNET_RETURN_IF_ERROR(access::CheckPasswordPolicy(password));
  // Check visibility first so that hashing work is not spent on a refused request.
  NCBNET_RETURN_IF_ERROR(
      ctx.Read([&](store::Transaction& tx) { return VisibleAgency(tx, ctx, agency_id).status(); }));
  NCBNET_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(password));
  access::User user;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(VisibleAgency(tx, ctx, agency_id).status());
    NCBNET_ASSIGN_OR_RETURN(user, access::InsertUser(tx, agency_id, name, display.value_or(name),
                                                     std::move(hash), ctx.NowMillis()));
    ctx.audit_object = user.id;
    return Status::Ok();
  }));
  return JsonResponse(201, UserJson(user));
}

}  // namespace

void AddAgencyRoutes(Router& router) {
  const std::string admin(access::kAgencyAdmin);
  router.Add({"GET", "/v1/agencies", Access::kCapability, admin, false, false, ListAgencies});
  router.Add({"POST", "/v1/agencies", Access::kCapability, admin, true, false, CreateAgency});
  router.Add({"GET", "/v1/agencies/{id}", Access::kCapability, admin, false, false, GetAgency});
  router.Add(
      {"POST", "/v1/agencies/{id}/users", Access::kCapability, admin, true, false, CreateUser});
}

}  // namespace ncbnet::api
