#include "scan/net/resolver.h"

#include <netdb.h>

#include <algorithm>

namespace ucsc::scan {

core::Result<std::vector<IpAddress>> SystemResolver::Resolve(std::string_view host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string name(host);
  int rc = getaddrinfo(name.c_str(), nullptr, &hints, &res);
  if (rc == EAI_NONAME || rc == EAI_NODATA) {
    return core::NotFound("host name '" + name + "' does not resolve");
  }
  if (rc != 0) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot resolve '" + name + "': " + gai_strerror(rc));
  }
  std::vector<IpAddress> out;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
    IpAddress a = IpAddress::FromSockaddr(ai->ai_addr);
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  freeaddrinfo(res);
  if (out.empty()) return core::NotFound("host name '" + name + "' has no IP address");
  return out;
}

void StaticResolver::Add(std::string host, std::vector<IpAddress> addresses) {
  table_[std::move(host)] = std::move(addresses);
}

core::Result<std::vector<IpAddress>> StaticResolver::Resolve(std::string_view host) {
  ++lookups_;
  auto it = table_.find(host);
  if (it == table_.end() || it->second.empty()) {
    return core::NotFound("host name '" + std::string(host) + "' does not resolve");
  }
  return it->second;
}

}  // namespace ucsc::scan
