// The demo network's notices (issue 6): a published Red Notice (A-4471/8-2026, requested by
// Germany on the Volkov of the demo's NOMINAL records), a Yellow Notice on a missing child with
// public consent and a photograph, a Purple Notice, a Red Notice request waiting in the GS's
// review queue, and a diffusion to a few countries. Written through notices/ before the hub
// starts, with its messages and one audit entry. Every name and number is invented.
#pragma once

#include <string>

#include "apps/ncbnet/data_dir.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::apps {

Status SeedDemoNotices(const DataDir& dir, store::Store& store,
                       const crypto::SigningKey& audit_key);

// The banner's line about them.
void PrintNoticesDemo(const std::string& self, const std::string& url, const std::string& ca);

}  // namespace ncbnet::apps
