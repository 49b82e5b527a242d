// A small network in a real SQLite store for the records tests: the GS and NCBs for France,
// Germany and Italy; under the French NCB a police agency with record.write:SLTD and a
// terminal. Writers and viewers for each, and helpers to create records.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "access/access_test_env.h"
#include "access/agencies.h"
#include "access/grants.h"
#include "access/network.h"
#include "records/records.h"
#include "store/sqlite/sqlite_store.h"
#include "tests/testutil/fake_clock.h"
#include "tests/testutil/temp_dir.h"

namespace ncbnet::records {

class RecordsTest : public access::AccessTest {
 protected:
  RecordsTest() : AccessTest({{"FRA", "France"}, {"DEU", "Germany"}, {"ITA", "Italy"}}) {}

  void SetUp() override {
    AccessTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      access::Agency police,
                      access::CreateChildAgency(tx, "ncb-fra", "ncb-fra",
                                                access::AgencyKind::kAgency, "Police", 1));
                  NCBNET_ASSIGN_OR_RETURN(
                      access::Agency terminal,
                      access::CreateChildAgency(tx, "ncb-fra", "ncb-fra",
                                                access::AgencyKind::kTerminal, "CDG gate", 1));
                  fra_police_ = police.id;
                  fra_terminal_ = terminal.id;
                  return Status::Ok();
                }).ok());
    auto secret = DeriveIndexSecret(std::string(32, 'K'));
    ASSERT_TRUE(secret.ok());
    secret_ = *secret;
  }

  static Writer WriterOf(const std::string& agency, const std::string& country) {
    return {agency, "usr_1", country};
  }
  static Viewer ViewerOf(const std::string& agency, const std::string& country,
                         access::AgencyKind kind = access::AgencyKind::kNcb) {
    return {agency, country, kind};
  }

  const DatabaseSchema& Schema(const std::string& code) {
    return **Catalogue::Builtin().Find(code);
  }

  static nlohmann::json Passport(const std::string& number, const std::string& country = "FRA") {
    return {{"number", number},
            {"issuing_country", country},
            {"document_type", "passport"},
            {"status", "stolen"}};
  }

  Result<Record> Create(const std::string& db, const nlohmann::json& fields,
                        Restrictions restrictions = {},
                        const Writer& w = WriterOf("ncb-fra", "FRA")) {
    RecordInput in;
    in.fields = fields;
    in.restrictions = std::move(restrictions);
    in.action = "Seize the document and call NCB Paris";
    Record out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out,
                              CreateRecord(tx, Schema(db), secret_, w, in, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Record> Get(const std::string& db, const std::string& id, const Viewer& v) {
    Record out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, GetRecord(tx, secret_, db, id, v));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  IndexSecret secret_;
  std::string fra_police_, fra_terminal_;
};

}  // namespace ncbnet::records
