#include "scan/net/net_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace ucsc::scan {

core::Result<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 45) {
    return core::InvalidArgument("not an IP address: '" + std::string(text) + "'");
  }
  std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = Family::kV4;
    return a;
  }
  if (s.find(':') != std::string::npos && inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = Family::kV6;
    return a;
  }
  return core::InvalidArgument("not an IP address: '" + s + "'");
}

IpAddress IpAddress::FromSockaddr(const sockaddr* sa) {
  IpAddress a;
  if (sa->sa_family == AF_INET6) {
    a.family = Family::kV6;
    std::memcpy(a.bytes.data(), &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, 16);
  } else {
    a.family = Family::kV4;
    std::memcpy(a.bytes.data(), &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
  }
  return a;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::kV4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

bool IpAddress::IsLoopback() const {
  if (family == Family::kV4) return bytes[0] == 127;
  for (int i = 0; i < 15; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[15] == 1;
}

socklen_t Endpoint::ToSockaddr(sockaddr_storage& storage) const {
  std::memset(&storage, 0, sizeof storage);
  if (address.family == Family::kV4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    std::memcpy(&sin->sin_addr, address.bytes.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(port);
  std::memcpy(&sin6->sin6_addr, address.bytes.data(), 16);
  return sizeof(sockaddr_in6);
}

std::string Endpoint::ToString() const {
  if (address.family == Family::kV6) return "[" + address.ToString() + "]:" + std::to_string(port);
  return address.ToString() + ":" + std::to_string(port);
}

}  // namespace ucsc::scan
