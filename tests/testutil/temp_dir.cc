#include "tests/testutil/temp_dir.h"

#include <stdlib.h>

#include <system_error>

#include "core/check.h"

namespace ncbnet::testutil {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ncbnet-test-XXXXXX").string();
  NCBNET_CHECK(mkdtemp(pattern.data()) != nullptr, "cannot create a temporary directory");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace ncbnet::testutil
