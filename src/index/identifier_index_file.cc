// SaveTo and LoadFrom: the byte format of docs/identifier-index.md. The slot array is written
// and read as it lies in memory, in large blocks, so loading costs a sequential read, one
// checksum pass and one validation pass, with no rehashing.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "crypto/checksummed_file.h"
#include "index/identifier_index.h"
#include "index/internal/identifier_index_slot.h"

namespace ncbnet::index {

using internal::kEmpty;
using internal::kListBit;

static_assert(std::endian::native == std::endian::little, "the file stores native words");

namespace {

constexpr char kMagic[8] = {'N', 'C', 'B', 'I', 'D', 'X', '1', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 64;
constexpr std::size_t kChecksumBytes = crypto::kFileChecksumBytes;
constexpr std::uint64_t kMaxCapacity = std::uint64_t{1} << 40;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t slot_bytes;
  std::uint64_t key_count;
  std::uint64_t capacity;
  std::uint64_t list_count;
  std::uint64_t list_ref_count;
  std::uint8_t reserved[16];
};
static_assert(sizeof(Header) == kHeaderBytes);

Status Corrupt(const std::string& path, const std::string& what) {
  return Status::DataLoss("index_corrupt", "identifier index " + path + ": " + what);
}

}  // namespace

Status IdentifierIndex::SaveTo(const std::string& path) const {
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  header.version = kVersion;
  header.slot_bytes = sizeof(Slot);
  header.key_count = size_;
  header.capacity = capacity_;
  header.list_count = lists_.size();
  std::vector<std::uint64_t> lengths;
  lengths.reserve(lists_.size());
  for (const auto& list : lists_) {
    lengths.push_back(list.size());
    header.list_ref_count += list.size();
  }

  auto out = crypto::ChecksummedFileWriter::Create(path);
  if (!out.ok()) return out.status();
  (*out)->Write(&header, sizeof header);
  (*out)->Write(slots_.get(), capacity_ * sizeof(Slot));
  (*out)->Write(lengths.data(), lengths.size() * sizeof(std::uint64_t));
  for (const auto& list : lists_) (*out)->Write(list.data(), list.size() * sizeof(std::uint64_t));
  return (*out)->Commit();
}

// Reads and checks one file. Every size is checked against the file's length before anything
// is allocated, so a forged header cannot make us allocate more than the file holds.
class IdentifierIndex::Loader {
 public:
  Loader(std::string path, crypto::ChecksummedFileReader& in) : path_(std::move(path)), in_(in) {}

  Result<IdentifierIndex> Load() {
    const std::uint64_t file_size = in_.content_size() + kChecksumBytes;
    if (in_.content_size() < kHeaderBytes) {
      return Corrupt(path_,
                     "file of " + std::to_string(in_.content_size()) + " bytes is too short");
    }
    Header h{};
    NCBNET_RETURN_IF_ERROR(Read(&h, sizeof h));
    NCBNET_RETURN_IF_ERROR(CheckHeader(h, file_size));

    IdentifierIndex index;
    index.Allocate(h.capacity);
    NCBNET_RETURN_IF_ERROR(Read(index.slots_.get(), h.capacity * sizeof(Slot)));
    std::vector<std::uint64_t> lengths(h.list_count);
    NCBNET_RETURN_IF_ERROR(Read(lengths.data(), lengths.size() * 8));
    std::vector<std::uint64_t> refs(h.list_ref_count);
    NCBNET_RETURN_IF_ERROR(Read(refs.data(), refs.size() * 8));
    if (!in_.Finish().ok()) return Corrupt(path_, "checksum mismatch");

    NCBNET_RETURN_IF_ERROR(BuildLists(index, lengths, refs));
    index.size_ = h.key_count;
    NCBNET_RETURN_IF_ERROR(CheckSlots(index, h.key_count));
    return index;
  }

 private:
  Status Read(void* data, std::size_t size) {
    if (!in_.Read(data, size).ok()) return ReadFailed();
    return Status::Ok();
  }

  Status ReadFailed() const {
    return Status::DataLoss("index_corrupt", "identifier index " + path_ + ": short read");
  }

  Status CheckHeader(const Header& h, std::uint64_t file_size) const {
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return Corrupt(path_, "bad magic");
    if (h.version != kVersion) {
      return Corrupt(path_, "unknown version " + std::to_string(h.version));
    }
    if (h.slot_bytes != sizeof(Slot)) return Corrupt(path_, "slot size is not 24");
    if (h.capacity < internal::kMinCapacity || h.capacity > kMaxCapacity ||
        !std::has_single_bit(h.capacity)) {
      return Corrupt(path_, "capacity " + std::to_string(h.capacity) + " is not a power of two");
    }
    if (h.key_count * 4 > h.capacity * 3) return Corrupt(path_, "more keys than 3/4 capacity");
    if (h.list_count > file_size / 8 || h.list_ref_count > file_size / 8) {
      return Corrupt(path_, "ref list sizes exceed the file");
    }
    const std::uint64_t expected = kHeaderBytes + h.capacity * sizeof(Slot) + h.list_count * 8 +
                                   h.list_ref_count * 8 + kChecksumBytes;
    if (expected != file_size) {
      return Corrupt(path_, "file is " + std::to_string(file_size) + " bytes, header says " +
                                std::to_string(expected));
    }
    return Status::Ok();
  }

  Status BuildLists(IdentifierIndex& index, const std::vector<std::uint64_t>& lengths,
                    const std::vector<std::uint64_t>& refs) const {
    index.lists_.resize(lengths.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      if (lengths[i] == 1 || lengths[i] > refs.size() - next) {
        return Corrupt(path_, "ref list " + std::to_string(i) + " has a bad length");
      }
      index.lists_[i].assign(refs.begin() + static_cast<std::ptrdiff_t>(next),
                             refs.begin() + static_cast<std::ptrdiff_t>(next + lengths[i]));
      next += lengths[i];
      if (lengths[i] == 0) index.free_lists_.push_back(i);
      for (const std::uint64_t ref : index.lists_[i]) {
        if (ref > kMaxRef) return Corrupt(path_, "ref list " + std::to_string(i) + " bad ref");
      }
    }
    if (next != refs.size()) return Corrupt(path_, "ref lists do not add up");
    return Status::Ok();
  }

  // Counts keys, checks every list payload and the Robin Hood order (homes non-decreasing
  // along each run, i.e. a probe distance grows by at most one from slot to slot), which is
  // what Lookup's early exit relies on.
  Status CheckSlots(const IdentifierIndex& index, std::uint64_t key_count) const {
    std::vector<bool> used(index.lists_.size(), false);
    std::uint64_t keys = 0;
    const std::size_t mask = index.mask_;
    for (std::size_t pos = 0; pos < index.capacity_; ++pos) {
      const Slot& s = index.slots_[pos];
      if (s.payload == kEmpty) continue;
      ++keys;
      if ((s.payload & kListBit) != 0) {
        const std::uint64_t list = s.payload & ~kListBit;
        if (list >= used.size() || used[list] || index.lists_[list].empty()) {
          return Corrupt(path_, "slot " + std::to_string(pos) + " has a bad ref list");
        }
        used[list] = true;
      }
      const std::size_t dist = internal::ProbeDistance(s.lo, pos, mask);
      const Slot& prev = index.slots_[(pos - 1) & mask];
      if (dist > 0 && (prev.payload == kEmpty ||
                       dist > internal::ProbeDistance(prev.lo, (pos - 1) & mask, mask) + 1)) {
        return Corrupt(path_, "slot " + std::to_string(pos) + " is out of probe order");
      }
    }
    if (keys != key_count) return Corrupt(path_, "key count does not match the slots");
    for (std::size_t i = 0; i < used.size(); ++i) {
      if (!used[i] && !index.lists_[i].empty()) return Corrupt(path_, "unreferenced ref list");
    }
    return Status::Ok();
  }

  std::string path_;
  crypto::ChecksummedFileReader& in_;
};

Result<IdentifierIndex> IdentifierIndex::LoadFrom(const std::string& path) {
  auto in = crypto::ChecksummedFileReader::Open(path);
  if (!in.ok()) {
    if (in.status().reason() == "file_missing") {
      return Status::NotFound("index_missing", "no identifier index " + path);
    }
    return in.status();
  }
  return Loader(path, **in).Load();
}

}  // namespace ncbnet::index
