// Checking travellers against the network's databases: the document against SLTD (and against
// the identity documents of wanted persons in NOMINAL), the person by name against NOMINAL.
// What passenger screening (screening_handlers.cc) and the border check
// (border_check_handlers.cc) share. Each database is checked only if the caller holds
// record.check for it; every match becomes a hit (api/check_service.h).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/check_service.h"

namespace ncbnet::api {

// The databases a traveller is checked against, for one caller.
struct TravellerTargets {
  std::optional<CheckTarget> sltd;     // set iff the caller holds record.check:SLTD
  std::optional<CheckTarget> nominal;  // set iff the caller holds record.check:NOMINAL

  nlohmann::json DatabasesJson() const;  // ["SLTD", "NOMINAL"], those set
  std::string Describe() const;          // " SLTD NOMINAL", for audit notes
};

// The targets for the caller in the circumstances `context` (CheckTargetOf). Errors:
// kPermissionDenied "missing_capability" if it holds neither; CheckTargetOf's others.
Result<TravellerTargets> TravellerTargetsOf(RequestContext& ctx, const nlohmann::json& context);

// One traveller, parsed: each part to check, or why it does not parse.
struct Traveller {
  std::optional<Result<records::IdentifierQuery>> document;         // in SLTD
  std::optional<Result<records::IdentifierQuery>> person_document;  // in NOMINAL
  std::optional<Result<index::NameQuery>> person;                   // in NOMINAL
  Status invalid;  // the traveller as a whole does not parse
};

// Reads {"document": {"number", "issuing_country"}?, "name"?, "date_of_birth"?, "sex"?,
// "nationality"?}: only the parts the targets check are parsed. A traveller that names no
// person is not searched by name.
Traveller TravellerOf(const nlohmann::json& item, const TravellerTargets& targets);

// Checks `travellers` in order; answer i is {"document": {"match", "matches"?} | {"error"},
// "persons": [match...] | {"error"}, "alert": bool} (or {"error"} for an invalid traveller),
// where a person match is a name-search result ("matched_by": "name", with its score and
// explanation) or a person whose identity documents hold the traveller's document
// ("matched_by": "document"); each person appears once, by document first.
std::vector<nlohmann::json> CheckTravellers(HubServices& hub, const TravellerTargets& targets,
                                            std::span<const Traveller> travellers);

// Removes "context" (hits::CheckContext) from a request body and returns it (null if none).
nlohmann::json TakeContext(nlohmann::json& body);

// {"error": {"code", "message"}} for a part of an answer that failed.
nlohmann::json PartErrorJson(const Status& s);

}  // namespace ncbnet::api
