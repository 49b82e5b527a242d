// Creating a network: the General Secretariat with root grants of every capability, one NCB
// per member country with the default NCB grants from the GS, and a first GS administrator.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/countries.h"
#include "core/status.h"
#include "store/store.h"

namespace ncbnet::access {

struct NetworkSpec {
  std::vector<Country> countries;
  std::string admin_user = "gs.admin";
  std::string admin_password_hash;  // argon2id, computed by the caller
};

// Errors: kFailedPrecondition "already_initialised" when the store already holds a network.
Status CreateNetwork(store::Transaction& tx, const NetworkSpec& spec, std::int64_t now_ms);

}  // namespace ncbnet::access
