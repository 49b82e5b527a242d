// A small network in a real SQLite store for the access tests: the GS, NCBs for France and
// Germany (or the countries a subclass names) with their default grants, and a clock the tests
// move. The test environments of the layers above (records, messaging) build on it.
#pragma once

#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "access/network.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/fake_clock.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::access {

class AccessTest : public ::testing::Test {
 protected:
  explicit AccessTest(std::vector<Country> countries = {{"FRA", "France"}, {"DEU", "Germany"}})
      : countries_(std::move(countries)) {}

  void SetUp() override {
    auto s = store::OpenSqliteStore(dir_.File("test.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    NetworkSpec spec{countries_, "gs.admin", "$argon2id$fake"};
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return CreateNetwork(tx, spec, clock_.NowMillis());
                }).ok());
  }

  Status Write(const store::Store::TxFn& fn) { return store_->Write(fn); }

  std::vector<Country> countries_;
  testutil::TempDir dir_;
  testutil::FakeClock clock_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace ncbnet::access
