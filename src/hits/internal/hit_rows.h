// The hits tables (store/migrations.cc, migration 7) as rows, and the side rule of hits.h:
// shared by hits.cc, hit_reads.cc and follow_ups.cc. Not part of the module's public surface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "hits/hits.h"
#include "store/store.h"

namespace ncbnet::hits::internal {

// kInvalidArgument "invalid_context" unless every text of `c` is within its limits.
Status ValidateContext(const CheckContext& c);

// The columns DecodeHit reads, in its order, for "SELECT <kHitColumns> FROM hits h ...".
extern const std::string_view kHitColumns;

// A hits row as a Hit (without follow-ups). kDataLoss "hit_corrupt" for an unreadable row.
Result<Hit> DecodeHit(const store::Row& row);

// The viewer's side of `h` (hits.h), or nullopt when the viewer may not see it.
std::optional<Side> SideOf(const Hit& h, const HitViewer& viewer);

// The hit `id` if the viewer sees it (its side in `side`); else kNotFound "hit_not_found".
Result<Hit> LoadVisibleHit(store::Transaction& tx, std::string_view id, const HitViewer& viewer,
                           Side& side);

Result<std::vector<FollowUp>> LoadFollowUps(store::Transaction& tx, std::string_view hit_id);

Status HitNotFound();

}  // namespace ncbnet::hits::internal
