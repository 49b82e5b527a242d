#include "index/identifier_index.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ncbnet::index
