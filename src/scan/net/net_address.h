// IP addresses and endpoints (address + TCP port) for the service scanner.
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ucsc::scan {

enum class Family { kV4, kV6 };

// An IPv4 or IPv6 address. IPv4 uses the first 4 bytes of `bytes`.
struct IpAddress {
  Family family = Family::kV4;
  std::array<uint8_t, 16> bytes{};

  // Parses a numeric address ("127.0.0.1", "::1", "[::1]"). No name resolution.
  // Returns kInvalidArgument when `text` is not a numeric address.
  [[nodiscard]] static core::Result<IpAddress> Parse(std::string_view text);
  static IpAddress FromSockaddr(const sockaddr* sa);

  // "127.0.0.1" or "::1" (RFC 5952 form, from inet_ntop).
  std::string ToString() const;
  bool IsLoopback() const;
  auto operator<=>(const IpAddress&) const = default;
};

struct Endpoint {
  IpAddress address;
  uint16_t port = 0;

  // Fills `storage` for connect(2); returns the length to pass.
  socklen_t ToSockaddr(sockaddr_storage& storage) const;
  // "127.0.0.1:22" or "[::1]:22".
  std::string ToString() const;
  auto operator<=>(const Endpoint&) const = default;
};

}  // namespace ucsc::scan
