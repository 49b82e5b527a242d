#include "api/check_service.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "api/record_access.h"
#include "records/record_fields.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxAuditIds = 20;

bool HasAll(const records::IdentifierSpec& spec, const std::map<std::string, std::string>& v) {
  return std::all_of(spec.fields.begin(), spec.fields.end(),
                     [&](const std::string& f) { return v.count(f) > 0; });
}

Result<const records::IdentifierSpec*> SpecOf(const records::DatabaseSchema& db,
                                              std::string_view name,
                                              const std::map<std::string, std::string>& values) {
  if (db.identifiers.empty()) {
    return Status::InvalidArgument("unknown_identifier", db.code + " has no identifiers to check");
  }
  if (!name.empty()) {
    const records::IdentifierSpec* spec = db.Identifier(name);
    if (spec == nullptr) {
      return Status::InvalidArgument(
          "unknown_identifier", db.code + " has no identifier " + std::string(name.substr(0, 32)));
    }
    return spec;
  }
  for (const records::IdentifierSpec& spec : db.identifiers) {
    if (HasAll(spec, values)) return &spec;
  }
  return &db.identifiers.front();
}

}  // namespace

Result<CheckTarget> CheckTargetOf(RequestContext& ctx) {
  CheckTarget t;
  NCBNET_ASSIGN_OR_RETURN(t.db, DatabaseOf(ctx));
  NCBNET_RETURN_IF_ERROR(RequireRecordCapability(ctx, "record.check", *t.db));
  NCBNET_ASSIGN_OR_RETURN(t.indexes, IndexesOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(t.viewer, ViewerOf(ctx));
  return t;
}

Result<records::IdentifierQuery> QueryOf(const records::DatabaseSchema& db, std::string_view name,
                                         const std::map<std::string, std::string>& values) {
  NCBNET_ASSIGN_OR_RETURN(const records::IdentifierSpec* spec, SpecOf(db, name, values));
  const bool series = spec->kind == records::IdentifierKind::kSeries;
  for (const auto& [key, value] : values) {
    const bool known =
        std::find(spec->fields.begin(), spec->fields.end(), key) != spec->fields.end();
    if (!known && !(series && key == "number")) {
      return Status::InvalidArgument(
          "unknown_field",
          "identifier " + spec->name + " takes no field \"" + key.substr(0, 32) + "\"");
    }
  }
  records::IdentifierQuery q;
  q.database = db.code;
  NCBNET_ASSIGN_OR_RETURN(q.identifier, records::NormaliseIdentifier(*spec, values));
  if (series) {
    const auto it = values.find("number");
    std::int64_t n = -1;
    const bool ok =
        it != values.end() &&
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), n).ec ==
            std::errc() &&
        n >= 0;
    if (!ok) return Status::InvalidArgument("invalid_request", "'number' is the document's number");
    q.number = n;
  }
  return q;
}

Result<records::IdentifierQuery> QueryOfItem(const records::DatabaseSchema& db,
                                             std::string_view name, const nlohmann::json& item) {
  if (!item.is_object() || item.size() > 8) {
    return Status::InvalidArgument("invalid_request", "an item is an object of identifier fields");
  }
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : item.items()) {
    if (value.is_string()) {
      values[key] = value.get<std::string>();
    } else if (value.is_number_integer()) {
      values[key] = std::to_string(value.get<std::int64_t>());
    } else {
      return Status::InvalidArgument("invalid_request",
                                     "\"" + key.substr(0, 32) + "\" is not a string");
    }
  }
  return QueryOf(db, name, values);
}

Result<std::vector<nlohmann::json>> RunChecks(
    RequestContext& ctx, const CheckTarget& t,
    const std::vector<records::IdentifierQuery>& queries) {
  const std::vector<std::vector<std::int64_t>> matches =
      t.indexes->MatchBatch(queries, t.viewer, ctx.NowMillis());
  std::vector<std::int64_t> refs;
  for (const auto& m : matches) refs.insert(refs.end(), m.begin(), m.end());
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  std::map<std::int64_t, records::Record> loaded;
  if (!refs.empty()) {
    NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(std::vector<records::Record> rs, records::RecordsByRef(tx, refs));
      for (records::Record& r : rs) loaded.emplace(r.ref, std::move(r));
      return Status::Ok();
    }));
  }
  std::vector<json> out;
  out.reserve(queries.size());
  std::size_t hits = 0;
  std::string ids;
  for (const auto& m : matches) {
    json matched = json::array();
    for (std::int64_t ref : m) {
      const auto it = loaded.find(ref);
      if (it == loaded.end()) continue;  // deleted between the lookup and the read
      json one = {{"record", records::RecordJson(it->second)}};
      if (!it->second.action.empty()) one["action"] = it->second.action;
      matched.push_back(std::move(one));
      if (++hits <= kMaxAuditIds) ids += " " + it->second.id;
    }
    out.push_back(matched.empty() ? json{{"match", false}}
                                  : json{{"match", true}, {"matches", std::move(matched)}});
  }
  ctx.audit_object = t.db->code + " checked " + std::to_string(queries.size()) + ", matched " +
                     std::to_string(hits) + (ids.empty() ? "" : ":" + ids);
  return out;
}

}  // namespace ncbnet::api
