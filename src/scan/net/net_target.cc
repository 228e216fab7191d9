#include "scan/net/net_target.h"

#include <charconv>
#include <set>

namespace ucsc::scan {
namespace {

bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return true;
}

// Adds `n` to the address, big-endian, within its family's width.
IpAddress Offset(IpAddress base, uint64_t n) {
  int last = base.family == Family::kV4 ? 3 : 15;
  for (int i = last; i >= 0 && n > 0; --i) {
    uint64_t sum = base.bytes[i] + (n & 0xff);
    base.bytes[i] = static_cast<uint8_t>(sum);
    n = (n >> 8) + (sum >> 8);
  }
  return base;
}

}  // namespace

core::Result<std::vector<Target>> ParseTargets(const std::vector<std::string>& specs,
                                               Resolver& resolver, const TargetLimits& limits) {
  std::vector<Target> out;
  std::set<IpAddress> seen;
  auto add = [&](const IpAddress& a, const std::string& name) -> core::Status {
    if (!seen.insert(a).second) return core::Ok();
    if (out.size() >= limits.max_addresses) {
      return core::InvalidArgument("targets expand to more than " +
                                   std::to_string(limits.max_addresses) + " addresses");
    }
    out.push_back({a, name});
    return core::Ok();
  };
  for (const std::string& spec : specs) {
    if (spec.empty()) return core::InvalidArgument("empty target");
    auto slash = spec.find('/');
    if (slash != std::string::npos) {
      auto base = IpAddress::Parse(std::string_view(spec).substr(0, slash));
      if (!base) return core::InvalidArgument("target '" + spec + "': bad CIDR base address");
      int width = base->family == Family::kV4 ? 32 : 128;
      std::string_view len_text = std::string_view(spec).substr(slash + 1);
      int prefix = -1;
      auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), prefix);
      if (ec != std::errc() || ptr != len_text.data() + len_text.size() || len_text.empty() ||
          prefix < 0 || prefix > width) {
        return core::InvalidArgument("target '" + spec + "': prefix length must be 0.." +
                                     std::to_string(width));
      }
      int host_bits = width - prefix;
      uint64_t remaining = limits.max_addresses - out.size();
      if (host_bits >= 63 || (uint64_t{1} << host_bits) > remaining) {
        return core::InvalidArgument("target '" + spec + "': block too large (at most " +
                                     std::to_string(limits.max_addresses) +
                                     " addresses in one scan)");
      }
      IpAddress net = *base;  // clear the host bits
      for (int bit = prefix; bit < width; ++bit) {
        net.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
      }
      uint64_t count = uint64_t{1} << host_bits;
      for (uint64_t i = 0; i < count; ++i) UCSC_RETURN_IF_ERROR(add(Offset(net, i), ""));
      continue;
    }
    if (auto addr = IpAddress::Parse(spec)) {
      UCSC_RETURN_IF_ERROR(add(*addr, ""));
      continue;
    }
    if (!IsHostName(spec)) {
      return core::InvalidArgument("target '" + spec +
                                   "' is not an address, CIDR block or host name");
    }
    UCSC_ASSIGN_OR_RETURN(std::vector<IpAddress> addrs, resolver.Resolve(spec));
    for (const IpAddress& a : addrs) UCSC_RETURN_IF_ERROR(add(a, spec));
  }
  if (out.empty()) return core::InvalidArgument("no targets given");
  return out;
}

}  // namespace ucsc::scan
