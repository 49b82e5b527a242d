#include "core/sync_dir.h"

#include <fcntl.h>
#include <unistd.h>

namespace ncbnet {

void SyncDirectoryOf(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return;
  static_cast<void>(::fsync(dir_fd));
  ::close(dir_fd);
}

}  // namespace ncbnet
