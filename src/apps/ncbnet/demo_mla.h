// The demo network's mutual legal assistance requests (issue 6, item 5; docs/mla.md): the
// French Ministry of Justice and the German Federal Office of Justice as central authorities
// (with demo users fra.justice and deu.justice), and a few synthetic requests between France,
// Germany and Italy in different states, each step told to the parties by the hub's messages.
// Written straight to the store before the hub starts. Every name, account and case is invented.
//
// Thread safety: none needed; called once, before serving.
#pragma once

#include <string>

#include "apps/ncbnet/data_dir.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "store/store.h"

namespace ncbnet::apps {

// Creates the central authorities, their users (password `password`) and the requests, in one
// transaction with an audit entry. Registers the hub's messaging key to gs first if it is not.
Status SeedDemoMla(const DataDir& dir, store::Store& store, const crypto::SigningKey& audit_key,
                   const std::string& password);

// The demo banner's lines about MLA requests.
void PrintMlaDemo(const std::string& self, const std::string& url, const std::string& data_dir);

}  // namespace ncbnet::apps
