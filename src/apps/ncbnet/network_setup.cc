#include "apps/ncbnet/network_setup.h"

#include <sys/stat.h>

#include <filesystem>

#include <spdlog/spdlog.h>

#include "access/certificates.h"
#include "access/network.h"
#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/countries.h"
#include "crypto/encoding.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "crypto/x509.h"

namespace ncbnet::apps {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

Status CreateDirectory(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::Internal("mkdir_failed", "cannot create " + path);
  ::chmod(path.c_str(), 0700);
  return Status::Ok();
}

Status WriteKeysAndCerts(const DataDir& dir, const InitOptions& options,
                         const crypto::SigningKey& signing_key, std::int64_t now) {
  NCBNET_ASSIGN_OR_RETURN(crypto::KeyAndCert ca,
                          crypto::CreateCertificateAuthority("ncbnet network CA", now - kDayMs,
                                                             now + 10 * 365 * kDayMs));
  crypto::CertRequest hub_req;
  hub_req.common_name = options.hostname;
  hub_req.server = true;
  hub_req.not_before_ms = now - kDayMs;
  hub_req.not_after_ms = now + 2 * 365 * kDayMs;
  hub_req.dns_names = {options.hostname};
  if (options.hostname != "localhost") hub_req.dns_names.push_back("localhost");
  hub_req.ip_addresses = {"127.0.0.1", "::1"};
  hub_req.crl_url = options.crl_url;
  NCBNET_ASSIGN_OR_RETURN(crypto::KeyAndCert hub, crypto::IssueCertificate(ca, hub_req));
  NCBNET_RETURN_IF_ERROR(WriteNewFile(dir.File("ca.key"), ca.key_pem, 0600));
  NCBNET_RETURN_IF_ERROR(WriteNewFile(dir.File("ca.crt"), ca.cert_pem, 0644));
  NCBNET_RETURN_IF_ERROR(WriteNewFile(dir.File("hub.key"), hub.key_pem, 0600));
  NCBNET_RETURN_IF_ERROR(WriteNewFile(dir.File("hub.crt"), hub.cert_pem, 0644));
  NCBNET_RETURN_IF_ERROR(signing_key.SaveFile(dir.File("hub-signing.key")));
  NCBNET_RETURN_IF_ERROR(dir.LoadOrCreateDataKey().status());  // data.key: messages at rest
  // hub-messaging.key: registered to gs when `serve` starts (RegisterHubMessagingKey).
  return dir.LoadOrCreateHubMessagingKey().status();
}

}  // namespace

std::string FindCountriesFile() {
  const std::string source = std::string(NCBNET_SOURCE_DATA_DIR) + "/countries.tsv";
  std::error_code ec;
  if (std::filesystem::exists(source, ec)) return source;
  return "/usr/share/ncbnet/countries.tsv";
}

Status AuditLocal(store::Transaction& tx, const crypto::SigningKey& key, const std::string& action,
                  const std::string& object) {
  return AuditLocalAs(tx, key, SystemClock().NowMillis(), "cli", "cli", action, object);
}

Status AuditLocalAs(store::Transaction& tx, const crypto::SigningKey& key, std::int64_t now_ms,
                    const std::string& user, std::string_view id_prefix, const std::string& action,
                    const std::string& object) {
  audit::AuditEntry e;
  e.time_ms = now_ms;
  e.request_id = crypto::NewId(id_prefix);
  e.user_id = user;
  e.agency_id = "gs";
  e.source = "local";
  e.action = action;
  e.object = object;
  e.outcome = "ok";
  return audit::Append(tx, key, e).status();
}

namespace {

Status CheckStoreEmpty(store::Store& store) {
  return store.Read([](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT value FROM meta WHERE key = 'hub_signing_public_key'"));
    if (!row) return Status::Ok();
    return Status::FailedPrecondition(
        "store_not_empty",
        "the store already holds a network: give ncbnet init an empty database, or run serve"
        " with the data directory of that network");
  });
}

Status MarkRecordsSealed(store::Transaction& tx, const crypto::SigningKey& audit_key,
                         std::int64_t versions) {
  NCBNET_RETURN_IF_ERROR(tx.Exec("INSERT INTO meta (key, value) VALUES ('records_sealed', '1')"
                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                             .status());
  return AuditLocal(tx, audit_key, std::string(kRecordsSealedAction),
                    std::to_string(versions) + " record versions");
}

}  // namespace

Status SealRecordVersionsOnce(store::Store& store, const records::IndexSecret& secret,
                              const crypto::SigningKey& audit_key) {
  return store.Write([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(std::optional<store::Row> flag,
                            tx.QueryOne("SELECT value FROM meta WHERE key = 'records_sealed'"));
    if (flag) return Status::Ok();
    NCBNET_ASSIGN_OR_RETURN(const bool done, audit::HasAction(tx, kRecordsSealedAction));
    if (done) {
      spdlog::error("meta row records_sealed was removed; record versions are not sealed again");
      return tx.Exec("INSERT INTO meta (key, value) VALUES ('records_sealed', '1')").status();
    }
    NCBNET_ASSIGN_OR_RETURN(const std::int64_t sealed, records::SealUnsealedVersions(tx, secret));
    spdlog::info("sealed {} record versions written before they carried a MAC", sealed);
    return MarkRecordsSealed(tx, audit_key, sealed);
  });
}

std::string DefaultCrlUrl(const std::string& hostname) {
  return "https://" + hostname + ":8443" + std::string(access::kCrlPath);
}

Result<InitResult> InitNetwork(const InitOptions& given) {
  InitOptions options = given;
  if (options.crl_url.empty()) options.crl_url = DefaultCrlUrl(options.hostname);
  const DataDir dir(options.data_dir, options.store);
  if (dir.Initialised()) {
    return Status::FailedPrecondition("already_initialised",
                                      options.data_dir + " already holds a network");
  }
  const std::string countries_file =
      options.countries_file.empty() ? FindCountriesFile() : options.countries_file;
  NCBNET_ASSIGN_OR_RETURN(std::vector<Country> countries, LoadCountries(countries_file));
  InitResult result;
  result.admin_user = options.admin_user;
  result.admin_password = options.admin_password.empty()
                              ? crypto::Base64UrlEncode(crypto::RandomBytes(18))
                              : options.admin_password;
  result.countries = countries.size();
  NCBNET_ASSIGN_OR_RETURN(std::string admin_hash, crypto::HashPassword(result.admin_password));

  std::unique_ptr<store::Store> store;
  if (!options.store.empty()) {  // a server store: refused before anything is written
    NCBNET_ASSIGN_OR_RETURN(store, dir.OpenStore());
    NCBNET_RETURN_IF_ERROR(CheckStoreEmpty(*store));
  }
  NCBNET_RETURN_IF_ERROR(CreateDirectory(options.data_dir));
  if (!options.store.empty()) {
    NCBNET_RETURN_IF_ERROR(dir.SetStore(options.store));
  }
  const std::int64_t now = SystemClock().NowMillis();
  const crypto::SigningKey signing_key = crypto::SigningKey::Generate();
  NCBNET_RETURN_IF_ERROR(WriteKeysAndCerts(dir, options, signing_key, now));
  if (store == nullptr) {
    NCBNET_ASSIGN_OR_RETURN(store, dir.OpenStore());
  }
  access::NetworkSpec spec{std::move(countries), options.admin_user, std::move(admin_hash)};
  NCBNET_RETURN_IF_ERROR(store->Write([&](store::Transaction& tx) -> Status {
    NCBNET_RETURN_IF_ERROR(access::CreateNetwork(tx, spec, now));
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO meta (key, value) VALUES ('hub_signing_public_key', ?)",
                {crypto::HexEncode(signing_key.public_key())})
            .status());
    NCBNET_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO meta (key, value) VALUES ('crl_url', ?)", {options.crl_url}).status());
    NCBNET_RETURN_IF_ERROR(audit::Anchor(tx, signing_key));
    NCBNET_RETURN_IF_ERROR(AuditLocal(tx, signing_key, "ncbnet init",
                                      std::to_string(spec.countries.size()) + " NCBs"));
    return MarkRecordsSealed(tx, signing_key, 0);  // every version will carry its MAC
  }));
  return result;
}

}  // namespace ncbnet::apps
