#include "index/identifier_index.h"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>
#include <utility>

#include "core/check.h"
#include "index/internal/identifier_index_slot.h"

namespace ncbnet::index {

using internal::kEmpty;
using internal::kListBit;
using internal::ProbeDistance;

namespace {

// Transparent huge pages: a 2 MiB page maps 512 times what a 4 KiB one does, so the TLB covers
// gigabytes of table and a random probe costs one memory access instead of a page walk and an
// access. Linux backs an madvise(MADV_HUGEPAGE) region with huge pages where it is aligned.
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// How many keys ahead LookupBatch issues its memory reads: enough to cover a DRAM access at
// the rate one core compares keys, few enough that the lines are still in L1/L2 when needed.
constexpr std::size_t kPrefetchAhead = 16;

// Writes lp(field) (docs/identifier-index.md) at `out`; returns the end of what it wrote.
char* AppendLengthPrefixed(char* out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) *out++ = static_cast<char>(n >> shift);
  std::memcpy(out, field.data(), field.size());
  return out + field.size();
}

}  // namespace

IndexKey KeyFor(std::string_view index_secret, std::string_view database,
                std::string_view normalised_identifier) {
  return IndexKeyer(index_secret).For(database, normalised_identifier);
}

IndexKey IndexKeyer::For(std::string_view database, std::string_view normalised_identifier) const {
  // Length prefixes keep ("AB", "C1") and ("ABC", "1") apart; the tag lets a later key scheme
  // coexist with this one. Identifiers are short: the message fits a stack buffer, so a key
  // costs no allocation.
  constexpr std::string_view kTag = "ncbnet-idx-v1";
  const std::size_t length = 12 + kTag.size() + database.size() + normalised_identifier.size();
  std::array<char, 256> buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init): filled below
  std::string heap;
  char* out = buffer.data();
  if (length > buffer.size()) {
    heap.resize(length);
    out = heap.data();
  }
  char* p = out;
  for (const std::string_view field : {kTag, database, normalised_identifier}) {
    p = AppendLengthPrefixed(p, field);
  }
  std::array<std::uint8_t, crypto::HmacSha256Key::kTagBytes> tag{};
  mac_.Tag({out, length}, tag);
  IndexKey key;
  std::memcpy(&key.lo, tag.data(), 8);
  std::memcpy(&key.hi, tag.data() + 8, 8);
  return key;
}

IdentifierIndex::IdentifierIndex() {
  Allocate(internal::kMinCapacity);
  std::fill_n(slots_.get(), capacity_, Slot{0, 0, kEmpty});
}
IdentifierIndex::IdentifierIndex(IdentifierIndex&&) noexcept = default;
IdentifierIndex& IdentifierIndex::operator=(IdentifierIndex&&) noexcept = default;
IdentifierIndex::~IdentifierIndex() = default;

IdentifierIndex::SlotArray IdentifierIndex::AllocateSlots(std::size_t capacity) {
  const std::size_t bytes = capacity * sizeof(Slot);
  // Small tables (one per database, tests) stay on the heap: a mapping is at least 2 MiB here.
  if (bytes < kHugePage) return SlotArray(new Slot[capacity], SlotsDeleter{0});
  const std::size_t mapped = (bytes + kHugePage - 1) & ~(kHugePage - 1);
  // Map one huge page more than needed and trim both ends to a 2 MiB boundary.
  void* raw = ::mmap(nullptr, mapped + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  NCBNET_CHECK(raw != MAP_FAILED, "no memory for the identifier index");
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) & ~std::uintptr_t{kHugePage - 1};
  const std::size_t head = aligned - start;  // below one huge page, so the tail is not empty
  if (head > 0) ::munmap(raw, head);
  ::munmap(reinterpret_cast<void*>(aligned + mapped), kHugePage - head);
  // Advice, not a requirement: without THP (disabled by the operator) the table still works.
  (void)::madvise(reinterpret_cast<void*>(aligned), mapped, MADV_HUGEPAGE);
  return SlotArray(reinterpret_cast<Slot*>(aligned), SlotsDeleter{mapped});
}

void IdentifierIndex::SlotsDeleter::operator()(Slot* slots) const {
  if (bytes == 0) {
    delete[] slots;
  } else {
    ::munmap(slots, bytes);
  }
}

void IdentifierIndex::Allocate(std::size_t capacity) {
  // Uninitialised memory: LoadFrom overwrites every slot, and a new table fills them.
  slots_ = AllocateSlots(capacity);
  capacity_ = capacity;
  mask_ = capacity - 1;
}

std::size_t IdentifierIndex::MemoryBytes() const {
  std::size_t bytes = capacity_ * sizeof(Slot);
  for (const auto& list : lists_) bytes += list.capacity() * sizeof(std::uint64_t);
  return bytes + lists_.capacity() * sizeof(lists_[0]);
}

std::span<const std::uint64_t> IdentifierIndex::Lookup(const IndexKey& key) const {
  std::size_t pos = static_cast<std::size_t>(key.lo) & mask_;
  for (std::size_t dist = 0;; ++dist, pos = (pos + 1) & mask_) {
    const Slot& s = slots_[pos];
    // One branch for the key: both words compared without short-circuit.
    if (((s.lo ^ key.lo) | (s.hi ^ key.hi)) == 0 && s.payload != kEmpty) {
      if ((s.payload & kListBit) == 0) return {&s.payload, 1};
      const auto& list = lists_[s.payload & ~kListBit];
      return {list.data(), list.size()};
    }
    // Robin Hood: a key further from home than the resident would have displaced it, so it
    // is absent. An empty slot ends the run too.
    if (s.payload == kEmpty || ProbeDistance(s.lo, pos, mask_) < dist) return {};
  }
}

void IdentifierIndex::Prefetch(const IndexKey& key) const {
  __builtin_prefetch(&slots_[static_cast<std::size_t>(key.lo) & mask_]);
}

std::size_t IdentifierIndex::LookupBatch(std::span<const IndexKey> keys,
                                         std::span<std::span<const std::uint64_t>> refs) const {
  NCBNET_CHECK(refs.size() == keys.size(), "LookupBatch needs one result per key");
  const std::size_t n = keys.size();
  const std::size_t primed = std::min(n, kPrefetchAhead);
  for (std::size_t i = 0; i < primed; ++i) Prefetch(keys[i]);
  std::size_t found = 0;
  // Software pipeline: key i is compared while the slots of key i + kPrefetchAhead are on
  // their way; the loop is split so that neither half tests the bound per key.
  std::size_t i = 0;
  for (; i + kPrefetchAhead < n; ++i) {
    Prefetch(keys[i + kPrefetchAhead]);
    refs[i] = Lookup(keys[i]);
    found += refs[i].empty() ? 0 : 1;
  }
  for (; i < n; ++i) {
    refs[i] = Lookup(keys[i]);
    found += refs[i].empty() ? 0 : 1;
  }
  return found;
}

void IdentifierIndex::Reserve(std::size_t keys) {
  // Also keeps keys * 4 below overflow.
  NCBNET_CHECK(keys <= (std::size_t{3} << 38), "identifier index beyond 2^40 slots");
  std::size_t capacity = capacity_;
  while (keys * 4 > capacity * 3) capacity *= 2;
  if (capacity > capacity_) Rehash(capacity);
}

std::size_t IdentifierIndex::Find(const IndexKey& key) const {
  const auto refs = Lookup(key);
  if (refs.empty()) return capacity_;
  std::size_t pos = static_cast<std::size_t>(key.lo) & mask_;
  while (slots_[pos].lo != key.lo || slots_[pos].hi != key.hi) pos = (pos + 1) & mask_;
  return pos;
}

void IdentifierIndex::PlaceNew(Slot slot) {
  std::size_t pos = static_cast<std::size_t>(slot.lo) & mask_;
  for (std::size_t dist = 0;; ++dist, pos = (pos + 1) & mask_) {
    Slot& s = slots_[pos];
    if (s.payload == kEmpty) {
      s = slot;
      return;
    }
    const std::size_t resident = ProbeDistance(s.lo, pos, mask_);
    if (resident < dist) {  // take from the rich: the resident moves on
      std::swap(s, slot);
      dist = resident;
    }
  }
}

void IdentifierIndex::Rehash(std::size_t capacity) {
  NCBNET_CHECK(std::has_single_bit(capacity) && capacity <= (std::size_t{1} << 40),
               "identifier index capacity is a power of two up to 2^40 slots");
  SlotArray old = std::move(slots_);
  const std::size_t old_capacity = capacity_;
  Allocate(capacity);
  std::fill_n(slots_.get(), capacity_, Slot{0, 0, kEmpty});
  for (std::size_t i = 0; i < old_capacity; ++i) {
    if (old[i].payload != kEmpty) PlaceNew(old[i]);
  }
}

std::uint64_t IdentifierIndex::NewList(std::uint64_t first, std::uint64_t second) {
  std::uint64_t index = lists_.size();
  if (!free_lists_.empty()) {
    index = free_lists_.back();
    free_lists_.pop_back();
  } else {
    lists_.emplace_back();
  }
  lists_[index] = {first, second};
  return kListBit | index;
}

Status IdentifierIndex::Insert(const IndexKey& key, std::uint64_t ref) {
  if (ref > kMaxRef) return Status::InvalidArgument("invalid_ref", "a record ref is below 2^63");
  const std::size_t pos = Find(key);
  if (pos != capacity_) {
    std::uint64_t& payload = slots_[pos].payload;
    if ((payload & kListBit) == 0) {
      if (payload != ref) payload = NewList(payload, ref);
      return Status::Ok();
    }
    auto& list = lists_[payload & ~kListBit];
    if (std::find(list.begin(), list.end(), ref) == list.end()) list.push_back(ref);
    return Status::Ok();
  }
  if ((size_ + 1) * 4 > capacity_ * 3) Rehash(capacity_ * 2);
  PlaceNew(Slot{key.lo, key.hi, ref});
  ++size_;
  return Status::Ok();
}

void IdentifierIndex::RemoveAt(std::size_t pos) {
  // Backward shift: pull each following displaced key one step towards home, so no tombstone
  // is left to lengthen later probes.
  for (;;) {
    const std::size_t next = (pos + 1) & mask_;
    const Slot& n = slots_[next];
    if (n.payload == kEmpty || ProbeDistance(n.lo, next, mask_) == 0) break;
    slots_[pos] = n;
    pos = next;
  }
  slots_[pos] = Slot{0, 0, kEmpty};
  --size_;
}

bool IdentifierIndex::Erase(const IndexKey& key, std::uint64_t ref) {
  const std::size_t pos = Find(key);
  if (pos == capacity_) return false;
  std::uint64_t& payload = slots_[pos].payload;
  if ((payload & kListBit) == 0) {
    if (payload != ref) return false;
    RemoveAt(pos);
    return true;
  }
  const std::uint64_t index = payload & ~kListBit;
  auto& list = lists_[index];
  const auto it = std::find(list.begin(), list.end(), ref);
  if (it == list.end()) return false;
  list.erase(it);
  if (list.size() == 1) {  // back to an inline ref; the list is reused later
    payload = list.front();
    list = {};
    free_lists_.push_back(index);
  }
  return true;
}

}  // namespace ncbnet::index
