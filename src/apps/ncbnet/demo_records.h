// The demo network's records (issue 4): a few thousand synthetic records in every database of
// the catalogue, owned by several NCBs, some restricted, generated deterministically (the same
// records, field for field, on every first run) and written straight to the store before the
// hub starts, which builds its indexes from them. Every name, number and vehicle is invented.
//
// Thread safety: none needed; called once, before serving.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "crypto/sign.h"
#include "messaging/message_service.h"
#include "records/records.h"
#include "store/store.h"

namespace ncbnet::apps {

// One demo record as the owner would enter it.
struct DemoRecord {
  std::string database;
  std::string owner_country;  // ISO3; the owner is that country's NCB
  records::RecordInput input;
};

// The demo's records, in a fixed order (demo_records_data.cc).
std::vector<DemoRecord> DemoRecords();

// Creates DemoRecords() in one transaction, with an audit entry. Errors: the first record
// refused (a bug in the generator) or the store's.
Status SeedDemoRecords(store::Store& store, const messaging::DataKey& data_key,
                       const crypto::SigningKey& audit_key);

// A check the demo banner offers, answered as `expect` for the demo user `user`.
struct DemoCheck {
  std::string args;    // after "ncbnet check"
  std::string user;    // whose token to use
  std::string expect;  // "MATCH" or "no match"
  std::string note;
};
std::vector<DemoCheck> DemoChecks();

}  // namespace ncbnet::apps
