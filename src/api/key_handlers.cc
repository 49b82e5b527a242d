// The key directory: POST /v1/agencies/{id}/keys, GET /v1/keys, DELETE /v1/keys/{key_id}
// (docs/message-format.md). The rules live in access/agency_keys.h; this only translates.
#include "access/agency_keys.h"
#include "access/capabilities.h"
#include "api/errors.h"
#include "api/messages_json.h"
#include "api/routes.h"
#include "crypto/encoding.h"

namespace ncbnet::api {
namespace {

const Status kInvalidKey =
    Status::InvalidArgument("invalid_key", "'public_key' must be a 32-byte Ed25519 key in hex");

Result<HttpResponse> RegisterKey(RequestContext& ctx) {
  const std::string& agency_id = ctx.params.at("id");
  ctx.audit_object = agency_id;
  const auto field = ctx.body.find("public_key");
  if (field == ctx.body.end() || !field->is_string()) return kInvalidKey;
  auto public_key = crypto::HexDecode(field->get<std::string>());
  if (!public_key.ok() || public_key->size() != 32) return kInvalidKey;
  access::AgencyKey key;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        key, access::RegisterAgencyKey(tx, ctx.agency(), agency_id, *public_key, ctx.NowMillis()));
    ctx.audit_object = key.key_id + " " + agency_id;
    return Status::Ok();
  }));
  return JsonResponse(201, AgencyKeyJson(key));
}

Result<HttpResponse> ListKeys(RequestContext& ctx) {
  std::vector<access::AgencyKey> keys;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(keys, access::ListAgencyKeys(tx));
    return Status::Ok();
  }));
  nlohmann::json list = nlohmann::json::array();
  for (const access::AgencyKey& k : keys) list.push_back(AgencyKeyJson(k));
  return JsonResponse(200, {{"keys", list}});
}

Result<HttpResponse> RevokeKey(RequestContext& ctx) {
  const std::string& key_id = ctx.params.at("key_id");
  ctx.audit_object = key_id;
  access::AgencyKey key;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(key,
                            access::RevokeAgencyKey(tx, ctx.agency(), key_id, ctx.NowMillis()));
    ctx.audit_object = key.key_id + " " + key.agency_id;
    return Status::Ok();
  }));
  return JsonResponse(200, AgencyKeyJson(key));
}

}  // namespace

void AddKeyRoutes(Router& router) {
  const std::string admin(access::kAgencyAdmin);
  router.Add({.method = "POST",
              .pattern = "/v1/agencies/{id}/keys",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .json_body = true,
              .handler = RegisterKey});
  router.Add(
      {.method = "GET", .pattern = "/v1/keys", .scope = Scope::kNetwork, .handler = ListKeys});
  router.Add({.method = "DELETE",
              .pattern = "/v1/keys/{key_id}",
              .access = Access::kCapability,
              .capability = admin,
              .scope = Scope::kBranch,
              .handler = RevokeKey});
}

}  // namespace ncbnet::api
