#include "crypto/sign.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <sodium.h>

#include "core/check.h"
#include "crypto/encoding.h"
#include "crypto/internal/sodium.h"
#include "crypto/random.h"

namespace ncbnet::crypto {

namespace {

constexpr std::size_t kKeyFileBytes = crypto_sign_SEEDBYTES * 2 + 1;  // hex + '\n'

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Closes the descriptor on every path out of a function.
class FileCloser {
 public:
  explicit FileCloser(int fd) : fd_(fd) {}
  ~FileCloser() { ::close(fd_); }
  FileCloser(const FileCloser&) = delete;
  FileCloser& operator=(const FileCloser&) = delete;

 private:
  int fd_;
};

// Reads at most `limit` bytes (one more than a valid file) so a huge file cannot exhaust us.
Result<std::string> ReadSmall(int fd, std::size_t limit) {
  std::string data(limit, '\0');
  std::size_t used = 0;
  while (used < limit) {
    const ssize_t n = ::read(fd, data.data() + used, limit - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      sodium_memzero(data.data(), data.size());
      return Status::Unavailable("io_error", "cannot read key file");
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  data.resize(used);
  return data;
}

}  // namespace

SigningKey SigningKey::Generate() {
  std::string seed = RandomBytes(crypto_sign_SEEDBYTES);
  Result<SigningKey> key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  NCBNET_CHECK(key.ok(), "a 32-byte seed is always a valid key");
  return std::move(key).value();
}

Result<SigningKey> SigningKey::FromSeed(std::string_view seed) {
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return Status::InvalidArgument("invalid_key", "an Ed25519 seed is 32 bytes");
  }
  internal::EnsureSodiumInitialized();
  SigningKey key;
  key.secret_key_.assign(crypto_sign_SECRETKEYBYTES, '\0');
  key.public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(key.public_key_.data()),
                           reinterpret_cast<unsigned char*>(key.secret_key_.data()), Bytes(seed));
  return key;
}

Result<SigningKey> SigningKey::LoadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("key_file_missing", "key file not found");
    return Status::Unavailable("io_error", "cannot open key file");
  }
  const FileCloser closer(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::Unavailable("io_error", "cannot stat key file");
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("invalid_key_file", "key file is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::FailedPrecondition("key_file_permissions",
                                      "key file is accessible to group or others; chmod 600");
  }
  NCBNET_ASSIGN_OR_RETURN(std::string text, ReadSmall(fd, kKeyFileBytes + 1));
  Result<std::string> seed = Status::InvalidArgument("invalid_key_file", "malformed key file");
  if (text.size() == kKeyFileBytes && text.back() == '\n') {
    seed = HexDecode(std::string_view(text).substr(0, kKeyFileBytes - 1));
  }
  sodium_memzero(text.data(), text.size());
  if (!seed.ok()) return Status::InvalidArgument("invalid_key_file", "malformed key file");
  Result<SigningKey> key = FromSeed(*seed);
  sodium_memzero(seed->data(), seed->size());
  return key;
}

Status SigningKey::SaveFile(const std::string& path) const {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists("key_file_exists", "key file exists");
    return Status::Unavailable("io_error", "cannot create key file");
  }
  const FileCloser closer(fd);
  // The umask may only remove bits, but make the mode explicit in case the file system
  // ignored the creation mode.
  if (::fchmod(fd, 0600) != 0) return Status::Unavailable("io_error", "cannot chmod key file");
  std::string text =
      HexEncode(std::string_view(secret_key_).substr(0, crypto_sign_SEEDBYTES)) + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  sodium_memzero(text.data(), text.size());
  if (written != kKeyFileBytes || ::fsync(fd) != 0) {
    // Leave no half-written key behind to be loaded later or to block a retry.
    ::unlink(path.c_str());
    return Status::Unavailable("io_error", "cannot write key file");
  }
  return Status::Ok();
}

std::string SigningKey::Sign(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr, Bytes(message),
                       message.size(), Bytes(secret_key_));
  return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  internal::EnsureSodiumInitialized();
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     Bytes(public_key)) == 0;
}

}  // namespace ncbnet::crypto
