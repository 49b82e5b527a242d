// The identifier index of issue 4: an in-memory exact-match map from a 16-byte keyed hash of a
// normalised identifier (index/identifiers.h) to the set of records that carry it. It answers
// the border check "is this document, vehicle, firearm or ship in a database?" in well under a
// microsecond, and a miss (the common case) costs what a hit costs.
//
// Keys are never identifiers: KeyFor() hashes (database, identifier) under the hub's index
// secret, so the persisted file (and, later, the frontline replica) reveals no document number
// to whoever copies it. The index is derived from the store, kept current from its change feed,
// and saved with SaveTo() so that a restart loads it (LoadFrom) instead of rebuilding it. The
// file format is docs/identifier-index.md.
//
// Layout: one flat power-of-two array of 24-byte slots (key, payload), Robin Hood linear
// probing, backward-shift deletion (no tombstones), load factor at most 3/4. A payload is the
// record ref itself, or, when several records share a key, an index into a side table of ref
// lists. A lookup touches one or two cache lines and stops as soon as the probe distance
// exceeds the resident's, which keeps misses as short as hits. Tables of 2 MiB and more are
// mapped on 2 MiB boundaries and advised as transparent huge pages, so that a random probe into
// a multi-gigabyte table does not also miss the TLB. LookupBatch overlaps the memory reads of
// many keys (the batch-screening and throughput case).
//
// Thread safety: const methods may run concurrently; anything else needs exclusive access.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/hmac_key.h"

namespace ncbnet::index {

// A 128-bit key, two little-endian words of the keyed hash.
struct IndexKey {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  friend bool operator==(const IndexKey&, const IndexKey&) = default;
};

// The key of `normalised_identifier` in `database` ("SLTD", "SMV", ...): the first 16 bytes
// of HMAC-SHA-256 under `index_secret` over a length-prefixed encoding of a version tag, the
// database and the identifier (docs/identifier-index.md). `index_secret` should be 32 random
// bytes known only to the hub (and derived, e.g. crypto::DeriveSubkey, from its data key).
IndexKey KeyFor(std::string_view index_secret, std::string_view database,
                std::string_view normalised_identifier);

// KeyFor under one secret, with the secret's HMAC state computed once: what the hub keeps for
// its checks. A key costs about a tenth of a microsecond, where KeyFor costs several times
// that; For(d, i) == KeyFor(secret, d, i). Thread safety: For() may run concurrently.
class IndexKeyer {
 public:
  explicit IndexKeyer(std::string_view index_secret) : mac_(index_secret) {}

  IndexKey For(std::string_view database, std::string_view normalised_identifier) const;

 private:
  crypto::HmacSha256Key mac_;
};

class IdentifierIndex {
 public:
  // Refs are record row ids below 2^63; the top bit is the index's own.
  static constexpr std::uint64_t kMaxRef = (std::uint64_t{1} << 63) - 1;

  IdentifierIndex();
  IdentifierIndex(IdentifierIndex&&) noexcept;
  IdentifierIndex& operator=(IdentifierIndex&&) noexcept;
  IdentifierIndex(const IdentifierIndex&) = delete;
  IdentifierIndex& operator=(const IdentifierIndex&) = delete;
  ~IdentifierIndex();

  // Adds `ref` to the records of `key`. The refs of a key are a set: inserting a pair that is
  // already there changes nothing (so the change feed may be replayed). Error:
  // kInvalidArgument "invalid_ref" if ref > kMaxRef.
  Status Insert(const IndexKey& key, std::uint64_t ref);

  // Removes `ref` from the records of `key`. Returns false if the pair was not there.
  bool Erase(const IndexKey& key, std::uint64_t ref);

  // The refs of `key`, empty if none, in no particular order. The span is valid until the next
  // call of a non-const method.
  std::span<const std::uint64_t> Lookup(const IndexKey& key) const;

  // Looks up every key of `keys`, as Lookup would, and stores the refs of keys[i] in refs[i]
  // (empty if none). Reads of later keys' slots are issued while earlier keys are compared,
  // so a batch costs far less per key than one Lookup after another. Keys may repeat and the
  // batch may be empty. Returns how many keys were found. The spans are valid until the next
  // call of a non-const method. refs.size() must equal keys.size() (checked).
  std::size_t LookupBatch(std::span<const IndexKey> keys,
                          std::span<std::span<const std::uint64_t>> refs) const;

  // Hints the CPU to fetch the home slot of `key`, for callers that check a batch (a manifest)
  // and can issue the next lookups' memory reads before they need them.
  void Prefetch(const IndexKey& key) const;

  // Makes room for `keys` distinct keys in all, so that inserting them does not grow the table
  // step by step (a bulk load, or LoadFrom's caller before replaying a change feed). Never
  // shrinks.
  void Reserve(std::size_t keys);

  std::size_t size() const { return size_; }  // distinct keys
  std::size_t capacity() const { return capacity_; }
  std::size_t MemoryBytes() const;

  // Writes the index to `path` (temporary file, fsync, rename, fsync of the directory, mode
  // 0600): after a crash the file is the old index or the new one. Error: kInternal
  // "write_failed".
  Status SaveTo(const std::string& path) const;

  // Reads an index written by SaveTo(). Errors: kNotFound "index_missing"; kDataLoss
  // "index_corrupt" if the magic, version, sizes, checksum or structure are wrong, with a
  // message saying which; kInternal "read_failed".
  static Result<IdentifierIndex> LoadFrom(const std::string& path);

 private:
  struct Slot;
  class Loader;
  // Frees a slot array made by AllocateSlots: munmap for a mapped table, delete[] for a small one.
  struct SlotsDeleter {
    std::size_t bytes;  // 0: from new[]; no initialiser, so the class stays default-constructible
    void operator()(Slot* slots) const;
  };
  using SlotArray = std::unique_ptr<Slot[], SlotsDeleter>;

  static SlotArray AllocateSlots(std::size_t capacity);

  void Allocate(std::size_t capacity);
  void Rehash(std::size_t capacity);
  void PlaceNew(Slot slot);
  std::size_t Find(const IndexKey& key) const;  // slot position, or capacity_ if absent
  void RemoveAt(std::size_t pos);
  std::uint64_t NewList(std::uint64_t first, std::uint64_t second);

  SlotArray slots_;
  std::size_t capacity_ = 0;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  // Ref lists of keys with two or more records; emptied lists are reused through free_lists_.
  std::vector<std::vector<std::uint64_t>> lists_;
  std::vector<std::uint64_t> free_lists_;
};

}  // namespace ncbnet::index
