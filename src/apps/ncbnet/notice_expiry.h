// Expiry of notices for the hub process (notices/notices.h, ExpireDue): hub_runner.cc runs
// ExpireAllNotices every hour on a PeriodicTask. A notice's record already stops matching at
// its review date, which is its expiry; this step marks the notice expired, cancels the record,
// removes the public extract and tells the requesting NCB.
#pragma once

#include "core/clock.h"
#include "core/status.h"
#include "notices/notices.h"
#include "records/record_indexes.h"
#include "store/store.h"

namespace ncbnet::apps {

// Expires due notices in write transactions of at most 20, each batch audited
// ("notice.expire", user "hub"), then catches `indexes` up. Returns how many expired.
Result<int> ExpireAllNotices(store::Store& store, const crypto::SigningKey& audit_key,
                             const notices::Keys& keys, records::RecordIndexes& indexes,
                             const Clock& clock);

}  // namespace ncbnet::apps
