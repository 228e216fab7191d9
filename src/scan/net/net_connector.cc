#include "scan/net/net_connector.h"

#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>

namespace ucsc::scan {

ConnectAttempt SystemConnector::StartConnect(const Endpoint& to) {
  int domain = to.address.family == Family::kV4 ? AF_INET : AF_INET6;
  int fd = ::socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return {-1, errno};
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_storage ss;
  socklen_t len = to.ToSockaddr(ss);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0) return {fd, 0};
  int err = errno;
  if (err == EINPROGRESS) return {fd, EINPROGRESS};
  ::close(fd);
  return {-1, err};
}

ConnectAttempt RecordingConnector::StartConnect(const Endpoint& to) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(to);
  }
  return inner_.StartConnect(to);
}

std::vector<Endpoint> RecordingConnector::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

}  // namespace ucsc::scan
