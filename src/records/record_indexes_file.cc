// RecordIndexes::Save and Load: the snapshot files of docs/records.md ("Index snapshots").
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <mutex>

#include "core/sync_dir.h"
#include "crypto/checksummed_file.h"
#include "crypto/kdf.h"
#include "records/internal/record_indexes_state.h"
#include "records/record_indexes.h"

namespace ncbnet::records {
namespace {

constexpr char kMagic[8] = {'N', 'C', 'B', 'R', 'M', 'E', 'T', 'A'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kMaxListBytes = 195 * 4;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t meta_bytes;
  std::int64_t feed;
  std::int64_t records;
  std::uint64_t meta_count;
  std::uint64_t list_count;
  std::uint64_t range_count;
  char key_check[16];  // proves the snapshot was made under this hub's index secret
};
static_assert(sizeof(Header) == 72);

struct Range {
  std::int64_t ref, from, to;
};

std::string KeyCheck(const IndexSecret& secret) {
  return crypto::HmacSha256(secret.bytes, "ncbnet-record-indexes-v1").substr(0, 16);
}

std::string IdsFile(const std::string& dir, std::int64_t feed) {
  return dir + "/identifiers-" + std::to_string(feed) + ".idx";
}
std::string MetaFile(const std::string& dir, std::int64_t feed) {
  return dir + "/meta-" + std::to_string(feed) + ".bin";
}

Status Corrupt(const std::string& what) {
  return Status::DataLoss("snapshot_corrupt", "record index snapshot: " + what);
}

// Any error but a missing file is a damaged snapshot.
Status AsSnapshotError(const Status& s) {
  if (s.reason() == "file_missing" || s.reason() == "index_missing") {
    return Status::NotFound("snapshot_missing", s.message());
  }
  return Corrupt(s.message());
}

Status WriteMeta(const std::string& path, const RecordIndexes::State& s,
                 const IndexSecret& secret) {
  NCBNET_ASSIGN_OR_RETURN(auto out, crypto::ChecksummedFileWriter::Create(path));
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion;
  h.meta_bytes = sizeof(RefMeta);
  h.feed = s.feed;
  h.records = s.records;
  h.meta_count = s.meta.size();
  h.list_count = s.country_lists.size();
  h.range_count = s.ranges.size();
  const std::string check = KeyCheck(secret);
  std::memcpy(h.key_check, check.data(), sizeof h.key_check);
  out->Write(&h, sizeof h);
  out->Write(s.meta.data(), s.meta.size() * sizeof(RefMeta));
  for (const auto& list : s.country_lists) {
    std::string joined;
    for (const std::string& c : list) joined += (joined.empty() ? "" : ",") + c;
    const auto n = static_cast<std::uint32_t>(joined.size());
    out->Write(&n, sizeof n);
    out->Write(joined.data(), joined.size());
  }
  for (const auto& [ref, range] : s.ranges) {
    const Range r{ref, range.first, range.second};
    out->Write(&r, sizeof r);
  }
  return out->Commit();
}

Status ReadMeta(const std::string& path, RecordIndexes::State& s, const IndexSecret& secret) {
  NCBNET_ASSIGN_OR_RETURN(auto in, crypto::ChecksummedFileReader::Open(path));
  Header h{};
  NCBNET_RETURN_IF_ERROR(in->Read(&h, sizeof h));
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return Corrupt("bad magic");
  if (h.version != kVersion || h.meta_bytes != sizeof(RefMeta)) return Corrupt("unknown version");
  if (std::memcmp(h.key_check, KeyCheck(secret).data(), sizeof h.key_check) != 0) {
    return Corrupt("made under another index secret");
  }
  // Sizes are checked against what the file holds before anything is allocated.
  if (h.meta_count > in->remaining() / sizeof(RefMeta) || h.list_count == 0 ||
      h.list_count > in->remaining() / 4 || h.range_count > in->remaining() / sizeof(Range)) {
    return Corrupt("sizes exceed the file");
  }
  s.feed = h.feed;
  s.records = h.records;
  s.meta.resize(h.meta_count);
  NCBNET_RETURN_IF_ERROR(in->Read(s.meta.data(), s.meta.size() * sizeof(RefMeta)));
  s.country_lists.clear();
  s.interned.clear();
  for (std::uint64_t i = 0; i < h.list_count; ++i) {
    std::uint32_t n = 0;
    NCBNET_RETURN_IF_ERROR(in->Read(&n, sizeof n));
    if (n > kMaxListBytes || (n == 0) != (i == 0)) return Corrupt("bad country list");
    std::string joined(n, '\0');
    NCBNET_RETURN_IF_ERROR(in->Read(joined.data(), n));
    if (s.Intern(joined) != i) return Corrupt("country list twice");
  }
  for (std::uint64_t i = 0; i < h.range_count; ++i) {
    Range r{};
    NCBNET_RETURN_IF_ERROR(in->Read(&r, sizeof r));
    s.ranges[r.ref] = {r.from, r.to};
  }
  NCBNET_RETURN_IF_ERROR(in->Finish());
  for (const RefMeta& m : s.meta) {
    if (m.countries >= s.country_lists.size() || (m.flags >> 4) > 2) {
      return Corrupt("record meta out of range");
    }
  }
  return Status::Ok();
}

}  // namespace

Status RecordIndexes::Save(const std::string& dir) const {
  const Status failed = Status::Internal("write_failed", "cannot write a snapshot in " + dir);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return failed;
  std::int64_t feed = 0;
  {
    std::shared_lock lock(mu_);
    feed = state_->feed;
    NCBNET_RETURN_IF_ERROR(state_->ids.SaveTo(IdsFile(dir, feed)));
    NCBNET_RETURN_IF_ERROR(WriteMeta(MetaFile(dir, feed), *state_, secret_));
  }
  NCBNET_ASSIGN_OR_RETURN(auto current, crypto::ChecksummedFileWriter::Create(dir + "/CURRENT"));
  const std::string name = std::to_string(feed);
  current->Write(name.data(), name.size());
  NCBNET_RETURN_IF_ERROR(current->Commit());
  // Older snapshots are no longer named by CURRENT.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string path = entry.path().string();
    if (path != IdsFile(dir, feed) && path != MetaFile(dir, feed) && path != dir + "/CURRENT") {
      std::filesystem::remove(entry.path(), ec);
    }
  }
  return Status::Ok();
}

Status RecordIndexes::Load(const std::string& dir) {
  auto current = crypto::ChecksummedFileReader::Open(dir + "/CURRENT");
  if (!current.ok()) return AsSnapshotError(current.status());
  std::string name((*current)->content_size(), '\0');
  if (name.size() > 20) return Corrupt("CURRENT is too long");
  Status s = (*current)->Read(name.data(), name.size());
  if (s.ok()) s = (*current)->Finish();
  if (!s.ok()) return AsSnapshotError(s);
  std::int64_t feed = 0;
  try {
    feed = std::stoll(name);
  } catch (const std::exception&) {
    return Corrupt("CURRENT names no snapshot");
  }
  auto fresh = std::make_unique<State>();
  if (s = ReadMeta(MetaFile(dir, feed), *fresh, secret_); !s.ok()) return AsSnapshotError(s);
  if (fresh->feed != feed) return Corrupt("meta of another position");
  auto ids = index::IdentifierIndex::LoadFrom(IdsFile(dir, feed));
  if (!ids.ok()) return AsSnapshotError(ids.status());
  fresh->ids = std::move(ids).value();
  std::unique_lock lock(mu_);
  state_ = std::move(fresh);
  return Status::Ok();
}

}  // namespace ncbnet::records
