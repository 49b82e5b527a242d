#include "apps/ncbnet/other_nodes.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace ncbnet::apps {
namespace {

using Spent = std::vector<std::pair<std::string, int>>;

TEST(OtherNodesTest, SpendingGoesOverInBoundedPiecesAndComesBackWhole) {
  Spent spent;
  for (int i = 0; i < 500; ++i) spent.emplace_back("2001:db8::" + std::to_string(i), i + 1);
  const std::vector<std::string> pieces = EncodeSpending(spent, 1000);
  ASSERT_GT(pieces.size(), 1U);
  Spent back;
  for (const std::string& piece : pieces) {
    EXPECT_LE(piece.size(), 1000U);
    for (auto& item : DecodeSpending(piece)) back.push_back(std::move(item));
  }
  EXPECT_EQ(back, spent);
  EXPECT_TRUE(EncodeSpending({}, 1000).empty());
}

TEST(OtherNodesTest, WhatCannotBeToldIsLeftOut) {
  const Spent spent = {{"", 3}, {"10.0.0.1", 0}, {std::string(65, 'a'), 2}, {"10.0.0.2", 4}};
  EXPECT_EQ(EncodeSpending(spent, 1000), (std::vector<std::string>{"4 10.0.0.2"}));
}

TEST(OtherNodesTest, MalformedItemsAreSkipped) {
  EXPECT_EQ(DecodeSpending("3 10.0.0.1;x 10.0.0.2;-1 10.0.0.3;0 10.0.0.4;5;;7 ;99999999999 h;"
                           "2 a b;4 10.0.0.5"),
            (Spent{{"10.0.0.1", 3}, {"10.0.0.5", 4}}));
  EXPECT_TRUE(DecodeSpending("").empty());
  EXPECT_EQ(DecodeSpending("1 " + std::string(64, 'f')).size(), 1U);
  EXPECT_TRUE(DecodeSpending("1 " + std::string(65, 'f')).empty());
}

}  // namespace
}  // namespace ncbnet::apps
