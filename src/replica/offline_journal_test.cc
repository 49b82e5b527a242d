#include "replica/offline_journal.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace ncbnet::replica {
namespace {

TEST(OfflineJournal, KeepsLinesUntilDroppedAndSkipsATornLastLine) {
  ::ncbnet::testutil::TempDir dir;
  OfflineJournal j(dir.path().string());
  const std::string a = OfflineJournal::NewId(), b = OfflineJournal::NewId();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  ASSERT_TRUE(j.AppendHit({{"id", a}, {"record_id", "rec_1"}}).ok());
  ASSERT_TRUE(j.AppendCheck({{"id", a}, {"match", true}}).ok());
  ASSERT_TRUE(j.AppendCheck({{"id", b}, {"match", false}}).ok());
  {
    std::ofstream torn(dir.File(OfflineJournal::kChecks), std::ios::app);
    torn << "{\"id\": \"cut sho";
  }
  ASSERT_EQ(j.Hits()->size(), 1u);
  ASSERT_EQ(j.Checks()->size(), 2u);
  ASSERT_TRUE(j.Drop({a}).ok());
  EXPECT_TRUE(j.Hits()->empty());
  ASSERT_EQ(j.Checks()->size(), 1u);
  EXPECT_EQ((*j.Checks())[0]["id"], b);
}

TEST(OfflineJournal, IsEmptyBeforeAnyCheck) {
  ::ncbnet::testutil::TempDir dir;
  OfflineJournal j(dir.path().string());
  EXPECT_TRUE(j.Hits()->empty());
  EXPECT_TRUE(j.Drop({"x"}).ok());
}

}  // namespace
}  // namespace ncbnet::replica
