#include "replica/offline_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>

#include "core/json.h"
#include "core/sync_dir.h"
#include "crypto/encoding.h"
#include "crypto/random.h"

namespace ncbnet::replica {
namespace {

bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

Status WriteFailed(const std::string& path) {
  return Status::Internal("write_failed", "cannot write " + path);
}

}  // namespace

std::string OfflineJournal::NewId() { return crypto::HexEncode(crypto::RandomBytes(16)); }

Status OfflineJournal::Append(const char* file, const nlohmann::json& line) {
  const std::string path = dir_ + "/" + file;
  const bool existed = ::access(path.c_str(), F_OK) == 0;
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return WriteFailed(path);
  const bool ok = WriteAll(fd, line.dump() + "\n") && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return WriteFailed(path);
  if (!existed) SyncDirectoryOf(path);
  return Status::Ok();
}

Result<std::vector<nlohmann::json>> OfflineJournal::Read(const char* file) const {
  std::vector<nlohmann::json> out;
  std::ifstream in(dir_ + "/" + file);
  if (!in) return out;  // nothing queued yet
  std::string line;
  while (std::getline(in, line)) {
    auto j = ParseJson(line);
    // A line cut short by a crash (the last one) does not parse: it was never acknowledged.
    if (j.is_object() && j.contains("id")) out.push_back(std::move(j));
  }
  if (in.bad()) return Status::Internal("read_failed", "cannot read " + dir_ + "/" + file);
  return out;
}

Status OfflineJournal::Rewrite(const char* file, const std::vector<nlohmann::json>& lines) {
  const std::string path = dir_ + "/" + file;
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return WriteFailed(tmp);
  std::string data;
  for (const nlohmann::json& l : lines) data += l.dump() + "\n";
  const bool ok = WriteAll(fd, data) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return WriteFailed(path);
  }
  SyncDirectoryOf(path);
  return Status::Ok();
}

Status OfflineJournal::Drop(const std::set<std::string>& ids) {
  for (const char* file : {kHits, kChecks}) {
    NCBNET_ASSIGN_OR_RETURN(std::vector<nlohmann::json> lines, Read(file));
    std::vector<nlohmann::json> kept;
    for (nlohmann::json& l : lines) {
      const auto id = l["id"];
      if (!id.is_string() || ids.count(id.get<std::string>()) == 0) kept.push_back(std::move(l));
    }
    if (kept.size() != lines.size()) NCBNET_RETURN_IF_ERROR(Rewrite(file, kept));
  }
  return Status::Ok();
}

}  // namespace ncbnet::replica
