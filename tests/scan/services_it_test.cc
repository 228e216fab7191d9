// Integration test: real Debian services (tests/scan/services/start) as unprivileged test
// instances on loopback high ports, scanned and identified; the expected table asserts each
// product, and each version the service discloses, read from dpkg at test time.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "scan/net/net_connector.h"
#include "scan/probe/scanner_identify.h"
#include "scan/scanner.h"

namespace ucsc::scan {
namespace {

const std::string kScripts = UCSC_SOURCE_DIR "/tests/scan/services/";
constexpr int kServiceCount = 13;  // the ALL list in tests/scan/services/start

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// Installed Debian version of `package`, or "" when it is not installed.
std::string DpkgVersion(const std::string& package) {
  std::string v = Shell("dpkg-query -W -f='${Status} ${Version}' " + package + " 2>/dev/null");
  const std::string ok = "install ok installed ";
  if (v.rfind(ok, 0) != 0) return {};
  return v.substr(ok.size());
}

// The upstream part of a Debian version: "1:9.2p1-2+deb12u10" -> "9.2p1",
// "2.4.71-1~deb12u1" -> "2.4.71", "5:7.0.15-1~deb12u1" -> "7.0.15".
std::string Upstream(std::string v) {
  if (auto colon = v.find(':'); colon != std::string::npos) v = v.substr(colon + 1);
  if (auto dash = v.rfind('-'); dash != std::string::npos) v.resize(dash);
  if (auto cut = v.find_first_of("+~"); cut != std::string::npos) v.resize(cut);
  return v;
}

bool PortFree(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

struct Expected {
  std::string service;
  std::string product;
  std::string package;
  bool discloses_version;
};

// What each test instance must be identified as.
const std::map<std::string, Expected> kTable = {
    {"ssh", {"ssh", "OpenSSH", "openssh-server", true}},
    {"nginx", {"http", "nginx", "nginx", true}},
    {"apache", {"http", "Apache httpd", "apache2", true}},
    {"redis", {"redis", "Redis", "redis-server", true}},
    {"memcached", {"memcached", "memcached", "memcached", true}},
    {"vsftpd", {"ftp", "vsftpd", "vsftpd", true}},
    {"mariadb", {"mysql", "MariaDB", "mariadb-server", true}},
    {"postgresql", {"postgresql", "PostgreSQL", "postgresql", false}},
    {"postfix", {"smtp", "Postfix smtpd", "postfix", false}},
    {"dovecot_imap", {"imap", "Dovecot imapd", "dovecot-imapd", false}},
    {"dovecot_pop3", {"pop3", "Dovecot pop3d", "dovecot-pop3d", false}},
    {"mosquitto", {"mqtt", "Mosquitto", "mosquitto", true}},
    {"nginx_tls", {"https", "nginx", "nginx", true}},
};

class Services : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/ucsc-scan-it.XXXXXX";
    if (!::mkdtemp(tmpl)) return;
    dir_ = tmpl;
    std::mt19937 rng(std::random_device{}());
    for (int attempt = 0; attempt < 50 && base_ == 0; ++attempt) {
      int base = 20000 + static_cast<int>(rng() % 30000);
      bool free = true;
      for (int i = 0; i < kServiceCount && free; ++i) free = PortFree(base + i);
      if (free) base_ = base;
    }
    Shell(kScripts + "start " + dir_ + " " + std::to_string(base_) + " >" + dir_ +
          ".start.log 2>&1");
    std::ifstream tsv(dir_ + "/services.tsv");
    std::string line;
    while (std::getline(tsv, line)) {
      std::istringstream fields(line);
      std::string name;
      int port = 0;
      fields >> name >> port;
      if (!name.empty()) (*started_)[name] = static_cast<uint16_t>(port);
    }
    std::ifstream failed(dir_ + "/failed.tsv");
    while (std::getline(failed, line)) *failed_ += line + "\n";
  }
  static void TearDownTestSuite() {
    if (!dir_.empty())
      Shell(kScripts + "stop " + dir_ + " >/dev/null 2>&1; rm -f " + dir_ + ".start.log");
    dir_.clear();
  }

  static inline std::string dir_;
  static inline int base_ = 0;
  static inline std::map<std::string, uint16_t>* started_ = new std::map<std::string, uint16_t>();
  static inline std::string* failed_ = new std::string();
};

TEST_F(Services, EveryInstalledServiceStarted) {
  ASSERT_NE(base_, 0) << "no free port block";
  for (const auto& [name, want] : kTable) {
    if (DpkgVersion(want.package).empty()) {
      ADD_FAILURE() << want.package << " is not installed (scripts/bootstrap installs it)";
      continue;
    }
    EXPECT_TRUE(started_->count(name)) << name << " did not start:\n"
                                       << *failed_
                                       << Shell("tail -n 30 " + dir_ + "/" + name + ".log " + dir_ +
                                                "/" + name + "/error.log 2>/dev/null");
  }
}

TEST_F(Services, ConnectScanFindsExactlyTheStartedPorts) {
  ASSERT_FALSE(started_->empty());
  SystemConnector system;
  RecordingConnector recorder(system);
  KillSwitch kill;
  ConnectScanner scanner(recorder, kill);
  std::vector<uint16_t> ports;
  for (int i = 0; i < kServiceCount; ++i) ports.push_back(static_cast<uint16_t>(base_ + i));
  IpAddress lo = *IpAddress::Parse("127.0.0.1");
  auto r = scanner.Scan({lo}, ports, {.concurrency = 8});
  ASSERT_TRUE(r) << r.error().ToString();
  std::vector<Endpoint> want;
  for (const auto& [name, port] : *started_) want.push_back({lo, port});
  std::sort(want.begin(), want.end());
  EXPECT_EQ(r->open, want);
  for (const Endpoint& e : recorder.calls()) EXPECT_EQ(e.address, lo);
}

TEST_F(Services, IdentifiesProductAndDisclosedVersionOfEachService) {
  ASSERT_FALSE(started_->empty());
  SystemConnector system;
  RecordingConnector recorder(system);
  KillSwitch kill;
  ServiceIdentifier ident(recorder, kill, {});
  std::vector<Endpoint> endpoints;
  std::vector<std::string> names;
  for (const auto& [name, port] : *started_) {
    endpoints.push_back({*IpAddress::Parse("127.0.0.1"), port});
    names.push_back(name);
  }
  std::vector<ServiceResult> found = ident.IdentifyAll(endpoints);
  ASSERT_EQ(found.size(), names.size());
  for (size_t i = 0; i < found.size(); ++i) {
    const Expected& want = kTable.at(names[i]);
    const ServiceInfo& got = found[i].info;
    SCOPED_TRACE(names[i] + " on port " + std::to_string(found[i].endpoint.port) +
                 ", evidence: " + EscapeEvidence(got.evidence));
    EXPECT_EQ(got.service, want.service);
    EXPECT_EQ(got.product, want.product);
    if (want.discloses_version) {
      EXPECT_EQ(got.version, Upstream(DpkgVersion(want.package)));
    } else {
      EXPECT_EQ(got.version, "");
    }
    if (names[i] == "postgresql") {
      // No version before authentication, but the protocol range dates the release.
      int major = std::atoi(Upstream(DpkgVersion("postgresql")).c_str());
      EXPECT_EQ(got.details.count("version_range"), 1u);
      if (major >= 14) {
        EXPECT_EQ(got.details.at("version_range"), "14 or later");
      }
    }
    EXPECT_FALSE(got.evidence.empty());
    EXPECT_EQ(got.cpe.rfind("cpe:2.3:a:", 0), 0u) << got.cpe;
  }
  // Every probe connection went to one of the services' endpoints.
  for (const Endpoint& e : recorder.calls()) {
    EXPECT_TRUE(std::find(endpoints.begin(), endpoints.end(), e) != endpoints.end())
        << e.ToString();
  }
}

TEST_F(Services, TlsDetailsOfTheHttpsInstance) {
  if (!started_->count("nginx_tls")) GTEST_SKIP() << "nginx_tls did not start";
  SystemConnector system;
  KillSwitch kill;
  ServiceIdentifier ident(system, kill, {});
  ServiceInfo s = ident.Identify({*IpAddress::Parse("127.0.0.1"), started_->at("nginx_tls")});
  ASSERT_TRUE(s.tls);
  EXPECT_NE(s.tls->subject.find("CN=scan-test.localhost"), std::string::npos) << s.tls->subject;
  EXPECT_EQ(s.tls->subject, s.tls->issuer);  // self-signed by the start script
  EXPECT_EQ(s.tls->versions, (std::vector<std::string>{"TLSv1.2", "TLSv1.3"}));
  EXPECT_TRUE(s.tls->weak_ciphers.empty());
  EXPECT_EQ(s.details["title"], "ucsc nginx tls test");
  EXPECT_FALSE(s.tls->not_after.empty());
}

TEST_F(Services, KillSwitchStopsIdentification) {
  ASSERT_FALSE(started_->empty());
  SystemConnector system;
  KillSwitch kill;
  kill.Trigger();
  ServiceIdentifier ident(system, kill, {});
  std::vector<Endpoint> endpoints;
  for (const auto& [name, port] : *started_)
    endpoints.push_back({*IpAddress::Parse("127.0.0.1"), port});
  for (const ServiceResult& r : ident.IdentifyAll(endpoints)) {
    EXPECT_EQ(r.info.service, "unknown");
    EXPECT_EQ(r.info.details.at("error"), "scan stopped");
  }
}

}  // namespace
}  // namespace ucsc::scan
