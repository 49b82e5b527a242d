// Owner restrictions on a record (issue 4, item 3), and who they let see it.
//
// The owner NCB chooses: visible to all members, only to listed countries, or to all but
// listed countries; and, independently, whether frontline terminals see it. The owner's own
// country always sees its records. The GS is not a member country: it sees records visible to
// all and to all but some, not those shown only to listed countries. To anyone a record is not
// visible to, it does not exist: every query path answers as for an absent record.
//
// Thread safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/agencies.h"
#include "core/status.h"

namespace ncbnet::records {

enum class Visibility : std::uint8_t { kAll, kOnly, kExcept };

std::string_view VisibilityName(Visibility v);
// The stored name's visibility, strictly: anything but "all", "only" and "except" is
// kDataLoss "record_undecodable", never a wider visibility (the one decoder of stored rows).
Result<Visibility> VisibilityFromName(std::string_view name);

struct Restrictions {
  Visibility visibility = Visibility::kAll;
  std::vector<std::string> countries;  // sorted, unique ISO alpha-3; empty for kAll
  bool frontline = true;               // terminals may see it

  friend bool operator==(const Restrictions&, const Restrictions&) = default;
};

// {"visibility": "all"|"only"|"except", "countries": [...], "frontline": bool}; every key
// optional (defaults above). Errors: kInvalidArgument "invalid_restrictions" (unknown key, bad
// value, countries with "all", no countries with "only"/"except", more than 195 countries).
Result<Restrictions> ParseRestrictions(const nlohmann::json& json);
nlohmann::json RestrictionsJson(const Restrictions& r);

// Who is looking: the agency's country (empty for the GS) and kind.
struct Viewer {
  std::string agency_id;
  std::string country;
  access::AgencyKind kind = access::AgencyKind::kAgency;
};

bool VisibleTo(const Restrictions& r, std::string_view owner_country, const Viewer& viewer);

}  // namespace ncbnet::records
