// The audit entry of something the hub does on its own (purges): user "hub", agency "gs",
// source "local", outcome "ok", in the caller's transaction.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::messaging::internal {

Status AuditHubAction(store::Transaction& tx, const crypto::SigningKey& audit_key,
                      std::string_view action, std::string_view object, std::int64_t now_ms);

}  // namespace ncbnet::messaging::internal
