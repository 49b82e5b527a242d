#include "index/identifier_index.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "core/check.h"
#include "crypto/kdf.h"
#include "index/internal/identifier_index_slot.h"

namespace ncbnet::index {

using internal::kEmpty;
using internal::kListBit;
using internal::ProbeDistance;

namespace {

void AppendLengthPrefixed(std::string& out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  out.append(field);
}

}  // namespace

IndexKey KeyFor(std::string_view index_secret, std::string_view database,
                std::string_view normalised_identifier) {
  // Length prefixes keep ("AB", "C1") and ("ABC", "1") apart; the tag lets a later key scheme
  // coexist with this one.
  std::string message;
  message.reserve(12 + 24 + database.size() + normalised_identifier.size());
  AppendLengthPrefixed(message, "ncbnet-idx-v1");
  AppendLengthPrefixed(message, database);
  AppendLengthPrefixed(message, normalised_identifier);
  const std::string tag = crypto::HmacSha256(index_secret, message);
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

void IdentifierIndex::Allocate(std::size_t capacity) {
  // Uninitialised memory: LoadFrom overwrites every slot, and a new table fills them below.
  slots_ = std::make_unique_for_overwrite<Slot[]>(capacity);
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

void IdentifierIndex::Grow() {
  NCBNET_CHECK(capacity_ <= (std::size_t{1} << 40), "identifier index beyond 2^40 slots");
  std::unique_ptr<Slot[]> old = std::move(slots_);
  const std::size_t old_capacity = capacity_;
  Allocate(old_capacity * 2);
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
  if ((size_ + 1) * 4 > capacity_ * 3) Grow();
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
