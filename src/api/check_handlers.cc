// Identifier checks against the databases (records/record_indexes.h):
//   GET  /v1/checks/{db}?<identifier fields>[&identifier=NAME]   one identifier
//   POST /v1/checks/{db}  {"identifier": NAME?, "items": [{fields}...]}   up to 100,000, in order
// The caller needs record.check:<DB>. Matching and visibility are decided in memory; only a
// visible match reads its record, so a restricted record answers like an absent one. A match
// carries the owner's instructions ("action"). Malformed items of a batch get their own error
// and do not fail the others.
#include <charconv>

#include "api/check_service.h"
#include "api/errors.h"
#include "api/record_access.h"
#include "api/routes.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBatchItems = 100000;

// The query parameters that describe the circumstances of a check (hits::CheckContext).
constexpr const char* kContextParams[] = {"location", "port", "flight", "reason", "reference"};

Result<HttpResponse> CheckOne(RequestContext& ctx) {
  std::map<std::string, std::string> values = ctx.query;
  json context = json::object();
  for (const char* key : kContextParams) {
    if (auto it = values.find(key); it != values.end()) {
      context[key] = it->second;
      values.erase(it);
    }
  }
  NCBNET_ASSIGN_OR_RETURN(CheckTarget t, CheckTargetOf(ctx, context));
  std::string name;
  if (auto it = values.find("identifier"); it != values.end()) {
    name = it->second;
    values.erase(it);
  }
  NCBNET_ASSIGN_OR_RETURN(records::IdentifierQuery q, QueryOf(*t.db, name, values));
  std::vector<records::IdentifierQuery> queries{std::move(q)};
  NCBNET_ASSIGN_OR_RETURN(std::vector<json> answers,
                          RunChecks(ctx.hub, t, queries, &ctx.audit_object));
  return JsonResponse(200, answers.front());
}

Result<HttpResponse> CheckBatch(RequestContext& ctx) {
  const auto context = ctx.body.find("context");
  NCBNET_ASSIGN_OR_RETURN(CheckTarget t,
                          CheckTargetOf(ctx, context == ctx.body.end() ? json() : *context));
  const auto items = ctx.body.find("items");
  if (items == ctx.body.end() || !items->is_array() || items->empty() ||
      items->size() > kMaxBatchItems) {
    return Status::InvalidArgument("invalid_request", "'items' is a list of 1 to 100000 items");
  }
  std::string name;
  if (const auto it = ctx.body.find("identifier"); it != ctx.body.end()) {
    if (!it->is_string())
      return Status::InvalidArgument("invalid_request", "'identifier' is a name");
    name = it->get<std::string>();
  }
  // Items that do not parse are answered with their error; the others are checked together.
  std::vector<records::IdentifierQuery> queries;
  std::vector<std::size_t> positions;
  std::vector<json> results(items->size());
  queries.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    Result<records::IdentifierQuery> q = QueryOfItem(*t.db, name, (*items)[i]);
    if (!q.ok()) {
      results[i] = {
          {"error", {{"code", ClientErrorCode(q.status())}, {"message", q.status().message()}}}};
      continue;
    }
    queries.push_back(std::move(q).value());
    positions.push_back(i);
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<json> answers,
                          RunChecks(ctx.hub, t, queries, &ctx.audit_object));
  for (std::size_t k = 0; k < answers.size(); ++k) results[positions[k]] = std::move(answers[k]);
  json out = json::array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    results[i]["index"] = i;
    out.push_back(std::move(results[i]));
  }
  return JsonResponse(200, {{"database", t.db->code}, {"results", std::move(out)}});
}

}  // namespace

void AddCheckRoutes(Router& router) {
  router.Add({.method = "GET",
              .pattern = "/v1/checks/{db}",
              .access = Access::kCapability,
              .capability = "record.check:{db}",
              .scope = Scope::kRecords,
              .handler = CheckOne});
  router.Add({.method = "POST",
              .pattern = "/v1/checks/{db}",
              .access = Access::kCapability,
              .capability = "record.check:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = CheckBatch});
}

}  // namespace ncbnet::api
