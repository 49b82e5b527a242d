#include <sys/stat.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "index/identifier_index.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::index {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

IdentifierIndex Sample() {
  IdentifierIndex index;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const IndexKey key = KeyFor("secret", "SLTD", "P" + std::to_string(i));
    EXPECT_TRUE(index.Insert(key, i).ok());
    if (i % 10 == 0) {
      EXPECT_TRUE(index.Insert(key, i + 5000).ok());
    }
  }
  // A freed ref list is saved too.
  const IndexKey key = KeyFor("secret", "SLTD", "P1");
  EXPECT_TRUE(index.Insert(key, 99).ok());
  EXPECT_TRUE(index.Erase(key, 99));
  return index;
}

// A table past 2 MiB of slots lives in mapped, huge-page-advised memory; it saves and loads
// the same way, and a loaded table answers batches.
TEST(IdentifierIndexFile, RoundTripsAReservedMappedTable) {
  testutil::TempDir dir;
  const std::string path = dir.File("big.idx");
  IdentifierIndex saved;
  saved.Reserve(200000);
  std::vector<IndexKey> keys;
  for (std::uint64_t i = 0; i < 150000; ++i) {
    keys.push_back({i * 0x9e3779b97f4a7c15ULL, i});
    ASSERT_TRUE(saved.Insert(keys.back(), i).ok());
  }
  ASSERT_TRUE(saved.SaveTo(path).ok());
  Result<IdentifierIndex> loaded = IdentifierIndex::LoadFrom(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->capacity(), saved.capacity());
  keys.push_back({1, 1});  // absent
  std::vector<std::span<const std::uint64_t>> refs(keys.size());
  EXPECT_EQ(loaded->LookupBatch(keys, refs), 150000U);
  for (std::uint64_t i = 0; i < 150000; ++i) {
    ASSERT_EQ(refs[i].size(), 1U);
    ASSERT_EQ(refs[i][0], i);
  }
  EXPECT_TRUE(refs.back().empty());
}

TEST(IdentifierIndexFile, RoundTrips) {
  testutil::TempDir dir;
  const std::string path = dir.File("sltd.idx");
  const IdentifierIndex saved = Sample();
  ASSERT_TRUE(saved.SaveTo(path).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);

  Result<IdentifierIndex> loaded = IdentifierIndex::LoadFrom(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->size(), saved.size());
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const IndexKey key = KeyFor("secret", "SLTD", "P" + std::to_string(i));
    EXPECT_EQ(loaded->Lookup(key).size(), i % 10 == 0 ? 2U : 1U);
  }
  EXPECT_TRUE(loaded->Lookup(KeyFor("secret", "SLTD", "P1000")).empty());
  // The loaded index stays a working index: it grows, shrinks and saves again.
  const IndexKey extra = KeyFor("secret", "SLTD", "NEW");
  ASSERT_TRUE(loaded->Insert(extra, 1).ok());
  ASSERT_TRUE(loaded->Insert(KeyFor("secret", "SLTD", "P3"), 7).ok());
  EXPECT_TRUE(loaded->Erase(KeyFor("secret", "SLTD", "P0"), 0));
  ASSERT_TRUE(loaded->SaveTo(path).ok());
  EXPECT_TRUE(IdentifierIndex::LoadFrom(path).ok());
}

TEST(IdentifierIndexFile, MissingFileIsNotFound) {
  testutil::TempDir dir;
  EXPECT_EQ(IdentifierIndex::LoadFrom(dir.File("none")).status().reason(), "index_missing");
}

void ExpectCorrupt(const std::string& path, const std::string& bytes, const std::string& what) {
  WriteFile(path, bytes);
  const Result<IdentifierIndex> r = IdentifierIndex::LoadFrom(path);
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << what;
  EXPECT_EQ(r.status().reason(), "index_corrupt") << what;
}

TEST(IdentifierIndexFile, DamagedFilesAreDataLoss) {
  testutil::TempDir dir;
  const std::string path = dir.File("sltd.idx");
  ASSERT_TRUE(Sample().SaveTo(path).ok());
  const std::string good = ReadFile(path);

  ExpectCorrupt(path, "", "empty");
  for (std::size_t cut : {std::size_t{10}, std::size_t{64}, std::size_t{100}, good.size() - 1}) {
    ExpectCorrupt(path, good.substr(0, cut), "truncated at " + std::to_string(cut));
  }
  ExpectCorrupt(path, good + "x", "trailing byte");
  std::string magic = good;
  magic[3] = 'X';
  ExpectCorrupt(path, magic, "wrong magic");
  std::string version = good;
  version[8] = 2;
  ExpectCorrupt(path, version, "wrong version");
  for (std::size_t byte : {std::size_t{70}, good.size() / 2, good.size() - 40, good.size() - 1}) {
    std::string flipped = good;
    flipped[byte] = static_cast<char>(flipped[byte] ^ 0x10);
    ExpectCorrupt(path, flipped, "bit flip at " + std::to_string(byte));
  }
  // Huge counts in the header: rejected by size before anything is allocated.
  for (std::size_t field : {std::size_t{16}, std::size_t{24}, std::size_t{32}, std::size_t{40}}) {
    std::string huge = good;
    for (std::size_t i = 0; i < 8; ++i) huge[field + i] = i == 7 ? '\x7f' : '\xff';
    ExpectCorrupt(path, huge, "huge field at " + std::to_string(field));
  }
}

}  // namespace
}  // namespace ncbnet::index
