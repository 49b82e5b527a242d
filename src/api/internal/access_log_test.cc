#include "api/internal/access_log.h"

#include <string>

#include <gtest/gtest.h>

namespace ncbnet::api::internal {
namespace {

TEST(AccessLog, WritesOneJsonLineWithoutTheQuery) {
  AccessEntry entry;
  entry.time_ms = 0;
  entry.request_id = "req_abc";
  entry.source = "127.0.0.1";
  entry.method = "GET";
  entry.path = "/v1/messages";
  entry.status = 200;
  entry.bytes = 12;
  entry.duration_us = 345;
  EXPECT_EQ(FormatAccessLine(entry),
            R"({"time":"1970-01-01T00:00:00.000Z","request_id":"req_abc","source":"127.0.0.1",)"
            R"("method":"GET","path":"/v1/messages","status":200,"bytes":12,"duration_us":345})");
  entry.client_request_id = "their-id";
  EXPECT_NE(FormatAccessLine(entry).find(R"("client_request_id":"their-id")"), std::string::npos);
}

TEST(AccessLog, EscapesWhatAClientSent) {
  EXPECT_EQ(JsonString("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonString("line\nbreak\x7f"), R"("line\u000abreak\u007f")");
  EXPECT_EQ(JsonString("\xc3\xa9"), R"("\u00c3\u00a9")");
}

TEST(AccessLog, KeepsOnlyPlainShortClientRequestIds) {
  EXPECT_EQ(SanitizeClientRequestId("abc-1.2_3"), "abc-1.2_3");
  EXPECT_EQ(SanitizeClientRequestId("has space"), "");
  EXPECT_EQ(SanitizeClientRequestId("inject\"quote"), "");
  EXPECT_EQ(SanitizeClientRequestId(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(SanitizeClientRequestId(std::string(65, 'a')), "");
  EXPECT_EQ(SanitizeClientRequestId(""), "");
}

TEST(AccessLog, ErrorBodyNamesCodeMessageAndRequest) {
  EXPECT_EQ(ErrorBody("body_too_large", "too large", "req_1"),
            R"({"error":{"code":"body_too_large","message":"too large","request_id":"req_1"}})");
}

}  // namespace
}  // namespace ncbnet::api::internal
