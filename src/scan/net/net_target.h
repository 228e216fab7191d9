// Scan targets from the command line or a scan scope: IPv4 and IPv6 addresses, CIDR blocks
// (capped in size) and host names (through an injected Resolver).
// Thread-safety: pure functions apart from the resolver they call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "scan/net/net_address.h"
#include "scan/net/resolver.h"

namespace ucsc::scan {

struct Target {
  IpAddress address;
  std::string name;  // the host name it came from, or empty
};

struct TargetLimits {
  // Most addresses all specs together may expand to (a /16 by default).
  uint64_t max_addresses = 65536;
};

// Expands `specs` in order, dropping duplicate addresses. Each spec is an address ("10.0.0.1",
// "::1", "[::1]"), a CIDR block ("127.0.0.0/30", "::1/128"; a block larger than the limit is
// refused) or a host name resolved through `resolver` (every address it returns).
// Returns kInvalidArgument naming the spec for malformed input or a too-large expansion, and the
// resolver's error for names that do not resolve.
[[nodiscard]] core::Result<std::vector<Target>> ParseTargets(const std::vector<std::string>& specs,
                                                             Resolver& resolver,
                                                             const TargetLimits& limits = {});

}  // namespace ucsc::scan
