#include "hunt/ioc.h"

#include <arpa/inet.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_set>
#include <utility>

#include "core/legal_time.h"
#include "hunt/event.h"

namespace ucsc::hunt {
namespace {

// ---------------------------------------------------------------------------------------------
// Small text helpers.

bool IEquals(std::string_view a, std::string_view b) { return FieldNameEquals(a, b); }

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view s) {
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

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

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

tl::unexpected<core::Error> Invalid(std::string message) {
  return core::InvalidArgument(std::move(message));
}

// Shortens a value for an error message.
std::string Quote(std::string_view s) {
  std::string out = "'";
  out += s.substr(0, 80);
  if (s.size() > 80) out += "…";
  out += "'";
  return out;
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

std::optional<std::array<std::uint8_t, 16>> ParseIpv6(std::string_view s) {
  if (s.empty() || s.size() > 45 || s.find(':') == std::string_view::npos) return std::nullopt;
  std::array<char, 46> buf{};
  std::copy(s.begin(), s.end(), buf.begin());
  std::array<std::uint8_t, 16> out{};
  if (inet_pton(AF_INET6, buf.data(), out.data()) != 1) return std::nullopt;
  return out;
}

// IPv6 text forms events use: RFC 5952 (compressed), zero-suppressed without `::` (Sysmon),
// and fully expanded. The first is canonical.
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

// ---------------------------------------------------------------------------------------------
// STIX patterning (the subset described in ioc.h).

namespace {

struct Token {
  enum class Kind {
    kEnd,
    kWord,
    kString,
    kNumber,
    kOther,
    kLBracket,
    kRBracket,
    kLParen,
    kRParen,
    kComma,
    kOp
  };
  Kind kind = Kind::kEnd;
  std::string text;  // word (upper-cased for keywords compare), string contents, operator
};

class StixParser {
 public:
  explicit StixParser(std::string_view text) : text_(text) {}

  // pattern := obs_or
  core::Result<std::vector<std::vector<IocTerm>>> Parse() {
    auto r = ObsOr(0);
    if (!r) return r;
    if (Peek().kind != Token::Kind::kEnd) {
      return Invalid("unexpected " + Describe(Peek()) + " after the pattern");
    }
    return r;
  }

 private:
  using Dnf = std::vector<std::vector<IocTerm>>;
  static constexpr int kMaxDepth = 64;
  // Alternatives of a pattern (long IN lists are fine), and of one AND distributed over ORs.
  static constexpr std::size_t kMaxAlternatives = 100000;
  static constexpr std::size_t kMaxProduct = 4096;

  [[nodiscard]] std::string Describe(const Token& t) const {
    switch (t.kind) {
      case Token::Kind::kEnd:
        return "end of pattern";
      case Token::Kind::kString:
        return "string " + Quote(t.text);
      default:
        return "'" + t.text.substr(0, 40) + "'";
    }
  }

  const Token& Peek() {
    if (!peeked_) {
      next_ = Lex();
      peeked_ = true;
    }
    return next_;
  }
  Token Take() {
    Peek();
    peeked_ = false;
    return std::move(next_);
  }
  [[nodiscard]] bool IsWord(const Token& t, std::string_view w) const {
    return t.kind == Token::Kind::kWord && IEquals(t.text, w);
  }

  Token Lex() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
    Token t;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    auto one = [&](Token::Kind k) {
      t.kind = k;
      t.text = std::string(1, c);
      ++pos_;
      return t;
    };
    switch (c) {
      case '[':
        return one(Token::Kind::kLBracket);
      case ']':
        return one(Token::Kind::kRBracket);
      case '(':
        return one(Token::Kind::kLParen);
      case ')':
        return one(Token::Kind::kRParen);
      case ',':
        return one(Token::Kind::kComma);
      default:
        break;
    }
    if (c == '\'') {
      ++pos_;
      t.kind = Token::Kind::kString;
      while (pos_ < text_.size() && text_[pos_] != '\'') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
            (text_[pos_ + 1] == '\'' || text_[pos_ + 1] == '\\')) {
          ++pos_;
        }
        t.text.push_back(text_[pos_++]);
      }
      if (pos_ >= text_.size()) {
        t.kind = Token::Kind::kOther;
        t.text = "unterminated string";
        return t;
      }
      ++pos_;
      return t;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') {
      t.kind = Token::Kind::kOp;
      t.text.push_back(c);
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '=') t.text.push_back(text_[pos_++]);
      if (t.text == "<" && pos_ < text_.size() && text_[pos_] == '>')
        t.text.push_back(text_[pos_++]);
      return t;
    }
    if (IsDigit(c) || c == '-' || c == '+') {
      t.kind = Token::Kind::kNumber;
      while (pos_ < text_.size() && (IsDigit(text_[pos_]) || text_[pos_] == '.' ||
                                     text_[pos_] == '-' || text_[pos_] == '+')) {
        t.text.push_back(text_[pos_++]);
      }
      return t;
    }
    // Words: keywords and object paths (type:prop.sub, with quoted components and [*] / [0]).
    if (IsAlpha(c) || c == '_') {
      t.kind = Token::Kind::kWord;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (IsAlpha(d) || IsDigit(d) || d == '_' || d == '-' || d == ':' || d == '.') {
          t.text.push_back(d);
          ++pos_;
        } else if (d == '\'' && !t.text.empty() && t.text.back() == '.') {
          // A quoted path component: hashes.'SHA-256'.
          const std::size_t end = text_.find('\'', pos_ + 1);
          if (end == std::string_view::npos) break;
          t.text.append(text_.substr(pos_, end - pos_ + 1));
          pos_ = end + 1;
        } else if (d == '[' && t.text.find(':') != std::string::npos) {
          // A list index in a path: to_refs[*].value, values[0].name
          const std::size_t end = text_.find(']', pos_);
          if (end == std::string_view::npos || end - pos_ > 12) break;
          t.text.append(text_.substr(pos_, end - pos_ + 1));
          pos_ = end + 1;
        } else {
          break;
        }
      }
      // h'..', b'..', t'..' constants.
      if (t.text.size() == 1 && pos_ < text_.size() && text_[pos_] == '\'') {
        const std::size_t end = text_.find('\'', pos_ + 1);
        t.kind = Token::Kind::kOther;
        t.text += "'…'";
        pos_ = end == std::string_view::npos ? text_.size() : end + 1;
      }
      return t;
    }
    t.kind = Token::Kind::kOther;
    t.text = std::string(1, c);
    ++pos_;
    return t;
  }

  static core::Result<Dnf> Or(Dnf a, Dnf b) {
    a.insert(a.end(), std::make_move_iterator(b.begin()), std::make_move_iterator(b.end()));
    if (a.size() > kMaxAlternatives) {
      return Invalid("pattern too large (more than 100,000 alternatives)");
    }
    return a;
  }
  static core::Result<Dnf> And(const Dnf& a, const Dnf& b) {
    if (a.size() * b.size() > kMaxProduct) {
      return Invalid("pattern too large (an AND of ORs with more than 4,096 combinations)");
    }
    Dnf out;
    for (const auto& x : a) {
      for (const auto& y : b) {
        std::vector<IocTerm> t = x;
        t.insert(t.end(), y.begin(), y.end());
        if (t.size() > 32) return Invalid("pattern too large (more than 32 comparisons in an AND)");
        out.push_back(std::move(t));
      }
    }
    return out;
  }

  // Observation expressions.
  core::Result<Dnf> ObsOr(int depth) {
    if (depth > kMaxDepth) return Invalid("pattern nested too deeply");
    auto left = ObsAnd(depth);
    if (!left) return left;
    while (IsWord(Peek(), "OR")) {
      Take();
      auto right = ObsAnd(depth);
      if (!right) return right;
      auto merged = Or(std::move(*left), std::move(*right));
      if (!merged) return merged;
      left = std::move(merged);
    }
    return left;
  }
  core::Result<Dnf> ObsAnd(int depth) {
    auto left = ObsAtom(depth);
    if (!left) return left;
    if (IsWord(Peek(), "AND")) {
      return Invalid(
          "AND between observation expressions ([…] AND […]) needs two events; not supported");
    }
    if (IsWord(Peek(), "FOLLOWEDBY")) return Invalid("FOLLOWEDBY is not supported");
    return left;
  }
  core::Result<Dnf> ObsAtom(int depth) {
    Dnf result;
    const Token t = Take();
    if (t.kind == Token::Kind::kLBracket) {
      auto inner = CompOr(depth + 1);
      if (!inner) return inner;
      if (Take().kind != Token::Kind::kRBracket) return Invalid("missing ] after a comparison");
      result = std::move(*inner);
    } else if (t.kind == Token::Kind::kLParen) {
      auto inner = ObsOr(depth + 1);
      if (!inner) return inner;
      if (Take().kind != Token::Kind::kRParen) return Invalid("missing ) in the pattern");
      result = std::move(*inner);
    } else {
      return Invalid("expected [ or ( but found " + Describe(t));
    }
    for (std::string_view q : {"WITHIN", "REPEATS", "START", "STOP"}) {
      if (IsWord(Peek(), q)) {
        return Invalid("qualifier " + std::string(q) + " is not supported");
      }
    }
    return result;
  }

  // Comparison expressions inside [...].
  core::Result<Dnf> CompOr(int depth) {
    if (depth > kMaxDepth) return Invalid("pattern nested too deeply");
    auto left = CompAnd(depth);
    if (!left) return left;
    while (IsWord(Peek(), "OR")) {
      Take();
      auto right = CompAnd(depth);
      if (!right) return right;
      auto merged = Or(std::move(*left), std::move(*right));
      if (!merged) return merged;
      left = std::move(merged);
    }
    return left;
  }
  core::Result<Dnf> CompAnd(int depth) {
    auto left = CompAtom(depth);
    if (!left) return left;
    while (IsWord(Peek(), "AND")) {
      Take();
      auto right = CompAtom(depth);
      if (!right) return right;
      auto merged = And(*left, *right);
      if (!merged) return merged;
      left = std::move(merged);
    }
    return left;
  }
  core::Result<Dnf> CompAtom(int depth) {
    if (Peek().kind == Token::Kind::kLParen) {
      Take();
      auto inner = CompOr(depth + 1);
      if (!inner) return inner;
      if (Take().kind != Token::Kind::kRParen) return Invalid("missing ) in a comparison");
      return inner;
    }
    const Token path = Take();
    if (path.kind != Token::Kind::kWord || path.text.find(':') == std::string::npos) {
      return Invalid("expected an object path (type:property) but found " + Describe(path));
    }
    auto type = PathType(path.text);
    if (!type) return tl::unexpected(type.error());
    Token op = Take();
    if (IsWord(op, "NOT")) return Invalid("NOT is not supported");
    if (op.kind == Token::Kind::kOp) {
      if (op.text != "=") return Invalid("operator " + op.text + " is not supported");
      return Single(*type, IocOp::kEquals, Take(), path.text);
    }
    if (IsWord(op, "LIKE")) return Single(*type, IocOp::kLike, Take(), path.text);
    if (IsWord(op, "MATCHES")) return Single(*type, IocOp::kMatches, Take(), path.text);
    if (IsWord(op, "ISSUBSET")) {
      if (*type != IocType::kIpv4 && *type != IocType::kIpv6 && *type != IocType::kCidr) {
        return Invalid("ISSUBSET is supported for IP addresses only");
      }
      return Single(IocType::kCidr, IocOp::kEquals, Take(), path.text);
    }
    if (IsWord(op, "IN")) {
      if (Take().kind != Token::Kind::kLParen) return Invalid("expected ( after IN");
      Dnf out;
      while (true) {
        auto one = Single(*type, IocOp::kEquals, Take(), path.text);
        if (!one) return one;
        auto merged = Or(std::move(out), std::move(*one));
        if (!merged) return merged;
        out = std::move(*merged);
        const Token sep = Take();
        if (sep.kind == Token::Kind::kRParen) break;
        if (sep.kind != Token::Kind::kComma) return Invalid("expected , or ) in an IN list");
      }
      return out;
    }
    return Invalid("operator " + Describe(op) + " is not supported");
  }

  core::Result<Dnf> Single(IocType type, IocOp op, const Token& value, const std::string& path) {
    if (value.kind != Token::Kind::kString) {
      return Invalid("expected a string constant for " + path + " but found " + Describe(value));
    }
    core::Result<IocTerm> term;
    if (op == IocOp::kLike || op == IocOp::kMatches) {
      if (value.text.empty() || value.text.size() > 4096) return Invalid("empty or long pattern");
      if (op == IocOp::kMatches) {
        RE2 re(value.text, RE2::Quiet);
        if (!re.ok()) return Invalid("bad regular expression: " + re.error());
      }
      IocTerm t;
      t.type = type;
      t.op = op;
      // File names given with a path are paths.
      if (type == IocType::kFileName && op == IocOp::kLike &&
          (value.text.find('\\') != std::string::npos)) {
        t.type = IocType::kFilePath;
      }
      t.value = value.text;
      term = t;
    } else if (type == IocType::kIpv4 || type == IocType::kIpv6) {
      // STIX addresses may carry a prefix: '198.51.100.0/24', '203.0.113.33/32'.
      term = DetectIoc(value.text);
      if (!term || (term->type != IocType::kIpv4 && term->type != IocType::kIpv6 &&
                    term->type != IocType::kCidr)) {
        return Invalid(Quote(value.text) + " is no IP address for " + path);
      }
    } else if (type == IocType::kCidr) {
      term = DetectIoc(value.text);
      if (!term || (term->type != IocType::kCidr && term->type != IocType::kIpv4 &&
                    term->type != IocType::kIpv6)) {
        return Invalid(Quote(value.text) + " is no IP network for " + path);
      }
    } else if (type == IocType::kFileName && (value.text.find('\\') != std::string::npos ||
                                              value.text.find('/') != std::string::npos)) {
      term = NormalizeIoc(IocType::kFilePath, value.text);
    } else if (type == IocType::kUrl) {
      term = NormalizeIoc(type, Refang(value.text));
    } else {
      term = NormalizeIoc(type, value.text);
    }
    if (!term) return Invalid(path + ": " + term.error().message);
    return Dnf{{std::move(*term)}};
  }

  // Object paths the sweep knows how to look for in events.
  static core::Result<IocType> PathType(const std::string& path) {
    std::string p;
    for (char c : path) {
      if (c != '\'') p.push_back(AsciiLower(c));
    }
    // [n] and [*] list indices do not change the meaning here.
    std::string q;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '[') {
        const std::size_t end = p.find(']', i);
        if (end == std::string::npos) break;
        i = end;
        continue;
      }
      q.push_back(p[i]);
    }
    struct PathMap {
      std::string_view path;
      IocType type;
    };
    static constexpr auto kPaths = std::to_array<PathMap>({
        {"ipv4-addr:value", IocType::kIpv4},
        {"ipv6-addr:value", IocType::kIpv6},
        {"network-traffic:src_ref.value", IocType::kIpv4},
        {"network-traffic:dst_ref.value", IocType::kIpv4},
        {"domain-name:value", IocType::kDomain},
        {"url:value", IocType::kUrl},
        {"email-addr:value", IocType::kEmail},
        {"email-message:from_ref.value", IocType::kEmail},
        {"email-message:sender_ref.value", IocType::kEmail},
        {"email-message:to_refs.value", IocType::kEmail},
        {"email-message:cc_refs.value", IocType::kEmail},
        {"file:name", IocType::kFileName},
        {"file:hashes.md5", IocType::kMd5},
        {"file:hashes.sha-1", IocType::kSha1},
        {"file:hashes.sha1", IocType::kSha1},
        {"file:hashes.sha-256", IocType::kSha256},
        {"file:hashes.sha256", IocType::kSha256},
        {"file:hashes.sha-512", IocType::kSha512},
        {"file:hashes.sha512", IocType::kSha512},
        {"file:extensions.windows-pebinary-ext.imphash", IocType::kImphash},
        {"file:parent_directory_ref.path", IocType::kFilePath},
        {"directory:path", IocType::kFilePath},
        {"windows-registry-key:key", IocType::kRegistry},
        {"process:name", IocType::kFileName},
        {"process:command_line", IocType::kCommandLine},
        {"process:binary_ref.name", IocType::kFileName},
        {"process:image_ref.name", IocType::kFileName},
        {"process:binary_ref.hashes.md5", IocType::kMd5},
        {"process:image_ref.hashes.md5", IocType::kMd5},
        {"process:binary_ref.hashes.sha-1", IocType::kSha1},
        {"process:image_ref.hashes.sha-1", IocType::kSha1},
        {"process:binary_ref.hashes.sha-256", IocType::kSha256},
        {"process:image_ref.hashes.sha-256", IocType::kSha256},
        {"process:binary_ref.hashes.sha256", IocType::kSha256},
        {"process:image_ref.hashes.sha256", IocType::kSha256},
        {"process:binary_ref.hashes.sha-512", IocType::kSha512},
        {"process:image_ref.hashes.sha-512", IocType::kSha512},
    });
    for (const auto& m : kPaths) {
      if (m.path == q) return m.type;
    }
    return Invalid("object path " + path + " is not supported");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Token next_;
  bool peeked_ = false;
};

}  // namespace

core::Result<std::vector<std::vector<IocTerm>>> ParseStixPattern(std::string_view pattern) {
  if (pattern.size() > 65536) return Invalid("pattern longer than 64 KiB");
  StixParser p(pattern);
  return p.Parse();
}

// ---------------------------------------------------------------------------------------------
// Files.

namespace {

std::string TermKey(const IocTerm& t) {
  std::string k(IocTypeName(t.type));
  k.push_back('\x1f');
  k.push_back(static_cast<char>('0' + static_cast<int>(t.op)));
  k.push_back('\x1f');
  k += AsciiLowerCopy(t.value);
  return k;
}

struct Deduper {
  std::unordered_set<std::string> seen;
  // True when the indicator is new (multi-term indicators are always kept).
  bool Keep(const Indicator& ind) {
    if (ind.terms.size() != 1) return true;
    return seen.insert(TermKey(ind.terms.front())).second;
  }
};

void ParseStixBundle(std::string_view text, std::string_view source, const IocParseOptions& options,
                     IocSet* set) {
  const std::string src(source);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text.data(), text.size());
  simdjson::dom::element root;
  if (auto err = parser.parse(padded).get(root); err != simdjson::SUCCESS) {
    set->rejected.push_back({src, std::string("invalid JSON: ") + simdjson::error_message(err)});
    return;
  }
  std::vector<simdjson::dom::element> objects;
  std::string_view root_type;
  if (root.is_object() && root["type"].get(root_type) == simdjson::SUCCESS &&
      root_type == "bundle") {
    simdjson::dom::array arr;
    if (root["objects"].get(arr) != simdjson::SUCCESS) {
      set->rejected.push_back({src, "STIX bundle without an 'objects' list"});
      return;
    }
    for (auto el : arr) objects.push_back(el);
  } else if (root.is_object() && root_type == "indicator") {
    objects.push_back(root);
  } else {
    set->rejected.push_back({src, "JSON is no STIX bundle (type 'bundle' with 'objects')"});
    return;
  }
  Deduper dedup;
  for (const auto& ind : set->indicators) dedup.Keep(ind);
  std::size_t index = 0;
  for (const auto& obj : objects) {
    ++index;
    std::string_view type, id, pattern, pattern_type = "stix", name, valid_until;
    if (!obj.is_object() || obj["type"].get(type) != simdjson::SUCCESS || type != "indicator") {
      continue;
    }
    if (obj["id"].get(id) != simdjson::SUCCESS) id = {};
    const std::string where =
        src + ": " + (id.empty() ? "object " + std::to_string(index) : std::string(id));
    if (obj["pattern"].get(pattern) != simdjson::SUCCESS) {
      set->rejected.push_back({where, "indicator without a 'pattern' string"});
      continue;
    }
    if (auto pt = obj["pattern_type"];
        pt.error() == simdjson::SUCCESS && pt.get(pattern_type) != simdjson::SUCCESS) {
      set->rejected.push_back({where, "pattern_type is not a string"});
      continue;
    }
    if (pattern_type != "stix") {
      set->rejected.push_back({where, "pattern_type '" + std::string(pattern_type.substr(0, 40)) +
                                          "' is not supported"});
      continue;
    }
    bool revoked = false;
    if (obj["revoked"].get(revoked) == simdjson::SUCCESS && revoked) {
      ++set->revoked;
      continue;
    }
    if (options.now && obj["valid_until"].get(valid_until) == simdjson::SUCCESS) {
      const auto until = core::ParseRfc3339(valid_until);
      if (!until) {
        set->rejected.push_back(
            {where, "valid_until " + Quote(valid_until) + " is no RFC 3339 time"});
        continue;
      }
      if (*until <= *options.now) {
        ++set->expired;
        continue;
      }
    }
    if (obj["name"].get(name) != simdjson::SUCCESS) name = {};
    auto dnf = ParseStixPattern(pattern);
    if (!dnf) {
      set->rejected.push_back({where, dnf.error().message});
      continue;
    }
    for (auto& terms : *dnf) {
      Indicator ind;
      ind.terms = std::move(terms);
      ind.stix_id = std::string(id);
      ind.name = std::string(name);
      ind.source = where;
      if (dedup.Keep(ind)) {
        set->indicators.push_back(std::move(ind));
      } else {
        ++set->duplicates;
      }
    }
  }
}

}  // namespace

void ParseIocText(std::string_view text, std::string_view source, const IocParseOptions& options,
                  IocSet* set) {
  std::string_view body = text;
  if (body.size() >= 3 && body.compare(0, 3, "\xEF\xBB\xBF") == 0) body.remove_prefix(3);
  if (!Trim(body).empty() && Trim(body).front() == '{') {
    ParseStixBundle(body, source, options, set);
    return;
  }
  Deduper dedup;
  for (const auto& ind : set->indicators) dedup.Keep(ind);
  std::size_t pos = 0;
  std::size_t line_no = 0;
  while (pos <= body.size()) {
    std::size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size();
    ++line_no;
    const std::string_view line = Trim(body.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = std::string(source) + ":" + std::to_string(line_no);
    auto term = ParseIocLine(line);
    if (!term) {
      set->rejected.push_back({where, term.error().message});
      continue;
    }
    Indicator ind;
    ind.terms.push_back(std::move(*term));
    ind.source = where;
    if (dedup.Keep(ind)) {
      set->indicators.push_back(std::move(ind));
    } else {
      ++set->duplicates;
    }
  }
}

core::Status LoadIocFile(const std::string& path, const IocParseOptions& options, IocSet* set) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read IOC file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  ParseIocText(ss.str(), path, options, set);
  return {};
}

// ---------------------------------------------------------------------------------------------
// Rules.

namespace {

// Event fields that carry each kind of indicator (Sysmon, Security, PowerShell, and common
// JSON shapes: ECS, Zeek, generic src_ip/dst_ip), and how a key is taken from a field's value
// for the set lookup. Field names compare case-insensitively.
enum class Extract {
  kExact,     // the whole value, lower-cased
  kIp,        // the value parsed as an IP address: exact address, then every network
  kDomain,    // the host name and every parent domain (subdomains match)
  kUrlHost,   // the host of every URL in the value (after "://"), then as kDomain
  kUrl,       // every URL in the value (and its part after "://"): starts with the indicator
  kHashes,    // "SHA1=…,MD5=…,IMPHASH=…": each "algo=hash" pair
  kFile,      // the whole path (or name), then every tail after a \ or / (file names)
  kRegistry,  // the key (roots normalised, HKU\<SID> also as HKCU) and every parent key
};

struct FieldGroup {
  std::string_view name;
  Extract extract;
  std::vector<std::string_view> fields;
};

enum Group {
  kGIp,
  kGDomain,
  kGUrlHost,
  kGUrl,
  kGMd5,
  kGSha1,
  kGSha256,
  kGSha512,
  kGImphash,
  kGHashes,
  kGFile,
  kGRegistry,
  kGEmail,
  kGCommandLine,
};

const std::vector<FieldGroup>& Groups() {
  static const std::vector<FieldGroup> groups = {
      {"ip",
       Extract::kIp,
       {"DestinationIp", "SourceIp", "IpAddress", "DestinationAddress", "SourceAddress",
        "ClientAddress", "ClientIP", "RemoteAddress", "src_ip", "dst_ip", "dest_ip", "source.ip",
        "destination.ip", "client.ip", "server.ip", "id.orig_h", "id.resp_h", "c-ip", "s-ip"}},
      {"domain",
       Extract::kDomain,
       {"QueryName", "DestinationHostname", "dns.question.name", "query", "server_name",
        "url.domain", "destination.domain", "cs-host"}},
      {"url_host",
       Extract::kUrlHost,
       {"url", "url.full", "url.original", "uri", "request.url", "http.url", "cs-uri",
        "CommandLine", "ScriptBlockText"}},
      {"url",
       Extract::kUrl,
       {"url", "url.full", "url.original", "uri", "request.url", "http.url", "cs-uri",
        "CommandLine", "ScriptBlockText"}},
      {"md5", Extract::kExact, {"MD5", "hash.md5", "file.hash.md5", "process.hash.md5"}},
      {"sha1", Extract::kExact, {"SHA1", "hash.sha1", "file.hash.sha1", "process.hash.sha1"}},
      {"sha256",
       Extract::kExact,
       {"SHA256", "hash.sha256", "file.hash.sha256", "process.hash.sha256"}},
      {"sha512",
       Extract::kExact,
       {"SHA512", "hash.sha512", "file.hash.sha512", "process.hash.sha512"}},
      {"imphash", Extract::kExact, {"Imphash", "file.pe.imphash", "process.pe.imphash"}},
      {"hashes", Extract::kHashes, {"Hashes", "Hash"}},
      {"file",
       Extract::kFile,
       {"Image", "ParentImage", "TargetFilename", "ImageLoaded", "SourceImage", "TargetImage",
        "NewProcessName", "ParentProcessName", "ProcessName", "Application", "Path",
        "OriginalFileName", "FileName", "file.path", "file.name", "process.executable",
        "process.name", "process.parent.executable", "ObjectName"}},
      {"registry",
       Extract::kRegistry,
       {"TargetObject", "ObjectName", "registry.path", "registry.key"}},
      {"email",
       Extract::kExact,
       {"SenderAddress", "RecipientAddress", "Sender", "Recipient", "from", "to",
        "email.from.address", "email.to.address", "user.email", "UserPrincipalName"}},
      {"commandline",
       Extract::kExact,
       {"CommandLine", "ParentCommandLine", "process.command_line", "process.parent.command_line"}},
  };
  return groups;
}

constexpr std::string_view kProduct = "ucsc-ioc";
constexpr std::string_view kAnyCategory = "ioc-any";

// Escapes Sigma wildcard characters so a text is matched literally inside FromSigma.
std::string SigmaEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Value StringValue(Pattern p) {
  Value v;
  v.kind = ValueKind::kString;
  v.pattern = std::move(p);
  return v;
}
Value Exact(std::string_view s) { return StringValue(Pattern::Literal(s, CaseMode::kInsensitive)); }
Value Suffix(std::string_view s) {
  Pattern p = Pattern::Literal(s, CaseMode::kInsensitive);
  p.AddLeadingStar();
  return StringValue(std::move(p));
}
Value Contains(std::string_view s) {
  Pattern p = Pattern::Literal(s, CaseMode::kInsensitive);
  p.AddLeadingStar();
  p.AddTrailingStar();
  return StringValue(std::move(p));
}
Value Wild(std::string_view sigma) {
  return StringValue(Pattern::FromSigma(sigma, CaseMode::kInsensitive));
}

// STIX LIKE ('%' any run, '_' one character) as a Sigma pattern.
std::string LikeToSigma(std::string_view like) {
  std::string out;
  for (char c : like) {
    if (c == '%') {
      out.push_back('*');
    } else if (c == '_') {
      out.push_back('?');
    } else {
      if (c == '*' || c == '?' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

using GroupValues = std::vector<std::pair<int, Value>>;

void RegistryValues(std::string_view key, GroupValues* out) {
  auto add_forms = [out](const std::string& sigma_key) {
    out->emplace_back(kGRegistry, Wild(sigma_key));
    out->emplace_back(kGRegistry, Wild(sigma_key + "\\\\*"));
  };
  auto rest_after = [key](std::string_view root) { return SigmaEscape(key.substr(root.size())); };
  if (IStartsWith(key, "HKLM")) {
    add_forms("HKLM" + rest_after("HKLM"));
    add_forms(R"(\\REGISTRY\\MACHINE)" + rest_after("HKLM"));
  } else if (IStartsWith(key, "HKCU")) {
    // Sysmon writes the current user's hive as HKU\<SID>\…, Security 4657 as \REGISTRY\USER\<SID>.
    add_forms("HKCU" + rest_after("HKCU"));
    add_forms(R"(HKU\\*)" + rest_after("HKCU"));
    add_forms(R"(\\REGISTRY\\USER\\*)" + rest_after("HKCU"));
  } else if (IStartsWith(key, "HKU")) {
    add_forms("HKU" + rest_after("HKU"));
    add_forms(R"(\\REGISTRY\\USER)" + rest_after("HKU"));
  } else {
    add_forms(SigmaEscape(key));
  }
}

// The values (per field group) that find one term in events.
GroupValues TermValues(const IocTerm& t) {
  GroupValues out;
  const std::string& v = t.value;
  if (t.op == IocOp::kLike || t.op == IocOp::kMatches) {
    std::vector<int> groups;
    switch (t.type) {
      case IocType::kIpv4:
      case IocType::kIpv6:
      case IocType::kCidr:
        groups = {kGIp};
        break;
      case IocType::kDomain:
        groups = {kGDomain};
        break;
      case IocType::kUrl:
        groups = {kGUrl};
        break;
      case IocType::kMd5:
        groups = {kGMd5};
        break;
      case IocType::kSha1:
        groups = {kGSha1};
        break;
      case IocType::kSha256:
        groups = {kGSha256};
        break;
      case IocType::kSha512:
        groups = {kGSha512};
        break;
      case IocType::kImphash:
        groups = {kGImphash};
        break;
      case IocType::kEmail:
        groups = {kGEmail};
        break;
      case IocType::kFileName:
      case IocType::kFilePath:
        groups = {kGFile};
        break;
      case IocType::kRegistry:
        groups = {kGRegistry};
        break;
      case IocType::kCommandLine:
        groups = {kGCommandLine};
        break;
    }
    for (int g : groups) {
      if (t.op == IocOp::kMatches) {
        Value re;
        re.kind = ValueKind::kRegex;
        re.regex = std::make_shared<RE2>(v, RE2::Quiet);
        if (!re.regex->ok()) continue;
        out.emplace_back(g, std::move(re));
      } else {
        out.emplace_back(g, Wild(LikeToSigma(v)));
      }
    }
    if (t.type == IocType::kFileName && t.op == IocOp::kLike) {
      out.emplace_back(kGFile, Wild("*\\\\" + LikeToSigma(v)));
      out.emplace_back(kGFile, Wild("*/" + LikeToSigma(v)));
    }
    return out;
  }
  switch (t.type) {
    case IocType::kIpv4:
      out.emplace_back(kGIp, Exact(v));
      out.emplace_back(kGIp, Exact("::ffff:" + v));
      break;
    case IocType::kIpv6:
      if (auto a = ParseIpv6(v)) {
        for (const auto& form : Ipv6Forms(*a)) out.emplace_back(kGIp, Exact(form));
      }
      break;
    case IocType::kCidr:
      if (auto c = ParseCidr(v)) {
        Value cv;
        cv.kind = ValueKind::kCidr;
        cv.cidr = *c;
        out.emplace_back(kGIp, std::move(cv));
      }
      break;
    case IocType::kDomain:
      out.emplace_back(kGDomain, Exact(v));
      out.emplace_back(kGDomain, Suffix("." + v));  // subdomains
      out.emplace_back(kGUrlHost, Contains("://" + v + "/"));
      out.emplace_back(kGUrlHost, Contains("://" + v + ":"));
      out.emplace_back(kGUrlHost, Suffix("://" + v));
      break;
    case IocType::kUrl:
      out.emplace_back(kGUrl, Contains(v));
      break;
    case IocType::kMd5:
      out.emplace_back(kGMd5, Exact(v));
      out.emplace_back(kGHashes, Contains("md5=" + v));
      break;
    case IocType::kSha1:
      out.emplace_back(kGSha1, Exact(v));
      out.emplace_back(kGHashes, Contains("sha1=" + v));
      break;
    case IocType::kSha256:
      out.emplace_back(kGSha256, Exact(v));
      out.emplace_back(kGHashes, Contains("sha256=" + v));
      break;
    case IocType::kSha512:
      out.emplace_back(kGSha512, Exact(v));
      out.emplace_back(kGHashes, Contains("sha512=" + v));
      break;
    case IocType::kImphash:
      out.emplace_back(kGImphash, Exact(v));
      out.emplace_back(kGHashes, Contains("imphash=" + v));
      break;
    case IocType::kEmail:
      out.emplace_back(kGEmail, Exact(v));
      break;
    case IocType::kFileName:
      out.emplace_back(kGFile, Suffix("\\" + v));
      out.emplace_back(kGFile, Suffix("/" + v));
      out.emplace_back(kGFile, Exact(v));
      break;
    case IocType::kFilePath:
      if (v.size() > 2 && v.front() == '%') {
        // %APPDATA%\x.exe: the part after the variable, at any location.
        const std::size_t end = v.find('%', 1);
        if (end != std::string::npos && end + 1 < v.size()) {
          out.emplace_back(kGFile, Suffix(std::string_view(v).substr(end + 1)));
          break;
        }
      }
      out.emplace_back(kGFile, Exact(v));
      break;
    case IocType::kRegistry:
      RegistryValues(v, &out);
      break;
    case IocType::kCommandLine:
      out.emplace_back(kGCommandLine, t.op == IocOp::kContains ? Contains(v) : Exact(v));
      break;
  }
  return out;
}

bool ValueMatches(const Value& v, std::string_view raw) {
  switch (v.kind) {
    case ValueKind::kString:
      return v.pattern.Match(raw);
    case ValueKind::kRegex:
      return v.regex && RE2::PartialMatch(raw, *v.regex);
    case ValueKind::kCidr: {
      auto ip = ParseIp(raw);
      return ip && v.cidr.Contains(*ip);
    }
    default:
      return false;
  }
}

// Heterogeneous lookup of std::string keys by std::string_view.
struct SvHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using KeyMap = std::unordered_map<std::string, int, SvHash, std::equal_to<>>;

void LowerInto(std::string_view raw, std::string* out) {
  out->resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) (*out)[i] = AsciiLower(raw[i]);
}

bool UrlStop(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '\'' || c == '<' ||
         c == '>' || c == '`' || c == '|';
}

// A lower-cased Windows path in its forms: "\\?\" and "\??\" namespace prefixes dropped;
// `rest` is the path after its volume ("\users\x.exe" of "c:\users\x.exe" or of
// "\device\harddiskvolume3\users\x.exe") and `device` tells which form it was. Security
// events (4663, 5156) name files by device, Sysmon by drive letter; which volume is which drive
// is not in the events.
struct PathForms {
  std::string_view path;  // without a namespace prefix
  std::string_view rest;  // "" when the path has neither a drive letter nor a volume device
  bool device = false;
};

PathForms SplitPath(std::string_view p) {
  PathForms f;
  for (std::string_view prefix : {std::string_view("\\\\?\\"), std::string_view("\\??\\")}) {
    if (p.substr(0, prefix.size()) == prefix) p.remove_prefix(prefix.size());
  }
  f.path = p;
  if (p.size() >= 3 && p[1] == ':' && p[2] == '\\' &&
      std::isalpha(static_cast<unsigned char>(p[0]))) {
    f.rest = p.substr(2);
    return f;
  }
  constexpr std::string_view kVolume = "\\device\\harddiskvolume";
  if (p.substr(0, kVolume.size()) == kVolume) {
    std::size_t i = kVolume.size();
    while (i < p.size() && std::isdigit(static_cast<unsigned char>(p[i]))) ++i;
    if (i > kVolume.size() && i < p.size() && p[i] == '\\') {
      f.rest = p.substr(i);
      f.device = true;
    }
  }
  return f;
}

// The indicators of one field group as hash maps: one lookup per candidate key of a field value,
// however many indicators there are.
class KeySet final : public ValueMatcher {
 public:
  explicit KeySet(Extract extract) : extract_(extract) {}

  void Add(std::string key, int owner) {
    if (extract_ == Extract::kUrl) {
      if (std::find(lengths_.begin(), lengths_.end(), key.size()) == lengths_.end()) {
        lengths_.push_back(key.size());
      }
    }
    exact_.emplace(std::move(key), owner);
  }
  void AddSuffix(std::string key, int owner) { suffix_.emplace(std::move(key), owner); }
  // A lower-cased file path with '\\' separators: found as written and, for a drive-letter
  // path, in values naming a volume device with the same rest (and the other way round).
  void AddPath(std::string_view path, int owner) {
    const PathForms f = SplitPath(path);
    exact_.emplace(std::string(f.path), owner);
    if (!f.rest.empty())
      (f.device ? device_rest_ : drive_rest_).emplace(std::string(f.rest), owner);
  }
  void AddNetwork(const Cidr& net, int owner) {
    auto it = std::find_if(nets_.begin(), nets_.end(),
                           [&net](const auto& b) { return b.first == net.prefix_len; });
    if (it == nets_.end()) {
      nets_.emplace_back(net.prefix_len, KeyMap{});
      it = nets_.end() - 1;
    }
    it->second.emplace(Masked(net.addr, net.prefix_len), owner);
  }
  bool Empty() const { return exact_.empty() && suffix_.empty() && nets_.empty(); }

  bool Match(std::string_view raw) const override { return Find(raw) >= 0; }

  // The indicator whose key the value carries, or -1.
  int Find(std::string_view raw) const {
    thread_local std::string low;
    switch (extract_) {
      case Extract::kExact:
        LowerInto(raw, &low);
        return Lookup(exact_, low);
      case Extract::kIp:
        return FindIp(raw);
      case Extract::kDomain:
        LowerInto(raw, &low);
        return FindDomain(low);
      case Extract::kUrlHost:
      case Extract::kUrl:
        LowerInto(raw, &low);
        return FindInUrls(low);
      case Extract::kHashes: {
        LowerInto(raw, &low);
        std::size_t start = 0;
        while (start <= low.size()) {
          std::size_t end = low.find_first_of(",; \t", start);
          if (end == std::string::npos) end = low.size();
          const int o = Lookup(exact_, std::string_view(low).substr(start, end - start));
          if (o >= 0) return o;
          start = end + 1;
        }
        return -1;
      }
      case Extract::kFile: {
        LowerInto(raw, &low);
        std::replace(low.begin(), low.end(), '/', '\\');
        const PathForms f = SplitPath(low);
        if (const int o = Lookup(exact_, f.path); o >= 0) return o;
        if (!f.rest.empty()) {
          // A device path against drive-letter indicators, a drive path against device ones.
          if (const int o = Lookup(f.device ? drive_rest_ : device_rest_, f.rest); o >= 0) return o;
        }
        if (suffix_.empty()) return -1;
        for (std::size_t p = low.find('\\'); p != std::string::npos; p = low.find('\\', p + 1)) {
          if (const int o = Lookup(suffix_, std::string_view(low).substr(p)); o >= 0) return o;
        }
        return -1;
      }
      case Extract::kRegistry:
        LowerInto(raw, &low);
        return FindRegistry(low);
    }
    return -1;
  }

 private:
  static int Lookup(const KeyMap& m, std::string_view key) {
    auto it = m.find(key);
    return it == m.end() ? -1 : it->second;
  }

  static std::string Masked(const std::array<std::uint8_t, 16>& a, int prefix_len) {
    std::string out(reinterpret_cast<const char*>(a.data()), a.size());
    for (int bit = std::max(prefix_len, 0); bit < 128; ++bit) {
      out[static_cast<std::size_t>(bit / 8)] =
          static_cast<char>(static_cast<unsigned char>(out[static_cast<std::size_t>(bit / 8)]) &
                            ~(0x80u >> static_cast<unsigned>(bit % 8)));
    }
    return out;
  }

  int FindIp(std::string_view raw) const {
    std::string_view v = raw;
    if (v.size() > 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
    const auto ip = ParseIp(v);
    if (!ip) return -1;
    const std::string_view bytes(reinterpret_cast<const char*>(ip->data()), ip->size());
    if (const int o = Lookup(exact_, bytes); o >= 0) return o;
    for (const auto& [len, map] : nets_) {
      if (const int o = Lookup(map, Masked(*ip, len)); o >= 0) return o;
    }
    return -1;
  }

  int FindDomain(std::string_view host) const {
    while (!host.empty() && host.back() == '.') host.remove_suffix(1);
    while (!host.empty()) {
      if (const int o = Lookup(exact_, host); o >= 0) return o;
      const std::size_t dot = host.find('.');
      if (dot == std::string_view::npos) break;
      host.remove_prefix(dot + 1);
    }
    return -1;
  }

  // Every URL ("scheme://…" up to white space or a quote) in a lower-cased value.
  int FindInUrls(std::string_view low) const {
    std::size_t from = 0;
    bool any = false;
    while (true) {
      const std::size_t sep = low.find("://", from);
      if (sep == std::string_view::npos) break;
      any = true;
      std::size_t begin = sep;
      while (begin > 0 &&
             (IsAlpha(low[begin - 1]) || IsDigit(low[begin - 1]) || low[begin - 1] == '+' ||
              low[begin - 1] == '-' || low[begin - 1] == '.')) {
        --begin;
      }
      std::size_t end = sep + 3;
      while (end < low.size() && !UrlStop(low[end])) ++end;
      const std::string_view url = low.substr(begin, end - begin);
      const std::string_view rest = low.substr(sep + 3, end - sep - 3);
      const int o = extract_ == Extract::kUrlHost ? FindHost(rest) : FindUrl(url, rest);
      if (o >= 0) return o;
      from = sep + 3;
    }
    // A URL field without a scheme ("evil.com/x", "/path"): the value itself.
    if (!any && extract_ == Extract::kUrl) return FindUrl(low, low);
    return -1;
  }

  int FindHost(std::string_view rest) const {
    std::size_t end = 0;
    while (end < rest.size() && rest[end] != '/' && rest[end] != '?' && rest[end] != '#' &&
           rest[end] != '\\') {
      ++end;
    }
    std::string_view host = rest.substr(0, end);
    if (const std::size_t at = host.rfind('@'); at != std::string_view::npos) {
      host.remove_prefix(at + 1);
    }
    if (!host.empty() && host.front() == '[') return -1;  // IPv6 literal
    if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
      host = host.substr(0, colon);
    }
    return FindDomain(host);
  }

  // A URL indicator matches a URL that starts with it (scheme-less indicators: the URL after
  // "://"). One lookup per distinct indicator length.
  int FindUrl(std::string_view url, std::string_view rest) const {
    for (std::size_t len : lengths_) {
      if (len <= url.size()) {
        if (const int o = Lookup(exact_, url.substr(0, len)); o >= 0) return o;
      }
      if (len <= rest.size()) {
        if (const int o = Lookup(exact_, rest.substr(0, len)); o >= 0) return o;
      }
    }
    return -1;
  }

  int FindRegistry(std::string_view low) const {
    struct Root {
      std::string_view from, to;
    };
    static constexpr auto kRoots = std::to_array<Root>({
        {R"(\registry\machine)", "hklm"},
        {R"(\registry\user)", "hku"},
        {"hkey_local_machine", "hklm"},
        {"hkey_current_user", "hkcu"},
        {"hkey_users", "hku"},
        {"hkey_classes_root", "hkcr"},
        {"hkey_current_config", "hkcc"},
    });
    std::string key(low);
    for (const auto& r : kRoots) {
      if (key.compare(0, r.from.size(), r.from) == 0) {
        key = std::string(r.to) + key.substr(r.from.size());
        break;
      }
    }
    if (const int o = FindKeyOrParent(key); o >= 0) return o;
    // HKU\<SID>\… is the HKCU of that user.
    if (key.compare(0, 4, "hku\\") == 0) {
      const std::size_t sid_end = key.find('\\', 4);
      if (sid_end != std::string::npos) return FindKeyOrParent("hkcu" + key.substr(sid_end));
    }
    return -1;
  }

  int FindKeyOrParent(std::string_view key) const {
    while (!key.empty() && key.back() == '\\') key.remove_suffix(1);
    while (!key.empty()) {
      if (const int o = Lookup(exact_, key); o >= 0) return o;
      const std::size_t slash = key.rfind('\\');
      if (slash == std::string_view::npos) break;
      key = key.substr(0, slash);
    }
    return -1;
  }

  Extract extract_;
  KeyMap exact_;
  KeyMap suffix_;
  KeyMap drive_rest_, device_rest_;  // paths after "x:" / after "\\device\\harddiskvolumeN"
  std::vector<std::size_t> lengths_;
  std::vector<std::pair<int, KeyMap>> nets_;  // prefix length (IPv6 bits) -> masked addresses
};

// Adds the keys that find `t` (an equality term) to the group sets. False when it has none.
bool AddKeys(const IocTerm& t, int owner, std::vector<std::shared_ptr<KeySet>>* sets) {
  if (t.op != IocOp::kEquals) return false;  // LIKE, MATCHES, contains: rules of their own
  auto set = [sets](int g) -> KeySet& { return *(*sets)[static_cast<std::size_t>(g)]; };
  const std::string low = AsciiLowerCopy(t.value);
  switch (t.type) {
    case IocType::kIpv4:
    case IocType::kIpv6: {
      auto ip = ParseIp(t.value);
      if (!ip) return false;
      set(kGIp).Add(std::string(reinterpret_cast<const char*>(ip->data()), ip->size()), owner);
      return true;
    }
    case IocType::kCidr: {
      auto net = ParseCidr(t.value);
      if (!net) return false;
      set(kGIp).AddNetwork(*net, owner);
      return true;
    }
    case IocType::kDomain:
      set(kGDomain).Add(low, owner);
      set(kGUrlHost).Add(low, owner);
      return true;
    case IocType::kUrl:
      set(kGUrl).Add(low, owner);
      return true;
    case IocType::kMd5:
      set(kGMd5).Add(low, owner);
      set(kGHashes).Add("md5=" + low, owner);
      return true;
    case IocType::kSha1:
      set(kGSha1).Add(low, owner);
      set(kGHashes).Add("sha1=" + low, owner);
      return true;
    case IocType::kSha256:
      set(kGSha256).Add(low, owner);
      set(kGHashes).Add("sha256=" + low, owner);
      return true;
    case IocType::kSha512:
      set(kGSha512).Add(low, owner);
      set(kGHashes).Add("sha512=" + low, owner);
      return true;
    case IocType::kImphash:
      set(kGImphash).Add(low, owner);
      set(kGHashes).Add("imphash=" + low, owner);
      return true;
    case IocType::kEmail:
      set(kGEmail).Add(low, owner);
      return true;
    case IocType::kFileName:
      set(kGFile).Add(low, owner);
      set(kGFile).AddSuffix("\\" + low, owner);
      return true;
    case IocType::kFilePath: {
      std::string path = low;
      std::replace(path.begin(), path.end(), '/', '\\');
      if (path.size() > 2 && path.front() == '%') {
        // %APPDATA%\x.exe: the part after the variable, at any location.
        const std::size_t end = path.find('%', 1);
        if (end != std::string::npos && end + 1 < path.size() && path[end + 1] == '\\') {
          set(kGFile).AddSuffix(path.substr(end + 1), owner);
          return true;
        }
      }
      set(kGFile).AddPath(path, owner);
      return true;
    }
    case IocType::kRegistry:
      set(kGRegistry).Add(low, owner);
      return true;
    case IocType::kCommandLine:
      set(kGCommandLine).Add(low, owner);
      return true;
  }
  return false;
}

Rule BaseRule(std::string title, std::string id) {
  Rule r;
  r.file = "ioc";
  r.title = std::move(title);
  r.id = std::move(id);
  r.level = Level::kHigh;
  r.has_level = true;
  r.status = "experimental";
  r.tags = {"ioc"};
  r.logsource.product = std::string(kProduct);
  r.logsource.category = std::string(kAnyCategory);
  r.condition.kind = Condition::Kind::kRef;
  r.condition.selection = 0;
  return r;
}

}  // namespace

struct IocSweep::Impl {
  struct RuleInfo {
    int group = -1;  // set rule: the field group; -1: a rule of one indicator
    std::shared_ptr<const KeySet> set;
    int indicator = -1;
  };
  std::vector<Indicator> indicators;
  const std::vector<Rule>* rules = nullptr;
  std::size_t first_rule = 0;
  std::vector<RuleInfo> infos;
};

std::size_t IocSweep::rules() const { return impl_ ? impl_->infos.size() : 0; }
std::size_t IocSweep::indicators() const { return impl_ ? impl_->indicators.size() : 0; }

IocSweep IocSweep::Add(std::vector<Indicator> indicators, std::vector<Rule>* rules,
                       LogSourceMap* map) {
  auto im = std::make_shared<Impl>();
  im->indicators = std::move(indicators);
  im->rules = rules;
  im->first_rule = rules->size();
  const auto& groups = Groups();
  std::vector<std::shared_ptr<KeySet>> sets;
  sets.reserve(groups.size());
  for (const auto& g : groups) sets.push_back(std::make_shared<KeySet>(g.extract));

  for (std::size_t i = 0; i < im->indicators.size(); ++i) {
    const Indicator& ind = im->indicators[i];
    if (ind.terms.empty()) continue;
    if (ind.terms.size() == 1 && AddKeys(ind.terms[0], static_cast<int>(i), &sets)) continue;
    // A rule of its own: a selection per term (OR over the term's fields), all terms ANDed.
    Rule r = BaseRule(ind.name.empty() ? "IOC sweep: " + ind.source : "IOC sweep: " + ind.name,
                      ind.stix_id.empty() ? "ucsc-ioc" : ind.stix_id);
    if (ind.terms.size() > 1) r.condition.kind = Condition::Kind::kAnd;
    bool ok = true;
    for (std::size_t t = 0; t < ind.terms.size(); ++t) {
      Selection sel;
      sel.name = "term" + std::to_string(t);
      for (auto& [g, value] : TermValues(ind.terms[t])) {
        for (std::string_view f : groups[static_cast<std::size_t>(g)].fields) {
          DetectionItem item;
          item.field = std::string(f);
          item.values.push_back(value);
          sel.alternatives.push_back({std::move(item)});
        }
      }
      if (sel.alternatives.empty()) ok = false;
      r.selections.push_back(std::move(sel));
      if (ind.terms.size() > 1) {
        Condition ref;
        ref.kind = Condition::Kind::kRef;
        ref.selection = static_cast<int>(t);
        r.condition.children.push_back(ref);
      }
    }
    if (!ok) continue;
    rules->push_back(std::move(r));
    Impl::RuleInfo info;
    info.indicator = static_cast<int>(i);
    im->infos.push_back(std::move(info));
  }
  // One rule per field group with indicators: each field of the group looked up in the set.
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (sets[g]->Empty()) continue;
    const std::string name(groups[g].name);
    Rule r = BaseRule("IOC sweep: " + name, "ucsc-ioc-" + name);
    Selection sel;
    sel.name = "ioc";
    Value v;
    v.kind = ValueKind::kMatcher;
    v.matcher = sets[g];
    for (std::string_view f : groups[g].fields) {
      DetectionItem item;
      item.field = std::string(f);
      item.values.push_back(v);
      sel.alternatives.push_back({std::move(item)});
    }
    r.selections.push_back(std::move(sel));
    rules->push_back(std::move(r));
    Impl::RuleInfo info;
    info.group = static_cast<int>(g);
    info.set = sets[g];
    im->infos.push_back(std::move(info));
  }
  if (!im->infos.empty()) {
    // One source for all IOC rules: every event, with or without a Channel.
    Source s;
    s.logsource.product = std::string(kProduct);
    s.logsource.category = std::string(kAnyCategory);
    s.channel_lower = "*";
    map->AddSource(std::move(s));
  }
  IocSweep sweep;
  sweep.impl_ = std::move(im);
  return sweep;
}

std::string IocSweep::Describe(std::size_t rule_index, const Event& event) const {
  if (!impl_ || rule_index < impl_->first_rule ||
      rule_index - impl_->first_rule >= impl_->infos.size()) {
    return {};
  }
  const Impl::RuleInfo& info = impl_->infos[rule_index - impl_->first_rule];
  const Rule& rule = (*impl_->rules)[rule_index];
  int owner = info.group >= 0 ? -1 : info.indicator;
  std::string field;
  // The first field (in the rule's order) that matched: for a set rule also the indicator; for
  // a rule of one indicator the field of its first term.
  for (const auto& alt : rule.selections.front().alternatives) {
    const DetectionItem& item = alt.front();
    for (std::size_t s = 0; s < event.size() && field.empty(); ++s) {
      if (!IEquals(event.name(s), *item.field)) continue;
      if (info.set) {
        if (const int o = info.set->Find(event.value(s)); o >= 0) {
          owner = o;
          field = std::string(event.name(s));
        }
        continue;
      }
      for (const auto& v : item.values) {
        if (ValueMatches(v, event.value(s))) {
          field = std::string(event.name(s));
          break;
        }
      }
    }
    if (!field.empty()) break;
  }
  if (owner < 0) return {};
  const Indicator& ind = impl_->indicators[static_cast<std::size_t>(owner)];
  const IocTerm& term = ind.terms.front();
  std::string out = R"(,"ioc":{"type":)";
  out += JsonString(IocTypeName(term.type));
  out += ",\"value\":";
  out += JsonString(term.value);
  if (term.op == IocOp::kLike) out += R"(,"operator":"LIKE")";
  if (term.op == IocOp::kMatches) out += R"(,"operator":"MATCHES")";
  if (ind.terms.size() > 1) out += ",\"terms\":" + std::to_string(ind.terms.size());
  out += ",\"field\":";
  out += JsonString(field);
  out += ",\"source\":";
  out += JsonString(ind.source);
  if (!ind.stix_id.empty()) out += ",\"stix_id\":" + JsonString(ind.stix_id);
  if (!ind.name.empty()) out += ",\"name\":" + JsonString(ind.name);
  out += "}";
  return out;
}

}  // namespace ucsc::hunt
