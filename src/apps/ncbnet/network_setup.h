// What `ncbnet init` and `ncbnet demo` share: creating a data directory with a new network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "apps/ncbnet/data_dir.h"
#include "core/status.h"
#include "crypto/sign.h"
#include "records/records.h"
#include "store/store.h"

namespace ncbnet::apps {

struct InitOptions {
  std::string data_dir;
  std::string countries_file;  // empty: the default (FindCountriesFile)
  std::string admin_user = "gs.admin";
  std::string admin_password;  // empty: generate one
  std::string hostname = "localhost";
  // What every certificate of the network names as its CRL; empty: the hub's own,
  // https://<hostname>:8443/v1/pki/crl (DefaultCrlUrl).
  std::string crl_url;
  // Where the store is (a postgresql:// URI; the database must hold no network yet); empty:
  // the data directory's SQLite file.
  std::string store;
};

// Rows of records written before each version carried a MAC (migration 13) are sealed once, by
// the first `serve` after the upgrade, and never again: a version whose MAC a tamperer emptied
// later must fail its reads, not be sealed over. "Once" is the audit entry of this action
// (which nobody can remove unnoticed) and, to spare reading the log at every start, the meta
// row "records_sealed". A new network records both at `ncbnet init`. Errors: the store's and
// the audit log's.
inline constexpr std::string_view kRecordsSealedAction = "ncbnet records seal";
Status SealRecordVersionsOnce(store::Store& store, const records::IndexSecret& secret,
                              const crypto::SigningKey& audit_key);

// https://<hostname>:8443 + access::kCrlPath.
std::string DefaultCrlUrl(const std::string& hostname);

struct InitResult {
  std::string admin_user;
  std::string admin_password;  // shown once to the operator; never logged
  std::size_t countries = 0;
};

// Creates keys, certificates and the store with the GS, one NCB per country and the first GS
// administrator. Errors: kFailedPrecondition "already_initialised", "store_not_empty" (the
// store already holds a network; nothing is written), and those of the parts.
Result<InitResult> InitNetwork(const InitOptions& options);

// The countries file: data/countries.tsv of the source tree, else /usr/share/ncbnet/.
std::string FindCountriesFile();

// Appends an audit entry for an operator's command run on this machine (user "cli").
Status AuditLocal(store::Transaction& tx, const crypto::SigningKey& key, const std::string& action,
                  const std::string& object);

// The same for `user` at `now_ms`, with a request id of `id_prefix`: "hub" for the steps the
// hub takes by itself (review reminders, notice expiry).
Status AuditLocalAs(store::Transaction& tx, const crypto::SigningKey& key, std::int64_t now_ms,
                    const std::string& user, std::string_view id_prefix, const std::string& action,
                    const std::string& object);

}  // namespace ncbnet::apps
