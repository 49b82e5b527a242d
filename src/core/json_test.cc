#include "core/json.h"

#include <string>

#include <gtest/gtest.h>

namespace ncbnet {
namespace {

std::string Nested(int levels, char open, char close) {
  return std::string(static_cast<std::size_t>(levels), open) +
         std::string(static_cast<std::size_t>(levels), close);
}

TEST(JsonNestingDepth, CountsArraysAndObjects) {
  EXPECT_EQ(JsonNestingDepth("1"), 0);
  EXPECT_EQ(JsonNestingDepth("[]"), 1);
  EXPECT_EQ(JsonNestingDepth(R"({"a":[{"b":[1,2]}],"c":{}})"), 4);
}

TEST(JsonNestingDepth, IgnoresBracketsInsideStrings) {
  EXPECT_EQ(JsonNestingDepth(R"({"a":"[[[[{{{{"})"), 1);
  EXPECT_EQ(JsonNestingDepth(R"(["\"[[[", "\\", [1]])"), 2);
}

TEST(JsonNestingDepth, StopsOnceTheLimitIsPassed) {
  EXPECT_EQ(JsonNestingDepth(Nested(1000, '[', ']'), 10), 11);
  EXPECT_EQ(JsonNestingDepth(Nested(10, '[', ']'), 10), 10);
}

TEST(ParseJson, AcceptsNestingUpToTheLimit) {
  const nlohmann::json j = ParseJson(Nested(kMaxJsonDepth, '[', ']'));
  ASSERT_FALSE(j.is_discarded());
  EXPECT_TRUE(j.is_array());
}

TEST(ParseJson, RefusesADepthBombWithoutTouchingTheStack) {
  // The tester's body: about 76,000 levels in under the 2 MiB body limit.
  std::string bomb = "{\"fields\":" + std::string(76000, '[') + std::string(76000, ']') + "}";
  EXPECT_TRUE(ParseJson(bomb).is_discarded());
  std::string objects;
  for (int i = 0; i < 50000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(50000, '}');
  EXPECT_TRUE(ParseJson(objects).is_discarded());
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth + 1, '[', ']')).is_discarded());
}

TEST(ParseJson, RefusesMalformedText) {
  EXPECT_TRUE(ParseJson("").is_discarded());
  EXPECT_TRUE(ParseJson("{\"a\":").is_discarded());
  EXPECT_TRUE(ParseJson("[1] [2]").is_discarded());
  EXPECT_TRUE(ParseJson("]]]]").is_discarded());
}

}  // namespace
}  // namespace ncbnet
