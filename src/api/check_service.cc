#include "api/check_service.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "access/agencies.h"
#include "api/hit_api.h"
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

std::string_view KindName(index::TokenMatchKind k) {
  switch (k) {
    case index::TokenMatchKind::kExact:
      return "exact";
    case index::TokenMatchKind::kPhonetic:
      return "phonetic";
    case index::TokenMatchKind::kEditDistance:
      return "edit_distance";
    case index::TokenMatchKind::kInitial:
      return "initial";
  }
  return "exact";
}

std::string_view AgreementName(index::Agreement a) {
  switch (a) {
    case index::Agreement::kUnknown:
      return "unknown";
    case index::Agreement::kAgree:
      return "agree";
    case index::Agreement::kPartial:
      return "partial";
    case index::Agreement::kConflict:
      return "conflict";
  }
  return "unknown";
}

json ExplanationJson(const index::NameExplanation& e) {
  json tokens = json::array();
  for (const index::TokenMatch& m : e.matches) {
    tokens.push_back({{"query", m.query_token},
                      {"name", m.name_token},
                      {"how", KindName(m.kind)},
                      {"edits", m.edits},
                      {"similarity", m.similarity}});
  }
  return {{"name_index", e.name_index},
          {"tokens", tokens},
          {"unmatched_query_tokens", e.unmatched_query_tokens},
          {"unmatched_name_tokens", e.unmatched_name_tokens},
          {"reordered", e.reordered},
          {"name_score", e.name_score},
          {"date_of_birth", AgreementName(e.date_of_birth)},
          {"sex", AgreementName(e.sex)},
          {"nationality", AgreementName(e.nationality)}};
}

// Loads the records of `refs` (sorted, unique) in one snapshot.
Result<std::map<std::int64_t, records::Record>> LoadRecords(HubServices& hub,
                                                            std::vector<std::int64_t> refs) {
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  std::map<std::int64_t, records::Record> loaded;
  if (refs.empty()) return loaded;
  NCBNET_RETURN_IF_ERROR(hub.store.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::vector<records::Record> rs,
                            records::RecordsByRef(tx, *hub.index_secret, refs));
    for (records::Record& r : rs) loaded.emplace(r.ref, std::move(r));
    return Status::Ok();
  }));
  return loaded;
}

// Tells the owners of `found` (shown) and of `hidden` of these matches (audit/accesses.h).
void NoteAccesses(const CheckTarget& t, const std::vector<records::Record>& found,
                  const std::vector<records::RecordIndexes::HiddenMatch>& hidden) {
  if (t.accesses == nullptr) return;
  for (const records::Record& r : found) {
    t.accesses->push_back({audit::kAccessCheck, r.owner_agency, r.database, r.id, false, 0});
  }
  for (const records::RecordIndexes::HiddenMatch& h : hidden) {
    t.accesses->push_back(
        {audit::kAccessCheck, access::NcbIdFor(h.owner_country), t.db->code, "", true, h.ref});
  }
}

json MatchJson(const records::Record& r, const hits::RecordedHit& hit) {
  json one = {{"record", records::RecordJson(r)}, {"hit", hit.hit_id}};
  if (!r.action.empty()) one["action"] = r.action;
  return one;
}

// Records a hit for each match (records[i] matched as matched[i]) and tells the owners.
Result<std::vector<hits::RecordedHit>> RecordMatches(HubServices& hub, const CheckTarget& t,
                                                     const std::vector<records::Record>& records,
                                                     const std::vector<hits::MatchInfo>& matched) {
  if (records.empty()) return std::vector<hits::RecordedHit>();
  if (t.hub_key == nullptr) {
    return Status::Unavailable("hub_messages_off", "this hub cannot notify owners of hits");
  }
  std::vector<hits::RecordedHit> out;
  NCBNET_RETURN_IF_ERROR(hub.store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        out, hits::RecordHits(tx, hub.data_key, *t.hub_key, t.checker, t.context, records, matched,
                              hub.clock.NowMillis()));
    return Status::Ok();
  }));
  AfterHitsRecorded(hub, records);
  return out;
}

std::string Truncated(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  s.resize(max);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
  return s;
}

}  // namespace

Result<index::NameQuery> NameQueryOf(const nlohmann::json& body) {
  index::NameQuery q;
  auto bad = [](const std::string& key, const char* why) {
    return Status::InvalidArgument("invalid_request", "'" + key + "' " + why);
  };
  if (!body.is_object()) return bad("query", "must be an object");
  for (const auto& [key, value] : body.items()) {
    if (key == "name" || key == "date_of_birth" || key == "nationality" || key == "sex") {
      if (!value.is_string()) return bad(key, "must be a string");
      const std::string v = value.get<std::string>();
      if (key == "name") q.name = v;
      if (key == "date_of_birth") q.date_of_birth = v;
      if (key == "nationality") q.nationality = v;
      if (key == "sex") {
        if (v.size() != 1) return bad(key, "must be M, F or U");
        q.sex = v[0];
      }
    } else if (key == "limit") {
      if (!value.is_number_integer()) return bad(key, "must be an integer");
      const auto n = value.get<std::int64_t>();
      if (n < 1 || n > 100) return bad(key, "must be 1..100");
      q.limit = static_cast<std::size_t>(n);
    } else if (key == "threshold") {
      if (!value.is_number()) return bad(key, "must be a number");
      q.threshold = value.get<double>();
    } else {
      return bad(key.substr(0, 32), "is not a field of a name query");
    }
  }
  if (q.name.empty()) return bad("name", "is required");
  return q;
}

Result<nlohmann::json> RunNameSearch(HubServices& hub, const CheckTarget& t,
                                     const index::NameQuery& query, std::string* audit_note) {
  std::vector<records::RecordIndexes::HiddenMatch> hidden;
  NCBNET_ASSIGN_OR_RETURN(std::vector<index::NameHit> hits,
                          t.indexes->SearchNames(*t.db, query, t.viewer, hub.clock.NowMillis(),
                                                 t.accesses != nullptr ? &hidden : nullptr));
  std::vector<std::int64_t> refs;
  for (const index::NameHit& h : hits) refs.push_back(static_cast<std::int64_t>(h.ref));
  NCBNET_ASSIGN_OR_RETURN(auto loaded, LoadRecords(hub, refs));
  std::vector<records::Record> found;
  std::vector<hits::MatchInfo> matched;
  std::vector<json> explanations;
  for (const index::NameHit& h : hits) {
    const auto it = loaded.find(static_cast<std::int64_t>(h.ref));
    if (it == loaded.end()) continue;
    found.push_back(it->second);
    explanations.push_back(ExplanationJson(h.explanation));
    matched.push_back({hits::MatchKind::kName, "", Truncated(query.name, 200), h.score,
                       Truncated(explanations.back().dump(), 1000)});
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<hits::RecordedHit> recorded,
                          RecordMatches(hub, t, found, matched));
  NoteAccesses(t, found, hidden);
  json out = json::array();
  std::string ids;
  for (std::size_t i = 0; i < found.size(); ++i) {
    json one = MatchJson(found[i], recorded[i]);
    one["score"] = matched[i].score;
    one["explanation"] = std::move(explanations[i]);
    out.push_back(std::move(one));
    if (out.size() <= kMaxAuditIds) ids += " " + found[i].id;
  }
  if (audit_note != nullptr) {
    *audit_note += (audit_note->empty() ? "" : "; ") + t.db->code + " name search, " +
                   std::to_string(out.size()) + " found" + (ids.empty() ? "" : ":" + ids);
  }
  return out;
}

Result<CheckTarget> CheckTargetOf(RequestContext& ctx, const nlohmann::json& context) {
  CheckTarget t;
  NCBNET_ASSIGN_OR_RETURN(t.db, DatabaseOf(ctx));  // the route's rule: record.check:{db}
  NCBNET_ASSIGN_OR_RETURN(t.indexes, IndexesOf(ctx));
  NCBNET_ASSIGN_OR_RETURN(t.context, hits::ParseCheckContext(context));
  NCBNET_RETURN_IF_ERROR(ctx.Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(t.checker, CheckerFor(ctx, tx));
    return Status::Ok();
  }));
  t.viewer = {t.checker.agency_id, t.checker.country, t.checker.kind};
  t.hub_key = ctx.hub.hub_message_key;
  t.accesses = &ctx.accesses;
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
  q.name = spec->name;
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

Result<std::vector<nlohmann::json>> RunChecks(HubServices& hub, const CheckTarget& t,
                                              const std::vector<records::IdentifierQuery>& queries,
                                              std::string* audit_note) {
  std::vector<records::RecordIndexes::HiddenMatch> hidden;
  const std::vector<std::vector<std::int64_t>> matches = t.indexes->MatchBatch(
      queries, t.viewer, hub.clock.NowMillis(), t.accesses != nullptr ? &hidden : nullptr);
  std::vector<std::int64_t> refs;
  for (const auto& m : matches) refs.insert(refs.end(), m.begin(), m.end());
  NCBNET_ASSIGN_OR_RETURN(auto loaded, LoadRecords(hub, std::move(refs)));
  // Every visible match becomes a hit, in query order.
  std::vector<records::Record> found;
  std::vector<hits::MatchInfo> matched;
  for (std::size_t i = 0; i < matches.size(); ++i) {
    for (std::int64_t ref : matches[i]) {
      const auto it = loaded.find(ref);
      if (it == loaded.end()) continue;  // gone between the lookup and the read
      found.push_back(it->second);
      matched.push_back(
          {hits::MatchKind::kIdentifier, queries[i].name, queries[i].identifier, 1.0, ""});
    }
  }
  NCBNET_ASSIGN_OR_RETURN(std::vector<hits::RecordedHit> recorded,
                          RecordMatches(hub, t, found, matched));
  NoteAccesses(t, found, hidden);
  std::vector<json> out;
  out.reserve(queries.size());
  std::size_t hits = 0;
  std::string ids;
  for (const auto& m : matches) {
    json answer = json::array();
    for (std::int64_t ref : m) {
      if (!loaded.count(ref)) continue;
      answer.push_back(MatchJson(found[hits], recorded[hits]));
      if (++hits <= kMaxAuditIds) ids += " " + found[hits - 1].id;
    }
    out.push_back(answer.empty() ? json{{"match", false}}
                                 : json{{"match", true}, {"matches", std::move(answer)}});
  }
  if (audit_note != nullptr) {
    *audit_note += (audit_note->empty() ? "" : "; ") + t.db->code + " checked " +
                   std::to_string(queries.size()) + ", matched " + std::to_string(hits) +
                   (ids.empty() ? "" : ":" + ids);
  }
  return out;
}

}  // namespace ncbnet::api
