#include "incident/observable.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace ucsc::incident {
namespace {

constexpr std::array<std::pair<ObservableType, std::string_view>, 12> kNames{{
    {ObservableType::kIp, "ip"},
    {ObservableType::kCidr, "cidr"},
    {ObservableType::kDomain, "domain"},
    {ObservableType::kUrl, "url"},
    {ObservableType::kEmail, "email"},
    {ObservableType::kFileName, "file_name"},
    {ObservableType::kMd5, "md5"},
    {ObservableType::kSha1, "sha1"},
    {ObservableType::kSha256, "sha256"},
    {ObservableType::kRegistryKey, "registry_key"},
    {ObservableType::kUserAccount, "user_account"},
    {ObservableType::kProcess, "process"},
}};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Canonical text of an IPv4 or IPv6 address, or nullopt.
std::optional<std::string> CanonicalIp(std::string_view s, int* family = nullptr) {
  if (s.empty() || s.size() > 45) return std::nullopt;
  const std::string text(s);
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  for (int af : {AF_INET, AF_INET6}) {
    if (inet_pton(af, text.c_str(), buf) == 1 && inet_ntop(af, buf, out, sizeof out)) {
      if (family) *family = af;
      return std::string(out);
    }
  }
  return std::nullopt;
}

// Checks a DNS name (already lower-case); returns the reason it is not one, or empty.
std::string DomainProblem(std::string_view d) {
  if (d.empty()) return "is empty";
  if (d.size() > 253) return "is longer than 253 characters";
  if (d.find('.') == std::string_view::npos) return "needs at least two labels (example.vn)";
  size_t start = 0;
  std::string_view last;
  while (start <= d.size()) {
    size_t dot = d.find('.', start);
    if (dot == std::string_view::npos) dot = d.size();
    const auto label = d.substr(start, dot - start);
    if (label.empty()) return "has an empty label";
    if (label.size() > 63) return "has a label longer than 63 characters";
    for (char c : label) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return "has non-ASCII characters; give the IDN in its xn-- form";
      }
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return std::string("has the character '") + c + "'";
      }
    }
    if (label.front() == '-' || label.back() == '-') return "has a label starting or ending in '-'";
    last = label;
    start = dot + 1;
  }
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "has a numeric top-level label (an IP address is type ip)";
  }
  return {};
}

core::Result<std::string> Fail(ObservableType t, const std::string& value,
                               const std::string& reason) {
  return core::InvalidArgument(std::string(ObservableTypeName(t)) + ": \"" + value + "\" " + reason,
                               "/value");
}

core::Result<std::string> Hex(ObservableType t, const std::string& v, size_t len) {
  std::string out = Lower(v);
  if (out.size() != len) {
    return Fail(t, v,
                "must be " + std::to_string(len) + " hexadecimal digits, not " +
                    std::to_string(out.size()) + " characters");
  }
  if (!std::all_of(out.begin(), out.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return Fail(t, v, "has a non-hexadecimal character");
  }
  return out;
}

core::Result<std::string> Cidr(const std::string& v) {
  const auto slash = v.find('/');
  if (slash == std::string::npos) return Fail(ObservableType::kCidr, v, "needs /prefix-length");
  int af = 0;
  auto ip = CanonicalIp(std::string_view(v).substr(0, slash), &af);
  if (!ip) return Fail(ObservableType::kCidr, v, "does not start with an IP address");
  const auto len_text = v.substr(slash + 1);
  const int max = af == AF_INET ? 32 : 128;
  if (len_text.empty() || len_text.size() > 3 ||
      !std::all_of(len_text.begin(), len_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Fail(ObservableType::kCidr, v, "has a prefix length that is not a number");
  }
  const int len = std::stoi(len_text);
  if (len > max) {
    return Fail(ObservableType::kCidr, v, "has a prefix length above " + std::to_string(max));
  }
  unsigned char buf[16] = {};
  inet_pton(af, ip->c_str(), buf);
  const int bytes = af == AF_INET ? 4 : 16;
  for (int bit = len; bit < bytes * 8; ++bit) {
    if (buf[bit / 8] & (0x80 >> (bit % 8))) {
      for (int b = len; b < bytes * 8; ++b)
        buf[b / 8] &= static_cast<unsigned char>(~(0x80 >> (b % 8)));
      char out[INET6_ADDRSTRLEN];
      inet_ntop(af, buf, out, sizeof out);
      return Fail(ObservableType::kCidr, v,
                  "has host bits set; the network is " + std::string(out) + "/" + len_text);
    }
  }
  return *ip + "/" + std::to_string(len);
}

core::Result<std::string> Url(const std::string& v) {
  const auto sep = v.find("://");
  if (sep == std::string::npos || sep == 0) {
    return Fail(ObservableType::kUrl, v, "needs a scheme (http://, https://, ftp://)");
  }
  const std::string scheme = Lower(v.substr(0, sep));
  if (!std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
      })) {
    return Fail(ObservableType::kUrl, v, "has a malformed scheme");
  }
  const size_t host_start = sep + 3;
  size_t host_end = v.find_first_of("/?#", host_start);
  if (host_end == std::string::npos) host_end = v.size();
  std::string authority = v.substr(host_start, host_end - host_start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    authority = authority.substr(at + 1);
  }
  std::string host = authority;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string::npos) return Fail(ObservableType::kUrl, v, "has an unclosed [");
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!CanonicalIp(host)) return Fail(ObservableType::kUrl, v, "has a bad IPv6 host");
  } else {
    if (const auto colon = host.rfind(':'); colon != std::string::npos) {
      port = host.substr(colon);
      host = host.substr(0, colon);
    }
    host = Lower(host);
    if (!CanonicalIp(host)) {
      if (auto problem = DomainProblem(host); !problem.empty()) {
        return Fail(ObservableType::kUrl, v, "has a host that " + problem);
      }
    }
  }
  if (!port.empty()) {
    if (port.size() < 2 || port.front() != ':' || port.size() > 6 ||
        !std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(port.substr(1)) > 65535) {
      return Fail(ObservableType::kUrl, v, "has a bad port");
    }
  }
  if (v.find(' ') != std::string::npos || HasControl(v)) {
    return Fail(ObservableType::kUrl, v, "has spaces or control characters");
  }
  // Lower-case scheme and host; the path is case-sensitive.
  const size_t auth_len = host_end - host_start;
  std::string auth = v.substr(host_start, auth_len);
  const auto at = auth.rfind('@');
  const std::string user = at == std::string::npos ? "" : auth.substr(0, at + 1);
  const std::string hostport = at == std::string::npos ? auth : auth.substr(at + 1);
  return scheme + "://" + user + Lower(hostport) + v.substr(host_end);
}

core::Result<std::string> Email(const std::string& v) {
  const auto at = v.rfind('@');
  if (at == std::string::npos || at == 0)
    return Fail(ObservableType::kEmail, v, "needs local@domain");
  const std::string local = v.substr(0, at);
  const std::string domain = Lower(v.substr(at + 1));
  if (local.size() > 64) return Fail(ObservableType::kEmail, v, "has a local part above 64 bytes");
  if (local.find_first_of(" \t\"(),:;<>[\\]") != std::string::npos || HasControl(local)) {
    return Fail(ObservableType::kEmail, v, "has a character not allowed in the local part");
  }
  if (auto problem = DomainProblem(domain); !problem.empty()) {
    return Fail(ObservableType::kEmail, v, "has a domain that " + problem);
  }
  return local + "@" + domain;
}

core::Result<std::string> Registry(const std::string& v) {
  static constexpr std::pair<std::string_view, std::string_view> kHives[] = {
      {"hklm", "HKEY_LOCAL_MACHINE"},  {"hkey_local_machine", "HKEY_LOCAL_MACHINE"},
      {"hkcu", "HKEY_CURRENT_USER"},   {"hkey_current_user", "HKEY_CURRENT_USER"},
      {"hkcr", "HKEY_CLASSES_ROOT"},   {"hkey_classes_root", "HKEY_CLASSES_ROOT"},
      {"hku", "HKEY_USERS"},           {"hkey_users", "HKEY_USERS"},
      {"hkcc", "HKEY_CURRENT_CONFIG"}, {"hkey_current_config", "HKEY_CURRENT_CONFIG"},
  };
  const auto slash = v.find('\\');
  const std::string hive = Lower(v.substr(0, slash));
  for (const auto& [short_name, long_name] : kHives) {
    if (hive != short_name) continue;
    if (slash == std::string::npos) return std::string(long_name);
    const std::string rest = v.substr(slash + 1);
    if (rest.empty() || rest.find("\\\\") != std::string::npos || rest.back() == '\\') {
      return Fail(ObservableType::kRegistryKey, v, "has an empty key name");
    }
    if (HasControl(rest)) return Fail(ObservableType::kRegistryKey, v, "has control characters");
    return std::string(long_name) + "\\" + rest;
  }
  return Fail(ObservableType::kRegistryKey, v,
              "must start with a hive (HKLM, HKCU, HKCR, HKU, HKCC or the HKEY_ form) and \\");
}

core::Result<std::string> Normalise(ObservableType t, const std::string& v) {
  if (v.empty()) return Fail(t, v, "is empty");
  switch (t) {
    case ObservableType::kIp: {
      auto ip = CanonicalIp(v);
      if (!ip) return Fail(t, v, "is not an IPv4 or IPv6 address");
      return *ip;
    }
    case ObservableType::kCidr:
      return Cidr(v);
    case ObservableType::kDomain: {
      std::string d = Lower(v);
      if (d.back() == '.') d.pop_back();
      if (auto problem = DomainProblem(d); !problem.empty()) return Fail(t, v, problem);
      return d;
    }
    case ObservableType::kUrl:
      return Url(v);
    case ObservableType::kEmail:
      return Email(v);
    case ObservableType::kFileName:
      if (v.size() > 255) return Fail(t, v, "is longer than 255 bytes");
      if (v.find_first_of("/\\") != std::string::npos) {
        return Fail(t, v, "is a path; give the file name only");
      }
      if (v == "." || v == ".." || HasControl(v)) return Fail(t, v, "is not a file name");
      return v;
    case ObservableType::kMd5:
      return Hex(t, v, 32);
    case ObservableType::kSha1:
      return Hex(t, v, 40);
    case ObservableType::kSha256:
      return Hex(t, v, 64);
    case ObservableType::kRegistryKey:
      return Registry(v);
    case ObservableType::kUserAccount:
      if (v.size() > 256) return Fail(t, v, "is longer than 256 bytes");
      if (HasControl(v) || v.find_first_of("\"/[]:;|=+*?<>") != std::string::npos) {
        return Fail(t, v, "has a character not allowed in an account name");
      }
      return v;
    case ObservableType::kProcess:
      if (v.size() > 1024) return Fail(t, v, "is longer than 1024 bytes");
      if (HasControl(v)) return Fail(t, v, "has control characters");
      return v;
  }
  return Fail(t, v, "has an unknown type");
}

}  // namespace

std::string_view ObservableTypeName(ObservableType t) {
  for (const auto& [type, name] : kNames) {
    if (type == t) return name;
  }
  return "unknown";
}

std::optional<ObservableType> ParseObservableType(std::string_view s) {
  for (const auto& [type, name] : kNames) {
    if (name == s) return type;
  }
  return std::nullopt;
}

const std::vector<ObservableType>& AllObservableTypes() {
  static const std::vector<ObservableType> kAll = [] {
    std::vector<ObservableType> v;
    for (const auto& [type, name] : kNames) v.push_back(type);
    return v;
  }();
  return kAll;
}

std::string Refang(std::string_view text) {
  std::string s(text);
  for (auto [from, to] :
       std::initializer_list<std::pair<std::string_view, std::string_view>>{{"hxxps", "https"},
                                                                            {"hXXps", "https"},
                                                                            {"hxxp", "http"},
                                                                            {"hXXp", "http"},
                                                                            {"[://]", "://"},
                                                                            {"[.]", "."},
                                                                            {"(.)", "."},
                                                                            {"{.}", "."},
                                                                            {"[dot]", "."},
                                                                            {"(dot)", "."},
                                                                            {"[@]", "@"},
                                                                            {"[at]", "@"},
                                                                            {"[:]", ":"}}) {
    ReplaceAll(s, from, to);
  }
  return s;
}

std::string Defang(const Observable& o) {
  std::string s = o.value;
  switch (o.type) {
    case ObservableType::kIp:
    case ObservableType::kCidr:
    case ObservableType::kDomain:
      ReplaceAll(s, ".", "[.]");
      return s;
    case ObservableType::kUrl:
      if (s.rfind("http", 0) == 0) s.replace(0, 4, "hxxp");
      ReplaceAll(s, ".", "[.]");
      return s;
    case ObservableType::kEmail:
      ReplaceAll(s, ".", "[.]");
      ReplaceAll(s, "@", "[@]");
      return s;
    default:
      return s;
  }
}

core::Result<Observable> MakeObservable(ObservableType type, std::string_view raw,
                                        std::string comment) {
  std::string value(Trim(raw));
  // Hashes, registry keys, accounts and processes are never defanged; refanging them could
  // change a legitimate value ("(dot)" in a process argument).
  switch (type) {
    case ObservableType::kIp:
    case ObservableType::kCidr:
    case ObservableType::kDomain:
    case ObservableType::kUrl:
    case ObservableType::kEmail:
      value = Refang(value);
      break;
    default:
      break;
  }
  UCSC_ASSIGN_OR_RETURN(std::string normal, Normalise(type, value));
  return Observable{type, std::move(normal), std::move(comment)};
}

}  // namespace ucsc::incident
