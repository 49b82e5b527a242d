#include "crypto/checksummed_file.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace ncbnet::crypto {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

Status WriteFile(const std::string& path, const std::string& content) {
  auto w = ChecksummedFileWriter::Create(path);
  if (!w.ok()) return w.status();
  (*w)->Write(content.data(), content.size());
  return (*w)->Commit();
}

Result<std::string> ReadFile(const std::string& path) {
  NCBNET_ASSIGN_OR_RETURN(std::unique_ptr<ChecksummedFileReader> r,
                          ChecksummedFileReader::Open(path));
  std::string out(r->content_size(), '\0');
  NCBNET_RETURN_IF_ERROR(r->Read(out.data(), out.size()));
  NCBNET_RETURN_IF_ERROR(r->Finish());
  return out;
}

TEST(ChecksummedFileTest, RoundTripsWithPrivateMode) {
  testutil::TempDir dir;
  const std::string path = dir.File("snap");
  ASSERT_TRUE(WriteFile(path, "hello, index").ok());
  auto back = ReadFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, "hello, index");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(ChecksummedFileTest, DetectsEveryKindOfDamage) {
  testutil::TempDir dir;
  const std::string path = dir.File("snap");
  ASSERT_TRUE(WriteFile(path, std::string(1000, 'x')).ok());
  const std::string good = Slurp(path);
  std::string flipped = good;
  flipped[500] ^= 1;
  for (const std::string& bad :
       {flipped, good.substr(0, good.size() - 1), good + "y", good.substr(0, 10), std::string()}) {
    Spit(path, bad);
    auto r = ReadFile(path);
    ASSERT_FALSE(r.ok()) << bad.size();
    EXPECT_EQ(r.status().reason(), "file_corrupt");
  }
  EXPECT_EQ(ReadFile(dir.File("absent")).status().reason(), "file_missing");
}

TEST(ChecksummedFileTest, AnUncommittedWriterLeavesTheOldFile) {
  testutil::TempDir dir;
  const std::string path = dir.File("snap");
  ASSERT_TRUE(WriteFile(path, "old").ok());
  {
    auto w = ChecksummedFileWriter::Create(path);
    ASSERT_TRUE(w.ok());
    (*w)->Write("new", 3);
  }
  EXPECT_EQ(*ReadFile(path), "old");
  EXPECT_EQ(Slurp(path + ".tmp"), "");
}

TEST(ChecksummedFileTest, ReadingPastTheContentIsCorruption) {
  testutil::TempDir dir;
  const std::string path = dir.File("snap");
  ASSERT_TRUE(WriteFile(path, "abc").ok());
  auto r = ChecksummedFileReader::Open(path);
  ASSERT_TRUE(r.ok());
  char buf[8];
  EXPECT_EQ((*r)->Read(buf, 4).reason(), "file_corrupt");
}

}  // namespace
}  // namespace ncbnet::crypto
