// Checking travellers against the network's databases: the document against SLTD, and the
// person against the person databases, NOMINAL (persons sought by their NCBs) and NOTICES (the
// subjects of live notices and diffusions): by the document among their identity documents,
// and by name, date of birth, sex and nationality. What passenger screening
// (screening_handlers.cc) and the border check (border_check_handlers.cc) share. Each database
// is checked only if the caller holds record.check for it; every match becomes a hit
// (api/check_service.h), its owner told.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/check_service.h"

namespace ncbnet::api {

// The person databases, by their index in TravellerTargets::persons: the order they are
// checked and answered in.
inline constexpr std::size_t kNominal = 0;
inline constexpr std::size_t kNotices = 1;
inline constexpr std::size_t kPersonDatabases = 2;

// The databases a traveller is checked against, for one caller.
struct TravellerTargets {
  std::optional<CheckTarget> sltd;  // set iff the caller holds record.check:SLTD
  // [kNominal], [kNotices]: set iff the caller holds record.check for it.
  std::array<std::optional<CheckTarget>, kPersonDatabases> persons;

  bool any_person() const { return persons[kNominal] || persons[kNotices]; }
  const CheckTarget& any() const;        // the first set (one always is)
  nlohmann::json DatabasesJson() const;  // ["SLTD", "NOMINAL", "NOTICES"], those set
  std::string Describe() const;          // " SLTD NOMINAL NOTICES", for audit notes
};

// The targets for the caller in the circumstances `context` (CheckTargetOf). Errors:
// kPermissionDenied "missing_capability" if it holds none; CheckTargetOf's others.
Result<TravellerTargets> TravellerTargetsOf(RequestContext& ctx, const nlohmann::json& context);

// One traveller, parsed: each part to check, or why it does not parse.
struct Traveller {
  std::optional<Result<records::IdentifierQuery>> document;  // in SLTD
  // The document among the identity documents of each person database.
  std::array<std::optional<Result<records::IdentifierQuery>>, kPersonDatabases> person_documents;
  std::optional<Result<index::NameQuery>> person;  // by name, in each person database
  Status invalid;                                  // the traveller as a whole does not parse
};

// Reads {"document": {"number", "issuing_country"}?, "name"?, "date_of_birth"?, "sex"?,
// "nationality"?}: only the parts the targets check are parsed. A traveller that names no
// person is not searched by name.
Traveller TravellerOf(const nlohmann::json& item, const TravellerTargets& targets);

// Checks `travellers` in order; answer i is {"document": {"match", "matches"?} | {"error"},
// "persons": [match...] | {"error"}, "notices": [notice match...] | {"error"}, "alert": bool}
// (or {"error"} for an invalid traveller). A person match is a NOMINAL record whose identity
// documents hold the traveller's document ("matched_by": "document") or a name-search result
// ("matched_by": "name", with its score and explanation); each person appears once, by
// document first. A notice match is the same for a NOTICES record, presented as the notice:
// {"control_number", "kind", "channel", "requesting_country", "matched_by", "score"?,
// "explanation"?, "action"?, "record", "hit"}. "persons" ("notices") is there when NOMINAL
// (NOTICES) was checked and the traveller names a person or its document matched.
std::vector<nlohmann::json> CheckTravellers(HubServices& hub, const TravellerTargets& targets,
                                            std::span<const Traveller> travellers);

// Removes "context" (hits::CheckContext) from a request body and returns it (null if none).
nlohmann::json TakeContext(nlohmann::json& body);

// {"error": {"code", "message"}} for a part of an answer that failed.
nlohmann::json PartErrorJson(const Status& s);

}  // namespace ncbnet::api
