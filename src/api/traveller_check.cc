#include "api/traveller_check.h"

#include <set>

#include "api/errors.h"
#include "api/record_access.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kPersonsPerTraveller = 5;
constexpr const char* kPersonCodes[kPersonDatabases] = {"NOMINAL", "NOTICES"};
constexpr const char* kPersonKeys[kPersonDatabases] = {"persons", "notices"};

// The target of `db` if the caller holds record.check:<db>, else nothing. `other`, a target of
// the same request for another database, lends its checker, context and key, so that the
// caller's agency is read once.
Result<std::optional<CheckTarget>> OptionalTarget(RequestContext& ctx, const char* db,
                                                  const json& context, const CheckTarget* other) {
  ctx.params["db"] = db;
  if (other != nullptr) {
    NCBNET_ASSIGN_OR_RETURN(const records::DatabaseSchema* schema, DatabaseOf(ctx));
    const Status s = RequireRecordCapability(ctx, "record.check", *schema);
    if (s.reason() == "missing_capability") return std::optional<CheckTarget>();
    NCBNET_RETURN_IF_ERROR(s);
    CheckTarget t = *other;
    t.db = schema;
    return std::optional<CheckTarget>(std::move(t));
  }
  Result<CheckTarget> t = CheckTargetOf(ctx, context);
  if (t.ok()) return std::optional<CheckTarget>(std::move(t).value());
  if (t.status().reason() == "missing_capability") return std::optional<CheckTarget>();
  return t.status();
}

// The documents of `travellers` taken by `part`, as one batch of queries, and for each
// traveller its position in that batch (npos: none).
struct DocumentBatch {
  std::vector<records::IdentifierQuery> queries;
  std::vector<std::size_t> position;
};

using DocumentPart = std::optional<Result<records::IdentifierQuery>>;
using PartOf = const DocumentPart& (*)(const Traveller&, std::size_t);

const DocumentPart& SltdPart(const Traveller& t, std::size_t) { return t.document; }
const DocumentPart& PersonPart(const Traveller& t, std::size_t db) {
  return t.person_documents[db];
}

DocumentBatch BatchOf(std::span<const Traveller> travellers, PartOf part, std::size_t db) {
  DocumentBatch batch;
  for (const Traveller& t : travellers) {
    const DocumentPart& document = part(t, db);
    batch.position.push_back(std::string::npos);
    if (t.invalid.ok() && document && document->ok()) {
      batch.position.back() = batch.queries.size();
      batch.queries.push_back(**document);
    }
  }
  return batch;
}

// A database's answers to one kind of document of every traveller.
struct DocumentAnswers {
  DocumentBatch batch;
  Result<std::vector<json>> checked = std::vector<json>();
};

DocumentAnswers CheckDocuments(HubServices& hub, const std::optional<CheckTarget>& target,
                               std::span<const Traveller> travellers, PartOf part, std::size_t db) {
  DocumentAnswers out{BatchOf(travellers, part, db)};
  if (target && !out.batch.queries.empty()) {
    out.checked = RunChecks(hub, *target, out.batch.queries, nullptr);
  }
  return out;
}

// The answer to document part `part` of traveller `i`, or nothing if it had none.
std::optional<json> DocumentAnswer(const DocumentPart& part, const DocumentAnswers& answers,
                                   std::size_t i) {
  if (!part) return std::nullopt;
  if (!part->ok()) return PartErrorJson(part->status());
  if (!answers.checked.ok()) return PartErrorJson(answers.checked.status());
  return (*answers.checked)[answers.batch.position[i]];
}

// The persons of one person database matching a traveller: those matched by document, then
// those found by name that were not already; or {"error"}.
json PersonMatches(HubServices& hub, const CheckTarget& target, const Traveller& t,
                   const std::optional<json>& by_document) {
  json persons = json::array();
  std::set<std::string> seen;
  if (by_document && by_document->contains("matches")) {
    for (json match : (*by_document)["matches"]) {
      seen.insert(match["record"]["id"].get<std::string>());
      match["matched_by"] = "document";
      persons.push_back(std::move(match));
    }
  }
  if (t.person) {
    Result<json> found = t.person->ok() ? RunNameSearch(hub, target, **t.person, nullptr)
                                        : Result<json>(t.person->status());
    if (!found.ok()) return PartErrorJson(found.status());
    for (json& match : *found) {
      if (!seen.insert(match["record"]["id"].get<std::string>()).second) continue;
      match["matched_by"] = "name";
      persons.push_back(std::move(match));
    }
  }
  return persons;
}

// A match of a NOTICES record presented as the notice it stands for: its control number, kind
// and channel from the record's fields, the requesting country as the record's owner.
json NoticeMatch(json match) {
  const json& record = match["record"];
  const json& fields = record["fields"];
  json notice = {{"control_number", fields.value("control_number", "")},
                 {"kind", fields.value("kind", "")},
                 {"channel", fields.value("channel", "")},
                 {"requesting_country", record["owner_country"]}};
  notice.update(match);
  return notice;
}

json Presented(std::size_t db, json matches) {
  if (db != kNotices || !matches.is_array()) return matches;
  json notices = json::array();
  for (json& m : matches) notices.push_back(NoticeMatch(std::move(m)));
  return notices;
}

}  // namespace

const CheckTarget& TravellerTargets::any() const {
  if (sltd) return *sltd;
  return persons[kNominal] ? *persons[kNominal] : *persons[kNotices];
}

json TravellerTargets::DatabasesJson() const {
  json dbs = json::array();
  if (sltd) dbs.push_back("SLTD");
  for (std::size_t db = 0; db < kPersonDatabases; ++db) {
    if (persons[db]) dbs.push_back(kPersonCodes[db]);
  }
  return dbs;
}

std::string TravellerTargets::Describe() const {
  std::string out;
  for (const json& code : DatabasesJson()) out += " " + code.get<std::string>();
  return out;
}

Result<TravellerTargets> TravellerTargetsOf(RequestContext& ctx, const json& context) {
  TravellerTargets t;
  NCBNET_ASSIGN_OR_RETURN(t.sltd, OptionalTarget(ctx, "SLTD", context, nullptr));
  for (std::size_t db = 0; db < kPersonDatabases; ++db) {
    const CheckTarget* other = t.sltd || t.any_person() ? &t.any() : nullptr;
    NCBNET_ASSIGN_OR_RETURN(t.persons[db], OptionalTarget(ctx, kPersonCodes[db], context, other));
  }
  if (!t.sltd && !t.any_person()) {
    return Status::PermissionDenied("missing_capability",
                                    "checking travellers needs record.check:SLTD, "
                                    "record.check:NOMINAL or record.check:NOTICES");
  }
  return t;
}

Traveller TravellerOf(const json& item, const TravellerTargets& targets) {
  Traveller t;
  if (!item.is_object()) {
    t.invalid = Status::InvalidArgument("invalid_request", "a traveller is an object");
    return t;
  }
  json person = json::object();
  for (const auto& [key, value] : item.items()) {
    if (key == "document") {
      if (targets.sltd) t.document = QueryOfItem(*targets.sltd->db, "document", value);
      for (std::size_t db = 0; db < kPersonDatabases; ++db) {
        if (targets.persons[db]) {
          t.person_documents[db] = QueryOfItem(*targets.persons[db]->db, "document", value);
        }
      }
    } else if (key == "name" || key == "date_of_birth" || key == "sex" || key == "nationality") {
      person[key] = value;
    } else {
      t.invalid = Status::InvalidArgument(
          "invalid_request", "'" + key.substr(0, 32) + "' is not a field of a traveller");
      return t;
    }
  }
  if (targets.any_person() && person.contains("name")) {
    Result<index::NameQuery> q = NameQueryOf(person);
    if (q.ok()) q->limit = kPersonsPerTraveller;
    t.person = std::move(q);
  }
  return t;
}

std::vector<json> CheckTravellers(HubServices& hub, const TravellerTargets& targets,
                                  std::span<const Traveller> travellers) {
  const DocumentAnswers in_sltd = CheckDocuments(hub, targets.sltd, travellers, SltdPart, 0);
  std::vector<DocumentAnswers> in_persons;
  for (std::size_t db = 0; db < kPersonDatabases; ++db) {
    in_persons.push_back(CheckDocuments(hub, targets.persons[db], travellers, PersonPart, db));
  }
  std::vector<json> answers;
  for (std::size_t i = 0; i < travellers.size(); ++i) {
    const Traveller& t = travellers[i];
    if (!t.invalid.ok()) {
      answers.push_back(PartErrorJson(t.invalid));
      continue;
    }
    json answer = json::object();
    bool alert = false;
    if (std::optional<json> d = DocumentAnswer(t.document, in_sltd, i)) {
      alert = alert || d->value("match", false);
      answer["document"] = std::move(*d);
    }
    for (std::size_t db = 0; db < kPersonDatabases; ++db) {
      if (!targets.persons[db]) continue;
      const std::optional<json> by_document =
          DocumentAnswer(t.person_documents[db], in_persons[db], i);
      if (!answer.contains("document") && by_document && by_document->contains("error")) {
        answer["document"] = *by_document;  // not checked in SLTD: say why it was not here
      }
      if (t.person || (by_document && by_document->contains("matches"))) {
        json matches = PersonMatches(hub, *targets.persons[db], t, by_document);
        alert = alert || (matches.is_array() && !matches.empty());
        answer[kPersonKeys[db]] = Presented(db, std::move(matches));
      }
    }
    answer["alert"] = alert;
    answers.push_back(std::move(answer));
  }
  return answers;
}

json TakeContext(json& body) {
  json context;
  if (auto it = body.find("context"); it != body.end()) {
    context = std::move(*it);
    body.erase(it);
  }
  return context;
}

json PartErrorJson(const Status& s) {
  return {{"error", {{"code", ClientErrorCode(s)}, {"message", s.message()}}}};
}

}  // namespace ncbnet::api
