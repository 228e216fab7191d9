// Name resolution seam for the scanner: every host name a scan touches goes through a
// Resolver, so tests use StaticResolver and never send DNS queries.
// Thread-safety: implementations are safe for concurrent calls.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "scan/net/net_address.h"

namespace ucsc::scan {

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Returns the addresses of `host` (at least one), kNotFound when the name does not resolve,
  // kUnavailable when the resolver failed.
  [[nodiscard]] virtual core::Result<std::vector<IpAddress>> Resolve(std::string_view host) = 0;
};

// getaddrinfo(3) (system resolver configuration, /etc/hosts included).
class SystemResolver final : public Resolver {
 public:
  [[nodiscard]] core::Result<std::vector<IpAddress>> Resolve(std::string_view host) override;
};

// Fixed table for tests; counts the look-ups it answered.
class StaticResolver final : public Resolver {
 public:
  void Add(std::string host, std::vector<IpAddress> addresses);
  [[nodiscard]] core::Result<std::vector<IpAddress>> Resolve(std::string_view host) override;
  int lookups() const { return lookups_; }

 private:
  std::map<std::string, std::vector<IpAddress>, std::less<>> table_;
  int lookups_ = 0;
};

}  // namespace ucsc::scan
