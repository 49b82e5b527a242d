// POST/GET /v1/agencies/{id}/users and POST /v1/users/{id}/disable: the users of the agencies
// in the caller's branch (api/agency_scope.h); a user outside it looks like none.
#include "access/capabilities.h"
#include "access/disabling.h"
#include "access/users.h"
#include "api/access_json.h"
#include "api/agency_scope.h"
#include "api/errors.h"
#include "api/json_fields.h"
#include "api/routes.h"
#include "crypto/password.h"

namespace ncbnet::api {
namespace {

Result<HttpResponse> CreateUser(RequestContext& ctx) {
  const std::string& agency_id = ctx.params.at("id");
  ctx.audit_object = agency_id;
  NCBNET_ASSIGN_OR_RETURN(std::string name, RequiredString(ctx.body, "name", 64));
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> display,
                          OptionalString(ctx.body, "display_name", 200));
  NCBNET_ASSIGN_OR_RETURN(std::string password, RequiredString(ctx.body, "password", 1024));
  NCBNET_RETURN_IF_ERROR(access::CheckPasswordPolicy(password));
  // Check the agency first so that hashing work is not spent on a refused request.
  NCBNET_RETURN_IF_ERROR(ctx.Read(
      [&](store::Transaction& tx) { return ManageableAgency(tx, ctx, agency_id).status(); }));
  NCBNET_ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(password));
  access::User user;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(ManageableAgency(tx, ctx, agency_id).status());
    NCBNET_ASSIGN_OR_RETURN(user, access::InsertUser(tx, agency_id, name, display.value_or(name),
                                                     std::move(hash), ctx.NowMillis()));
    ctx.audit_object = user.id;
    return Status::Ok();
  }));
  return JsonResponse(201, UserJson(user));
}

Result<HttpResponse> ListUsers(RequestContext& ctx) {
  const std::string& agency_id = ctx.params.at("id");
  ctx.audit_object = agency_id;
  std::vector<access::User> users;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(VisibleAgency(tx, ctx, agency_id).status());
    NCBNET_ASSIGN_OR_RETURN(users, access::ListUsers(tx, agency_id));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const access::User& u : users) list.push_back(UserJson(u));
  return JsonResponse(200, {{"users", list}});
}

// Final; the user's sessions end with it (access/disabling.h).
Result<HttpResponse> DisableUser(RequestContext& ctx) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  access::User user;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        user, access::DisableUser(tx, ctx.agency(), ctx.principal->user_id, id, ctx.NowMillis()));
    ctx.audit_object = id + " " + user.agency_id;
    return Status::Ok();
  }));
  return JsonResponse(200, UserJson(user));
}

}  // namespace

void AddUserRoutes(Router& router) {
  const std::string admin(access::kAgencyAdmin);
  router.Add({.method = "POST",
              .pattern = "/v1/agencies/{id}/users",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .json_body = true,
              .handler = CreateUser});
  router.Add({.method = "GET",
              .pattern = "/v1/agencies/{id}/users",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = ListUsers});
  router.Add({.method = "POST",
              .pattern = "/v1/users/{id}/disable",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = DisableUser});
}

}  // namespace ncbnet::api
