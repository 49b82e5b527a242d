// A fresh directory under $TMPDIR for one test, removed with everything in it at the end.
#pragma once

#include <filesystem>
#include <string>

namespace ncbnet::testutil {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ncbnet::testutil
