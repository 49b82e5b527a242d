// Named groups of countries, defined by the General Secretariat ("europe-west", "g7"), so that
// a message can be addressed to a group (to.groups, docs/message-format.md). A group holds
// ISO 3166-1 alpha-3 codes of the network's member countries (those with an NCB); a message to
// a group goes to the NCBs of its members as they are when the message is sent.
//
// Who may change groups (the GS with agency.admin) is decided by the API layer
// (api/country_group_handlers.cc); these functions only keep the data valid.
//
// Thread safety: plain functions on the caller's store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::messaging {

inline constexpr std::size_t kMaxGroupMembers = 195;
inline constexpr std::size_t kMaxGroupDescriptionBytes = 1000;

struct CountryGroup {
  std::string name;                    // [a-z0-9-]{2,64}
  std::string description;             // may be empty, up to 1000 bytes
  std::vector<std::string> countries;  // member ISO3 codes, sorted, no duplicates
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

// Creates group `name` or replaces its description and members. Duplicated countries count
// once. Returns the group as stored and whether it was created. Errors: kInvalidArgument
// "invalid_group" naming the field (a bad name, a description too long or with control
// characters, no members or more than 195), "unknown_country" naming the code that is not a
// member country of this network. Needs a write transaction.
struct PutResult {
  CountryGroup group;
  bool created = false;
};
Result<PutResult> PutCountryGroup(store::Transaction& tx, std::string_view name,
                                  std::string_view description,
                                  const std::vector<std::string>& countries, std::int64_t now_ms);

// The group `name`, or nullopt.
Result<std::optional<CountryGroup>> GetCountryGroup(store::Transaction& tx, std::string_view name);

// Every group, by name.
Result<std::vector<CountryGroup>> ListCountryGroups(store::Transaction& tx);

// Deletes group `name`. kNotFound "group_not_found" if there is none. Messages already sent to
// it keep their recipients. Needs a write transaction.
Status DeleteCountryGroup(store::Transaction& tx, std::string_view name);

}  // namespace ncbnet::messaging
