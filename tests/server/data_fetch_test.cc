// Vulnerability data from a configurable URL (issue 6 point 3): a real HTTP server on 127.0.0.1
// serves an NVD file; it is downloaded into the cache, a 404 or an oversized body is refused and
// never replaces a good copy, and an advisory refresh reads its data from URLs.
#include "vuln/data_fetch.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "auth/random.h"
#include "server/api_test_util.h"
#include "vuln/advisories.h"

namespace ucsc::server::testing {
using namespace ::ucsc::vuln;  // NOLINT(google-build-using-namespace): the functions under test
namespace {

// A small HTTP/1.1 server on an ephemeral 127.0.0.1 port: GET of a known path answers 200 with
// its body, "/moved" redirects to "/nvd.json", anything else 404. One request per connection.
class HttpFiles {
 public:
  explicit HttpFiles(std::map<std::string, std::string> files) : files_(std::move(files)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 16) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
    }
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (::pipe(stop_) != 0) ADD_FAILURE() << "pipe";
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpFiles() {
    if (::write(stop_[1], "x", 1) != 1) ADD_FAILURE() << "stop";
    thread_.join();
    ::close(fd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void Serve() {
    for (;;) {
      pollfd p[2] = {{fd_, POLLIN, 0}, {stop_[0], POLLIN, 0}};
      if (::poll(p, 2, -1) < 0 || p[1].revents != 0) return;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      const auto sp1 = request.find(' ');
      const auto sp2 = request.find(' ', sp1 + 1);
      const std::string path = request.substr(sp1 + 1, sp2 - sp1 - 1);
      std::string response;
      if (path == "/moved") {
        response =
            "HTTP/1.1 302 Found\r\nLocation: /nvd.json\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n";
      } else if (auto it = files_.find(path); it != files_.end()) {
        response = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(it->second.size()) +
                   "\r\nConnection: close\r\n\r\n" + it->second;
      } else {
        response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      }
      size_t off = 0;
      while (off < response.size()) {
        ssize_t n = ::write(c, response.data() + off, response.size() - off);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      ::close(c);
    }
  }
  std::map<std::string, std::string> files_;
  int fd_ = -1;
  int stop_[2] = {-1, -1};
  uint16_t port_ = 0;
  std::thread thread_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kNvd =
    R"({"format":"NVD_CVE","version":"2.0","totalResults":1,"vulnerabilities":[{"cve":{"id":)"
    R"("CVE-2099-2000","published":"2099-01-01T00:00:00.000","lastModified":)"
    R"("2099-01-02T00:00:00.000","descriptions":[{"lang":"en","value":"test"}],)"
    R"("configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":)"
    R"(true,"criteria":"cpe:2.3:a:ucsc-test:gadget:*:*:*:*:*:*:*:*","versionEndExcluding":)"
    R"("3.0"}]}]}]}}]})";

class DataFetch : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(cache_, ec);
  }
  std::string cache_ =
      (std::filesystem::temp_directory_path() / ("ucsc-vuln-" + auth::RandomToken(6))).string();
};

TEST_F(DataFetch, AUrlIsDownloadedIntoTheCacheAndAPathIsUsedAsItIs) {
  HttpFiles http({{"/nvd.json", kNvd}});
  auto local = LocalCopy(http.Url("/nvd.json"), cache_);
  ASSERT_TRUE(local) << local.error().ToString();
  EXPECT_TRUE(local->ends_with(".json")) << *local;
  EXPECT_EQ(Read(*local), kNvd);
  auto moved = LocalCopy(http.Url("/moved"), cache_);
  ASSERT_TRUE(moved) << moved.error().ToString();
  EXPECT_EQ(Read(*moved), kNvd);
  EXPECT_EQ(*LocalCopy("/some/file.json", cache_), "/some/file.json");
  EXPECT_FALSE(IsUrl("file:///etc/passwd"));
  EXPECT_FALSE(IsUrl("ftp://127.0.0.1/x"));
}

TEST_F(DataFetch, AFailedDownloadKeepsNothingAndSaysWhy) {
  HttpFiles http({{"/nvd.json", kNvd}});
  auto good = LocalCopy(http.Url("/nvd.json"), cache_);
  ASSERT_TRUE(good);
  auto missing = LocalCopy(http.Url("/gone.json"), cache_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kUnavailable);
  EXPECT_NE(missing.error().message.find("404"), std::string::npos);
  FetchOptions small;
  small.max_bytes = 100;
  auto big = LocalCopy(http.Url("/nvd.json"), cache_ + "-small", small);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, core::ErrorCode::kResourceExhausted);
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(cache_ + "-small", ec));
  std::filesystem::remove_all(cache_ + "-small", ec);
  // Nothing listens: a clear error, the good copy untouched.
  auto refused = LocalCopy("http://127.0.0.1:1/nvd.json", cache_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(Read(*good), kNvd);
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(cache_)) {
    EXPECT_EQ(e.path().filename().string().rfind(".download-", 0), std::string::npos);
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

// An advisory refresh reads the NVD data from a URL.
TEST_F(DataFetch, AdvisoriesRefreshFromAUrl) {
  ApiHarness h;
  std::string skip;
  ASSERT_TRUE(h.Open("sqlite", skip)) << skip;
  HttpFiles http({{"/nvd.json", kNvd}});
  auto r = RefreshAdvisoriesFromFiles(h.store(), h.ids(), h.clock().Now(), http.Url("/nvd.json"),
                                      "", false, {}, cache_);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->catalog_entries, 1u);
  EXPECT_TRUE(r->baseline);
  auto bad = RefreshAdvisoriesFromFiles(h.store(), h.ids(), h.clock().Now(), http.Url("/x.json"),
                                        "", false, {}, cache_);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("404"), std::string::npos);
}

}  // namespace
}  // namespace ucsc::server::testing
