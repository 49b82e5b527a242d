#include "api/console_files.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/testutil/temp_dir.h"

namespace ncbnet::api {
namespace {

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return "";
}

class ConsoleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(dir_.path() / "index.html", "<!doctype html><title>ncbnet</title>");
    Write(dir_.path() / "assets" / "index-3f2a.js", "console.log(1)");
    Write(dir_.path() / "assets" / "index-9b1c.css", "body{}");
  }
  testutil::TempDir dir_;
};

TEST_F(ConsoleFilesTest, ServesTheBuiltFilesWithTheirTypesAndThePolicy) {
  Result<ConsoleFiles> files = ConsoleFiles::Load(dir_.path().string());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_TRUE(files->built());
  EXPECT_EQ(files->size(), 3u);

  Result<HttpResponse> js = files->Answer("/assets/index-3f2a.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(*js, "Content-Security-Policy"), kConsoleCsp);
  EXPECT_EQ(files->Answer("/assets/index-9b1c.css")->content_type, "text/css; charset=utf-8");

  Result<HttpResponse> root = files->Answer("/");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(*root, "Cache-Control"), "no-cache");
}

TEST_F(ConsoleFilesTest, APageOfTheConsolesRouterIsIndexHtml) {
  Result<ConsoleFiles> files = ConsoleFiles::Load(dir_.path().string());
  ASSERT_TRUE(files.ok());
  Result<HttpResponse> page = files->Answer("/messages/msg_42");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->body, "<!doctype html><title>ncbnet</title>");
}

TEST_F(ConsoleFilesTest, AFileTheBuildDidNotMakeIsNotFound) {
  Result<ConsoleFiles> files = ConsoleFiles::Load(dir_.path().string());
  ASSERT_TRUE(files.ok());
  for (const char* path :
       {"/nothing.png", "/assets/../index.html", "/assets/%2e%2e/x.js", "/../../etc/passwd.txt"}) {
    Result<HttpResponse> r = files->Answer(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().reason(), "not_found") << path;
  }
}

TEST_F(ConsoleFilesTest, OnlyGetsOutsideTheApiAreTheConsoles) {
  EXPECT_TRUE(ConsoleFiles::Serves("GET", "/"));
  EXPECT_TRUE(ConsoleFiles::Serves("GET", "/checks/border"));
  EXPECT_FALSE(ConsoleFiles::Serves("GET", "/v1/nothing"));
  EXPECT_FALSE(ConsoleFiles::Serves("GET", "/v1"));
  EXPECT_FALSE(ConsoleFiles::Serves("POST", "/"));
}

TEST(ConsoleFilesMissingTest, WithoutABuildEveryPageSaysSoAndNamesNoServerPath) {
  testutil::TempDir empty;
  Result<ConsoleFiles> files = ConsoleFiles::Load(empty.path().string());
  ASSERT_TRUE(files.ok());
  EXPECT_FALSE(files->built());
  Result<HttpResponse> r = files->Answer("/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("console_dir"), std::string::npos);
  EXPECT_EQ(r->body.find(empty.path().string()), std::string::npos);

  Result<HttpResponse> unset = ConsoleFiles().Answer("/");
  ASSERT_TRUE(unset.ok());
  EXPECT_NE(unset->body.find("without a web console"), std::string::npos);
}

// The public notices page, mounted at /public beside the console (or alone).
class PublicPageTest : public ConsoleFilesTest {
 protected:
  void SetUp() override {
    ConsoleFilesTest::SetUp();
    Write(public_.path() / "index.html", "<!doctype html><title>Public notices</title>");
    Write(public_.path() / "assets" / "index-77aa.js", "public()");
  }
  testutil::TempDir public_;
};

TEST_F(PublicPageTest, ServesThePublicPageUnderPublicAndTheConsoleElsewhere) {
  Result<ConsoleFiles> files = ConsoleFiles::Load(dir_.path().string());
  Result<ConsoleFiles> page =
      ConsoleFiles::Load(public_.path().string(), ConsoleFiles::kPublicMount);
  ASSERT_TRUE(files.ok() && page.ok());
  files->AddPublicPage(*std::move(page));
  for (const char* path : {"/public", "/public/", "/public/notices/ntc_4x2m7kq9"}) {
    Result<HttpResponse> r = files->Answer(path);
    ASSERT_TRUE(r.ok()) << path;
    EXPECT_EQ(r->body, "<!doctype html><title>Public notices</title>") << path;
    EXPECT_EQ(HeaderOf(*r, "Content-Security-Policy"), kConsoleCsp) << path;
    EXPECT_EQ(HeaderOf(*r, "Cache-Control"), "no-cache") << path;
  }
  Result<HttpResponse> js = files->Answer("/public/assets/index-77aa.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->body, "public()");
  EXPECT_EQ(HeaderOf(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  // The console's own files are not reachable under /public, nor the public page's outside it.
  EXPECT_EQ(files->Answer("/public/assets/index-3f2a.js").status().reason(), "not_found");
  EXPECT_EQ(files->Answer("/assets/index-77aa.js").status().reason(), "not_found");
  // A path that merely begins with the same letters is the console's.
  EXPECT_EQ(files->Answer("/publications")->body, "<!doctype html><title>ncbnet</title>");
  EXPECT_EQ(files->Answer("/")->body, "<!doctype html><title>ncbnet</title>");
}

TEST_F(PublicPageTest, APublicPageWithoutItsBuildSaysSo) {
  testutil::TempDir empty;
  Result<ConsoleFiles> page = ConsoleFiles::Load(empty.path().string(), ConsoleFiles::kPublicMount);
  ASSERT_TRUE(page.ok());
  ConsoleFiles files;  // no console at all: the public page still answers under /public
  files.AddPublicPage(*std::move(page));
  Result<HttpResponse> r = files.Answer("/public/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(r->body.find("public_dir"), std::string::npos);
  EXPECT_EQ(r->body.find(empty.path().string()), std::string::npos);
  EXPECT_EQ(files.Answer("/public/assets/x.js").status().reason(), "not_found");
  EXPECT_NE(files.Answer("/")->body.find("without a web console"), std::string::npos);
}

}  // namespace
}  // namespace ncbnet::api
