#include "apps/ncbnet/clock_check.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/fake_clock.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::apps {
namespace {

// A store whose server clock reads `server_ms` (time is faked; the store is real SQLite).
class StoreWithClock final : public store::Store {
 public:
  StoreWithClock(std::unique_ptr<store::Store> inner, std::optional<std::int64_t> server_ms)
      : inner_(std::move(inner)), server_ms_(server_ms) {}
  Status Write(const TxFn& fn) override { return inner_->Write(fn); }
  Status Read(const TxFn& fn) override { return inner_->Read(fn); }
  store::StoreStats Stats() override { return inner_->Stats(); }
  Result<std::optional<std::int64_t>> ServerTimeMillis() override { return server_ms_; }
  Status CheckWritable() override { return inner_->CheckWritable(); }

 private:
  std::unique_ptr<store::Store> inner_;
  std::optional<std::int64_t> server_ms_;
};

class ClockCheckTest : public ::testing::Test {
 protected:
  StoreWithClock With(std::optional<std::int64_t> server_ms) {
    return StoreWithClock(std::move(store::OpenSqliteStore(dir_.File("s.db"))).value(), server_ms);
  }
  testutil::TempDir dir_;
  testutil::FakeClock clock_;
};

TEST_F(ClockCheckTest, AStoreWithoutAClockIsNeverSkewed) {
  StoreWithClock store = With(std::nullopt);
  EXPECT_TRUE(CheckClockSkew(clock_, store, 0).ok());
}

TEST_F(ClockCheckTest, WithinTheToleranceEitherWayServes) {
  for (const std::int64_t skew : {-2000, -1, 0, 1, 2000}) {
    StoreWithClock store = With(clock_.NowMillis() + skew);
    EXPECT_TRUE(CheckClockSkew(clock_, store, 2000).ok()) << skew;
  }
}

TEST_F(ClockCheckTest, BeyondTheToleranceRefusesAndSaysByHowMuch) {
  for (const std::int64_t skew : {-2001, 2001, 3'600'000}) {
    StoreWithClock store = With(clock_.NowMillis() + skew);
    const Status s = CheckClockSkew(clock_, store, 2000);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << skew;
    EXPECT_EQ(s.reason(), "clock_skew");
    EXPECT_NE(s.message().find(std::to_string(skew) + " ms"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace ncbnet::apps
