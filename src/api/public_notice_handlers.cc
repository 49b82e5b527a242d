// The public extracts of notices (issue 6, item 4): GET /v1/public/notices (search),
// /v1/public/notices/{id} and /v1/public/notices/{id}/images/{seq}. No authentication; each
// source address is rate limited (HubConfig public_requests_per_minute, public_burst). They
// read only the public_notices and public_notice_images tables, which hold exactly the public
// fields of live notices whose requesting country consented (docs/public-extracts.md), so
// nothing else can leak through them.
//
// Audit: every answer is audited (source address, what was asked, how many results); a source
// over its rate is audited once per run of refusals, so a flood cannot turn into a flood of
// audit writes.
#include <string>
#include <vector>

#include "api/errors.h"
#include "api/routes.h"
#include "core/countries.h"
#include "core/json.h"
#include "core/time_format.h"
#include "notices/kinds.h"
#include "text/name_tokens.h"

namespace ncbnet::api {
namespace {

constexpr std::int64_t kMaxAge = 130;
constexpr std::size_t kMaxQueryName = 200;

const Status kNotFound =
    Status::NotFound("notice_not_found", "no such notice among the public extracts");

// Spends one request of the caller's source address. Error: kResourceExhausted "rate_limited"
// with Retry-After.
Status Admit(RequestContext& ctx) {
  if (ctx.hub.public_limiter == nullptr) {
    return Status::Unavailable("public_unavailable", "public extracts are not served here");
  }
  const auto refusal = ctx.hub.public_limiter->Acquire(ctx.http.source_ip, ctx.NowMillis());
  if (!refusal) return Status::Ok();
  ctx.response_headers.emplace_back("Retry-After", std::to_string(refusal->retry_after_s));
  ctx.audited = !refusal->first;  // audit the first refusal of a run only
  ctx.audit_object = "public_notices";
  return Status::ResourceExhausted("rate_limited",
                                   "too many requests from this address; retry later");
}

Result<std::string> CountryParam(const RequestContext& ctx, const char* name) {
  const auto it = ctx.query.find(name);
  if (it == ctx.query.end()) return std::string();
  if (!IsAlpha3(it->second)) {
    return Status::InvalidArgument("invalid_request",
                                   std::string("'") + name + "' must be an ISO 3166 alpha-3 code");
  }
  return it->second;
}

Result<std::string> EnumParam(const RequestContext& ctx, const char* name,
                              const std::vector<std::string_view>& values) {
  const auto it = ctx.query.find(name);
  if (it == ctx.query.end()) return std::string();
  for (std::string_view v : values) {
    if (it->second == v) return it->second;
  }
  std::string list;
  for (std::string_view v : values) list += (list.empty() ? "" : ", ") + std::string(v);
  return Status::InvalidArgument("invalid_request",
                                 std::string("'") + name + "' must be one of " + list);
}

// The WHERE clause and its parameters for the search's query string.
struct Search {
  std::string where = "1 = 1";
  std::vector<store::Value> params;
  void Add(const std::string& clause, store::Value value) {
    where += " AND " + clause;
    params.push_back(std::move(value));
  }
};

Result<Search> ParseSearch(const RequestContext& ctx) {
  Search s;
  if (const auto it = ctx.query.find("name"); it != ctx.query.end()) {
    if (it->second.size() > kMaxQueryName) {
      return Status::InvalidArgument("invalid_request", "'name' is longer than 200 bytes");
    }
    NCBNET_ASSIGN_OR_RETURN(std::vector<std::string> tokens, text::NameTokens(it->second));
    // Each token of the query starts a token of the notice's names (tokens are 'a'..'z').
    for (const std::string& t : tokens) s.Add("names LIKE ?", store::Value("% " + t + "%"));
  }
  NCBNET_ASSIGN_OR_RETURN(std::string nationality, CountryParam(ctx, "nationality"));
  if (!nationality.empty()) s.Add("nationalities LIKE ?", store::Value("% " + nationality + " %"));
  NCBNET_ASSIGN_OR_RETURN(std::string requester, CountryParam(ctx, "requesting_country"));
  if (!requester.empty()) s.Add("requesting_country = ?", store::Value(requester));
  if (const auto it = ctx.query.find("kind"); it != ctx.query.end()) {
    NCBNET_ASSIGN_OR_RETURN(const notices::Kind* kind, notices::Kinds::Builtin().Find(it->second));
    s.Add("kind = ?", store::Value(kind->name));
  }
  NCBNET_ASSIGN_OR_RETURN(std::string sex, EnumParam(ctx, "sex", {"M", "F", "U"}));
  if (!sex.empty()) s.Add("sex = ?", store::Value(sex));
  // Someone aged a this year was born in (year - a - 1) or (year - a).
  NCBNET_ASSIGN_OR_RETURN(std::int64_t age_min, IntQueryParam(ctx, "age_min", -1, 0, kMaxAge));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t age_max, IntQueryParam(ctx, "age_max", -1, 0, kMaxAge));
  if (age_min >= 0 && age_max >= 0 && age_min > age_max) {
    return Status::InvalidArgument("invalid_request", "'age_min' is greater than 'age_max'");
  }
  const std::int64_t year = std::stoll(FormatIsoMillis(ctx.NowMillis()).substr(0, 4));
  if (age_min >= 0) s.Add("birth_year <= ?", store::Value(year - age_min));
  if (age_max >= 0) s.Add("birth_year >= ?", store::Value(year - age_max - 1));
  return s;
}

nlohmann::json ExtractJson(const std::string& id, const std::string& public_json) {
  nlohmann::json j = ParseJson(public_json);
  if (!j.is_object()) j = nlohmann::json::object();
  j["id"] = id;
  j["url"] = "/v1/public/notices/" + id;
  return j;
}

Result<HttpResponse> SearchPublicNotices(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(Admit(ctx));
  ctx.audit_object = "public_notices";
  NCBNET_ASSIGN_OR_RETURN(Search search, ParseSearch(ctx));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t limit, IntQueryParam(ctx, "limit", 20, 1, 100));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t offset, IntQueryParam(ctx, "offset", 0, 0, 10'000));
  std::int64_t total = 0;
  nlohmann::json notices = nlohmann::json::array();
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        auto count,
        tx.Query("SELECT COUNT(*) FROM public_notices WHERE " + search.where, search.params));
    total = count.empty() ? 0 : count[0][0].AsInt();
    std::vector<store::Value> params = search.params;
    params.emplace_back(limit);
    params.emplace_back(offset);
    NCBNET_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT notice_id, public_json FROM public_notices WHERE " + search.where +
                     " ORDER BY published_ms DESC, notice_id LIMIT ? OFFSET ?",
                 params));
    for (const store::Row& r : rows) notices.push_back(ExtractJson(r[0].AsText(), r[1].AsText()));
    return Status::Ok();
  }));
  ctx.audit_object = "public_notices?" + ctx.http.query.substr(0, 256) + " results " +
                     std::to_string(notices.size()) + "/" + std::to_string(total);
  HttpResponse r = JsonResponse(200, {{"total", total}, {"notices", std::move(notices)}});
  r.headers.emplace_back("Cache-Control", "public, max-age=60");
  return r;
}

Result<HttpResponse> GetPublicNotice(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(Admit(ctx));
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = "public_notices/" + id;
  nlohmann::json notice;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        auto row, tx.QueryOne("SELECT public_json FROM public_notices WHERE notice_id = ?", {id}));
    if (!row) return kNotFound;
    notice = ExtractJson(id, (*row)[0].AsText());
    return Status::Ok();
  }));
  HttpResponse r = JsonResponse(200, notice);
  r.headers.emplace_back("Cache-Control", "public, max-age=60");
  return r;
}

Result<HttpResponse> GetPublicNoticeImage(RequestContext& ctx) {
  NCBNET_RETURN_IF_ERROR(Admit(ctx));
  const std::string& id = ctx.params.at("id");
  const std::string& seq_text = ctx.params.at("seq");
  ctx.audit_object = "public_notices/" + id + "/images/" + seq_text;
  if (seq_text.size() > 2 || seq_text.find_first_not_of("0123456789") != std::string::npos) {
    return kNotFound;
  }
  HttpResponse r;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT media_type, bytes FROM "
                                                  "public_notice_images WHERE notice_id = ? "
                                                  "AND seq = ?",
                                                  {id, std::int64_t{std::stoi(seq_text)}}));
    if (!row) return kNotFound;
    // Public images are kept in the clear; only an image type is ever served as one.
    if ((*row)[0].AsText() != "image/jpeg" && (*row)[0].AsText() != "image/png") {
      return Status::DataLoss("image_tampered", "public image " + seq_text + " of " + id +
                                                    " has the type " + (*row)[0].AsText());
    }
    r.content_type = (*row)[0].AsText();
    r.body = (*row)[1].AsText();
    return Status::Ok();
  }));
  r.headers.emplace_back("Cache-Control", "public, max-age=300");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Disposition", "inline");
  return r;
}

}  // namespace

void AddPublicNoticeRoutes(Router& router) {
  // Public, and audited like a login (audit_public), so that the public's reads are on record.
  router.Add({.method = "GET",
              .pattern = "/v1/public/notices",
              .access = Access::kPublic,
              .scope = Scope::kPublished,
              .audit_public = true,
              .handler = SearchPublicNotices});
  router.Add({.method = "GET",
              .pattern = "/v1/public/notices/{id}",
              .access = Access::kPublic,
              .scope = Scope::kPublished,
              .audit_public = true,
              .handler = GetPublicNotice});
  router.Add({.method = "GET",
              .pattern = "/v1/public/notices/{id}/images/{seq}",
              .access = Access::kPublic,
              .scope = Scope::kPublished,
              .audit_public = true,
              .handler = GetPublicNoticeImage});
}

}  // namespace ncbnet::api
