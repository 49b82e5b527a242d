#include "notices/kinds.h"

#include <gtest/gtest.h>

#include "notices/internal/checks.h"

namespace ncbnet::notices {
namespace {

TEST(Kinds, BuiltinHasEveryKindWithItsPrefix) {
  const Kinds& kinds = Kinds::Builtin();
  const std::pair<const char*, const char*> expected[] = {
      {"red", "A"},    {"yellow", "B"}, {"blue", "C"},   {"black", "D"},      {"green", "E"},
      {"orange", "F"}, {"purple", "G"}, {"silver", "H"}, {"un_special", "UN"}};
  ASSERT_EQ(kinds.kinds().size(), std::size(expected));
  for (const auto& [name, prefix] : expected) {
    auto k = kinds.Find(name);
    ASSERT_TRUE(k.ok()) << name;
    EXPECT_EQ((*k)->prefix, prefix);
  }
  EXPECT_EQ(kinds.Find("pink").status().reason(), "unknown_notice_kind");
}

TEST(Kinds, RedNeedsIdentityChargesWarrantPenaltyAndAssurance) {
  const Kind& red = **Kinds::Builtin().Find("red");
  EXPECT_TRUE(red.person);
  for (const char* f :
       {"name", "sex", "date_of_birth", "nationalities", "facts", "charges", "warrant_reference",
        "warrant_date", "warrant_authority", "maximum_penalty"}) {
    ASSERT_NE(red.schema.Field(f), nullptr) << f;
    EXPECT_TRUE(red.schema.Field(f)->required) << f;
    EXPECT_FALSE(red.draft_schema.Field(f)->required) << f;
  }
  EXPECT_FALSE(red.schema.Field("identity_documents")->required);
  EXPECT_EQ(red.assurances, std::vector<std::string>{"extradition_assurance"});
}

TEST(Kinds, PurpleHasNoPersonAndUnSpecialIsAlwaysPublic) {
  const Kind& purple = **Kinds::Builtin().Find("purple");
  EXPECT_FALSE(purple.person);
  EXPECT_EQ(purple.schema.Field("name"), nullptr);
  EXPECT_NE(purple.schema.Field("concealment"), nullptr);
  EXPECT_TRUE((*Kinds::Builtin().Find("un_special"))->always_public);
  EXPECT_FALSE((*Kinds::Builtin().Find("red"))->always_public);
}

TEST(Kinds, ParseRefusesUnknownRequiredOrPublicFields) {
  const std::string base =
      R"({"kinds": [{"kind": "x", "title": "X", "prefix": "X", "instruction": "i",
          "fields": [{"name": "a", "type": "text"}], )";
  EXPECT_TRUE(Kinds::Parse(base + R"("required": ["a"]}]})").ok());
  EXPECT_EQ(Kinds::Parse(base + R"("required": ["b"]}]})").status().reason(), "invalid_kinds");
  EXPECT_EQ(Kinds::Parse(base + R"("public": ["b"]}]})").status().reason(), "invalid_kinds");
  EXPECT_EQ(Kinds::Parse("[]").status().reason(), "invalid_kinds");
}

TEST(Kinds, InstructionNamesControlNumberAndCountry) {
  const std::string s = InstructionFor(**Kinds::Builtin().Find("red"), "A-7/3-2026", "FRA");
  EXPECT_NE(s.find("A-7/3-2026"), std::string::npos);
  EXPECT_NE(s.find("NCB FRA"), std::string::npos);
  EXPECT_EQ(s.find('{'), std::string::npos);
}

TEST(NoticeChecks, DraftFieldsAreTypedButNotRequired) {
  const Kind& red = **Kinds::Builtin().Find("red");
  auto ok = internal::ValidateDraftFields(red, {{"name", " Ivan Volkov "}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)["name"], "Ivan Volkov");
  EXPECT_EQ(internal::ValidateDraftFields(red, {{"sex", "X"}}).status().reason(), "invalid_notice");
  EXPECT_EQ(internal::ValidateDraftFields(red, {{"colour", "red"}}).status().reason(),
            "invalid_notice");
  EXPECT_EQ(
      internal::ValidateDraftFields(red, {{"extradition_assurance", "yes"}}).status().reason(),
      "invalid_notice");
}

TEST(NoticeChecks, CompletenessListsEveryProblem) {
  const Kind& red = **Kinds::Builtin().Find("red");
  const std::int64_t now = 1795000000000;  // 2026-11-18
  const auto problems = internal::CheckComplete(
      red, {{"name", "Ivan Volkov"}, {"date_of_birth", "2030-01-01"}, {"sex", "M"}}, now);
  std::vector<std::string> fields;
  for (const Problem& p : problems) fields.push_back(p.field + ":" + p.problem);
  for (const char* want :
       {"nationalities:missing", "facts:missing", "charges:missing", "maximum_penalty:missing",
        "extradition_assurance:must be given (true)", "date_of_birth:in the future"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), want), fields.end()) << want;
  }
  EXPECT_EQ(std::find(fields.begin(), fields.end(), "name:missing"), fields.end());
}

}  // namespace
}  // namespace ncbnet::notices
