#include "scan/scanner.h"

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <queue>

namespace ucsc::scan {
namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
  int fd = -1;
  uint32_t generation = 0;
  Endpoint endpoint;
};

struct HostReady {
  Clock::time_point ready;
  uint64_t seq;
  size_t host;
  bool operator>(const HostReady& o) const {
    return ready != o.ready ? ready > o.ready : seq > o.seq;
  }
};

int FdBudget() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 256;
  long soft = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : static_cast<long>(rl.rlim_cur);
  return static_cast<int>(std::max(16L, soft - 64));
}

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

}  // namespace

core::Result<ConnectScanResult> ConnectScanner::Scan(
    const std::vector<IpAddress>& addresses, const std::vector<uint16_t>& ports,
    const ScanOptions& options, const std::function<void(const ScanProgress&)>& progress) {
  if (addresses.empty()) return core::InvalidArgument("no addresses to scan");
  if (ports.empty()) return core::InvalidArgument("no ports to scan");
  if (options.concurrency < 1) return core::InvalidArgument("concurrency must be at least 1");
  if (options.per_host_rate < 0) return core::InvalidArgument("rate must not be negative");
  if (options.timeout.count() < 1) return core::InvalidArgument("timeout must be at least 1 ms");

  const int concurrency = std::min(options.concurrency, FdBudget());
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return core::Internal(std::string("epoll_create1: ") + std::strerror(errno));
  FdCloser ep_closer(ep);
  epoll_event kev{};
  kev.events = EPOLLIN;
  kev.data.u64 = ~uint64_t{0};
  if (kill_.fd() >= 0) ::epoll_ctl(ep, EPOLL_CTL_ADD, kill_.fd(), &kev);

  const uint64_t total = static_cast<uint64_t>(addresses.size()) * ports.size();
  const Clock::duration interval =
      options.per_host_rate > 0 ? std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(1.0 / options.per_host_rate))
                                : Clock::duration::zero();

  ConnectScanResult result;
  ScanProgress prog{0, total, 0};
  std::vector<size_t> next_port(addresses.size(), 0);
  std::priority_queue<HostReady, std::vector<HostReady>, std::greater<>> ready;
  uint64_t seq = 0;
  Clock::time_point start = Clock::now();
  for (size_t h = 0; h < addresses.size(); ++h) ready.push({start, seq++, h});

  std::vector<Slot> slots(static_cast<size_t>(concurrency));
  std::vector<uint32_t> free_slots;
  for (uint32_t i = 0; i < slots.size(); ++i)
    free_slots.push_back(static_cast<uint32_t>(slots.size()) - 1 - i);
  std::deque<std::pair<Clock::time_point, uint64_t>> deadlines;  // FIFO: one time-out for all
  int inflight = 0;
  Clock::time_point last_progress = start;

  auto key_of = [&](uint32_t idx) {
    return (static_cast<uint64_t>(slots[idx].generation) << 32) | idx;
  };
  auto finish = [&](uint32_t idx, int so_error) {
    Slot& s = slots[idx];
    ::epoll_ctl(ep, EPOLL_CTL_DEL, s.fd, nullptr);
    ::close(s.fd);
    s.fd = -1;
    ++s.generation;
    free_slots.push_back(idx);
    --inflight;
    ++prog.done;
    if (so_error == 0) {
      result.open.push_back(s.endpoint);
      ++prog.open;
    } else if (so_error == ECONNREFUSED) {
      ++result.closed;
    } else {
      ++result.filtered;
    }
  };
  auto record_immediate = [&](const Endpoint& e, int err) {
    ++prog.done;
    if (err == 0) {
      result.open.push_back(e);
      ++prog.open;
    } else if (err == ECONNREFUSED) {
      ++result.closed;
    } else {
      ++result.filtered;
    }
  };

  std::vector<epoll_event> events(256);
  while (prog.done < total) {
    if (kill_.Triggered()) {
      result.killed = true;
      break;
    }
    Clock::time_point now = Clock::now();
    // Start new connects while there is room and a host is ready.
    bool resource_short = false;
    while (inflight < concurrency && !ready.empty() && ready.top().ready <= now) {
      HostReady hr = ready.top();
      ready.pop();
      Endpoint e{addresses[hr.host], ports[next_port[hr.host]]};
      ConnectAttempt at = connector_.StartConnect(e);
      if (at.fd < 0 && (at.error == EMFILE || at.error == ENFILE || at.error == EAGAIN ||
                        at.error == EADDRNOTAVAIL || at.error == ENOBUFS)) {
        ready.push(hr);  // retry once something finishes
        resource_short = true;
        if (inflight == 0) {
          return core::Internal(std::string("cannot open sockets: ") + std::strerror(at.error));
        }
        break;
      }
      ++next_port[hr.host];
      if (next_port[hr.host] < ports.size()) {
        ready.push({now + interval, seq++, hr.host});  // no bursts: one slot per interval
      }
      if (at.fd < 0 || at.error != EINPROGRESS) {
        if (at.fd >= 0) ::close(at.fd);
        record_immediate(e, at.fd < 0 ? at.error : 0);
        continue;
      }
      uint32_t idx = free_slots.back();
      free_slots.pop_back();
      slots[idx].fd = at.fd;
      slots[idx].endpoint = e;
      epoll_event ev{};
      ev.events = EPOLLOUT | EPOLLERR | EPOLLHUP;
      ev.data.u64 = key_of(idx);
      if (::epoll_ctl(ep, EPOLL_CTL_ADD, at.fd, &ev) != 0) {
        int err = errno;
        ::close(at.fd);
        slots[idx].fd = -1;
        free_slots.push_back(idx);
        return core::Internal(std::string("epoll_ctl: ") + std::strerror(err));
      }
      ++inflight;
      deadlines.emplace_back(now + options.timeout, key_of(idx));
    }
    if (prog.done >= total) break;

    // Wait for completions, the next deadline, the next rate slot or the kill switch.
    Clock::time_point wake = now + std::chrono::milliseconds(200);
    while (!deadlines.empty()) {
      uint64_t key = deadlines.front().second;
      uint32_t idx = static_cast<uint32_t>(key);
      if (slots[idx].fd >= 0 && key_of(idx) == key) break;
      deadlines.pop_front();  // already finished
    }
    if (!deadlines.empty()) wake = std::min(wake, deadlines.front().first);
    if (!resource_short && inflight < concurrency && !ready.empty()) {
      wake = std::min(wake, ready.top().ready);
    }
    int wait_ms = static_cast<int>(std::max<int64_t>(
        0, std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now()).count()));
    int n = ::epoll_wait(ep, events.data(), static_cast<int>(events.size()), wait_ms);
    if (n < 0 && errno != EINTR) {
      return core::Internal(std::string("epoll_wait: ") + std::strerror(errno));
    }
    for (int i = 0; i < n; ++i) {
      uint64_t key = events[i].data.u64;
      if (key == ~uint64_t{0}) continue;  // kill switch; checked at the loop top
      uint32_t idx = static_cast<uint32_t>(key);
      if (idx >= slots.size() || slots[idx].fd < 0 || key_of(idx) != key) continue;
      int so_error = 0;
      socklen_t len = sizeof so_error;
      if (::getsockopt(slots[idx].fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) so_error = errno;
      finish(idx, so_error);
    }
    now = Clock::now();
    while (!deadlines.empty() && deadlines.front().first <= now) {
      uint64_t key = deadlines.front().second;
      deadlines.pop_front();
      uint32_t idx = static_cast<uint32_t>(key);
      if (slots[idx].fd >= 0 && key_of(idx) == key) finish(idx, ETIMEDOUT);
    }
    if (progress && now - last_progress >= std::chrono::milliseconds(100)) {
      last_progress = now;
      progress(prog);
    }
  }
  for (Slot& s : slots) {
    if (s.fd >= 0) ::close(s.fd);
  }
  std::sort(result.open.begin(), result.open.end());
  if (progress) progress(prog);
  return result;
}

}  // namespace ucsc::scan
