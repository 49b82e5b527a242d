#include "messaging/mailbox_search.h"

#include <gtest/gtest.h>

#include "messaging/internal/terms.h"
#include "messaging/messaging_test_env.h"

namespace ncbnet::messaging {
namespace {

using internal::Tokenize;

TEST(Tokenize, LowerCasesSplitsDedupesAndBoundsLength) {
  EXPECT_EQ(Tokenize("Stolen PASSPORT, stolen passport! a x1 FRA-12AB34567"),
            (std::vector<std::string>{"12ab34567", "fra", "passport", "stolen", "x1"}));
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize("a b c . ,").empty());
  EXPECT_EQ(Tokenize(std::string(64, 'q')), std::vector<std::string>{std::string(64, 'q')});
  EXPECT_TRUE(Tokenize(std::string(65, 'q')).empty());
  // UTF-8 letters stay inside their word and are kept as they are.
  EXPECT_EQ(Tokenize("M\xC3\xBCller/Stra\xC3\x9F"
                     "e"),
            (std::vector<std::string>{"m\xC3\xBCller",
                                      "stra\xC3\x9F"
                                      "e"}));
}

TEST(BlindTerm, IsKeyedAndHidesTheToken) {
  auto a = internal::IndexKey(DataKey{std::string(32, 'K')});
  auto b = internal::IndexKey(DataKey{std::string(32, 'L')});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(internal::BlindTerm(*a, "passport").size(), 32U);
  EXPECT_EQ(internal::BlindTerm(*a, "passport"), internal::BlindTerm(*a, "passport"));
  EXPECT_NE(internal::BlindTerm(*a, "passport"), internal::BlindTerm(*b, "passport"));
  EXPECT_NE(internal::BlindTerm(*a, "passport"), internal::BlindTerm(*a, "passports"));
  EXPECT_FALSE(internal::IndexKey(DataKey{"short"}).ok());
}

class MailboxSearchTest : public MessagingTest {
 protected:
  Result<MailboxPage> Search(const std::string& agency, const MailboxFilter& f) {
    MailboxPage out;
    Status s = store_->Read([&](store::Transaction& tx) -> Status {
      NCBNET_ASSIGN_OR_RETURN(out, SearchMailbox(tx, data_key_, agency, f));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::vector<std::string> Ids(const std::string& agency, const MailboxFilter& f) {
    auto page = Search(agency, f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const MailboxEntry& e : page->entries) ids.push_back(e.message.id);
    }
    return ids;
  }

  std::string SendText(const std::string& from, Addressing to, const std::string& subject,
                       const std::string& body) {
    SignedContent c = Content(from, std::move(to));
    c.subject = subject;
    c.body = body;
    clock_.Advance(std::chrono::seconds(1));
    auto a = SendAs(c);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return a.ok() ? a->message_id : "";
  }

  static MailboxFilter Q(std::string q) {
    MailboxFilter f;
    f.query = std::move(q);
    return f;
  }
};

TEST_F(MailboxSearchTest, ListsOwnMailboxNewestFirstWithState) {
  const std::string m1 = SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "first", "x");
  const std::string m2 = SendText("ncb-deu", {{"ncb-fra"}, {}, false}, "second", "y");
  auto page = Search("ncb-fra", {});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->entries.size(), 2U);
  EXPECT_EQ(page->entries[0].message.id, m2);
  EXPECT_EQ(page->entries[0].message.content.subject, "second");
  EXPECT_TRUE(page->entries[0].message.content.body.empty());
  EXPECT_EQ(page->entries[0].my_state, ReceiptState::kQueued);
  EXPECT_EQ(page->entries[1].message.id, m1);
  EXPECT_FALSE(page->entries[1].my_state.has_value());  // sent, not received
  EXPECT_TRUE(page->next_before.empty());
}

TEST_F(MailboxSearchTest, FindsByBodyAndSubjectTermsWithAnd) {
  const std::string m1 = SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "Stolen passport",
                                  "Holder JOHN Smith travelled to Berlin");
  const std::string m2 =
      SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "Vehicle", "Stolen car seen in Berlin");
  EXPECT_EQ(Ids("ncb-deu", Q("john")), std::vector<std::string>{m1});
  EXPECT_EQ(Ids("ncb-deu", Q("STOLEN")), (std::vector<std::string>{m2, m1}));
  EXPECT_EQ(Ids("ncb-deu", Q("stolen berlin car")), std::vector<std::string>{m2});
  EXPECT_TRUE(Ids("ncb-deu", Q("stolen paris")).empty());
  EXPECT_EQ(Ids("ncb-fra", Q("smith")), std::vector<std::string>{m1});  // the sender too
}

TEST_F(MailboxSearchTest, NeverShowsAMessageTheCallerIsNotPartyTo) {
  const std::string m = SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "secret", "zebra");
  for (const std::string& outsider : {std::string("gs"), std::string("ncb-ita"), deu_police_}) {
    EXPECT_TRUE(Ids(outsider, Q("zebra")).empty()) << outsider;
    EXPECT_TRUE(Ids(outsider, {}).empty()) << outsider;
    MailboxFilter f;
    f.before = m;  // a foreign id looks exactly like an absent one
    EXPECT_EQ(Search(outsider, f).status().message(),
              Search(outsider, With([&](MailboxFilter& g) { g.before = "msg_absent"; }))
                  .status()
                  .message());
  }
}

TEST_F(MailboxSearchTest, StoresNoPlaintextToken) {
  SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "Subject", "uniquewordxyz");
  for (const store::Row& row : Query("SELECT term FROM message_terms")) {
    EXPECT_EQ(row[0].AsText().size(), 32U);
    EXPECT_EQ(row[0].AsText().find("uniquewordxyz"), std::string::npos);
  }
  EXPECT_EQ(Count("message_terms"), 2);
}

TEST_F(MailboxSearchTest, FiltersByCorrespondentPriorityClassificationThreadUnreadAndTime) {
  const std::int64_t start = clock_.NowMillis();
  const std::string a = SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "one", "x");
  SignedContent c = Content("ncb-ita", {{"ncb-deu"}, {}, false});
  c.priority = Priority::kFlash;
  c.classification = Classification::kUnclassified;
  c.thread_id = a;
  clock_.Advance(std::chrono::seconds(1));
  const std::string b = SendAs(c)->message_id;
  EXPECT_EQ(Ids("ncb-deu", With([&](MailboxFilter& f) { f.correspondent = "ncb-ita"; })),
            std::vector<std::string>{b});
  EXPECT_EQ(Ids("ncb-fra", With([&](MailboxFilter& f) { f.correspondent = "ncb-deu"; })),
            std::vector<std::string>{a});
  EXPECT_EQ(Ids("ncb-deu", With([&](MailboxFilter& f) { f.priority = Priority::kFlash; })),
            std::vector<std::string>{b});
  EXPECT_EQ(Ids("ncb-deu",
                With([&](MailboxFilter& f) { f.classification = Classification::kRestricted; })),
            std::vector<std::string>{a});
  EXPECT_EQ(Ids("ncb-deu", With([&](MailboxFilter& f) { f.thread_id = a; })),
            (std::vector<std::string>{b, a}));
  EXPECT_EQ(Ids("ncb-deu", With([&](MailboxFilter& f) { f.from_ms = start + 1500; })),
            std::vector<std::string>{b});
  EXPECT_EQ(Ids("ncb-deu", With([&](MailboxFilter& f) { f.to_ms = start + 1500; })),
            std::vector<std::string>{a});
  ASSERT_TRUE(Read("ncb-deu", a).ok());
  EXPECT_EQ(Ids("ncb-deu", With([&](MailboxFilter& f) { f.unread_only = true; })),
            std::vector<std::string>{b});
  EXPECT_TRUE(Ids("ncb-fra", With([&](MailboxFilter& f) { f.unread_only = true; }))
                  .empty());  // sent messages are not unread
}

TEST_F(MailboxSearchTest, PagesWithBefore) {
  std::vector<std::string> sent;
  for (int i = 0; i < 5; ++i)
    sent.push_back(SendText("ncb-fra", {{"ncb-deu"}, {}, false}, "s", "b"));
  MailboxFilter f;
  f.limit = 2;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = Search("ncb-deu", f);
    ASSERT_TRUE(page.ok());
    for (const MailboxEntry& e : page->entries) seen.push_back(e.message.id);
    if (page->next_before.empty()) break;
    f.before = page->next_before;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{sent[4], sent[3], sent[2], sent[1], sent[0]}));
}

TEST_F(MailboxSearchTest, RefusesBadFilters) {
  for (const MailboxFilter& f :
       {With([&](MailboxFilter& f) { f.limit = 0; }),
        With([&](MailboxFilter& f) { f.limit = 201; }), Q("a"), Q(std::string(1001, 'x')),
        Q("a1 a2 a3 a4 a5 a6 a7 a8 a9 b1 b2 b3 b4 b5 b6 b7 b8"), With([&](MailboxFilter& f) {
          f.from_ms = 10;
          f.to_ms = 5;
        }),
        With([&](MailboxFilter& f) { f.before = "msg_nope"; })}) {
    EXPECT_EQ(Search("ncb-fra", f).status().reason(), "invalid_request");
  }
}

}  // namespace
}  // namespace ncbnet::messaging
