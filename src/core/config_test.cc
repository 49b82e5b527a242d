#include "core/config.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace ncbnet {
namespace {

Status LoadText(const std::string& text, HubConfig& config) {
  testutil::TempDir dir;
  const std::string path = dir.File("ncbnet.toml");
  std::ofstream(path) << text;
  return LoadConfigFile(path, config);
}

TEST(Config, ReadsKnownKeysOverDefaults) {
  HubConfig c;
  ASSERT_TRUE(LoadText("port = 9443\nmax_body_bytes = 4096\npublic_metrics = true\n", c).ok());
  EXPECT_EQ(c.port, 9443);
  EXPECT_EQ(c.max_body_bytes, 4096u);
  EXPECT_TRUE(c.public_metrics);
  EXPECT_EQ(c.listen_address, "127.0.0.1");
}

TEST(Config, MessageRetentionDaysDefaultsToFiveYearsAndIsBounded) {
  HubConfig c;
  EXPECT_EQ(c.message_retention_days, 1826);
  ASSERT_TRUE(LoadText("message_retention_days = 30\n", c).ok());
  EXPECT_EQ(c.message_retention_days, 30);
  EXPECT_EQ(LoadText("message_retention_days = 0\n", c).reason(), "invalid_config");
  EXPECT_EQ(LoadText("message_retention_days = 36601\n", c).reason(), "invalid_config");
  EXPECT_EQ(LoadText("message_retention_days = \"long\"\n", c).reason(), "invalid_config");
}

TEST(Config, RefusesUnknownKeysWrongTypesAndBadSyntax) {
  HubConfig c;
  EXPECT_EQ(LoadText("prot = 1\n", c).reason(), "invalid_config");
  EXPECT_EQ(LoadText("port = \"x\"\n", c).reason(), "invalid_config");
  EXPECT_EQ(LoadText("port = 70000\n", c).reason(), "invalid_config");
  EXPECT_EQ(LoadText("log_level = \"verbose\"\n", c).reason(), "invalid_config");
  const Status syntax = LoadText("port = = 1\n", c);
  EXPECT_EQ(syntax.reason(), "invalid_config");
  EXPECT_NE(syntax.message().find(":1:"), std::string::npos);
  EXPECT_EQ(LoadConfigFile("/nonexistent/ncbnet.toml", c).code(), StatusCode::kNotFound);
}

TEST(Config, ReadsProxyProtocolPeersAndRefusesBadBlocks) {
  HubConfig c;
  EXPECT_TRUE(c.proxy_protocol_from.empty());
  ASSERT_TRUE(LoadText("proxy_protocol_from = [\"127.0.0.1/32\", \"10.0.0.0/8\"]\n", c).ok());
  EXPECT_EQ(c.proxy_protocol_from, (std::vector<std::string>{"127.0.0.1/32", "10.0.0.0/8"}));
  EXPECT_EQ(LoadText("proxy_protocol_from = \"127.0.0.1\"\n", c).reason(), "invalid_config");
  EXPECT_EQ(LoadText("proxy_protocol_from = [1]\n", c).reason(), "invalid_config");
  const Status bad = LoadText("proxy_protocol_from = [\"10.0.0.1/8\"]\n", c);
  EXPECT_EQ(bad.reason(), "invalid_config");
  EXPECT_NE(bad.message().find("10.0.0.1/8"), std::string::npos);
}

}  // namespace
}  // namespace ncbnet
