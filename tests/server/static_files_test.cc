#include "server/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace ucsc::server {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("ucsc-static-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<!doctype html><title>ucsc</title>");
    Write(root_ / "assets" / "index-AbC123xy.js", "console.log(1)");
    Write(root_ / "assets" / "index-AbC123xy.js.gz", "GZIPPED");
    Write(root_ / "assets" / "index-Zz9.css", "body{}");
    Write(root_ / "favicon.svg", "<svg/>");
    Write(root_ / ".env", "SECRET=1");
    Write(base_ / "secret.txt", "outside the root");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  Response Get(const std::string& path, const std::string& accept_encoding = "") {
    Request req;
    req.method = "GET";
    req.path = path;
    if (!accept_encoding.empty()) req.headers["accept-encoding"] = accept_encoding;
    return StaticFiles(root_.string()).Serve(req);
  }

  fs::path base_;
  fs::path root_;
};

TEST_F(StaticFilesTest, ServesHashedAssetImmutableWithMimeType) {
  Response r = Get("/assets/index-AbC123xy.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(r.Header("Content-Encoding"), "");
  EXPECT_EQ(r.Header("Vary"), "Accept-Encoding");
  EXPECT_EQ(Get("/assets/index-Zz9.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/favicon.svg").content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, IndexIsRevalidatedAndCarriesStrictCsp) {
  Response r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>ucsc</title>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(r.Header("Content-Security-Policy"), std::string(kConsoleCsp));
  EXPECT_NE(r.Header("Content-Security-Policy").find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Get("/favicon.svg").Header("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, UnknownRouteFallsBackToIndexButMissingAssetIs404) {
  Response route = Get("/systems/0190a1b2-c3d4");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, "<!doctype html><title>ucsc</title>");
  EXPECT_EQ(route.Header("Cache-Control"), "no-cache");
  Response asset = Get("/assets/missing-123.js");
  EXPECT_EQ(asset.status, 404);
  EXPECT_EQ(asset.Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticFilesTest, RefusesTraversalHiddenFilesAndSymlinksOut) {
  EXPECT_EQ(Get("/../secret.txt").status, 404);
  EXPECT_EQ(Get("/assets/../../secret.txt").status, 404);
  EXPECT_EQ(Get("/assets/..").status, 404);
  EXPECT_EQ(Get("/..\\secret.txt").status, 404);
  EXPECT_EQ(Get("/.env").status, 404);
  EXPECT_EQ(Get("relative").status, 404);
  EXPECT_EQ(Get("/a//b").status, 404);
  fs::create_symlink(base_ / "secret.txt", root_ / "link.txt");
  Response r = Get("/link.txt");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("outside"), std::string::npos);
}

TEST_F(StaticFilesTest, ServesGzipSiblingOnlyWhenAccepted) {
  Response gz = Get("/assets/index-AbC123xy.js", "br, gzip, deflate");
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.body, "GZIPPED");
  EXPECT_EQ(gz.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  Response refused = Get("/assets/index-AbC123xy.js", "gzip;q=0");
  EXPECT_EQ(refused.body, "console.log(1)");
  EXPECT_EQ(refused.Header("Content-Encoding"), "");
  // No sibling: the plain file even when gzip is accepted.
  Response css = Get("/assets/index-Zz9.css", "gzip");
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(css.Header("Content-Encoding"), "");
}

TEST_F(StaticFilesTest, OtherMethodsAre405AndMissingRootIs404) {
  Request post;
  post.method = "POST";
  post.path = "/";
  Response r = StaticFiles(root_.string()).Serve(post);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
  Request get;
  get.method = "GET";
  get.path = "/";
  EXPECT_EQ(StaticFiles((base_ / "nope").string()).Serve(get).status, 404);
}

TEST(StaticFilesMime, KnownAndUnknownExtensions) {
  EXPECT_EQ(StaticFiles::MimeType("a.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::MimeType("a.png"), "image/png");
  EXPECT_EQ(StaticFiles::MimeType("a.json"), "application/json");
  EXPECT_EQ(StaticFiles::MimeType("README"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::MimeType("dir.v2/file"), "application/octet-stream");
}

}  // namespace
}  // namespace ucsc::server
