// What makes a notice live and stops it (notices.h): its control number, its NOTICES record
// (the subject matchable in checks), its public extract. Not part of the module's public
// surface.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "notices/kinds.h"
#include "notices/notices.h"
#include "store/store.h"

namespace ncbnet::notices::internal {

// Makes `n` (already in its live state) live: gives it `control_number` or the next number of
// its series, a publication time and an expiry if it has none, creates (or re-creates after a
// suspension) its NOTICES record, and writes its public extract if consented. Does not save n.
Status GoLive(store::Transaction& tx, const Keys& keys, const Kind& kind, Notice& n,
              std::int64_t now_ms, std::string_view control_number = {});

// After an approved update or extension of a live notice: the record takes the new subject
// and review date, the public extract the new fields.
Status RefreshLive(store::Transaction& tx, const Keys& keys, const Kind& kind, Notice& n,
                   std::int64_t now_ms);

// Cancels its record (with `reason`) and removes its public extract. Does not save n.
Status StopLive(store::Transaction& tx, const Keys& keys, const Notice& n, std::string_view reason,
                std::int64_t now_ms);

}  // namespace ncbnet::notices::internal
