#include "replica/internal/body.h"

#include <algorithm>
#include <map>

#include "core/check.h"
#include "replica/internal/bytes.h"

namespace ncbnet::replica::internal {
namespace {

constexpr std::size_t kMaxStringBytes = 4096;
// The smallest encodings, to bound counts by the bytes that remain.
constexpr std::size_t kMinEntryBytes = 8 + 1 + 4 * 4 + 8 + 1 + 16;
constexpr std::size_t kMinStringBytes = 2;

Status Malformed(const std::string& why) {
  return Status::InvalidArgument("replica_malformed", "replica body: " + why);
}

// Strings interned in first-use order.
class Interner {
 public:
  std::uint32_t Of(const std::string& s) {
    auto [it, added] = index_.emplace(s, static_cast<std::uint32_t>(list_.size()));
    if (added) list_.push_back(&it->first);
    return it->second;
  }
  const std::vector<const std::string*>& list() const { return list_; }

 private:
  std::map<std::string, std::uint32_t> index_;
  std::vector<const std::string*> list_;
};

Result<Entry> ReadEntry(ByteReader& r, const std::vector<std::string>& strings,
                        const std::vector<std::string>& databases) {
  Entry e;
  std::uint64_t ref = 0;
  std::string_view id;
  std::uint32_t idx[4] = {0, 0, 0, 0};
  std::uint8_t nkeys = 0;
  if (!r.U64(ref) || !r.Short(id) || !r.U32(idx[0]) || !r.U32(idx[1]) || !r.U32(idx[2]) ||
      !r.U32(idx[3]) || !r.I64(e.review_ms) || !r.U8(nkeys)) {
    return Malformed("truncated entry");
  }
  if (ref == 0 || ref > index::IdentifierIndex::kMaxRef) return Malformed("entry ref out of range");
  if (id.empty() || id.size() > kMaxIdBytes) return Malformed("bad record id");
  for (std::uint32_t i : idx) {
    if (i >= strings.size()) return Malformed("string index out of range");
  }
  if (nkeys == 0 || nkeys > kMaxKeysPerEntry) return Malformed("bad key count");
  e.ref = static_cast<std::int64_t>(ref);
  e.record_id = std::string(id);
  e.database = strings[idx[0]];
  e.owner_country = strings[idx[1]];
  e.status = strings[idx[2]];
  e.action = strings[idx[3]];
  if (!std::binary_search(databases.begin(), databases.end(), e.database)) {
    return Malformed("entry of a database the body does not list");
  }
  for (std::uint8_t k = 0; k < nkeys; ++k) {
    std::string_view b;
    if (!r.Bytes(16, b)) return Malformed("truncated key");
    e.keys.push_back(KeyFromBytes(b));
  }
  return e;
}

}  // namespace

void PutKey(std::string& out, const index::IndexKey& k) {
  ByteWriter w(out);
  w.U64(k.lo);
  w.U64(k.hi);
}

index::IndexKey KeyFromBytes(std::string_view b16) {
  ByteReader r(b16);
  index::IndexKey k;
  (void)r.U64(k.lo);
  (void)r.U64(k.hi);
  return k;
}

void EncodeBody(std::span<const std::string> databases, std::span<const Entry> entries,
                std::span<const std::int64_t> removals, std::string& out) {
  NCBNET_CHECK(databases.size() <= kMaxDatabases, "too many databases for a replica");
  Interner strings;
  for (const Entry& e : entries) {
    strings.Of(e.database);
    strings.Of(e.owner_country);
    strings.Of(e.status);
    strings.Of(e.action);
  }
  ByteWriter w(out);
  w.U8(static_cast<std::uint8_t>(databases.size()));
  for (const std::string& d : databases) {
    NCBNET_CHECK(!d.empty() && d.size() <= kMaxIdBytes, "database code out of bounds");
    w.Short(d);
  }
  w.U32(static_cast<std::uint32_t>(strings.list().size()));
  for (const std::string* s : strings.list()) {
    NCBNET_CHECK(s->size() <= kMaxStringBytes, "replica string too long");
    w.U16(static_cast<std::uint16_t>(s->size()));
    w.Bytes(*s);
  }
  w.U64(entries.size());
  for (const Entry& e : entries) {
    NCBNET_CHECK(!e.record_id.empty() && e.record_id.size() <= kMaxIdBytes, "record id bounds");
    NCBNET_CHECK(!e.keys.empty() && e.keys.size() <= kMaxKeysPerEntry, "entry key count");
    w.U64(static_cast<std::uint64_t>(e.ref));
    w.Short(e.record_id);
    w.U32(strings.Of(e.database));
    w.U32(strings.Of(e.owner_country));
    w.U32(strings.Of(e.status));
    w.U32(strings.Of(e.action));
    w.I64(e.review_ms);
    w.U8(static_cast<std::uint8_t>(e.keys.size()));
    for (const index::IndexKey& k : e.keys) PutKey(out, k);
  }
  w.U64(removals.size());
  for (std::int64_t ref : removals) w.U64(static_cast<std::uint64_t>(ref));
}

Result<Body> DecodeBody(std::string_view bytes) {
  ByteReader r(bytes);
  Body body;
  std::uint8_t ndb = 0;
  if (!r.U8(ndb) || ndb > kMaxDatabases) return Malformed("bad database count");
  for (std::uint8_t i = 0; i < ndb; ++i) {
    std::string_view d;
    if (!r.Short(d) || d.empty()) return Malformed("bad database code");
    if (!body.databases.empty() && body.databases.back() >= d) {
      return Malformed("databases not sorted and unique");
    }
    body.databases.emplace_back(d);
  }
  std::uint32_t nstrings = 0;
  if (!r.U32(nstrings) || nstrings > r.remaining() / kMinStringBytes) {
    return Malformed("bad string count");
  }
  std::vector<std::string> strings;
  strings.reserve(nstrings);
  for (std::uint32_t i = 0; i < nstrings; ++i) {
    std::uint16_t n = 0;
    std::string_view s;
    if (!r.U16(n) || n > kMaxStringBytes || !r.Bytes(n, s)) return Malformed("bad string");
    strings.emplace_back(s);
  }
  std::uint64_t nentries = 0;
  if (!r.U64(nentries) || nentries > r.remaining() / kMinEntryBytes) {
    return Malformed("bad entry count");
  }
  body.entries.reserve(nentries);
  for (std::uint64_t i = 0; i < nentries; ++i) {
    NCBNET_ASSIGN_OR_RETURN(Entry e, ReadEntry(r, strings, body.databases));
    body.entries.push_back(std::move(e));
  }
  std::uint64_t nremovals = 0;
  if (!r.U64(nremovals) || nremovals != r.remaining() / 8 || r.remaining() % 8 != 0) {
    return Malformed("bad removal count");
  }
  body.removals.reserve(nremovals);
  for (std::uint64_t i = 0; i < nremovals; ++i) {
    std::uint64_t ref = 0;
    (void)r.U64(ref);
    if (ref == 0 || ref > index::IdentifierIndex::kMaxRef) return Malformed("removal out of range");
    body.removals.push_back(static_cast<std::int64_t>(ref));
  }
  return body;
}

}  // namespace ncbnet::replica::internal
