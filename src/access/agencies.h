// The agency tree: the General Secretariat at the root, one NCB per member country under it,
// then national agencies and terminals that an NCB creates under itself (an agency may hold
// terminals of its own). Functions work inside a caller's store transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

inline constexpr std::string_view kGsAgencyId = "gs";

enum class AgencyKind { kGs, kNcb, kAgency, kTerminal };

std::string_view AgencyKindName(AgencyKind kind);
std::optional<AgencyKind> ParseAgencyKind(std::string_view name);

struct Agency {
  std::string id;
  std::optional<std::string> parent_id;
  AgencyKind kind = AgencyKind::kAgency;
  std::optional<std::string> country;  // ISO 3166-1 alpha-3; none for the GS
  std::string name;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> disabled_ms;
};

// The NCB's id for a country code: "ncb-" + lower-case alpha-3.
std::string NcbIdFor(std::string_view alpha3);

Result<std::optional<Agency>> FindAgency(store::Transaction& tx, std::string_view id);

// Errors: kAlreadyExists "agency_exists".
Status InsertAgency(store::Transaction& tx, const Agency& agency);

// True iff `id` is `root` or lies below it in the tree.
Result<bool> IsInBranch(store::Transaction& tx, std::string_view root, std::string_view id);

// Those of `ids` that exist and are enabled, in their order: the agencies a message can reach
// (a message to a disabled or unknown agency is refused, messaging/message_service.h).
Result<std::vector<std::string>> EnabledAgencies(store::Transaction& tx,
                                                 const std::vector<std::string>& ids);

// `root` and every agency below it, parents before children.
Result<std::vector<Agency>> ListBranch(store::Transaction& tx, std::string_view root);

// kFailedPrecondition "agency_disabled" if `agency` is disabled: nothing new (agencies below
// it, users, grants, certificates) is made for a disabled agency (access/disabling.h).
Status RequireEnabled(const Agency& agency);

// Creates a national agency or terminal under `parent_id`, which must be an NCB or an agency
// and lie in `actor_agency`'s branch (else kNotFound "agency_not_found": outside one's branch
// looks like absent). Errors: kInvalidArgument "invalid_parent", "invalid_request";
// kFailedPrecondition "agency_disabled".
Result<Agency> CreateChildAgency(store::Transaction& tx, std::string_view actor_agency,
                                 std::string_view parent_id, AgencyKind kind, std::string_view name,
                                 std::int64_t now_ms);

}  // namespace ncbnet::access
