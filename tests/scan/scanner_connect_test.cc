// Real loopback scans (127.0.0.1 and ::1 only) through a recording Connector.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "scan/scanner.h"

namespace ucsc::scan {
namespace {

// A listening socket on an ephemeral loopback port; closed on destruction.
class Listener {
 public:
  explicit Listener(Family family, int backlog = 16) {
    fd_ = ::socket(family == Family::kV4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    Endpoint e{*IpAddress::Parse(family == Family::kV4 ? "127.0.0.1" : "::1"), 0};
    sockaddr_storage ss;
    socklen_t len = e.ToSockaddr(ss);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0 || ::listen(fd_, backlog) != 0) {
      ADD_FAILURE() << "cannot listen";
    }
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
    port_ = ntohs(family == Family::kV4 ? reinterpret_cast<sockaddr_in*>(&ss)->sin_port
                                        : reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  }
  ~Listener() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A port nobody listens on: bound, then released.
uint16_t ClosedPort() {
  Listener l(Family::kV4);
  uint16_t p = l.port();
  l.Close();
  return p;
}

IpAddress V4() { return *IpAddress::Parse("127.0.0.1"); }
IpAddress V6() { return *IpAddress::Parse("::1"); }

TEST(ConnectScanner, FindsOpenPortsOnIpv4AndIpv6) {
  Listener a(Family::kV4), b(Family::kV4), c(Family::kV6);
  uint16_t closed = ClosedPort();
  SystemConnector system;
  RecordingConnector recorder(system);
  KillSwitch kill;
  ConnectScanner scanner(recorder, kill);
  std::vector<uint16_t> ports{a.port(), b.port(), c.port(), closed};
  std::sort(ports.begin(), ports.end());
  auto r = scanner.Scan({V4(), V6()}, ports, {.concurrency = 3});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_FALSE(r->killed);
  std::vector<Endpoint> want{{V4(), a.port()}, {V4(), b.port()}, {V6(), c.port()}};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(r->open, want);
  // Every other pair was refused: the v4 listeners are not on ::1 and vice versa.
  EXPECT_EQ(r->closed, 8u - 3u);
  EXPECT_EQ(r->filtered, 0u);
}

TEST(ConnectScanner, ConnectsToNoAddressOutsideItsTargets) {
  Listener a(Family::kV4);
  SystemConnector system;
  RecordingConnector recorder(system);
  KillSwitch kill;
  ConnectScanner scanner(recorder, kill);
  std::vector<IpAddress> targets{*IpAddress::Parse("127.0.0.1"), *IpAddress::Parse("127.0.0.3"),
                                 V6()};
  std::vector<uint16_t> ports{a.port(), ClosedPort(), 1};
  auto r = scanner.Scan(targets, ports, {.concurrency = 2});
  ASSERT_TRUE(r);
  auto calls = recorder.calls();
  // Exactly one connect per (target, port) pair, and nothing else.
  ASSERT_EQ(calls.size(), targets.size() * ports.size());
  std::vector<Endpoint> want;
  for (const auto& t : targets) {
    for (uint16_t p : ports) want.push_back({t, p});
  }
  std::sort(want.begin(), want.end());
  std::sort(calls.begin(), calls.end());
  EXPECT_EQ(calls, want);
}

// Records without connecting: every attempt is refused at once.
class RefusingConnector final : public Connector {
 public:
  ConnectAttempt StartConnect(const Endpoint&) override { return {-1, ECONNREFUSED}; }
};

TEST(ConnectScanner, ConcurrencyAndOptionsAreValidated) {
  RefusingConnector refusing;
  KillSwitch kill;
  ConnectScanner scanner(refusing, kill);
  EXPECT_FALSE(scanner.Scan({}, {1}, {}));
  EXPECT_FALSE(scanner.Scan({V4()}, {}, {}));
  EXPECT_FALSE(scanner.Scan({V4()}, {1}, {.concurrency = 0}));
  EXPECT_FALSE(scanner.Scan({V4()}, {1}, {.per_host_rate = -1}));
  EXPECT_FALSE(scanner.Scan({V4()}, {1}, {.timeout = std::chrono::milliseconds(0)}));
  auto r = scanner.Scan({V4()}, {1, 2, 3}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->closed, 3u);
}

TEST(ConnectScanner, PerHostRateSpacesConnects) {
  RefusingConnector refusing;
  RecordingConnector recorder(refusing);
  KillSwitch kill;
  ConnectScanner scanner(recorder, kill);
  auto start = std::chrono::steady_clock::now();
  // 6 connects at 50/s to one host: the last starts at least 5 intervals (100 ms) after the first.
  auto r = scanner.Scan({V4()}, {1, 2, 3, 4, 5, 6}, {.per_host_rate = 50});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(recorder.calls().size(), 6u);
  EXPECT_GE(elapsed, std::chrono::milliseconds(100));
}

// A listener whose accept queue is full: further SYNs are dropped, so connects hang.
class Blackhole {
 public:
  Blackhole() : listener_(Family::kV4, 0) {
    for (int i = 0; i < 4; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      sockaddr_storage ss;
      socklen_t len = Endpoint{V4(), listener_.port()}.ToSockaddr(ss);
      ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
      fillers_.push_back(fd);
    }
  }
  ~Blackhole() {
    for (int fd : fillers_) ::close(fd);
  }
  uint16_t port() const { return listener_.port(); }

 private:
  Listener listener_;
  std::vector<int> fillers_;
};

TEST(ConnectScanner, UnansweredConnectsTimeOutAsFiltered) {
  Blackhole hole;
  SystemConnector system;
  KillSwitch kill;
  ConnectScanner scanner(system, kill);
  auto r = scanner.Scan({V4()}, {hole.port()}, {.timeout = std::chrono::milliseconds(150)});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->open.empty());
  EXPECT_EQ(r->filtered, 1u);
}

TEST(ConnectScanner, KillSwitchStopsAWaitingScanWithinASecond) {
  Blackhole hole;
  SystemConnector system;
  KillSwitch kill;
  ConnectScanner scanner(system, kill);
  auto start = std::chrono::steady_clock::now();
  // The progress callback pulls the switch on its first call (after about 100 ms); without it the
  // scan would wait 30 s for the time-out.
  auto r = scanner.Scan({V4()}, {hole.port()}, {.timeout = std::chrono::seconds(30)},
                        [&](const ScanProgress&) { kill.Trigger(); });
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->killed);
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(ConnectScanner, TriggeredSwitchStopsBeforeAnyConnect) {
  RefusingConnector refusing;
  RecordingConnector recorder(refusing);
  KillSwitch kill;
  kill.Trigger();
  ConnectScanner scanner(recorder, kill);
  auto r = scanner.Scan({V4()}, {1, 2}, {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->killed);
  EXPECT_TRUE(recorder.calls().empty());
}

}  // namespace
}  // namespace ucsc::scan
