#include "index/name_index.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ncbnet::index {
namespace {

const NameVisibility kAll = [](std::uint64_t) { return true; };

class NameIndexTest : public ::testing::Test {
 protected:
  void Add(std::uint64_t ref, std::vector<std::string> names, std::string dob = "", char sex = 'U',
           std::vector<std::string> nationalities = {}) {
    const Status s =
        index_.Add({ref, std::move(names), std::move(dob), sex, std::move(nationalities)});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::vector<NameHit> Find(const std::string& name, const std::string& dob = "",
                            const NameVisibility& visible = kAll, double threshold = -1) {
    NameQuery q;
    q.name = name;
    q.date_of_birth = dob;
    q.threshold = threshold;
    Result<std::vector<NameHit>> hits = index_.Search(q, visible);
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    return hits.ok() ? *hits : std::vector<NameHit>{};
  }
  // The ref ranked first for `name`, 0 if nothing reaches the threshold.
  std::uint64_t Top(const std::string& name, const std::string& dob = "") {
    const std::vector<NameHit> hits = Find(name, dob);
    return hits.empty() ? 0 : hits.front().ref;
  }

  NameIndex index_;
};

TEST_F(NameIndexTest, FindsTheSamePersonInEveryScript) {
  Add(1, {"Александр Чайковский", "Aleksandr Chaykovskiy"});
  Add(2, {"محمد الحسن", "Mohammed al-Hassan"});
  Add(3, {"张小明", "Zhang Xiaoming"});
  Add(4, {"Γιώργος Παπαδόπουλος", "Georgios Papadopoulos"});
  Add(5, {"Ivan Petrov"});
  EXPECT_EQ(Top("Alexander Tchaikovsky"), 1U);
  EXPECT_EQ(Top("Oleksandr Chaikovskiy"), 1U);
  EXPECT_EQ(Top("Александр Чайковский"), 1U);
  EXPECT_EQ(Top("Muhammad Hassan"), 2U);
  EXPECT_EQ(Top("Mohamed El Hasan"), 2U);
  EXPECT_EQ(Top("محمد الحسن"), 2U);
  EXPECT_EQ(Top("Chang Xiaoming"), 3U);
  EXPECT_EQ(Top("张小明"), 3U);
  EXPECT_EQ(Top("Giorgos Papadopoulos"), 4U);
  EXPECT_EQ(Top("Иван Петров"), 5U);
}

TEST_F(NameIndexTest, ToleratesTransliterationVariants) {
  Add(1, {"Yevgeny Ivanov"});
  Add(2, {"Sergei Ivanov"});
  EXPECT_EQ(Top("Evgeniy Ivanov"), 1U);
  EXPECT_EQ(Top("Evgeni Ivanov"), 1U);
  EXPECT_EQ(Top("Sergey Ivanov"), 2U);
  const std::vector<NameHit> hits = Find("Evgeniy Ivanov");
  ASSERT_FALSE(hits.empty());
  const NameExplanation& e = hits.front().explanation;
  ASSERT_EQ(e.matches.size(), 2U);
  EXPECT_EQ(e.matches[0].kind, TokenMatchKind::kPhonetic);
  EXPECT_EQ(e.matches[0].name_token, "yevgeny");
  EXPECT_EQ(e.matches[1].kind, TokenMatchKind::kExact);
}

TEST_F(NameIndexTest, JoinsSplitGivenNames) {
  Add(1, {"张小明", "Zhang Xiaoming"});
  Add(2, {"Zhang Xiao"});
  EXPECT_EQ(Top("Chang Xiao-Ming"), 1U);
  EXPECT_EQ(Top("Xiao Ming Zhang"), 1U);
  EXPECT_EQ(Top("Hsu Wei"), 0U);
  Add(3, {"徐伟"});
  EXPECT_EQ(Top("Hsu Wei"), 3U);  // Wade-Giles for pinyin Xu
}

TEST_F(NameIndexTest, SearchesConcurrently) {
  Add(1, {"Yevgeny Ivanov"});
  Add(2, {"Sergei Ivanov"});
  std::vector<std::thread> threads;
  std::vector<int> found(4, 0);
  for (std::size_t i = 0; i < found.size(); ++i) {
    threads.emplace_back([this, &found, i] {
      NameQuery q;
      q.name = i % 2 == 0 ? "Евгений Иванов" : "Sergey Ivanov";
      for (int k = 0; k < 100; ++k) {
        Result<std::vector<NameHit>> hits = index_.Search(q, kAll);
        if (hits.ok() && !hits->empty() && hits->front().ref == (i % 2 == 0 ? 1U : 2U)) {
          ++found[i];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int f : found) EXPECT_EQ(f, 100);
}

TEST_F(NameIndexTest, ToleratesReorderedTokens) {
  Add(1, {"Maria Garcia Lopez"});
  const std::vector<NameHit> hits = Find("Lopez Maria Garcia");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits.front().ref, 1U);
  EXPECT_TRUE(hits.front().explanation.reordered);
}

TEST_F(NameIndexTest, ToleratesMissingAndExtraGivenNames) {
  Add(1, {"Ivan Petrovich Sidorov"});
  Add(2, {"Anna Sidorova"});
  EXPECT_EQ(Top("Ivan Sidorov"), 1U);
  Add(3, {"Pavel Kuznetsov"});
  EXPECT_EQ(Top("Pavel Andreyevich Kuznetsov"), 3U);
  const NameHit hit = Find("Ivan Sidorov").front();
  EXPECT_EQ(hit.explanation.unmatched_name_tokens, std::vector<std::string>{"petrovich"});
}

TEST_F(NameIndexTest, ToleratesInitials) {
  Add(1, {"John Michael Smith"});
  Add(2, {"Peter Smith"});
  const std::vector<NameHit> hits = Find("J. M. Smith");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits.front().ref, 1U);
  EXPECT_EQ(hits.front().explanation.matches[0].kind, TokenMatchKind::kInitial);
}

TEST_F(NameIndexTest, ToleratesTypos) {
  Add(1, {"Katarzyna Wisniewska"});
  Add(2, {"Bartholomew Fitzgerald"});
  EXPECT_EQ(Top("Katarzyna Wisnieska"), 1U);   // a letter missing
  EXPECT_EQ(Top("Katrazyna Wisniewska"), 1U);  // two letters swapped
  EXPECT_EQ(Top("Bartolomew Fitsgeralt"), 2U);
}

TEST_F(NameIndexTest, UsesDateOfBirthAgainstNamesakes) {
  Add(1, {"Ivan Petrov"}, "1980-05-17");
  Add(2, {"Ivan Petrov"}, "1962-11-02");
  EXPECT_EQ(Top("Ivan Petrov", "1962-11-02"), 2U);
  EXPECT_EQ(Top("Ivan Petrov", "1980"), 1U);
  // A namesake with another date of birth falls under the threshold.
  const std::vector<NameHit> hits = Find("Ivan Petrov", "1980-05-17");
  ASSERT_EQ(hits.size(), 1U);
  EXPECT_EQ(hits.front().explanation.date_of_birth, Agreement::kAgree);
}

TEST_F(NameIndexTest, SameSurnameAnotherGivenNameIsNoMatch) {
  Add(1, {"Sergei Volkov"}, "1975-01-01");
  EXPECT_TRUE(Find("Dmitri Volkov", "1975-01-01").empty());
}

TEST_F(NameIndexTest, HiddenRecordsNeverAppearNorTakeAPlace) {
  Add(1, {"Ivan Petrov"});
  Add(2, {"Ivan Petrov"});
  Add(3, {"Ivan Petrof"});
  std::vector<std::uint64_t> asked;
  const NameVisibility not_one = [&asked](std::uint64_t ref) {
    asked.push_back(ref);
    return ref != 1;
  };
  NameQuery q;
  q.name = "Ivan Petrov";
  q.limit = 1;
  Result<std::vector<NameHit>> hits = index_.Search(q, not_one);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1U);
  EXPECT_EQ(hits->front().ref, 2U);  // not displaced by the hidden, equally good ref 1
  q.limit = 10;
  hits = index_.Search(q, not_one);
  ASSERT_TRUE(hits.ok());
  for (const NameHit& h : *hits) EXPECT_NE(h.ref, 1U);
  EXPECT_EQ(hits->size(), 2U);
  EXPECT_NE(std::find(asked.begin(), asked.end(), 1U), asked.end());
}

TEST_F(NameIndexTest, RemoveAndUpdate) {
  Add(1, {"Ivan Petrov"});
  EXPECT_EQ(index_.size(), 1U);
  EXPECT_TRUE(index_.Remove(1));
  EXPECT_FALSE(index_.Remove(1));
  EXPECT_EQ(Top("Ivan Petrov"), 0U);
  Add(1, {"Ivan Petrov"});
  ASSERT_TRUE(index_.Remove(1));
  Add(1, {"Pavel Petrov"});  // the update: remove, then add the new version
  EXPECT_EQ(Top("Pavel Petrov"), 1U);
  EXPECT_TRUE(Find("Ivan Petrov").empty());
  EXPECT_EQ(index_.size(), 1U);
}

TEST_F(NameIndexTest, ExplainsWhichNameMatched) {
  Add(1, {"Иван Петров", "Ivan Petrov", "Vanya Petrov"});
  const NameHit hit = Find("Vanya Petrov").front();
  EXPECT_EQ(hit.explanation.name_index, 2U);
  EXPECT_GE(hit.score, 0.99);
  EXPECT_LE(hit.score, 1.0);
}

TEST_F(NameIndexTest, RejectsBadPersonsAndQueries) {
  Add(1, {"Ivan Petrov"});
  EXPECT_EQ(index_.Add({1, {"Ivan"}, "", 'U', {}}).reason(), "ref_exists");
  EXPECT_EQ(index_.Add({2, {}, "", 'U', {}}).reason(), "invalid_names");
  EXPECT_EQ(index_.Add({2, {"Ivan", ""}, "", 'U', {}}).reason(), "empty_name");
  EXPECT_EQ(index_.Add({2, {"\xff"}, "", 'U', {}}).reason(), "invalid_name");
  EXPECT_EQ(index_.Add({2, {"Ivan"}, "1980-02-30", 'U', {}}).reason(), "invalid_date");
  EXPECT_EQ(index_.Add({2, {"Ivan"}, "80", 'U', {}}).reason(), "invalid_date");
  EXPECT_EQ(index_.Add({2, {"Ivan"}, "", 'X', {}}).reason(), "invalid_sex");
  EXPECT_EQ(index_.Add({2, {"Ivan"}, "", 'U', {"fr"}}).reason(), "invalid_nationality");
  EXPECT_EQ(index_.Add({NameIndex::kMaxRef + 1, {"Ivan"}, "", 'U', {}}).reason(), "invalid_ref");
  EXPECT_EQ(index_.size(), 1U);  // nothing was added
  NameQuery q;
  q.name = std::string(300, 'a');
  EXPECT_EQ(index_.Search(q, kAll).status().reason(), "name_too_long");
  q.name = "Ivan";
  q.limit = 0;
  EXPECT_EQ(index_.Search(q, kAll).status().reason(), "invalid_limit");
  q.limit = 10;
  q.threshold = 1.5;
  EXPECT_EQ(index_.Search(q, kAll).status().reason(), "invalid_threshold");
  q.threshold = -1;
  q.date_of_birth = "1980-13";
  EXPECT_EQ(index_.Search(q, kAll).status().reason(), "invalid_date");
}

TEST(ParsePartialDate, AcceptsPartialDates) {
  EXPECT_EQ(*ParsePartialDate("1980"), (PartialDate{1980, 0, 0}));
  EXPECT_EQ(*ParsePartialDate("1980-05"), (PartialDate{1980, 5, 0}));
  EXPECT_EQ(*ParsePartialDate("2000-02-29"), (PartialDate{2000, 2, 29}));
  EXPECT_FALSE(ParsePartialDate("1900-02-29").ok());
  EXPECT_FALSE(ParsePartialDate("1980-5-17").ok());
  EXPECT_FALSE(ParsePartialDate("198O").ok());
}

}  // namespace
}  // namespace ncbnet::index
