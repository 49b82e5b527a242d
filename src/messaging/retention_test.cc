#include "messaging/retention.h"

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "messaging/mailbox_search.h"
#include "messaging/messaging_test_env.h"

namespace ncbnet::messaging {
namespace {

constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

class RetentionTest : public MessagingTest {
 protected:
  void SetUp() override {
    MessagingTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(Write([&](store::Transaction& tx) { return audit::Anchor(tx, audit_key_); }).ok());
  }

  // Sends fra -> deu with `retention_days`, one second after the previous send.
  std::string SendKept(std::int64_t retention_days, const std::string& body = "retained text") {
    SignedContent c = Content("ncb-fra", {{"ncb-deu"}, {}, false});
    c.body = body;
    clock_.Advance(std::chrono::seconds(1));
    std::string id;
    EXPECT_TRUE(Write([&](store::Transaction& tx) -> Status {
                  NCBNET_ASSIGN_OR_RETURN(
                      Accepted a,
                      Send(tx, data_key_, {c.sender_agency, ""}, c, SignAs(c.sender_agency, c),
                           clock_.NowMillis(), retention_days * kDayMs));
                  id = a.message_id;
                  return Status::Ok();
                }).ok());
    return id;
  }

  Result<int> Purge(int limit = 500) {
    int n = 0;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(n, PurgeExpired(tx, audit_key_, clock_.NowMillis(), limit));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return n;
  }

  int Purged(int limit = 500) {
    Result<int> n = Purge(limit);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  std::vector<std::string> Listed(const std::string& agency, const std::string& q = "") {
    std::vector<std::string> ids;
    EXPECT_TRUE(store_
                    ->Read([&](store::Transaction& tx) -> Status {
                      NCBNET_ASSIGN_OR_RETURN(
                          MailboxPage page,
                          SearchMailbox(tx, data_key_, agency,
                                        With([&](MailboxFilter& f) { f.query = q; })));
                      for (const MailboxEntry& e : page.entries) ids.push_back(e.message.id);
                      return Status::Ok();
                    })
                    .ok());
    return ids;
  }

  crypto::SigningKey audit_key_ = crypto::SigningKey::Generate();
};

TEST_F(RetentionTest, DefaultRetentionIsFiveYears) {
  auto a = SendTo("ncb-fra", {{"ncb-deu"}, {}, false});
  ASSERT_TRUE(a.ok());
  const auto rows =
      Query("SELECT retention_until_ms - accepted_ms FROM messages WHERE id = ?", {a->message_id});
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0][0].AsInt(), 1826 * kDayMs);
}

TEST_F(RetentionTest, PurgesExpiredMessagesForEveryoneAndAuditsEach) {
  const std::string old1 = SendKept(1, "expiring alpha");
  const std::string old2 = SendKept(1, "expiring beta");
  const std::string kept = SendKept(30, "lasting alpha");
  EXPECT_EQ(Purged(), 0);  // nothing expired yet
  clock_.Advance(std::chrono::hours(48));
  EXPECT_EQ(Purged(), 2);
  EXPECT_EQ(Purged(), 0);

  EXPECT_EQ(Query("SELECT id FROM messages").size(), 1U);
  EXPECT_EQ(Query("SELECT 1 FROM message_recipients WHERE message_id <> ?", {kept}).size(), 0U);
  EXPECT_EQ(Query("SELECT 1 FROM mailbox_events WHERE message_id <> ?", {kept}).size(), 0U);
  EXPECT_EQ(Query("SELECT 1 FROM message_terms WHERE message_id <> ?", {kept}).size(), 0U);
  for (const std::string& agency : {std::string("ncb-fra"), std::string("ncb-deu")}) {
    EXPECT_EQ(Listed(agency), std::vector<std::string>{kept});
    EXPECT_EQ(Listed(agency, "alpha"), std::vector<std::string>{kept});
    EXPECT_TRUE(Listed(agency, "expiring").empty());
    EXPECT_EQ(Read(agency, old1).status().reason(), "message_not_found");
  }
  const auto audit = Query("SELECT action, object, user_id, source FROM audit_log ORDER BY seq");
  ASSERT_EQ(audit.size(), 2U);
  EXPECT_EQ(audit[0][0].AsText(), "message.purge");
  EXPECT_EQ(audit[0][1].AsText(), old1);
  EXPECT_EQ(audit[0][2].AsText(), "hub");
  EXPECT_EQ(audit[0][3].AsText(), "local");
  EXPECT_EQ(audit[1][1].AsText(), old2);
  auto report = audit::Verify(*store_, audit_key_.public_key());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
}

TEST_F(RetentionTest, PurgesInBatches) {
  for (int i = 0; i < 3; ++i) SendKept(1);
  clock_.Advance(std::chrono::hours(48));
  EXPECT_EQ(Purged(2), 2);
  EXPECT_EQ(Purged(2), 1);
  EXPECT_EQ(Count("messages"), 0);
  EXPECT_EQ(Purge(0).status().reason(), "invalid_request");
}

TEST_F(RetentionTest, NeverReusesACursorAfterPurgingTheNewestEvents) {
  SendKept(1);
  auto events = Fetch("ncb-deu", 0);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  const std::int64_t held = events->back().cursor;
  clock_.Advance(std::chrono::hours(48));
  ASSERT_EQ(Purged(), 1);
  EXPECT_EQ(Count("mailbox_events"), 0);
  // The client's cursor is still valid, and the next event comes after it.
  auto none = Fetch("ncb-deu", held);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
  const std::string fresh = SendKept(30);
  auto next = Fetch("ncb-deu", held);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 1U);
  EXPECT_GT(next->front().cursor, held);
  EXPECT_EQ(next->front().message_id, fresh);
}

}  // namespace
}  // namespace ncbnet::messaging
