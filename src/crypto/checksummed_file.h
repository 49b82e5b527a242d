// Files that are written whole and atomically and carry a SHA-256 of their content: the
// snapshots of derived indexes that let a hub restart without rebuilding them.
//
// ChecksummedFileWriter writes `<path>.tmp` (mode 0600), hashing as it goes; Commit() appends
// the 32-byte digest, fsyncs, renames over `path` and fsyncs the directory, so after a crash
// the file is the old one or the new one. ChecksummedFileReader reads such a file in pieces,
// hashing as it goes; Finish() compares the digest, so a caller builds its state from the
// pieces and keeps it only once Finish() is OK.
//
// Thread safety: one object per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "crypto/hash.h"

namespace ncbnet::crypto {

inline constexpr std::size_t kFileChecksumBytes = 32;

class ChecksummedFileWriter {
 public:
  // Error: kInternal "write_failed".
  static Result<std::unique_ptr<ChecksummedFileWriter>> Create(const std::string& path);
  ~ChecksummedFileWriter();  // removes the temporary file unless committed

  void Write(const void* data, std::size_t size);
  // Error: kInternal "write_failed" (any earlier write failed too).
  Status Commit();

 private:
  ChecksummedFileWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
  Sha256Stream hash_;
  bool ok_ = true;
  bool committed_ = false;
};

class ChecksummedFileReader {
 public:
  // Errors: kNotFound "file_missing"; kInternal "read_failed".
  static Result<std::unique_ptr<ChecksummedFileReader>> Open(const std::string& path);
  ~ChecksummedFileReader();

  // The content's size: the file's less the digest (0 if the file is shorter than a digest).
  std::uint64_t content_size() const { return content_size_; }
  std::uint64_t remaining() const { return content_size_ - consumed_; }

  // Reads exactly `size` bytes of content. Error: kDataLoss "file_corrupt" past the content.
  Status Read(void* data, std::size_t size);
  // Checks that all content was read and the digest matches. Error: kDataLoss "file_corrupt".
  Status Finish();

 private:
  ChecksummedFileReader(std::string path, int fd, std::uint64_t content_size)
      : path_(std::move(path)), fd_(fd), content_size_(content_size) {}
  std::string path_;
  int fd_;
  std::uint64_t content_size_;
  std::uint64_t consumed_ = 0;
  Sha256Stream hash_;
};

}  // namespace ncbnet::crypto
