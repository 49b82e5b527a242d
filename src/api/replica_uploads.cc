// POST /v1/replicas/{id}/uploads: what a replica checked while offline (docs/replica-format.md,
// "Offline journal"): {"hits": [...], "checks": [...]}.
// - each hit is recorded through hits::RecordHits at the time of the offline check, so its
//   owner is told, as for an online check; the hub first makes sure the replica could have
//   held the record (it exists, is frontline, its restrictions let the replica's country see
//   it) and that the record carries the identifier reported, so a replica cannot make hits on
//   records it never held;
// - each check line is appended to the audit trail as an entry of its own;
// - every item carries the replica's random id for it: an item uploaded before is answered as
//   before and recorded nothing twice, so a retried upload is safe.
// An item that is refused gets its own error and the replica drops it; the others go on.
#include "api/errors.h"
#include "api/hit_api.h"
#include "api/json_fields.h"
#include "api/record_access.h"
#include "api/replica_api.h"
#include "api/routes.h"
#include "audit/audit_log.h"
#include "core/time_format.h"
#include "records/record_fields.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxItems = 10000;
constexpr std::int64_t kSkewMs = 5 * 60 * 1000;  // clocks of terminals drift

Status Invalid(const std::string& why) { return Status::InvalidArgument("invalid_request", why); }

struct Item {
  std::string id;
  std::int64_t time_ms = 0;
  const records::DatabaseSchema* db = nullptr;
  std::string identifier;
};

// The fields every item has. The database must be one the replica holds.
Result<Item> ItemOf(const json& j, const OwnedReplica& r, std::int64_t now_ms) {
  if (!j.is_object()) return Invalid("an item is an object");
  Item it;
  NCBNET_ASSIGN_OR_RETURN(it.id, RequiredString(j, "id", 32));
  if (it.id.size() != 32 || it.id.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Invalid("'id' is 32 lower-case hex characters");
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::int64_t> time, OptionalTime(j, "time"));
  if (!time || *time < r.enrolment.created_ms - kSkewMs || *time > now_ms + kSkewMs) {
    return Invalid("'time' is when the replica checked, since its enrolment");
  }
  it.time_ms = *time;
  NCBNET_ASSIGN_OR_RETURN(std::string db, RequiredString(j, "database", 16));
  for (const records::DatabaseSchema* s : r.scope.databases) {
    if (s->code == db) it.db = s;
  }
  if (it.db == nullptr) return Invalid("'database' is one the replica holds");
  NCBNET_ASSIGN_OR_RETURN(it.identifier, RequiredString(j, "identifier", 64));
  return it;
}

json ItemError(const std::string& id, const Status& s) {
  return {{"id", id}, {"error", {{"code", ClientErrorCode(s)}, {"message", s.message()}}}};
}

// The record `record_id` of `db` if the replica could have held it and it carries the
// identifier reported; else kNotFound "record_not_found" or kInvalidArgument
// "identifier_mismatch".
Result<records::Record> HeldRecord(store::Transaction& tx, const records::IndexSecret& secret,
                                   const OwnedReplica& r, const Item& it,
                                   const std::string& record_id, const std::string& value) {
  const Status missing = Status::NotFound("record_not_found", "no such record");
  NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne("SELECT ref FROM records WHERE id = ? AND database = ?",
                                      {record_id, it.db->code}));
  if (!row) return missing;
  NCBNET_ASSIGN_OR_RETURN(std::vector<records::Record> rs,
                          records::RecordsByRef(tx, secret, {(*row)[0].AsInt()}));
  if (rs.empty()) return missing;
  records::Record& rec = rs.front();
  if (!rec.restrictions.frontline ||
      !records::VisibleTo(rec.restrictions, rec.owner_country, r.scope.viewer)) {
    return missing;
  }
  NCBNET_ASSIGN_OR_RETURN(auto ids, records::ExtractIdentifiers(*it.db, rec.fields));
  const records::NormalisedIdentifier want{it.identifier, value};
  if (std::find(ids.begin(), ids.end(), want) == ids.end()) {
    return Status::InvalidArgument("identifier_mismatch",
                                   "the record does not carry that identifier");
  }
  return std::move(rec);
}

// The owner is told the check was made offline, and when: the hit's time is the check's.
Result<hits::CheckContext> OfflineContext(const json& j) {
  NCBNET_ASSIGN_OR_RETURN(hits::CheckContext c,
                          hits::ParseCheckContext(j.contains("context") ? j["context"] : json()));
  c.reason = c.reason.empty() ? "offline replica check" : c.reason + " (offline replica check)";
  if (c.reason.size() > 200) c.reason.resize(200);
  return c;
}

struct Upload {
  json hits = json::array();
  json rejected_checks = json::array();
  std::vector<records::Record> recorded;
  int new_hits = 0, new_checks = 0, duplicate_checks = 0;
};

Status UploadHit(RequestContext& ctx, store::Transaction& tx, const OwnedReplica& r,
                 const hits::Checker& checker, const crypto::SigningKey& hub_key, const json& j,
                 Upload& up) {
  Result<Item> it = ItemOf(j, r, ctx.NowMillis());
  const std::string id = j.is_object() ? j.value("id", "") : "";
  if (!it.ok()) return up.hits.push_back(ItemError(id, it.status())), Status::Ok();
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> before,
                          replica::UploadedItem(tx, r.enrolment.id, it->id));
  if (before) {
    up.hits.push_back({{"id", it->id}, {"hit", *before}, {"duplicate", true}});
    return Status::Ok();
  }
  Result<std::string> value = RequiredString(j, "value", 200);
  Result<std::string> record_id = RequiredString(j, "record_id", 64);
  Result<hits::CheckContext> context = OfflineContext(j);
  NCBNET_ASSIGN_OR_RETURN(const records::IndexSecret* secret, IndexSecretOf(ctx));
  Result<records::Record> rec = !value.ok()       ? Result<records::Record>(value.status())
                                : !record_id.ok() ? Result<records::Record>(record_id.status())
                                : !context.ok()
                                    ? Result<records::Record>(context.status())
                                    : HeldRecord(tx, *secret, r, *it, *record_id, *value);
  if (!rec.ok()) return up.hits.push_back(ItemError(it->id, rec.status())), Status::Ok();
  const hits::MatchInfo match{hits::MatchKind::kIdentifier, it->identifier, *value, 1.0, ""};
  NCBNET_ASSIGN_OR_RETURN(
      std::vector<hits::RecordedHit> made,
      hits::RecordHits(tx, ctx.hub.data_key, hub_key, checker, *context,
                       std::span<const records::Record>(&*rec, 1),
                       std::span<const hits::MatchInfo>(&match, 1), it->time_ms));
  NCBNET_RETURN_IF_ERROR(replica::RecordUploadedItem(tx, r.enrolment.id, it->id, "hit",
                                                     made.front().hit_id, ctx.NowMillis()));
  up.hits.push_back({{"id", it->id}, {"hit", made.front().hit_id}, {"duplicate", false}});
  up.recorded.push_back(std::move(*rec));
  ++up.new_hits;
  return Status::Ok();
}

// One audit entry per offline check: when, which database and identifier kind, the outcome
// and the matched record ids; never an identifier (the replica's log holds none).
Status UploadCheck(RequestContext& ctx, store::Transaction& tx, const OwnedReplica& r,
                   const json& j, Upload& up) {
  Result<Item> it = ItemOf(j, r, ctx.NowMillis());
  const bool match = it.ok() && j.contains("match") && j["match"].is_boolean() && j["match"];
  const json records = it.ok() ? j.value("records", json::array()) : json();
  if (it.ok() && (!j.contains("match") || !j["match"].is_boolean() || !records.is_array() ||
                  records.size() > 20 || (match && records.empty()))) {
    it = Invalid("'match' is true or false, 'records' the matched record ids (at most 20)");
  }
  if (!it.ok()) {
    up.rejected_checks.push_back(ItemError(j.is_object() ? j.value("id", "") : "", it.status()));
    return Status::Ok();
  }
  NCBNET_ASSIGN_OR_RETURN(std::optional<std::string> before,
                          replica::UploadedItem(tx, r.enrolment.id, it->id));
  if (before) return ++up.duplicate_checks, Status::Ok();
  std::string object = r.enrolment.id + " checked " + it->db->code + " " + it->identifier + " at " +
                       FormatIsoMillis(it->time_ms) + ": ";
  if (!match) object += "no match";
  for (std::size_t i = 0; i < records.size(); ++i) {
    object += (i == 0 ? "match " : ",") + records[i].get<std::string>().substr(0, 64);
  }
  audit::AuditEntry e;
  e.time_ms = ctx.NowMillis();
  e.request_id = ctx.http.request_id;
  e.user_id = "cert:" + ctx.principal->certificate_serial;
  e.agency_id = ctx.agency();
  e.source = ctx.http.source_ip;
  e.action = "OFFLINE CHECK " + it->db->code;
  e.object = object.substr(0, 1000);
  e.outcome = "ok";
  NCBNET_RETURN_IF_ERROR(audit::Append(tx, ctx.hub.audit_key, std::move(e)).status());
  NCBNET_RETURN_IF_ERROR(
      replica::RecordUploadedItem(tx, r.enrolment.id, it->id, "check", "", ctx.NowMillis()));
  ++up.new_checks;
  return Status::Ok();
}

Result<HttpResponse> UploadOffline(RequestContext& ctx) {
  NCBNET_ASSIGN_OR_RETURN(OwnedReplica r, OwnedReplicaOf(ctx));
  const json hits_in = ctx.body.value("hits", json::array());
  const json checks_in = ctx.body.value("checks", json::array());
  if (!hits_in.is_array() || !checks_in.is_array() ||
      hits_in.size() + checks_in.size() > kMaxItems) {
    return Invalid("'hits' and 'checks' are lists of at most 10000 items in all");
  }
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey* hub_key, HubMessageKeyOf(ctx));
  Upload up;
  NCBNET_RETURN_IF_ERROR(ctx.Write([&](store::Transaction& tx) -> Status {
    up = Upload();
    NCBNET_ASSIGN_OR_RETURN(hits::Checker checker, CheckerFor(ctx, tx));
    for (const json& j : hits_in) {
      NCBNET_RETURN_IF_ERROR(UploadHit(ctx, tx, r, checker, *hub_key, j, up));
    }
    for (const json& j : checks_in) NCBNET_RETURN_IF_ERROR(UploadCheck(ctx, tx, r, j, up));
    ctx.audit_object = r.enrolment.id + ": " + std::to_string(up.new_hits) + " new hits, " +
                       std::to_string(up.new_checks) + " new checks logged";
    return Status::Ok();
  }));
  AfterHitsRecorded(ctx.hub, up.recorded);
  return JsonResponse(200, {{"hits", up.hits},
                            {"checks",
                             {{"recorded", up.new_checks},
                              {"duplicates", up.duplicate_checks},
                              {"rejected", up.rejected_checks}}}});
}

}  // namespace

void AddReplicaUploadRoute(Router& router) {
  router.Add({.method = "POST",
              .pattern = "/v1/replicas/{id}/uploads",
              .access = Access::kCapability,
              .capability = "record.check:*",
              .caller = Caller::kCertificate,
              .scope = Scope::kOwn,
              .json_body = true,
              .handler = UploadOffline});
}

}  // namespace ncbnet::api
