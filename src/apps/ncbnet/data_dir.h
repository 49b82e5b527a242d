// The hub's data directory: where `ncbnet init` puts the store and the keys, and where every
// other subcommand finds them.
//
//   ncbnet.db            the SQLite store (WAL), unless ncbnet.toml names another store
//   ca.crt, ca.key       the network's certificate authority
//   hub.crt, hub.key     the hub's TLS certificate and key
//   hub-signing.key      the hub's Ed25519 key (signs the audit chain's head)
//   hub-messaging.key    the hub's Ed25519 messaging key (signs its own messages: hit
//                        notifications, review reminders; registered as a key of gs)
//   data.key             the data key: encrypts messages at rest (32 bytes as 64 hex + newline)
//   agency-keys/         demo networks only: the demo NCBs' message-signing keys
//   ncbnet.toml          optional configuration, read by `serve` if present; its `store` key
//                        (a postgresql:// URI, written by `init --store`, mode 0600) is where
//                        every command on this directory finds the store
// Private keys are mode 0600 and never logged.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "crypto/sign.h"
#include "crypto/x509.h"
#include "messaging/message_service.h"
#include "store/store.h"

namespace ncbnet::apps {

class DataDir {
 public:
  // `store`: where the store is, overriding the directory's ncbnet.toml (serve --config);
  // empty: as the directory says.
  explicit DataDir(std::string path, std::string store = "")
      : path_(std::move(path)), store_(std::move(store)) {}

  std::string File(const char* name) const { return path_ + "/" + name; }
  std::string Db() const { return File("ncbnet.db"); }
  const std::string& path() const { return path_; }

  // True when the directory holds an initialised network.
  bool Initialised() const;

  // Where the store is: a postgresql:// URI, or the path of the SQLite file. Errors: those of
  // reading ncbnet.toml.
  Result<std::string> StoreLocation() const;
  // Opens the store and checks that it belongs to this directory's network (its
  // hub_signing_public_key is this directory's key). Errors: kFailedPrecondition
  // "store_of_another_network", and the back end's (store_unavailable, schema_too_new...).
  Result<std::unique_ptr<store::Store>> OpenStore() const;
  // Records `uri` as the directory's store: a `store` line added to ncbnet.toml (created if
  // absent; mode 0600, since a URI may carry a password; replaced atomically, comments kept).
  // Errors: kFailedPrecondition "store_already_set" if the file names a store already.
  Status SetStore(const std::string& uri) const;
  Result<crypto::SigningKey> LoadSigningKey() const;
  Result<crypto::KeyAndCert> LoadCa() const;
  Result<crypto::KeyAndCert> LoadHubTls() const;
  // Reads data.key, creating it (0600, 32 random bytes) if it is absent: `init` makes it, and
  // `serve` makes it for a data directory older than messaging. Errors: kInvalidArgument
  // "invalid_key_file" if malformed; kFailedPrecondition "key_file_permissions" if group or
  // others may read it.
  Result<messaging::DataKey> LoadOrCreateDataKey() const;
  // Reads hub-messaging.key, creating it (0600, a new Ed25519 key) if it is absent: `init`
  // makes it, and `serve` makes it for a data directory older than hits. Errors: those of
  // crypto::SigningKey::LoadFile.
  Result<crypto::SigningKey> LoadOrCreateHubMessagingKey() const;

 private:
  std::string path_;
  std::string store_;
};

Result<std::string> ReadFile(const std::string& path);
// Writes `contents` to a new file with `mode` (0600 for secrets), fsyncs, never overwrites.
Status WriteNewFile(const std::string& path, const std::string& contents, int mode);
// Replaces `path` atomically with `contents`, mode 0600 (temporary file, fsync, rename, fsync
// of the directory): after a crash it holds the old contents or the new, never a torn file.
// Errors: kInternal "write_failed".
Status ReplaceFile(const std::string& path, const std::string& contents);

}  // namespace ncbnet::apps
