#include "hits/reminders.h"

#include <gtest/gtest.h>

#include "hits/hits_test_env.h"

namespace ncbnet::hits {
namespace {

class RemindersTest : public HitsTest {
 protected:
  Result<ReminderResult> Remind(int max_messages = 20) {
    ReminderResult out;
    Status s = Write([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, SendReviewReminders(tx, data_key_, hub_key_, clock_.NowMillis(),
                                                       kDefaultReminderWindowMs, max_messages));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }
};

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(RemindersTest, RemindsEachOwnerOnceOfItsRecordsDueSoon) {
  const std::int64_t now = clock_.NowMillis();
  const records::Record d1 = NewRecord("DEU", "SLTD", now + 10 * kDayMs);
  const records::Record d2 = NewRecord("DEU", "SMV", now - kDayMs);  // already past
  const records::Record f1 = NewRecord("FRA", "SLTD", now + 29 * kDayMs);
  const records::Record later = NewRecord("FRA", "SLTD", now + 31 * kDayMs);
  const records::Record cancelled = NewRecord("ITA", "SLTD", now + kDayMs);
  Exec("UPDATE records SET status = 'cancelled' WHERE id = ?", {cancelled.id});

  auto sent = Remind();
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->messages, 2);
  EXPECT_EQ(sent->records, 3);

  const auto deu = Inbox("ncb-deu");
  ASSERT_EQ(deu.size(), 1u);
  EXPECT_EQ(deu[0].content.sender_agency, "gs");
  EXPECT_TRUE(Contains(deu[0].content.subject, "Review due: 2 of your records"));
  const std::string& body = deu[0].content.body;
  // Oldest review date first; the past one says it no longer matches.
  EXPECT_LT(body.find(d2.id), body.find(d1.id)) << body;
  EXPECT_TRUE(Contains(body, "past due")) << body;
  EXPECT_TRUE(Contains(body, d1.external_id)) << body;
  const auto fra = Inbox("ncb-fra");
  ASSERT_EQ(fra.size(), 1u);
  EXPECT_TRUE(Contains(fra[0].content.body, f1.id));
  EXPECT_FALSE(Contains(fra[0].content.body, later.id));
  EXPECT_TRUE(Inbox("ncb-ita").empty());

  // Once: a second run finds nothing.
  auto again = Remind();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->messages, 0);
  EXPECT_EQ(Count("messages"), 2);

  // A new version (a review) re-arms the reminder if the record is still due soon.
  clock_.Advance(std::chrono::milliseconds(kDayMs));
  Exec("UPDATE records SET version = 2, updated_ms = ? WHERE id = ?", {clock_.NowMillis(), d1.id});
  auto after_review = Remind();
  ASSERT_TRUE(after_review.ok());
  EXPECT_EQ(after_review->messages, 1);
  EXPECT_EQ(after_review->records, 1);
}

TEST_F(RemindersTest, ADisabledOwnerDoesNotHoldUpTheOthers) {
  const std::int64_t now = clock_.NowMillis();
  NewRecord("DEU", "SLTD", now + kDayMs);
  NewRecord("FRA", "SLTD", now + kDayMs);
  Exec("UPDATE agencies SET disabled_ms = 1 WHERE id = 'ncb-deu'");
  auto sent = Remind();
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->messages, 1);
  EXPECT_EQ(Inbox("ncb-fra").size(), 1u);
}

TEST_F(RemindersTest, SplitsLongListsAndKeepsToItsMessageBudget) {
  const std::int64_t now = clock_.NowMillis();
  for (int i = 0; i < kMaxRecordsPerReminder + 1; ++i) NewRecord("DEU", "SLTD", now + kDayMs);
  NewRecord("FRA", "SLTD", now + kDayMs);
  auto first = Remind(/*max_messages=*/1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->messages, 1);
  EXPECT_EQ(first->records, kMaxRecordsPerReminder);
  auto rest = Remind();
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->messages, 2);  // DEU's last record, then FRA's
  EXPECT_EQ(rest->records, 2);
  EXPECT_EQ(Inbox("ncb-deu").size(), 2u);
  EXPECT_EQ(Inbox("ncb-fra").size(), 1u);
}

}  // namespace
}  // namespace ncbnet::hits
