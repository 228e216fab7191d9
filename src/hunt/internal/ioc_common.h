// Private helpers shared by the IOC translation units (ioc_terms.cc, ioc_stix.cc, ioc_file.cc,
// ioc_sweep.cc); the public API is hunt/ioc.h.
// Thread-safety: stateless.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "hunt/event.h"

namespace ucsc::hunt::internal {

inline bool IEquals(std::string_view a, std::string_view b) { return FieldNameEquals(a, b); }

inline bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

inline std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n' || s.front() == '\f' || s.front() == '\v')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n' || s.back() == '\f' || s.back() == '\v')) {
    s.remove_suffix(1);
  }
  return s;
}

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

inline tl::unexpected<core::Error> Invalid(std::string message) {
  return core::InvalidArgument(std::move(message));
}

// Shortens a value for an error message.
inline std::string Quote(std::string_view s) {
  std::string out = "'";
  out += s.substr(0, 80);
  if (s.size() > 80) out += "…";
  out += "'";
  return out;
}

// Parses IPv6 text (inet_pton). nullopt when it is none.
std::optional<std::array<std::uint8_t, 16>> ParseIpv6(std::string_view s);

// IPv6 text forms events use: RFC 5952 (compressed), zero-suppressed without `::` (Sysmon),
// and fully expanded. The first is canonical.
std::vector<std::string> Ipv6Forms(const std::array<std::uint8_t, 16>& a);

}  // namespace ucsc::hunt::internal
