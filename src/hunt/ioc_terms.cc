#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "hunt/event.h"
#include "hunt/internal/ioc_common.h"
#include "hunt/ioc.h"

namespace ucsc::hunt {
namespace {

using internal::IEquals;
using internal::Invalid;
using internal::Ipv6Forms;
using internal::IsAlpha;
using internal::IsDigit;
using internal::IStartsWith;
using internal::ParseIpv6;
using internal::Quote;
using internal::Trim;

// ---------------------------------------------------------------------------------------------
// Small text helpers (the shared ones are in internal/ioc_common.h).

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool HasSpace(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  });
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) == 0x7f;
  });
}

// ---------------------------------------------------------------------------------------------
// Types.

struct TypeName {
  std::string_view name;
  IocType type;
};

constexpr auto kTypeNames = std::to_array<TypeName>({
    {"ipv4", IocType::kIpv4},
    {"ipv6", IocType::kIpv6},
    {"cidr", IocType::kCidr},
    {"domain", IocType::kDomain},
    {"url", IocType::kUrl},
    {"md5", IocType::kMd5},
    {"sha1", IocType::kSha1},
    {"sha256", IocType::kSha256},
    {"sha512", IocType::kSha512},
    {"imphash", IocType::kImphash},
    {"email", IocType::kEmail},
    {"filename", IocType::kFileName},
    {"filepath", IocType::kFilePath},
    {"registry", IocType::kRegistry},
    {"commandline", IocType::kCommandLine},
});

// Aliases; "ip" is resolved by the value (v4, v6 or a network).
constexpr auto kTypeAliases = std::to_array<TypeName>({
    {"ipv4-addr", IocType::kIpv4},
    {"ipv6-addr", IocType::kIpv6},
    {"net", IocType::kCidr},
    {"network", IocType::kCidr},
    {"hostname", IocType::kDomain},
    {"fqdn", IocType::kDomain},
    {"domain-name", IocType::kDomain},
    {"uri", IocType::kUrl},
    {"sha-1", IocType::kSha1},
    {"sha-256", IocType::kSha256},
    {"sha-512", IocType::kSha512},
    {"email-addr", IocType::kEmail},
    {"mail", IocType::kEmail},
    {"file", IocType::kFileName},
    {"file-name", IocType::kFileName},
    {"path", IocType::kFilePath},
    {"file-path", IocType::kFilePath},
    {"regkey", IocType::kRegistry},
    {"windows-registry-key", IocType::kRegistry},
    {"cmdline", IocType::kCommandLine},
});

// File extensions that make `name.ext` a file name rather than a domain (some are also TLDs:
// .zip .mov .sh .py; give `domain:` to force a domain).
constexpr auto kFileExtensions = std::to_array<std::string_view>({
    "exe", "dll",  "sys", "bat", "cmd", "ps1", "psm1",  "vbs",  "vbe",  "js",  "jse",  "wsf",
    "hta", "scr",  "lnk", "msi", "msp", "jar", "doc",   "docx", "docm", "xls", "xlsx", "xlsm",
    "ppt", "pptx", "pdf", "rtf", "zip", "rar", "7z",    "iso",  "img",  "vhd", "cab",  "tmp",
    "dat", "bin",  "py",  "sh",  "elf", "so",  "dylib", "apk",  "ocx",  "cpl",
});

// ---------------------------------------------------------------------------------------------
// Value checks and normal forms.

// Dotted decimal IPv4; leading zeros are read as decimal ("010" = 10). Returns the canonical
// text or nullopt.
std::optional<std::string> NormalizeIpv4(std::string_view s) {
  std::array<int, 4> parts{};
  int n = 0;
  std::size_t i = 0;
  while (n < 4) {
    if (i >= s.size() || !IsDigit(s[i])) return std::nullopt;
    int v = 0;
    std::size_t digits = 0;
    while (i < s.size() && IsDigit(s[i])) {
      v = v * 10 + (s[i] - '0');
      if (++digits > 3 || v > 255) return std::nullopt;
      ++i;
    }
    parts[static_cast<std::size_t>(n++)] = v;
    if (n < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%d.%d.%d.%d", parts[0], parts[1], parts[2], parts[3]);
  return std::string(buf.data());
}

bool ValidLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '_'; });
}

// A host name with at least two labels and a top-level label that is no number.
bool ValidDomain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  std::string_view last;
  while (true) {
    const std::size_t dot = d.find('.', start);
    const std::string_view label =
        d.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (!ValidLabel(label)) return false;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::any_of(last.begin(), last.end(), [](char c) { return IsAlpha(c); });
}

std::string_view Extension(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

bool KnownFileExtension(std::string_view ext) {
  return std::any_of(kFileExtensions.begin(), kFileExtensions.end(),
                     [ext](std::string_view e) { return IEquals(e, ext); });
}

bool LooksLikeRegistry(std::string_view s) {
  for (std::string_view root :
       {"HKLM\\", "HKCU\\", "HKU\\", "HKCR\\", "HKCC\\", "HKEY_", "\\REGISTRY\\"}) {
    if (IStartsWith(s, root)) return true;
  }
  return IEquals(s, "HKLM") || IEquals(s, "HKCU") || IEquals(s, "HKU") || IEquals(s, "HKCR");
}

bool LooksLikeWindowsPath(std::string_view s) {
  if (s.size() >= 3 && IsAlpha(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')) return true;
  if (s.size() >= 3 && s[0] == '\\' && s[1] == '\\') return true;  // UNC or \\?\ paths
  // NT paths: \??\C:\..., \Device\HarddiskVolume3\...
  if (s.substr(0, 4) == "\\??\\" || AsciiLowerCopy(s.substr(0, 8)) == "\\device\\") return true;
  if (s.size() >= 3 && s[0] == '%') {
    const std::size_t end = s.find('%', 1);
    return end != std::string_view::npos && end + 1 < s.size() && s[end + 1] == '\\';
  }
  return false;
}

// "scheme://" with a letter first and letters, digits, + - . after.
bool HasScheme(std::string_view s) {
  const std::size_t p = s.find("://");
  if (p == std::string_view::npos || p == 0 || !IsAlpha(s[0])) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(p), [](char c) {
    return IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.';
  });
}

std::string NormalizeRegistry(std::string_view s) {
  struct Root {
    std::string_view from, to;
  };
  static constexpr std::array<Root, 10> kRoots = {{
      {"HKEY_LOCAL_MACHINE", "HKLM"},
      {"HKEY_CURRENT_USER", "HKCU"},
      {"HKEY_USERS", "HKU"},
      {"HKEY_CLASSES_ROOT", "HKCR"},
      {"HKEY_CURRENT_CONFIG", "HKCC"},
      {"\\REGISTRY\\MACHINE", "HKLM"},
      {"\\REGISTRY\\USER", "HKU"},
      {"HKLM", "HKLM"},
      {"HKCU", "HKCU"},
      {"HKU", "HKU"},
  }};
  std::string out;
  for (const auto& r : kRoots) {
    if (IStartsWith(s, r.from) && (s.size() == r.from.size() || s[r.from.size()] == '\\')) {
      out = std::string(r.to) + std::string(s.substr(r.from.size()));
      break;
    }
  }
  if (out.empty()) out = std::string(s);
  while (!out.empty() && out.back() == '\\') out.pop_back();
  return out;
}

std::optional<IocType> HashTypeForLength(std::size_t n) {
  switch (n) {
    case 32:
      return IocType::kMd5;
    case 40:
      return IocType::kSha1;
    case 64:
      return IocType::kSha256;
    case 128:
      return IocType::kSha512;
    default:
      return std::nullopt;
  }
}

std::size_t HashLength(IocType t) {
  switch (t) {
    case IocType::kMd5:
    case IocType::kImphash:
      return 32;
    case IocType::kSha1:
      return 40;
    case IocType::kSha256:
      return 64;
    case IocType::kSha512:
      return 128;
    default:
      return 0;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// IPv6 forms (also used by the sweep, internal/ioc_common.h).

namespace internal {

std::optional<std::array<std::uint8_t, 16>> ParseIpv6(std::string_view s) {
  if (s.empty() || s.size() > 45 || s.find(':') == std::string_view::npos) return std::nullopt;
  std::array<char, 46> buf{};
  std::copy(s.begin(), s.end(), buf.begin());
  std::array<std::uint8_t, 16> out{};
  if (inet_pton(AF_INET6, buf.data(), out.data()) != 1) return std::nullopt;
  return out;
}

std::vector<std::string> Ipv6Forms(const std::array<std::uint8_t, 16>& a) {
  std::array<unsigned, 8> w{};
  for (std::size_t i = 0; i < 8; ++i) w[i] = (unsigned{a[2 * i]} << 8) | a[2 * i + 1];
  std::vector<std::string> forms;
  std::array<char, 64> buf{};
  // Compressed: inet_ntop follows RFC 5952 on glibc (longest zero run, lower-case).
  if (inet_ntop(AF_INET6, a.data(), buf.data(), buf.size()) != nullptr) {
    forms.emplace_back(buf.data());
  }
  std::string plain, full;
  for (std::size_t i = 0; i < 8; ++i) {
    std::snprintf(buf.data(), buf.size(), "%s%x", i ? ":" : "", w[i]);
    plain += buf.data();
    std::snprintf(buf.data(), buf.size(), "%s%04x", i ? ":" : "", w[i]);
    full += buf.data();
  }
  for (auto* f : {&plain, &full}) {
    if (std::find(forms.begin(), forms.end(), *f) == forms.end()) forms.push_back(*f);
  }
  return forms;
}

}  // namespace internal

// ---------------------------------------------------------------------------------------------

std::string_view IocTypeName(IocType type) {
  for (const auto& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "unknown";
}

std::optional<IocType> ParseIocType(std::string_view name) {
  for (const auto& t : kTypeNames) {
    if (IEquals(t.name, name)) return t.type;
  }
  for (const auto& t : kTypeAliases) {
    if (IEquals(t.name, name)) return t.type;
  }
  return std::nullopt;
}

std::string IocReject::ToString() const { return where + ": " + reason; }

std::string Refang(std::string_view text) {
  struct Swap {
    std::string_view from, to;
  };
  static constexpr auto kSwaps = std::to_array<Swap>({
      {"[://]", "://"},
      {"[:]", ":"},
      {"[.]", "."},
      {"(.)", "."},
      {"{.}", "."},
      {"[dot]", "."},
      {"(dot)", "."},
      {"[@]", "@"},
      {"[at]", "@"},
      {"(at)", "@"},
      {"[/]", "/"},
  });
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool swapped = false;
    if (text[i] == '[' || text[i] == '(' || text[i] == '{') {
      for (const auto& s : kSwaps) {
        if (i + s.from.size() <= text.size() && IEquals(text.substr(i, s.from.size()), s.from)) {
          out += s.to;
          i += s.from.size();
          swapped = true;
          break;
        }
      }
    }
    if (!swapped) out.push_back(text[i++]);
  }
  // Scheme: hxxp:// hXXps:// fxp://
  for (std::string_view scheme : {"hxxp://", "hxxps://", "fxp://"}) {
    if (IStartsWith(out, scheme)) {
      out.replace(0, scheme.size() - 3,
                  scheme[0] == 'f'     ? "ftp"
                  : scheme.size() == 7 ? "http"
                                       : "https");
      break;
    }
  }
  return out;
}

core::Result<IocTerm> NormalizeIoc(IocType type, std::string_view raw) {
  const std::string_view value = Trim(raw);
  IocTerm term;
  term.type = type;
  if (value.empty()) return Invalid("empty value");
  if (value.size() > 8192) return Invalid("value longer than 8192 bytes");
  if (HasControl(value)) return Invalid("value contains control characters");
  switch (type) {
    case IocType::kIpv4: {
      auto v = NormalizeIpv4(value);
      if (!v) return Invalid(Quote(value) + " is no IPv4 address");
      term.value = *v;
      return term;
    }
    case IocType::kIpv6: {
      std::string_view v = value;
      if (v.size() > 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
      auto a = ParseIpv6(v);
      if (!a) return Invalid(Quote(value) + " is no IPv6 address");
      term.value = Ipv6Forms(*a).front();
      return term;
    }
    case IocType::kCidr: {
      const std::size_t slash = value.find('/');
      if (slash == std::string_view::npos) {
        return Invalid(Quote(value) + " is no network (address/prefix length)");
      }
      std::string addr(value.substr(0, slash));
      if (addr.find(':') == std::string::npos) {
        auto v4 = NormalizeIpv4(addr);
        if (!v4) return Invalid(Quote(value) + " is no network (address/prefix length)");
        addr = *v4;
      }
      const std::string text = addr + std::string(value.substr(slash));
      if (!ParseCidr(text)) return Invalid(Quote(value) + " is no network (address/prefix length)");
      term.value = text;
      return term;
    }
    case IocType::kDomain: {
      std::string d = AsciiLowerCopy(value);
      if (d.size() > 2 && d.compare(0, 2, "*.") == 0) d.erase(0, 2);  // subdomains always match
      if (!d.empty() && d.back() == '.') d.pop_back();
      if (!ValidDomain(d)) return Invalid(Quote(value) + " is no domain name");
      term.value = d;
      return term;
    }
    case IocType::kUrl: {
      if (HasSpace(value)) return Invalid("a URL contains no white space");
      if (value.size() < 4) return Invalid(Quote(value) + " is too short for a URL");
      term.value = std::string(value);
      return term;
    }
    case IocType::kMd5:
    case IocType::kSha1:
    case IocType::kSha256:
    case IocType::kSha512:
    case IocType::kImphash: {
      const std::size_t want = HashLength(type);
      if (value.size() != want || !std::all_of(value.begin(), value.end(), IsHex)) {
        return Invalid(Quote(value) + " is no " + std::string(IocTypeName(type)) + " (" +
                       std::to_string(want) + " hex digits)");
      }
      term.value = AsciiLowerCopy(value);
      return term;
    }
    case IocType::kEmail: {
      const std::size_t at = value.find('@');
      if (at == std::string_view::npos || at == 0 ||
          value.find('@', at + 1) != std::string_view::npos || HasSpace(value) ||
          !ValidDomain(value.substr(at + 1))) {
        return Invalid(Quote(value) + " is no e-mail address");
      }
      term.value = AsciiLowerCopy(value);
      return term;
    }
    case IocType::kFileName: {
      if (value.find('\\') != std::string_view::npos || value.find('/') != std::string_view::npos) {
        return Invalid("a file name has no \\ or /; give it as filepath:");
      }
      term.value = std::string(value);
      return term;
    }
    case IocType::kFilePath: {
      if (value.find('\\') == std::string_view::npos && value.find('/') == std::string_view::npos) {
        return Invalid(Quote(value) + " is no path (no \\ or /); give it as filename:");
      }
      term.value = std::string(value);
      return term;
    }
    case IocType::kRegistry: {
      if (!LooksLikeRegistry(value)) {
        return Invalid(Quote(value) +
                       " is no registry key (HKLM\\, HKCU\\, HKU\\, HKCR\\, HKEY_…, \\REGISTRY\\)");
      }
      term.value = NormalizeRegistry(value);
      // A root alone ("HKLM", "\REGISTRY") would match every key under it.
      if (term.value.find('\\', 1) == std::string::npos || !LooksLikeRegistry(term.value)) {
        return Invalid(Quote(value) + " is a registry root without a key");
      }
      return term;
    }
    case IocType::kCommandLine:
      term.value = std::string(value);
      return term;
  }
  return Invalid("unknown type");
}

core::Result<IocTerm> DetectIoc(std::string_view raw) {
  const std::string_view v = Trim(raw);
  if (v.empty()) return Invalid("empty value");
  if (LooksLikeRegistry(v)) return NormalizeIoc(IocType::kRegistry, v);
  if (HasScheme(v)) return NormalizeIoc(IocType::kUrl, v);
  if (LooksLikeWindowsPath(v) || v.front() == '/') return NormalizeIoc(IocType::kFilePath, v);
  if (std::all_of(v.begin(), v.end(), IsHex)) {
    // All-hex words that are no hash: "deadbeef", "cafe" — refuse rather than guess.
    if (auto t = HashTypeForLength(v.size())) return NormalizeIoc(*t, v);
    if (!std::all_of(v.begin(), v.end(), IsDigit)) {
      return Invalid(Quote(v) + ": " + std::to_string(v.size()) +
                     " hex digits is no known hash length (32 md5, 40 sha1, 64 sha256, 128 "
                     "sha512); give the type as type:value");
    }
  }
  if (v.find('/') != std::string_view::npos && v.find(' ') == std::string_view::npos) {
    const std::string_view before = v.substr(0, v.find('/'));
    if (before.find(':') != std::string_view::npos || NormalizeIpv4(before)) {
      if (auto c = NormalizeIoc(IocType::kCidr, v)) {
        // A single host as a network is that address.
        const std::string_view len = v.substr(v.find('/') + 1);
        const bool v6 = before.find(':') != std::string_view::npos;
        if ((v6 && len == "128") || (!v6 && len == "32")) {
          return NormalizeIoc(v6 ? IocType::kIpv6 : IocType::kIpv4, before);
        }
        return c;
      }
    }
  }
  if (NormalizeIpv4(v)) return NormalizeIoc(IocType::kIpv4, v);
  if (v.find(':') != std::string_view::npos) {
    std::string_view inner = v;
    if (inner.size() > 2 && inner.front() == '[' && inner.back() == ']') {
      inner = inner.substr(1, inner.size() - 2);
    }
    if (ParseIpv6(inner)) return NormalizeIoc(IocType::kIpv6, inner);
  }
  if (v.find('@') != std::string_view::npos) return NormalizeIoc(IocType::kEmail, v);
  const std::size_t slash = v.find('/');
  if (slash != std::string_view::npos && ValidDomain(AsciiLowerCopy(v.substr(0, slash)))) {
    return NormalizeIoc(IocType::kUrl, v);  // "evil.com/path" without a scheme
  }
  if (v.find('\\') == std::string_view::npos && slash == std::string_view::npos) {
    const std::string_view ext = Extension(v);
    if (!ext.empty() && KnownFileExtension(ext) && v.size() > ext.size() + 1) {
      return NormalizeIoc(IocType::kFileName, v);
    }
    std::string lower = AsciiLowerCopy(v);
    if (lower.size() > 2 && lower.compare(0, 2, "*.") == 0) lower.erase(0, 2);
    if (!lower.empty() && lower.back() == '.') lower.pop_back();
    if (ValidDomain(lower)) return NormalizeIoc(IocType::kDomain, v);
    if (!ext.empty() && !HasSpace(ext) && v.size() > ext.size() + 1 && ext.size() <= 8 &&
        std::all_of(ext.begin(), ext.end(), [](char c) { return IsAlpha(c) || IsDigit(c); }) &&
        !std::all_of(ext.begin(), ext.end(), IsDigit)) {
      return NormalizeIoc(IocType::kFileName, v);  // "my tool.exe~", "report 1.docx"
    }
  }
  return Invalid("cannot tell the type of " + Quote(v) + "; give it as type:value");
}

core::Result<IocTerm> ParseIocLine(std::string_view line) {
  const std::string refanged = Refang(Trim(line));
  std::string_view v = Trim(refanged);
  // `type:value`, unless the colon starts "://" (a URL scheme such as file://).
  const std::size_t colon = v.find(':');
  if (colon != std::string_view::npos && colon > 1 && v.compare(colon, 3, "://") != 0) {
    const std::string_view prefix = v.substr(0, colon);
    if (IEquals(prefix, "ip")) {
      const std::string_view rest = Trim(v.substr(colon + 1));
      auto t = DetectIoc(rest);
      if (t &&
          (t->type == IocType::kIpv4 || t->type == IocType::kIpv6 || t->type == IocType::kCidr)) {
        return t;
      }
      return Invalid(Quote(rest) + " is no IP address or network");
    }
    if (auto type = ParseIocType(prefix)) {
      const std::string_view rest = Trim(v.substr(colon + 1));
      if (*type == IocType::kCommandLine) {
        auto t = NormalizeIoc(*type, rest);
        if (t) t->op = IocOp::kContains;
        return t;
      }
      if (*type == IocType::kIpv4 || *type == IocType::kIpv6) {
        if (rest.find('/') != std::string_view::npos) return NormalizeIoc(IocType::kCidr, rest);
      }
      return NormalizeIoc(*type, rest);
    }
  }
  return DetectIoc(v);
}

}  // namespace ucsc::hunt
