#include "replica/local_replica.h"

#include <algorithm>
#include <unordered_map>

#include "crypto/checksummed_file.h"
#include "replica/internal/body.h"
#include "replica/internal/bytes.h"

namespace ncbnet::replica {
namespace {

using internal::ByteReader;
using internal::ByteWriter;

constexpr std::string_view kFileMagic{"NCBRST1\0", 8};
constexpr std::uint32_t kFileVersion = 1;

bool KeyLess(const index::IndexKey& a, const index::IndexKey& b) {
  return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
}

Status Refused(const char* code, const std::string& why) {
  return Status::FailedPrecondition(code, why);
}

Status Corrupt(const std::string& why) {
  return Status::DataLoss("replica_corrupt", "local replica file: " + why);
}

// Why `p` may not be applied to a replica at (`has_snapshot`, `seq`, `issued_ms`), if so.
Status CheckOrder(const Package& p, bool has_snapshot, std::int64_t seq, std::int64_t issued_ms) {
  const std::string pos = " (the replica is at " + std::to_string(seq) + ", the package goes " +
                          std::to_string(p.from_seq) + " to " + std::to_string(p.to_seq) + ")";
  if (p.kind == PackageKind::kDelta && !has_snapshot) {
    return Refused("replica_no_snapshot", "a delta needs a snapshot first");
  }
  if (has_snapshot && (p.to_seq < seq || p.issued_ms <= issued_ms)) {
    return Refused("replica_replay", "the package is not newer than the replica" + pos);
  }
  if (p.kind == PackageKind::kDelta && p.from_seq != seq) {
    if (p.from_seq < seq) {
      return Refused("replica_replay", "the delta starts before the replica's position" + pos);
    }
    return Refused("replica_gap", "a delta is missing before this one" + pos);
  }
  return Status::Ok();
}

}  // namespace

LocalReplica::LocalReplica(Pins pins, std::string_view hash_key)
    : pins_(std::move(pins)), hash_key_(hash_key), keyer_(hash_key) {}

Status LocalReplica::Apply(const Package& p) {
  NCBNET_RETURN_IF_ERROR(CheckOrder(p, has_snapshot_, seq_, issued_ms_));
  std::vector<Entry> next;
  if (p.kind == PackageKind::kSnapshot) {
    next = p.upserts;
  } else {
    std::unordered_map<std::int64_t, std::size_t> pos;
    pos.reserve(entries_.size());
    next = entries_;
    for (std::size_t i = 0; i < next.size(); ++i) pos[next[i].ref] = i;
    std::vector<bool> gone(next.size(), false);
    for (std::int64_t ref : p.removals) {
      if (auto it = pos.find(ref); it != pos.end()) gone[it->second] = true;
    }
    for (const Entry& e : p.upserts) {
      if (auto it = pos.find(e.ref); it != pos.end()) {
        next[it->second] = e;
        gone[it->second] = false;
      } else {
        pos[e.ref] = next.size();
        next.push_back(e);
        gone.push_back(false);
      }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < next.size(); ++i) {
      const bool held =
          std::binary_search(p.databases.begin(), p.databases.end(), next[i].database);
      if (gone[i] || !held) continue;
      if (kept != i) next[kept] = std::move(next[i]);  // never a self-move
      ++kept;
    }
    next.resize(kept);
  }
  std::sort(next.begin(), next.end(), [](const Entry& a, const Entry& b) { return a.ref < b.ref; });
  if (std::adjacent_find(next.begin(), next.end(), [](const Entry& a, const Entry& b) {
        return a.ref == b.ref;
      }) != next.end()) {
    return Status::InvalidArgument("replica_malformed", "the package repeats a record");
  }
  entries_ = std::move(next);
  databases_ = p.databases;
  seq_ = p.to_seq;
  issued_ms_ = p.issued_ms;
  has_snapshot_ = true;
  Reindex();
  return Status::Ok();
}

void LocalReplica::Reindex() {
  slots_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    for (const index::IndexKey& k : entries_[i].keys) {
      slots_.push_back({k, static_cast<std::uint32_t>(i)});
    }
  }
  std::sort(slots_.begin(), slots_.end(), [](const Slot& a, const Slot& b) {
    return KeyLess(a.key, b.key) || (a.key == b.key && a.pos < b.pos);
  });
}

std::vector<const Entry*> LocalReplica::Lookup(std::string_view database,
                                               std::string_view normalised_identifier,
                                               std::int64_t now_ms) const {
  const index::IndexKey key = keyer_.For(database, normalised_identifier);
  auto it =
      std::lower_bound(slots_.begin(), slots_.end(), key,
                       [](const Slot& s, const index::IndexKey& k) { return KeyLess(s.key, k); });
  std::vector<const Entry*> out;
  for (; it != slots_.end() && it->key == key; ++it) {
    const Entry& e = entries_[it->pos];
    // The key covers the database; comparing it again costs nothing and guards collisions.
    if (e.database == database && e.review_ms > now_ms) out.push_back(&e);
  }
  return out;
}

std::map<std::string, std::size_t> LocalReplica::CountsByDatabase() const {
  std::map<std::string, std::size_t> out;
  for (const std::string& d : databases_) out[d] = 0;
  for (const Entry& e : entries_) ++out[e.database];
  return out;
}

Status LocalReplica::Save(const std::string& path) const {
  std::string out;
  ByteWriter w(out);
  w.Bytes(kFileMagic);
  w.U32(kFileVersion);
  w.U32(has_snapshot_ ? 1 : 0);
  w.I64(seq_);
  w.I64(issued_ms_);
  w.Short(pins_.network_id);
  w.Short(pins_.replica_id);
  std::string body;
  internal::EncodeBody(databases_, entries_, {}, body);
  w.U64(body.size());
  w.Bytes(body);
  NCBNET_ASSIGN_OR_RETURN(auto writer, crypto::ChecksummedFileWriter::Create(path));
  writer->Write(out.data(), out.size());
  return writer->Commit();
}

Result<LocalReplica> LocalReplica::Load(const std::string& path, const Pins& pins,
                                        std::string_view hash_key) {
  auto reader = crypto::ChecksummedFileReader::Open(path);
  if (!reader.ok()) {
    if (reader.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("replica_missing", "no local replica yet: run `replica sync`");
    }
    return reader.status();
  }
  std::string bytes((*reader)->content_size(), '\0');
  if (!(*reader)->Read(bytes.data(), bytes.size()).ok() || !(*reader)->Finish().ok()) {
    return Corrupt("checksum does not match");
  }
  ByteReader r(bytes);
  std::string_view magic, network, replica, body;
  std::uint32_t version = 0, flags = 0;
  std::uint64_t body_bytes = 0;
  LocalReplica out(pins, hash_key);
  if (!r.Bytes(8, magic) || magic != kFileMagic || !r.U32(version) || version != kFileVersion ||
      !r.U32(flags) || !r.I64(out.seq_) || !r.I64(out.issued_ms_) || !r.Short(network) ||
      !r.Short(replica) || !r.U64(body_bytes) || body_bytes != r.remaining() ||
      !r.Bytes(body_bytes, body)) {
    return Corrupt("bad header");
  }
  if (network != pins.network_id || replica != pins.replica_id) {
    return Corrupt("made for another network or replica");
  }
  auto decoded = internal::DecodeBody(body);
  if (!decoded.ok()) return Corrupt(decoded.status().message());
  out.has_snapshot_ = (flags & 1) != 0;
  out.databases_ = std::move(decoded->databases);
  out.entries_ = std::move(decoded->entries);
  out.Reindex();
  return out;
}

}  // namespace ncbnet::replica
