#include "apps/ncbnet/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "core/config.h"
#include "core/sync_dir.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

namespace ncbnet::apps {

bool DataDir::Initialised() const {
  std::error_code ec;
  if (!std::filesystem::exists(File("hub-signing.key"), ec)) return false;
  Result<std::string> location = StoreLocation();
  return location.ok() &&
         (store::IsPostgresUri(*location) || std::filesystem::exists(*location, ec));
}

Result<std::string> DataDir::StoreLocation() const {
  if (!store_.empty()) return store_;
  HubConfig config;
  std::error_code ec;
  if (std::filesystem::exists(File("ncbnet.toml"), ec)) {
    NCBNET_RETURN_IF_ERROR(LoadConfigFile(File("ncbnet.toml"), config));
  }
  return config.store.empty() ? Db() : config.store;
}

Result<std::unique_ptr<store::Store>> DataDir::OpenStore() const {
  NCBNET_ASSIGN_OR_RETURN(const std::string location, StoreLocation());
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                          store::IsPostgresUri(location) ? store::OpenPostgresStore(location)
                                                         : store::OpenSqliteStore(location));
  std::error_code ec;
  if (!std::filesystem::exists(File("hub-signing.key"), ec)) return store;
  NCBNET_ASSIGN_OR_RETURN(const crypto::SigningKey key, LoadSigningKey());
  std::optional<std::string> recorded;
  NCBNET_RETURN_IF_ERROR(store->Read([&](store::Transaction& tx) -> Status {
    NCBNET_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("SELECT value FROM meta WHERE key = 'hub_signing_public_key'"));
    if (row && !row->empty()) recorded = (*row)[0].AsText();
    return Status::Ok();
  }));
  if (recorded && *recorded != crypto::HexEncode(key.public_key())) {
    return Status::FailedPrecondition(
        "store_of_another_network",
        "the store holds another network than " + path_ +
            " (its hub signing key differs): check the data directory's store setting");
  }
  return store;
}

Status DataDir::SetStore(const std::string& uri) const {
  const std::string path = File("ncbnet.toml");
  std::string text;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    HubConfig config;
    NCBNET_RETURN_IF_ERROR(LoadConfigFile(path, config));
    if (!config.store.empty()) {
      return Status::FailedPrecondition("store_already_set", path + " names a store already");
    }
    NCBNET_ASSIGN_OR_RETURN(text, ReadFile(path));
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
  std::ostringstream line;
  line << "# Where this network's store is (written by ncbnet).\n"
       << toml::table{{"store", uri}} << "\n";
  text += line.str();
  const std::string fresh = path + ".new";
  std::filesystem::remove(fresh, ec);
  NCBNET_RETURN_IF_ERROR(WriteNewFile(fresh, text, 0600));
  std::filesystem::rename(fresh, path, ec);
  if (ec) return Status::Internal("write_failed", "cannot replace " + path + ": " + ec.message());
  return Status::Ok();
}

Result<crypto::SigningKey> DataDir::LoadSigningKey() const {
  return crypto::SigningKey::LoadFile(File("hub-signing.key"));
}

Result<crypto::KeyAndCert> DataDir::LoadCa() const {
  crypto::KeyAndCert ca;
  NCBNET_ASSIGN_OR_RETURN(ca.cert_pem, ReadFile(File("ca.crt")));
  NCBNET_ASSIGN_OR_RETURN(ca.key_pem, ReadFile(File("ca.key")));
  return ca;
}

Result<crypto::KeyAndCert> DataDir::LoadHubTls() const {
  crypto::KeyAndCert hub;
  NCBNET_ASSIGN_OR_RETURN(hub.cert_pem, ReadFile(File("hub.crt")));
  NCBNET_ASSIGN_OR_RETURN(hub.key_pem, ReadFile(File("hub.key")));
  return hub;
}

Result<messaging::DataKey> DataDir::LoadOrCreateDataKey() const {
  const std::string path = File("data.key");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    const Status created =
        WriteNewFile(path, crypto::HexEncode(crypto::RandomBytes(32)) + "\n", 0600);
    // kAlreadyExists: another process made it first; read theirs.
    if (!created.ok() && created.code() != StatusCode::kAlreadyExists) return created;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Status::NotFound("file_missing", "cannot read " + path);
  if ((st.st_mode & 077) != 0) {
    return Status::FailedPrecondition(
        "key_file_permissions", path + " must not be readable by group or others (chmod 600)");
  }
  NCBNET_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (!text.empty() && text.back() == '\n') text.pop_back();
  auto bytes = crypto::HexDecode(text);
  if (!bytes.ok() || bytes->size() != 32) {
    return Status::InvalidArgument("invalid_key_file", path + " must hold 64 hex characters");
  }
  return messaging::DataKey{std::move(bytes).value()};
}

Result<crypto::SigningKey> DataDir::LoadOrCreateHubMessagingKey() const {
  const std::string path = File("hub-messaging.key");
  Result<crypto::SigningKey> key = crypto::SigningKey::LoadFile(path);
  if (key.ok() || key.status().code() != StatusCode::kNotFound) return key;
  const Status saved = crypto::SigningKey::Generate().SaveFile(path);
  // kAlreadyExists: another process made it first; read theirs.
  if (!saved.ok() && saved.code() != StatusCode::kAlreadyExists) return saved;
  return crypto::SigningKey::LoadFile(path);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("file_missing", "cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

Status WriteNewFile(const std::string& path, const std::string& contents, int mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Status::AlreadyExists("file_exists", "cannot create " + path);
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Status::Internal("write_failed", "cannot write " + path);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::Internal("write_failed", "cannot fsync " + path);
  return Status::Ok();
}

Status ReplaceFile(const std::string& path, const std::string& contents) {
  const std::string temp = path + ".tmp";
  const Status failed = Status::Internal("write_failed", "cannot write " + path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return failed;
  bool ok = ::fchmod(fd, 0600) == 0;  // a temporary file left by someone else may differ
  std::size_t done = 0;
  while (ok && done < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) return failed;
  SyncDirectoryOf(path);
  return Status::Ok();
}

}  // namespace ncbnet::apps
