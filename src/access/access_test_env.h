// A small network in a real SQLite store for the access tests: the GS, NCBs for France and
// Germany with their default grants, and a clock the tests move.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "access/network.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/fake_clock.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::access {

class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenSqliteStore(dir_.File("test.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    NetworkSpec spec{{{"FRA", "France"}, {"DEU", "Germany"}}, "gs.admin", "$argon2id$fake"};
    ASSERT_TRUE(Write([&](store::Transaction& tx) {
                  return CreateNetwork(tx, spec, clock_.NowMillis());
                }).ok());
  }

  Status Write(const store::Store::TxFn& fn) { return store_->Write(fn); }

  testutil::TempDir dir_;
  testutil::FakeClock clock_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace ncbnet::access
