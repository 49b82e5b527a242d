#include "api/traveller_check.h"

#include <set>

#include "api/errors.h"
#include "api/record_access.h"

namespace ncbnet::api {
namespace {

using nlohmann::json;

constexpr std::size_t kPersonsPerTraveller = 5;

// The target of `db` if the caller holds record.check:<db>, else nothing. `other`, a target of
// the same request for another database, lends its checker, context and key, so that the
// caller's agency is read once.
Result<std::optional<CheckTarget>> OptionalTarget(RequestContext& ctx, const char* db,
                                                  const json& context,
                                                  const std::optional<CheckTarget>& other) {
  ctx.params["db"] = db;
  if (other) {
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

using DocumentPart = std::optional<Result<records::IdentifierQuery>> Traveller::*;

DocumentBatch BatchOf(std::span<const Traveller> travellers, DocumentPart part) {
  DocumentBatch batch;
  for (const Traveller& t : travellers) {
    const auto& document = t.*part;
    batch.position.push_back(std::string::npos);
    if (t.invalid.ok() && document && document->ok()) {
      batch.position.back() = batch.queries.size();
      batch.queries.push_back(**document);
    }
  }
  return batch;
}

Result<std::vector<json>> RunBatch(HubServices& hub, const std::optional<CheckTarget>& target,
                                   const DocumentBatch& batch) {
  if (!target || batch.queries.empty()) return std::vector<json>();
  return RunChecks(hub, *target, batch.queries, nullptr);
}

// The answer to document part `part` of traveller `i`, or nothing if it had none.
std::optional<json> DocumentAnswer(const std::optional<Result<records::IdentifierQuery>>& part,
                                   const Result<std::vector<json>>& checked, std::size_t position) {
  if (!part) return std::nullopt;
  if (!part->ok()) return PartErrorJson(part->status());
  if (!checked.ok()) return PartErrorJson(checked.status());
  return (*checked)[position];
}

// The persons of one traveller: those matched by document, then those found by name that
// were not already.
json PersonsAnswer(HubServices& hub, const TravellerTargets& targets, const Traveller& t,
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
    Result<json> found = t.person->ok() ? RunNameSearch(hub, *targets.nominal, **t.person, nullptr)
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

}  // namespace

json TravellerTargets::DatabasesJson() const {
  json dbs = json::array();
  if (sltd) dbs.push_back("SLTD");
  if (nominal) dbs.push_back("NOMINAL");
  return dbs;
}

std::string TravellerTargets::Describe() const {
  return std::string(sltd ? " SLTD" : "") + (nominal ? " NOMINAL" : "");
}

Result<TravellerTargets> TravellerTargetsOf(RequestContext& ctx, const json& context) {
  TravellerTargets t;
  NCBNET_ASSIGN_OR_RETURN(t.sltd, OptionalTarget(ctx, "SLTD", context, std::nullopt));
  NCBNET_ASSIGN_OR_RETURN(t.nominal, OptionalTarget(ctx, "NOMINAL", context, t.sltd));
  if (!t.sltd && !t.nominal) {
    return Status::PermissionDenied("missing_capability",
                                    "checking travellers needs record.check:SLTD or "
                                    "record.check:NOMINAL");
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
      if (targets.nominal) {
        t.person_document = QueryOfItem(*targets.nominal->db, "document", value);
      }
    } else if (key == "name" || key == "date_of_birth" || key == "sex" || key == "nationality") {
      person[key] = value;
    } else {
      t.invalid = Status::InvalidArgument(
          "invalid_request", "'" + key.substr(0, 32) + "' is not a field of a traveller");
      return t;
    }
  }
  if (targets.nominal && person.contains("name")) {
    Result<index::NameQuery> q = NameQueryOf(person);
    if (q.ok()) q->limit = kPersonsPerTraveller;
    t.person = std::move(q);
  }
  return t;
}

std::vector<json> CheckTravellers(HubServices& hub, const TravellerTargets& targets,
                                  std::span<const Traveller> travellers) {
  const DocumentBatch documents = BatchOf(travellers, &Traveller::document);
  const DocumentBatch person_documents = BatchOf(travellers, &Traveller::person_document);
  const Result<std::vector<json>> in_sltd = RunBatch(hub, targets.sltd, documents);
  const Result<std::vector<json>> in_nominal = RunBatch(hub, targets.nominal, person_documents);
  std::vector<json> answers;
  for (std::size_t i = 0; i < travellers.size(); ++i) {
    const Traveller& t = travellers[i];
    if (!t.invalid.ok()) {
      answers.push_back(PartErrorJson(t.invalid));
      continue;
    }
    json answer = json::object();
    bool alert = false;
    if (std::optional<json> d = DocumentAnswer(t.document, in_sltd, documents.position[i])) {
      alert = alert || d->value("match", false);
      answer["document"] = std::move(*d);
    }
    const std::optional<json> by_document =
        DocumentAnswer(t.person_document, in_nominal, person_documents.position[i]);
    if (!answer.contains("document") && by_document && by_document->contains("error")) {
      answer["document"] = *by_document;  // not checked in SLTD: say why it was not in NOMINAL
    }
    if (t.person || (by_document && by_document->contains("matches"))) {
      json persons = PersonsAnswer(hub, targets, t, by_document);
      alert = alert || (persons.is_array() && !persons.empty());
      answer["persons"] = std::move(persons);
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
