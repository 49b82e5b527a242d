#include "index/identifier_index.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "core/check.h"
#include "crypto/kdf.h"
#include "tests/testutil/splitmix.h"

namespace ncbnet::index {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

std::vector<std::uint64_t> Refs(const IdentifierIndex& index, const IndexKey& key) {
  const auto span = index.Lookup(key);
  std::vector<std::uint64_t> refs(span.begin(), span.end());
  std::sort(refs.begin(), refs.end());
  return refs;
}

// A deterministic stream of 64-bit values (splitmix64) for keys and choices.
using Stream = testutil::SplitMix64;

TEST(KeyFor, DependsOnSecretDatabaseAndIdentifier) {
  const IndexKey k = KeyFor(kSecret, "SLTD", "X4123456");
  EXPECT_EQ(k, KeyFor(kSecret, "SLTD", "X4123456"));
  EXPECT_NE(k, KeyFor(kSecret, "SMV", "X4123456"));
  EXPECT_NE(k, KeyFor(kSecret, "SLTD", "X4123457"));
  EXPECT_NE(k, KeyFor("another secret", "SLTD", "X4123456"));
  EXPECT_NE(KeyFor(kSecret, "AB", "C1"), KeyFor(kSecret, "ABC", "1"));  // length-prefixed
}

// docs/identifier-index.md's key, spelled out with the plain HMAC.
IndexKey ReferenceKey(std::string_view secret, std::string_view database, std::string_view id) {
  std::string message;
  for (const std::string_view field : {std::string_view("ncbnet-idx-v1"), database, id}) {
    const auto n = static_cast<std::uint32_t>(field.size());
    for (int shift = 24; shift >= 0; shift -= 8) message.push_back(static_cast<char>(n >> shift));
    message.append(field);
  }
  const std::string tag = crypto::HmacSha256(secret, message);
  IndexKey key;
  std::memcpy(&key.lo, tag.data(), 8);
  std::memcpy(&key.hi, tag.data() + 8, 8);
  return key;
}

TEST(KeyFor, FollowsTheDocumentedDerivation) {
  const IndexKeyer keyer(kSecret);
  const std::string long_identifier(300, 'A');  // past the keyer's stack buffer
  for (const std::string_view id :
       {std::string_view("X4123456"), std::string_view(""), std::string_view("FRA:AB123CD"),
        std::string_view(long_identifier)}) {
    EXPECT_EQ(KeyFor(kSecret, "SLTD", id), ReferenceKey(kSecret, "SLTD", id)) << id;
    EXPECT_EQ(keyer.For("SLTD", id), ReferenceKey(kSecret, "SLTD", id)) << id;
    EXPECT_EQ(keyer.For("SMV", id), KeyFor(kSecret, "SMV", id)) << id;
  }
  EXPECT_NE(keyer.For("SLTD", "X4123456"), IndexKeyer("another secret").For("SLTD", "X4123456"));
}

TEST(IdentifierIndex, InsertsLooksUpAndErases) {
  IdentifierIndex index;
  const IndexKey a = KeyFor(kSecret, "SLTD", "A1");
  const IndexKey b = KeyFor(kSecret, "SLTD", "B2");
  EXPECT_TRUE(index.Lookup(a).empty());
  ASSERT_TRUE(index.Insert(a, 7).ok());
  EXPECT_EQ(Refs(index, a), std::vector<std::uint64_t>{7});
  EXPECT_TRUE(index.Lookup(b).empty());
  EXPECT_FALSE(index.Erase(a, 8));
  EXPECT_FALSE(index.Erase(b, 7));
  EXPECT_TRUE(index.Erase(a, 7));
  EXPECT_TRUE(index.Lookup(a).empty());
  EXPECT_EQ(index.size(), 0U);
}

TEST(IdentifierIndex, KeepsSeveralRecordsPerKeyAsASet) {
  IdentifierIndex index;
  const IndexKey a = KeyFor(kSecret, "SMV", "FRA:AB123CD");
  ASSERT_TRUE(index.Insert(a, 1).ok());
  ASSERT_TRUE(index.Insert(a, 1).ok());  // the same record entered twice: one ref
  EXPECT_EQ(Refs(index, a), std::vector<std::uint64_t>{1});
  ASSERT_TRUE(index.Insert(a, 2).ok());
  ASSERT_TRUE(index.Insert(a, 3).ok());
  ASSERT_TRUE(index.Insert(a, 2).ok());
  EXPECT_EQ(Refs(index, a), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(index.size(), 1U);
  EXPECT_TRUE(index.Erase(a, 2));
  EXPECT_TRUE(index.Erase(a, 1));
  EXPECT_EQ(Refs(index, a), std::vector<std::uint64_t>{3});
  ASSERT_TRUE(index.Insert(a, 4).ok());  // reuses the freed list
  EXPECT_EQ(Refs(index, a), (std::vector<std::uint64_t>{3, 4}));
}

TEST(IdentifierIndex, RejectsRefsWithTheTopBit) {
  IdentifierIndex index;
  EXPECT_EQ(index.Insert({1, 2}, IdentifierIndex::kMaxRef + 1).reason(), "invalid_ref");
  EXPECT_TRUE(index.Insert({1, 2}, IdentifierIndex::kMaxRef).ok());
}

TEST(IdentifierIndex, GrowsAndKeepsLoadAtMostThreeQuarters) {
  IdentifierIndex index;
  Stream s{1};
  std::vector<IndexKey> keys;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    keys.push_back({s.Next(), s.Next()});
    ASSERT_TRUE(index.Insert(keys.back(), i).ok());
    ASSERT_LE(index.size() * 4, index.capacity() * 3);
  }
  for (std::uint64_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(Refs(index, keys[i]), std::vector<std::uint64_t>{i});
  }
  // Keys that share a home slot (same low word) but differ in the high word.
  ASSERT_TRUE(index.Insert({keys[0].lo, keys[0].hi ^ 1}, 5).ok());
  EXPECT_EQ(Refs(index, {keys[0].lo, keys[0].hi ^ 1}), std::vector<std::uint64_t>{5});
  EXPECT_EQ(Refs(index, keys[0]), std::vector<std::uint64_t>{0});
}

// Random inserts and erases over a small key space (so keys collide, repeat and come back),
// checked against std::unordered_multimap holding each (key, ref) pair at most once.
TEST(IdentifierIndex, AgreesWithUnorderedMultimap) {
  IdentifierIndex index;
  std::unordered_multimap<std::uint64_t, std::uint64_t> model;
  Stream s{42};
  // Low words from a small range crowd home slots together; high words tell keys apart.
  auto key_of = [](std::uint64_t k) { return IndexKey{k % 997, k}; };
  for (int step = 0; step < 100000; ++step) {
    const std::uint64_t k = s.Next() % 3000;
    const std::uint64_t ref = s.Next() % 4;
    auto [first, last] = model.equal_range(k);
    auto it = std::find_if(first, last, [&](const auto& kv) { return kv.second == ref; });
    if (s.Next() % 3 != 0) {
      ASSERT_TRUE(index.Insert(key_of(k), ref).ok());
      if (it == last) model.emplace(k, ref);
    } else {
      ASSERT_EQ(index.Erase(key_of(k), ref), it != last);
      if (it != last) model.erase(it);
    }
    if (step % 5000 == 0) {
      for (std::uint64_t q = 0; q < 3000; ++q) {
        std::vector<std::uint64_t> expected;
        auto [b, e] = model.equal_range(q);
        for (auto i = b; i != e; ++i) expected.push_back(i->second);
        std::sort(expected.begin(), expected.end());
        ASSERT_EQ(Refs(index, key_of(q)), expected) << "key " << q << " step " << step;
      }
    }
  }
}

// A table of `n` random keys, key i holding ref i, and key 0 also ref `n` (a ref list).
struct Filled {
  explicit Filled(std::size_t n) {
    Stream s{n};
    for (std::uint64_t i = 0; i < n; ++i) {
      keys.push_back({s.Next(), s.Next()});
      NCBNET_CHECK(index.Insert(keys.back(), i).ok(), "insert");
    }
    NCBNET_CHECK(index.Insert(keys[0], n).ok(), "insert");
  }
  IdentifierIndex index;
  std::vector<IndexKey> keys;
};

std::vector<IndexKey> MissingKeys(std::size_t n) {
  Stream s{999};
  std::vector<IndexKey> keys;
  for (std::size_t i = 0; i < n; ++i) keys.push_back({s.Next(), s.Next()});
  return keys;
}

// Checks LookupBatch against one Lookup per key; returns how many keys it found.
std::size_t ExpectBatchAgrees(const IdentifierIndex& index, const std::vector<IndexKey>& keys) {
  std::vector<std::span<const std::uint64_t>> refs(keys.size());
  const std::size_t found = index.LookupBatch(keys, refs);
  std::size_t expected_found = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto single = index.Lookup(keys[i]);
    EXPECT_EQ(std::vector<std::uint64_t>(refs[i].begin(), refs[i].end()),
              std::vector<std::uint64_t>(single.begin(), single.end()))
        << "key " << i;
    expected_found += single.empty() ? 0 : 1;
  }
  EXPECT_EQ(found, expected_found);
  return found;
}

TEST(IdentifierIndexBatch, EmptyBatchFindsNothing) {
  const Filled f(100);
  std::vector<std::span<const std::uint64_t>> refs;
  EXPECT_EQ(f.index.LookupBatch({}, refs), 0U);
}

TEST(IdentifierIndexBatch, AllHitsOfEveryBatchSize) {
  const Filled f(5000);
  for (const std::size_t n : {1, 5, 15, 16, 17, 33, 5000}) {
    const std::vector<IndexKey> batch(f.keys.begin(),
                                      f.keys.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(ExpectBatchAgrees(f.index, batch), n);
  }
  std::vector<std::span<const std::uint64_t>> refs(3);
  const std::vector<IndexKey> batch(f.keys.begin(), f.keys.begin() + 3);
  ASSERT_EQ(f.index.LookupBatch(batch, refs), 3U);
  EXPECT_EQ(std::vector<std::uint64_t>(refs[0].begin(), refs[0].end()).size(), 2U);  // a list
  EXPECT_EQ(std::vector<std::uint64_t>(refs[2].begin(), refs[2].end()),
            std::vector<std::uint64_t>{2});
}

TEST(IdentifierIndexBatch, AllMisses) {
  const Filled f(5000);
  const std::vector<IndexKey> misses = MissingKeys(3000);
  std::vector<std::span<const std::uint64_t>> refs(misses.size());
  EXPECT_EQ(f.index.LookupBatch(misses, refs), 0U);
  for (const auto& r : refs) EXPECT_TRUE(r.empty());
  // And on an empty table.
  const IdentifierIndex empty;
  EXPECT_EQ(empty.LookupBatch(misses, refs), 0U);
}

TEST(IdentifierIndexBatch, DuplicatesAndMixedKeysAnswerInOrder) {
  const Filled f(20000);  // past 2 MiB of slots: the mapped, huge-page table
  const std::vector<IndexKey> misses = MissingKeys(100);
  std::vector<IndexKey> batch;
  for (std::size_t i = 0; i < 400; ++i) {
    if (i % 4 == 0) {
      batch.push_back(misses[i % misses.size()]);
    } else if (i % 4 == 1) {
      batch.push_back(f.keys[0]);  // the same key, with a ref list, again and again
    } else {
      batch.push_back(f.keys[(i * 37) % f.keys.size()]);
    }
  }
  batch.push_back(batch.front());  // a repeated miss at the end
  EXPECT_EQ(ExpectBatchAgrees(f.index, batch), 300U);
}

TEST(IdentifierIndexBatch, KeysSharingHomeSlots) {
  IdentifierIndex index;
  std::vector<IndexKey> batch;
  for (std::uint64_t i = 0; i < 40; ++i) {
    ASSERT_TRUE(index.Insert({7, i}, i).ok());  // one long run from home slot 7
    batch.push_back({7, i});
    batch.push_back({7, i + 1000});  // absent, same home
  }
  EXPECT_EQ(ExpectBatchAgrees(index, batch), 40U);
}

TEST(IdentifierIndex, ReserveMakesRoomWithoutGrowingLater) {
  IdentifierIndex index;
  index.Reserve(100000);
  const std::size_t capacity = index.capacity();
  EXPECT_GE(capacity * 3, std::size_t{100000} * 4);
  EXPECT_LE(capacity, std::size_t{262144});  // the smallest power of two that fits
  Stream s{5};
  std::vector<IndexKey> keys;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    keys.push_back({s.Next(), s.Next()});
    ASSERT_TRUE(index.Insert(keys.back(), i).ok());
  }
  EXPECT_EQ(index.capacity(), capacity);
  index.Reserve(10);  // never shrinks
  EXPECT_EQ(index.capacity(), capacity);
  index.Reserve(1000000);  // rehashes what is there
  EXPECT_GT(index.capacity(), capacity);
  for (std::uint64_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(Refs(index, keys[i]), std::vector<std::uint64_t>{i});
  }
}

}  // namespace
}  // namespace ncbnet::index
