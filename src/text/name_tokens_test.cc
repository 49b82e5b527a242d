#include "text/name_tokens.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ncbnet::text {
namespace {

using Tokens = std::vector<std::string>;

Tokens Of(std::string_view name) {
  Result<Tokens> t = NameTokens(name);
  EXPECT_TRUE(t.ok()) << name << ": " << t.status().ToString();
  return t.ok() ? *t : Tokens{};
}

TEST(NameTokens, LowerCasesAndSplitsLatin) {
  EXPECT_EQ(Of("  John   SMITH "), (Tokens{"john", "smith"}));
  EXPECT_EQ(Of("Jean-Pierre Dupont"), (Tokens{"jean", "pierre", "dupont"}));
  EXPECT_EQ(Of("O'Brien, Patrick J."), (Tokens{"obrien", "patrick", "j"}));
}

TEST(NameTokens, FoldsDiacriticsAndCompatibilityForms) {
  EXPECT_EQ(Of("Jürgen Müller"), (Tokens{"jurgen", "muller"}));
  EXPECT_EQ(Of("Łukasz Straße"), (Tokens{"lukasz", "strasse"}));
  EXPECT_EQ(Of("ＪＯＨＮ"), (Tokens{"john"}));  // full-width, NFKC
}

TEST(NameTokens, TransliteratesCyrillicAsPassportsDo) {
  EXPECT_EQ(Of("Александр Чайковский"), (Tokens{"aleksandr", "chaykovskiy"}));
  EXPECT_EQ(Of("Евгений Щукин"), (Tokens{"yevgeniy", "shchukin"}));
  EXPECT_EQ(Of("Дмитрий Хрущёв"), (Tokens{"dmitriy", "khrushchev"}));
  EXPECT_EQ(Of("Олександр Їжак"), (Tokens{"oleksandr", "izhak"}));
}

TEST(NameTokens, TransliteratesGreek) {
  EXPECT_EQ(Of("Γιώργος Παπαδόπουλος"), (Tokens{"giorgos", "papadopoulos"}));
  EXPECT_EQ(Of("ΧΡΗΣΤΟΣ"), (Tokens{"christos"}));
}

TEST(NameTokens, TransliteratesArabicWithArticleAndAbd) {
  EXPECT_EQ(Of("محمد الحسن"), (Tokens{"mhmd", "hsn"}));
  EXPECT_EQ(Of("عبد الله"), (Tokens{"abdallah"}));
  EXPECT_EQ(Of("فاطمة"), (Tokens{"fatmh"}));
}

TEST(NameTokens, TransliteratesHanAsFamilyAndGivenName) {
  EXPECT_EQ(Of("张小明"), (Tokens{"zhang", "xiaoming"}));
  EXPECT_EQ(Of("王伟"), (Tokens{"wang", "wei"}));
}

TEST(NameTokens, DropsParticlesBeforeAnotherToken) {
  EXPECT_EQ(Of("Ahmed al-Hassan"), (Tokens{"ahmed", "hassan"}));
  EXPECT_EQ(Of("Ludwig van Beethoven"), (Tokens{"ludwig", "beethoven"}));
  EXPECT_EQ(Of("Omar bin Laden"), (Tokens{"omar", "laden"}));
  EXPECT_EQ(Of("Mario De"), (Tokens{"mario", "de"}));  // a particle at the end is a name
}

TEST(NameTokens, MixedScripts) { EXPECT_EQ(Of("Ivan Петров"), (Tokens{"ivan", "petrov"})); }

TEST(NameTokens, RejectsBadInput) {
  EXPECT_EQ(NameTokens("").status().reason(), "empty_name");
  EXPECT_EQ(NameTokens(" - . ").status().reason(), "empty_name");
  EXPECT_EQ(NameTokens("12345").status().reason(), "empty_name");
  EXPECT_EQ(NameTokens("\xff\xfe").status().reason(), "invalid_name");
  EXPECT_EQ(NameTokens("ab\xc3").status().reason(), "invalid_name");
  EXPECT_EQ(NameTokens(std::string(257, 'a')).status().reason(), "name_too_long");
  EXPECT_TRUE(NameTokens(std::string(256, 'a')).ok());
  EXPECT_EQ(NameTokens("a b c d e f g h i j k l m n o p q").status().reason(), "too_many_tokens");
  EXPECT_TRUE(NameTokens("a b c d e f g h i j k l m n o p").ok());
  EXPECT_EQ(NameTokens("").status().code(), StatusCode::kInvalidArgument);
}

TEST(NameTokens, WorksOnManyThreads) {
  std::vector<std::thread> threads;
  std::vector<Tokens> results(4);
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, i] {
      for (int k = 0; k < 50; ++k) results[i] = *NameTokens("Евгений Щукин");
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Tokens& r : results) EXPECT_EQ(r, (Tokens{"yevgeniy", "shchukin"}));
}

}  // namespace
}  // namespace ncbnet::text
