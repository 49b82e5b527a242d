// A hub node refuses to serve when its clock is off the store server's by more than the
// configured tolerance (max_clock_skew_ms): sessions, idle timeouts, deadlines and audit times
// are written by every node, and must agree (docs/deployment.md).
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::apps {

// Compares `clock` with the store's (Store::ServerTimeMillis), allowing for the time the
// question took. OK for a store without a clock of its own. Errors: kFailedPrecondition
// "clock_skew" saying by how much and what to do; the store's errors.
Status CheckClockSkew(const Clock& clock, store::Store& store, std::int64_t tolerance_ms);

}  // namespace ncbnet::apps
