// The messaging tests' network (messaging/messaging_test_env.h) with the hub's messaging key
// registered and records inserted straight into the records table (migration 6), for the hits
// and reminder tests.
#pragma once

#include <string>

#include "crypto/random.h"
#include "hits/hits.h"
#include "messaging/hub_messages.h"
#include "messaging/messaging_test_env.h"

namespace ncbnet::hits {

class HitsTest : public messaging::MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    RegisterHubKey();
  }

  // An active record of `country`'s NCB, due for review at `review_ms` (default: in a year).
  records::Record NewRecord(const std::string& country, const std::string& database = "SLTD",
                            std::int64_t review_ms = 0) {
    records::Record r;
    r.ref = ++next_ref_;
    r.id = crypto::NewId("rec");
    r.database = database;
    r.owner_country = country;
    r.owner_agency = access::NcbIdFor(country);
    r.external_id = "EXT-" + std::to_string(r.ref);
    r.action = "Seize the document and inform NCB " + country;
    r.fields = {{"number", "AB123456" + std::to_string(r.ref)}};
    r.created_ms = r.updated_ms = clock_.NowMillis();
    r.review_ms = review_ms != 0 ? review_ms : clock_.NowMillis() + kYearMs;
    r.changed_by_agency = r.owner_agency;
    Exec(
        "INSERT INTO records (ref, id, database, owner_agency, owner_country, external_id,"
        " version, status, visibility, countries, frontline, action, fields, keys, created_ms,"
        " updated_ms, review_ms, reminded_ms, changed_by_agency, changed_by_user, cancel_reason)"
        " VALUES (?, ?, ?, ?, ?, ?, 1, 'active', 'all', '[]', 1, ?, ?, ?, ?, ?, ?, NULL, ?, '', "
        "'')",
        {r.ref, r.id, r.database, r.owner_agency, r.owner_country, r.external_id, r.action,
         r.fields.dump(), store::Blob{""}, r.created_ms, r.updated_ms, r.review_ms,
         r.changed_by_agency});
    return r;
  }

  static MatchInfo DocumentMatch(const std::string& value) {
    MatchInfo m;
    m.identifier = "document";
    m.value = value;
    return m;
  }

  Result<std::vector<RecordedHit>> Record(const Checker& checker,
                                          const std::vector<records::Record>& recs,
                                          const std::vector<MatchInfo>& what,
                                          const CheckContext& context = {}) {
    std::vector<RecordedHit> out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, RecordHits(tx, data_key_, hub_key_, checker, context, recs, what,
                                              clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Hit> Get(const std::string& id, const HitViewer& viewer) {
    Hit out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, GetHit(tx, id, viewer));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Hit>> List(const HitViewer& viewer, const HitFilter& filter = {}) {
    std::vector<Hit> out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, ListHits(tx, viewer, filter));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Hit> FollowUpAs(const HitViewer& viewer, const std::string& id, FollowUpState state,
                         const std::string& note = "") {
    Hit out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, AddFollowUp(tx, data_key_, hub_key_, id, viewer, "usr_x", state,
                                               note, clock_.NowMillis()));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  // The messages (not receipts) in `agency`'s mailbox, read in full.
  std::vector<messaging::StoredMessage> Inbox(const std::string& agency) {
    std::vector<messaging::StoredMessage> out;
    auto events = Fetch(agency, 0, 500);
    EXPECT_TRUE(events.ok());
    if (!events.ok()) return out;
    for (const messaging::MailboxEvent& e : *events) {
      if (e.kind != messaging::EventKind::kMessage) continue;
      auto m = Read(agency, e.message_id);
      EXPECT_TRUE(m.ok()) << m.status().ToString();
      if (m.ok()) out.push_back(*std::move(m));
    }
    return out;
  }

  Checker FraTerminal() const {
    return {fra_terminal_, "usr_gate7", "fra.gate7", "FRA", access::AgencyKind::kTerminal};
  }
  static HitViewer Ncb(const std::string& country) {
    return {access::NcbIdFor(country), country, access::AgencyKind::kNcb};
  }
  HitViewer FraTerminalViewer() const {
    return {fra_terminal_, "FRA", access::AgencyKind::kTerminal};
  }

  static constexpr std::int64_t kDayMs = std::int64_t{24} * 3600 * 1000;
  static constexpr std::int64_t kYearMs = 365 * kDayMs;
  std::int64_t next_ref_ = 0;
};

}  // namespace ncbnet::hits
