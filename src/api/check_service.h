// The check path shared by the identifier-check endpoints (check_handlers.cc) and, later, the
// screening and border-check endpoints: who is checking, what each query asks, and the
// answers, built from the in-memory indexes and the visible matches' records.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/request_context.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "hits/hits.h"
#include "index/name_index.h"
#include "records/catalogue.h"
#include "records/record_indexes.h"

namespace ncbnet::api {

// A check's database and who checks, with what a match needs to become a hit (hits/hits.h):
// the checker, the circumstances the caller gave, the hub's messaging key.
struct CheckTarget {
  const records::DatabaseSchema* db = nullptr;
  records::Viewer viewer;
  records::RecordIndexes* indexes = nullptr;
  hits::Checker checker;
  hits::CheckContext context;
  const crypto::SigningKey* hub_key = nullptr;
  // The request's accesses (RequestContext::accesses): every match, shown or hidden, is told
  // to the record's owner by an access entry. Null: not told (tests of the check path alone).
  std::vector<audit::Access>* accesses = nullptr;
};

// The {db} of the request, checked by a caller holding record.check:<DB>, in the
// circumstances `context` ({"location", "port", "flight", "reason", "reference"}, or null).
// Errors: those of DatabaseOf, RequireRecordCapability and IndexesOf (api/record_access.h),
// hits::ParseCheckContext's, and CheckerFor's and HubMessageKeyOf's (api/hit_api.h).
Result<CheckTarget> CheckTargetOf(RequestContext& ctx, const nlohmann::json& context = nullptr);

// The query for identifier `name` of `db` (empty: the first identifier whose fields are all in
// `values`, else the first) from field values by name. A series identifier (SAD) also needs
// "number", the document's number within the series. Errors: kInvalidArgument
// "unknown_identifier", "unknown_field" (a value no identifier field takes), "missing_field",
// "invalid_request" (number), or the normaliser's code.
Result<records::IdentifierQuery> QueryOf(const records::DatabaseSchema& db, std::string_view name,
                                         const std::map<std::string, std::string>& values);

// QueryOf() for one item of a batch: a JSON object of strings (and, for "number", an integer).
Result<records::IdentifierQuery> QueryOfItem(const records::DatabaseSchema& db,
                                             std::string_view name, const nlohmann::json& item);

// Runs `queries` for the caller and answers each, in order: {"match": false} or
// {"match": true, "matches": [{"record": Record, "action": ..., "hit": id}...]}. Every match
// is recorded as a hit, its owner notified (hits::RecordHits), before the answer. If `audit_note`
// is set, appends to it what was checked and matched (counts and matched record ids, never the
// identifiers). Uses only `hub` (not the request), so a streamed answer may call it later.
Result<std::vector<nlohmann::json>> RunChecks(HubServices& hub, const CheckTarget& target,
                                              const std::vector<records::IdentifierQuery>& queries,
                                              std::string* audit_note);

// Reads a name query: {"name", "date_of_birth", "sex", "nationality", "limit", "threshold"},
// every key but "name" optional. Error: kInvalidArgument "invalid_request" naming the key.
Result<index::NameQuery> NameQueryOf(const nlohmann::json& body);

// Searches the persons of the target's database for the caller and answers with the visible
// hits, best first: [{"score", "record", "action", "explanation", "hit"}...], each recorded as
// a hit. If `audit_note` is set,
// appends to it what was found (counts and record ids, never the name).
Result<nlohmann::json> RunNameSearch(HubServices& hub, const CheckTarget& target,
                                     const index::NameQuery& query, std::string* audit_note);

}  // namespace ncbnet::api
