#include "mla/reminders.h"

#include <gtest/gtest.h>

#include "mla/mla_test_env.h"

namespace ncbnet::mla {
namespace {

int Containing(const std::vector<std::string>& subjects, const std::string& part) {
  int n = 0;
  for (const std::string& s : subjects) n += s.find(part) != std::string::npos ? 1 : 0;
  return n;
}

TEST_F(MlaTest, RemindsTheRequestedSideOnceBeforeTheDeadlineAndOnceWhenOverdue) {
  NewRequest in = Sample();
  in.deadline_ms = clock_.NowMillis() + 10 * kDayMs;
  auto r = Create(Justice(), in);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(Move(Ncb("DEU"), r->id, State::kReceived).ok());
  ASSERT_TRUE(Move(Ncb("DEU"), r->id, State::kInProgress, "", deu_authority_).ok());

  auto none = Remind();  // ten days ahead: nothing yet
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->due_soon + none->overdue, 0);

  clock_.Advance(std::chrono::hours(24 * 8));  // two days left
  auto soon = Remind();
  ASSERT_TRUE(soon.ok()) << soon.status().ToString();
  EXPECT_EQ(soon->due_soon, 1);
  EXPECT_EQ(soon->overdue, 0);
  EXPECT_EQ(Remind()->due_soon, 0);  // once
  for (const std::string& told : {std::string("ncb-deu"), deu_authority_}) {
    EXPECT_EQ(Containing(Subjects(told), "answer due by"), 1) << told;
  }
  EXPECT_EQ(Containing(Subjects("ncb-fra"), "answer due by"), 0);  // the requester is not told

  clock_.Advance(std::chrono::hours(24 * 3));  // a day late
  auto late = Remind();
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->overdue, 1);
  EXPECT_EQ(Remind()->overdue, 0);  // once
  EXPECT_EQ(Containing(Subjects("ncb-deu"), "overdue since"), 1);
  auto seen = Get(Justice(), r->id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->overdue);
}

TEST_F(MlaTest, DoesNotRemindOfClosedRequestsAndGoesStraightToOverdue) {
  NewRequest in = Sample();
  in.deadline_ms = clock_.NowMillis() + kDayMs;
  auto closed = Create(Justice(), in);
  auto open = Create(Justice(), in);
  ASSERT_TRUE(closed.ok() && open.ok());
  ASSERT_TRUE(Move(Justice(), closed->id, State::kWithdrawn).ok());
  clock_.Advance(std::chrono::hours(48));
  auto sent = Remind();
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->due_soon, 0);  // past the deadline unreminded: the overdue one only
  EXPECT_EQ(sent->overdue, 1);
  EXPECT_EQ(Containing(Subjects("ncb-deu"), open->id + " (FRA to DEU): overdue"), 1);
  EXPECT_EQ(Containing(Subjects("ncb-deu"), closed->id + " (FRA to DEU): overdue"), 0);
}

}  // namespace
}  // namespace ncbnet::mla
