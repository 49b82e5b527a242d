// The databases' records (records/records.h):
//   GET  /v1/databases, /v1/databases/{db}          the catalogue
//   POST /v1/records/{db}                           create (record.write:<DB>)
//   POST /v1/records/{db}/batch                     create many, all or nothing (imports)
//   GET  /v1/records/{db}?after=&limit=             the caller's country's own records (export)
//   GET  /v1/records/{db}/{id}                      read (record.check:<DB>)
//   GET  /v1/records/{db}/{id}/versions             every version (the owner)
//   PUT  /v1/records/{db}/{id}                      update, naming the version changed
//   POST /v1/records/{db}/{id}/cancel | /review     cancel, or confirm and set the review date
// A record the caller may not see is 404 record_not_found, as one that does not exist. Every
// write updates the in-memory indexes before it answers, so a check after the answer sees it.
// Writes to a managed database (NOTICES) are 403 managed_database: its service writes it.
#include <charconv>
#include <functional>

#include "access/agencies.h"
#include "api/errors.h"
#include "api/record_access.h"
#include "api/routes.h"
#include "core/time_format.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxBatch = 1000;

json FieldJson(const records::FieldSpec& f) {
  json j = {{"name", f.name}, {"type", records::FieldTypeName(f.type)}, {"required", f.required}};
  if (!f.values.empty()) j["values"] = f.values;
  if (!f.fields.empty()) {
    json sub = json::array();
    for (const records::FieldSpec& s : f.fields) sub.push_back(FieldJson(s));
    j["fields"] = sub;
  }
  if (!f.description.empty()) j["description"] = f.description;
  return j;
}

json SchemaJson(const records::DatabaseSchema& db) {
  json fields = json::array();
  for (const records::FieldSpec& f : db.fields) fields.push_back(FieldJson(f));
  json ids = json::array();
  for (const records::IdentifierSpec& i : db.identifiers) {
    json id = {
        {"name", i.name}, {"kind", records::IdentifierKindName(i.kind)}, {"fields", i.fields}};
    if (!i.list.empty()) id["list"] = i.list;
    ids.push_back(id);
  }
  return {{"code", db.code},
          {"title", db.title},
          {"review_years", db.review_years},
          {"managed", db.managed},
          {"fields", fields},
          {"identifiers", ids},
          {"name_fields", db.name_fields}};
}

Result<HttpResponse> ListDatabases(RequestContext&) {
  json list = json::array();
  for (const records::DatabaseSchema& db : records::Catalogue::Builtin().databases()) {
    list.push_back(SchemaJson(db));
  }
  return JsonResponse(200, {{"databases", list}});
}

Result<HttpResponse> GetDatabase(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db, DatabaseOf(ctx));
  return JsonResponse(200, SchemaJson(*db));
}

// The schema, the caller as a writer, and the indexes, for a write to {db}.
struct WriteTarget {
  const records::DatabaseSchema* db = nullptr;
  records::Writer writer;
  records::RecordIndexes* indexes = nullptr;
};

// The route's rule ("record.write:{db}") has refused a managed database (records/catalogue.h)
// and a caller without the capability.
Result<WriteTarget> WriteTargetOf(RequestContext& ctx) {
  WriteTarget t;
  NCBNET_ASSIGN_OR_RETURN(t.db, DatabaseOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(t.indexes, IndexesOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(t.writer, WriterOf(ctx));
  return t;
}

Result<std::int64_t> VersionOf(const json& body) {
  const auto it = body.find("version");
  if (it == body.end() || !it->is_number_integer() || it->get<std::int64_t>() < 1) {
    return Status::InvalidArgument("invalid_request",
                                   "'version' (the version changed) is required");
  }
  return it->get<std::int64_t>();
}

// Answers a write of `r`, once the indexes have caught up with it.
Result<HttpResponse> Written(RequestContext& ctx, const WriteTarget& t, int status,
                             const records::Record& r) {
  NCBNET_RETURN_IF_ERROR(t.indexes->CatchUp(ctx.hub.store));
  return JsonResponse(status, records::RecordJson(r));
}

Result<HttpResponse> CreateRecord(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(WriteTarget t, WriteTargetOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(records::RecordInput in, records::ParseRecordInput(ctx.body));
  records::Record r;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        r, records::CreateRecord(tx, *t.db, *ctx.hub.index_secret, t.writer, in, ctx.NowMillis()));
    ctx.audit_object = r.id;
    return Status::Ok();
  }));
  return Written(ctx, t, 201, r);
}

// {"records": [RecordInput...], "dry_run": bool}: every record is validated; if any fails the
// answer is 422 batch_rejected listing each failure by position, and nothing is written.
Result<HttpResponse> CreateBatch(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(WriteTarget t, WriteTargetOf(ctx));
  const auto list = ctx.body.find("records");
  if (list == ctx.body.end() || !list->is_array() || list->empty() || list->size() > kMaxBatch) {
    return Status::InvalidArgument("invalid_request", "'records' is a list of 1 to 1000 records");
  }
  const auto dry = ctx.body.find("dry_run");
  const bool dry_run = dry != ctx.body.end() && dry->is_boolean() && dry->get<bool>();
  json rejected = json::array();
  json created = json::array();
  const Status outcome = ctx.Write([&](store::Transaction& tx) -> Status {
    for (std::size_t i = 0; i < list->size(); ++i) {
      Result<records::RecordInput> in = records::ParseRecordInput((*list)[i]);
      Result<records::Record> r = in.ok() ? records::CreateRecord(tx, *t.db, *ctx.hub.index_secret,
                                                                  t.writer, *in, ctx.NowMillis())
                                          : Result<records::Record>(in.status());
      if (!r.ok()) {
        if (r.status().code() == StatusCode::kInternal) return r.status();
        rejected.push_back({{"index", i},
                            {"code", ClientErrorCode(r.status())},
                            {"message", r.status().message()}});
      } else {
        created.push_back({{"index", i}, {"id", r->id}});
      }
    }
    ctx.audit_object = t.db->code + " batch of " + std::to_string(list->size());
    if (!rejected.empty()) {
      return Status::FailedPrecondition(
          "batch_rejected",
          std::to_string(rejected.size()) + " record(s) rejected; nothing written");
    }
    if (dry_run) return Status::FailedPrecondition("dry_run", "valid; nothing written");
    return Status::Ok();
  });
  if (outcome.reason() == "batch_rejected") ctx.error_details = {{"rejected", rejected}};
  if (outcome.reason() == "dry_run") {
    return JsonResponse(200, {{"dry_run", true}, {"valid", list->size()}});
  }
  NCBNET_RETURN_IF_ERROR(outcome);
  NCBNET_RETURN_IF_ERROR(t.indexes->CatchUp(ctx.hub.store));
  return JsonResponse(201, {{"created", created}});
}

Result<HttpResponse> GetRecord(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db, DatabaseOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(records::Viewer viewer, ViewerOf(ctx));
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(const records::IndexSecret* secret, IndexSecretOf(ctx));
  records::Record r;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(r, records::GetRecord(tx, *secret, db->code, id, viewer));
    return Status::Ok();
  }));
  ctx.accesses.push_back({audit::kAccessRead, r.owner_agency, r.database, r.id, false, 0});
  return JsonResponse(200, records::RecordJson(r));
}

Result<HttpResponse> GetVersions(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db, DatabaseOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(records::Viewer viewer, ViewerOf(ctx));
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(const records::IndexSecret* secret, IndexSecretOf(ctx));
  std::vector<records::Record> versions;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(versions, records::RecordVersions(tx, *secret, db->code, id, viewer));
    return Status::Ok();
  }));
  json list = json::array();
  for (const records::Record& r : versions) list.push_back(records::RecordJson(r));
  if (!versions.empty()) {
    const records::Record& r = versions.back();
    ctx.accesses.push_back(
        {audit::kAccessRead, r.owner_agency, r.database, r.id + " versions", false, 0});
  }
  return JsonResponse(200, {{"versions", list}});
}

// The caller's country's own records, in pages: the export. Its writers export a database;
// a managed one has none, so its checkers export their country's records of it.
Result<HttpResponse> ListOwn(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* db, DatabaseOf(ctx));
  NCBNET_RETURN_IF_ERROR(OnlyQueryParams(ctx, {"after", "limit"}));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t after, IntQueryParam(ctx, "after", 0, 0, INT64_MAX));
  NCBNET_ASSIGN_OR_RETURN(std::int64_t limit, IntQueryParam(ctx, "limit", 1000, 1, 10000));
  NCBNET_ASSIGN_OR_RETURN(records::Writer w, WriterOf(ctx));
  if (w.country.empty()) return Status::PermissionDenied("no_owner_ncb", "the GS owns no records");
  NCBNET_ASSIGN_OR_RETURN(const records::IndexSecret* secret, IndexSecretOf(ctx));
  std::vector<records::Record> page;
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(page, records::OwnRecords(tx, *secret, db->code, w.country, after,
                                                      static_cast<int>(limit)));
    return Status::Ok();
  }));
  ctx.audit_object = db->code + " export of " + std::to_string(page.size());
  if (!page.empty()) {
    ctx.accesses.push_back(
        {audit::kAccessExport, access::NcbIdFor(w.country), db->code,
         std::to_string(page.size()) + " records after ref " + std::to_string(after), false, 0});
  }
  json list = json::array();
  for (const records::Record& r : page) {
    if (!r.damaged.empty()) ctx.hub.metrics.ReportDamaged("record", r.id, r.damaged);
    list.push_back(records::RecordJson(r));
  }
  json out = {{"records", list}};
  if (page.size() == static_cast<std::size_t>(limit)) out["next_after"] = page.back().ref;
  return JsonResponse(200, out);
}

// Runs `change` (an update, cancellation or review of {id} at the body's "version") in an
// audited write and answers the new version.
using Change = std::function<Result<records::Record>(store::Transaction& tx, const WriteTarget& t,
                                                     const std::string& id, std::int64_t version)>;
Result<HttpResponse> ChangeRecord(RequestContext& ctx, const WriteTarget& t, const Change& change) {
  const std::string& id = ctx.params.at("id");
  ctx.audit_object = id;
  NCBNET_ASSIGN_OR_RETURN(std::int64_t version, VersionOf(ctx.body));
  records::Record r;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(r, change(tx, t, id, version));
    return Status::Ok();
  }));
  return Written(ctx, t, 200, r);
}

Result<HttpResponse> UpdateRecord(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(WriteTarget t, WriteTargetOf(ctx));
  json body = ctx.body;
  body.erase("version");
  NCBNET_ASSIGN_OR_RETURN(records::RecordInput in, records::ParseRecordInput(body));
  return ChangeRecord(ctx, t,
                      [&](store::Transaction& tx, const WriteTarget& w, const std::string& id,
                          std::int64_t version) {
                        return records::UpdateRecord(tx, *w.db, *ctx.hub.index_secret, w.writer, id,
                                                     version, in, ctx.NowMillis());
                      });
}

Result<HttpResponse> CancelRecord(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(WriteTarget t, WriteTargetOf(ctx));
  const auto reason = ctx.body.find("reason");
  if (reason == ctx.body.end() || !reason->is_string()) {
    return Status::InvalidArgument("invalid_request", "'reason' is required");
  }
  return ChangeRecord(ctx, t,
                      [&](store::Transaction& tx, const WriteTarget& w, const std::string& id,
                          std::int64_t version) {
                        return records::CancelRecord(tx, *w.db, *ctx.hub.index_secret, w.writer, id,
                                                     version, reason->get<std::string>(),
                                                     ctx.NowMillis());
                      });
}

Result<HttpResponse> ReviewRecord(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(WriteTarget t, WriteTargetOf(ctx));
  std::optional<std::int64_t> review_ms;
  if (const auto d = ctx.body.find("review_date"); d != ctx.body.end()) {
    NCBNET_ASSIGN_OR_RETURN(review_ms, records::ParseReviewDate(*d));
  }
  return ChangeRecord(ctx, t,
                      [&](store::Transaction& tx, const WriteTarget& w, const std::string& id,
                          std::int64_t version) {
                        return records::ReviewRecord(tx, *w.db, *ctx.hub.index_secret, w.writer, id,
                                                     version, review_ms, ctx.NowMillis());
                      });
}

}  // namespace

void AddRecordRoutes(Router& router) {
  const std::string one = "/v1/records/{db}/{id}";
  router.Add({.method = "GET",
              .pattern = "/v1/databases",
              .scope = Scope::kNetwork,
              .handler = ListDatabases});
  router.Add({.method = "GET",
              .pattern = "/v1/databases/{db}",
              .scope = Scope::kNetwork,
              .handler = GetDatabase});
  router.Add({.method = "POST",
              .pattern = "/v1/records/{db}",
              .access = Access::kCapability,
              .capability = "record.write:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = CreateRecord});
  router.Add({.method = "GET",
              .pattern = "/v1/records/{db}",
              .access = Access::kCapability,
              .capability = "record.own:{db}",
              .scope = Scope::kRecords,
              .handler = ListOwn});
  router.Add({.method = "POST",
              .pattern = "/v1/records/{db}/batch",
              .access = Access::kCapability,
              .capability = "record.write:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = CreateBatch});
  router.Add({.method = "GET",
              .pattern = one,
              .access = Access::kCapability,
              .capability = "record.check:{db}",
              .scope = Scope::kRecords,
              .handler = GetRecord});
  router.Add({.method = "PUT",
              .pattern = one,
              .access = Access::kCapability,
              .capability = "record.write:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = UpdateRecord});
  router.Add({.method = "GET",
              .pattern = one + "/versions",
              .access = Access::kCapability,
              .capability = "record.check:{db}",
              .scope = Scope::kRecords,
              .handler = GetVersions});
  router.Add({.method = "POST",
              .pattern = one + "/cancel",
              .access = Access::kCapability,
              .capability = "record.write:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = CancelRecord});
  router.Add({.method = "POST",
              .pattern = one + "/review",
              .access = Access::kCapability,
              .capability = "record.write:{db}",
              .scope = Scope::kRecords,
              .json_body = true,
              .handler = ReviewRecord});
}

}  // namespace ncbnet::api
