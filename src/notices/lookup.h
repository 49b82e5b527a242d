// Which notices and diffusions are live for a viewer, by control number: what the border check
// shows of the control numbers that NOMINAL records cite (their free-text `notices` field), so
// that nothing unpublished, withdrawn or restricted to other countries is disclosed.
//
// Live (docs/notices.md): a notice in state `published`, or a diffusion in state `circulated`
// that was sent to all NCBs (recipients `*`), to the viewer's country, or by it. The GS (a
// viewer without a country) sees published notices and diffusions sent to all, as it sees
// records restricted to listed countries (records/visibility.h): not at all.
//
// Thread safety: a plain function on the caller's store transaction.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace ncbnet::notices {

struct LiveNotice {
  std::string control_number;
  std::string kind;     // red, yellow, ... (notices.kind)
  std::string channel;  // notice or diffusion
  std::string requesting_country;
};

// The notices among `control_numbers` live for a viewer of `viewer_country` (empty: the GS),
// by control number. Unknown control numbers, and those not live for the viewer, are absent,
// exactly alike. Compares control numbers exactly (they are issued by the hub). Reads in
// statements of 100 control numbers. Errors: the store's.
Result<std::map<std::string, LiveNotice>> LookupLive(
    store::Transaction& tx, const std::vector<std::string>& control_numbers,
    std::string_view viewer_country);

}  // namespace ncbnet::notices
