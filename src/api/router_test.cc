#include "api/router.h"

#include <gtest/gtest.h>

#include "api/errors.h"

namespace ncbnet::api {
namespace {

Router TestRouter() {
  Router r;
  r.Add({.method = "GET",
         .pattern = "/v1/agencies",
         .access = Access::kCapability,
         .capability = "agency.admin",
         .scope = Scope::kBranch});
  r.Add({.method = "GET",
         .pattern = "/v1/agencies/{id}",
         .access = Access::kCapability,
         .capability = "agency.admin",
         .scope = Scope::kBranch});
  r.Add({.method = "POST",
         .pattern = "/v1/agencies/{id}/users",
         .access = Access::kCapability,
         .capability = "agency.admin",
         .scope = Scope::kBranch,
         .json_body = true});
  return r;
}

TEST(RouterDeathTest, ARouteWithoutItsWholeRuleIsRefused) {
  Router r;
  EXPECT_DEATH(r.Add({.method = "GET", .pattern = "/v1/x"}), "scope");
  EXPECT_DEATH(r.Add({.method = "GET",
                      .pattern = "/v1/x",
                      .access = Access::kCapability,
                      .scope = Scope::kOwn}),
               "capability");
  EXPECT_DEATH(r.Add({.method = "GET",
                      .pattern = "/v1/x",
                      .capability = "agency.admin",
                      .scope = Scope::kOwn}),
               "capability");
  EXPECT_DEATH(r.Add({.method = "GET",
                      .pattern = "/v1/x",
                      .access = Access::kPublic,
                      .caller = Caller::kGs,
                      .scope = Scope::kHub}),
               "caller");
}

TEST(Router, MatchesPatternsAndExtractsParameters) {
  const Router r = TestRouter();
  const auto m = r.Find("POST", "/v1/agencies/ncb-fra/users");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/v1/agencies/{id}/users");
  EXPECT_EQ(m.params.at("id"), "ncb-fra");
}

TEST(Router, TellsWrongMethodFromUnknownPath) {
  const Router r = TestRouter();
  const auto wrong_method = r.Find("DELETE", "/v1/agencies");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_matched);
  const auto unknown = r.Find("GET", "/v1/agencies/a/b/c");
  EXPECT_EQ(unknown.route, nullptr);
  EXPECT_FALSE(unknown.path_matched);
}

TEST(Router, RefusesHostileParameterValues) {
  const Router r = TestRouter();
  for (const char* path : {"/v1/agencies/..%2f", "/v1/agencies/a b", "/v1/agencies/",
                           "/v1/agencies/%00", "/v1/agencies/\xc3\xa9"}) {
    EXPECT_EQ(r.Find("GET", path).route, nullptr) << path;
  }
  EXPECT_EQ(r.Find("GET", "/v1/agencies/" + std::string(129, 'a')).route, nullptr);
}

TEST(ParseQuery, DecodesPairsAndRefusesBadEscapes) {
  auto q = ParseQuery("agency_id=ncb-fra&name=a%20b+c&flag");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->at("agency_id"), "ncb-fra");
  EXPECT_EQ(q->at("name"), "a b c");
  EXPECT_EQ(q->at("flag"), "");
  EXPECT_EQ(ParseQuery("a=%zz").status().reason(), "invalid_query");
  EXPECT_EQ(ParseQuery("a=%4").status().reason(), "invalid_query");
  std::string many;
  for (int i = 0; i < 40; ++i) many += "k" + std::to_string(i) + "=v&";
  EXPECT_EQ(ParseQuery(many).status().reason(), "invalid_query");
}

TEST(Errors, MapsEachCodeToOneHttpStatusWithoutLeakingInternals) {
  EXPECT_EQ(HttpStatusFor(Status::Unauthenticated("invalid_token", "")), 401);
  EXPECT_EQ(HttpStatusFor(Status::PermissionDenied("missing_capability", "")), 403);
  EXPECT_EQ(HttpStatusFor(Status::ResourceExhausted("too_many_attempts", "")), 429);
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("unsupported_media_type", "")), 415);
  const HttpResponse r =
      ErrorResponse(Status::Internal("store_error", "disk I/O error at /secret/path"), "req_1");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("/secret/path"), std::string::npos);
  EXPECT_NE(r.body.find("\"code\":\"internal\""), std::string::npos);
  EXPECT_NE(r.body.find("req_1"), std::string::npos);
}

}  // namespace
}  // namespace ncbnet::api
