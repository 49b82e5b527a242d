// The automatic checks of a notice's fields (notices.h): their types when a draft is saved,
// completeness and data quality at submission, and possible duplicates. Not part of the
// module's public surface.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "notices/kinds.h"
#include "notices/notices.h"
#include "store/store.h"

namespace ncbnet::notices::internal {

// The fields in canonical form (records::ValidateFields over the kind's fields, none required;
// assurances kept as booleans). Error: kInvalidArgument "invalid_notice" naming the field.
Result<nlohmann::json> ValidateDraftFields(const Kind& kind, const nlohmann::json& fields);

// What keeps valid draft fields from being submitted: missing required fields, assurances not
// given, dates in the future, names that are not names. Empty when complete.
std::vector<Problem> CheckComplete(const Kind& kind, const nlohmann::json& fields,
                                   std::int64_t now_ms);

// Notices of the same kind under review or published whose subject has one of `n`'s identity
// documents, or the same name and date of birth: [{"type": "possible_duplicate", "notice_id",
// "control_number", "state", "requesting_country", "matched_by"}].
Result<nlohmann::json> FindDuplicates(store::Transaction& tx, const Keys& keys, const Kind& kind,
                                      const Notice& n);

}  // namespace ncbnet::notices::internal
