#include "crypto/checksummed_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/sync_dir.h"
#include "crypto/encoding.h"

namespace ncbnet::crypto {
namespace {

constexpr std::size_t kBlockBytes = std::size_t{16} << 20;

bool ReadFully(int fd, void* data, std::size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t r = ::read(fd, p, std::min(size, kBlockBytes));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    size -= static_cast<std::size_t>(r);
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<ChecksummedFileWriter>> ChecksummedFileWriter::Create(
    const std::string& path) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  // A temporary file left by someone else may have other permissions.
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    if (fd >= 0) ::close(fd);
    return Status::Internal("write_failed", "cannot create " + temp);
  }
  return std::unique_ptr<ChecksummedFileWriter>(new ChecksummedFileWriter(path, fd));
}

ChecksummedFileWriter::~ChecksummedFileWriter() {
  if (committed_) return;
  ::close(fd_);
  ::unlink((path_ + ".tmp").c_str());
}

void ChecksummedFileWriter::Write(const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (ok_ && size > 0) {
    const std::size_t n = std::min(size, kBlockBytes);
    hash_.Update({p, n});
    for (std::size_t done = 0; ok_ && done < n;) {
      const ssize_t w = ::write(fd_, p + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      ok_ = w > 0;
      if (ok_) done += static_cast<std::size_t>(w);
    }
    p += n;
    size -= n;
  }
}

Status ChecksummedFileWriter::Commit() {
  const Result<std::string> digest = HexDecode(hash_.FinishHex());
  bool ok = digest.ok();
  if (ok) Write(digest->data(), digest->size());
  ok = ok && ok_ && ::fsync(fd_) == 0;
  ok = ::close(fd_) == 0 && ok;
  committed_ = true;
  const std::string temp = path_ + ".tmp";
  if (!ok || ::rename(temp.c_str(), path_.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status::Internal("write_failed", "cannot write " + path_);
  }
  SyncDirectoryOf(path_);
  return Status::Ok();
}

Result<std::unique_ptr<ChecksummedFileReader>> ChecksummedFileReader::Open(
    const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("file_missing", path + " does not exist");
    return Status::Internal("read_failed", "cannot open " + path);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::Internal("read_failed", "cannot stat " + path);
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  return std::unique_ptr<ChecksummedFileReader>(new ChecksummedFileReader(
      path, fd, size < kFileChecksumBytes ? 0 : size - kFileChecksumBytes));
}

ChecksummedFileReader::~ChecksummedFileReader() { ::close(fd_); }

Status ChecksummedFileReader::Read(void* data, std::size_t size) {
  if (size > remaining()) return Status::DataLoss("file_corrupt", path_ + ": shorter than it says");
  if (!ReadFully(fd_, data, size)) return Status::DataLoss("file_corrupt", path_ + ": short read");
  const auto* p = static_cast<const char*>(data);
  for (std::size_t done = 0; done < size; done += kBlockBytes) {
    hash_.Update({p + done, std::min(kBlockBytes, size - done)});
  }
  consumed_ += size;
  return Status::Ok();
}

Status ChecksummedFileReader::Finish() {
  if (remaining() != 0) return Status::DataLoss("file_corrupt", path_ + ": longer than it says");
  std::string stored(kFileChecksumBytes, '\0');
  const Result<std::string> digest = HexDecode(hash_.FinishHex());
  if (content_size_ == 0 || !ReadFully(fd_, stored.data(), stored.size()) || !digest.ok() ||
      *digest != stored) {
    return Status::DataLoss("file_corrupt", path_ + ": checksum mismatch");
  }
  return Status::Ok();
}

}  // namespace ncbnet::crypto
