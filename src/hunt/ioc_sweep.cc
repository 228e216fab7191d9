#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hunt/event.h"
#include "hunt/internal/ioc_common.h"
#include "hunt/ioc.h"

namespace ucsc::hunt {
namespace {

using internal::IEquals;
using internal::Ipv6Forms;
using internal::IsAlpha;
using internal::IsDigit;
using internal::IStartsWith;
using internal::ParseIpv6;

}  // namespace

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
