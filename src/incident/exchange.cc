#include "incident/exchange.h"

#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/legal_time.h"

namespace ucsc::incident {
namespace {

using codec::Json;

// RFC 4122 §4.3 name-based UUID, version 5, in a namespace of this program.
std::string Uuid5(std::string_view name) {
  static constexpr unsigned char kNamespace[16] = {0x6f, 0x1d, 0x4e, 0x2a, 0x8c, 0x53, 0x4b, 0x7e,
                                                   0x9a, 0x01, 0x55, 0xc3, 0x2e, 0x90, 0x14, 0x7b};
  std::string data(reinterpret_cast<const char*>(kNamespace), sizeof kNamespace);
  data.append(name);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(
      out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
      digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]);
  return out;
}

std::string ObservableKey(const Observable& o) {
  return std::string(ObservableTypeName(o.type)) + "|" + o.value;
}

std::string Quote(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

bool IsV6(const std::string& v) { return v.find(':') != std::string::npos; }

// ---- STIX pattern subset parser ----

class PatternParser {
 public:
  explicit PatternParser(std::string_view p) : p_(p) {}

  core::Status Run() {
    UCSC_RETURN_IF_ERROR(Pattern());
    Skip();
    if (pos_ != p_.size()) return Err("unexpected text");
    return core::Ok();
  }
  std::vector<Observable>& out() { return out_; }

 private:
  core::Status Err(const std::string& what) const {
    return core::InvalidArgument(what + " at offset " + std::to_string(pos_));
  }
  void Skip() {
    while (pos_ < p_.size() &&
           (p_[pos_] == ' ' || p_[pos_] == '\t' || p_[pos_] == '\n' || p_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < p_.size() && p_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::string_view Word() {
    Skip();
    size_t end = pos_;
    while (end < p_.size() && ((p_[end] >= 'A' && p_[end] <= 'Z') || p_[end] == '_')) ++end;
    return p_.substr(pos_, end - pos_);
  }
  bool Keyword(std::string_view kw) {
    if (Word() == kw) {
      pos_ += kw.size();
      return true;
    }
    return false;
  }
  core::Status CheckJoinOrEnd() {
    const auto w = Word();
    if (w == "FOLLOWEDBY" || w == "WITHIN" || w == "REPEATS" || w == "START" || w == "STOP") {
      return Err("unsupported operator or qualifier " + std::string(w));
    }
    return core::Ok();
  }
  core::Status Pattern() {
    if (++depth_ > 32) return Err("nesting too deep");
    UCSC_RETURN_IF_ERROR(Observation());
    while (true) {
      UCSC_RETURN_IF_ERROR(CheckJoinOrEnd());
      if (!Keyword("OR") && !Keyword("AND")) break;
      UCSC_RETURN_IF_ERROR(Observation());
    }
    --depth_;
    return core::Ok();
  }
  core::Status Observation() {
    if (Eat('(')) {
      UCSC_RETURN_IF_ERROR(Pattern());
      if (!Eat(')')) return Err("expected ')'");
      return core::Ok();
    }
    if (!Eat('[')) return Err("expected '['");
    UCSC_RETURN_IF_ERROR(Comparisons());
    if (!Eat(']')) return Err("expected ']'");
    return core::Ok();
  }
  core::Status Comparisons() {
    if (++depth_ > 32) return Err("nesting too deep");
    UCSC_RETURN_IF_ERROR(Comparison());
    while (Keyword("AND") || Keyword("OR")) UCSC_RETURN_IF_ERROR(Comparison());
    --depth_;
    return core::Ok();
  }
  core::Status Comparison() {
    if (Eat('(')) {
      UCSC_RETURN_IF_ERROR(Comparisons());
      if (!Eat(')')) return Err("expected ')'");
      return core::Ok();
    }
    if (Word() == "NOT") return Err("unsupported operator NOT");
    UCSC_ASSIGN_OR_RETURN(std::string path, Path());
    Skip();
    if (!Eat('=')) return Err("unsupported operator (only '=' is imported)");
    Skip();
    if (pos_ < p_.size() && p_[pos_] == '=') return Err("unsupported operator '=='");
    UCSC_ASSIGN_OR_RETURN(std::string value, String());
    return Add(path, value);
  }
  core::Result<std::string> Path() {
    Skip();
    std::string path;
    while (pos_ < p_.size()) {
      const char c = p_[pos_];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_' || c == ':' || c == '.') {
        path += c;
        ++pos_;
      } else if (c == '\'' && !path.empty() && path.back() == '.') {
        UCSC_ASSIGN_OR_RETURN(std::string part, String());
        path += part;
      } else {
        break;
      }
    }
    if (path.find(':') == std::string::npos) {
      return tl::unexpected(Err("expected an object path (type:property)").error());
    }
    return path;
  }
  core::Result<std::string> String() {
    if (pos_ >= p_.size() || p_[pos_] != '\'') {
      return tl::unexpected(Err("expected a quoted string").error());
    }
    ++pos_;
    std::string out;
    while (pos_ < p_.size() && p_[pos_] != '\'') {
      if (p_[pos_] == '\\' && pos_ + 1 < p_.size()) ++pos_;
      out += p_[pos_++];
    }
    if (pos_ >= p_.size()) return tl::unexpected(Err("unterminated string").error());
    ++pos_;
    return out;
  }
  core::Status Add(const std::string& path, const std::string& value) {
    ObservableType type;
    if (path == "ipv4-addr:value" || path == "ipv6-addr:value") {
      type = value.find('/') != std::string::npos ? ObservableType::kCidr : ObservableType::kIp;
    } else if (path == "domain-name:value") {
      type = ObservableType::kDomain;
    } else if (path == "url:value") {
      type = ObservableType::kUrl;
    } else if (path == "email-addr:value") {
      type = ObservableType::kEmail;
    } else if (path == "file:name") {
      type = ObservableType::kFileName;
    } else if (path == "file:hashes.MD5") {
      type = ObservableType::kMd5;
    } else if (path == "file:hashes.SHA-1" || path == "file:hashes.SHA1") {
      type = ObservableType::kSha1;
    } else if (path == "file:hashes.SHA-256" || path == "file:hashes.SHA256") {
      type = ObservableType::kSha256;
    } else if (path == "windows-registry-key:key") {
      type = ObservableType::kRegistryKey;
    } else if (path == "user-account:account_login" || path == "user-account:user_id") {
      type = ObservableType::kUserAccount;
    } else if (path == "process:image_ref.name" || path == "process:name" ||
               path == "process:command_line") {
      type = ObservableType::kProcess;
    } else {
      return Err("unsupported object path " + path);
    }
    auto o = MakeObservable(type, value);
    if (!o) return core::InvalidArgument(path + ": " + o.error().message);
    out_.push_back(std::move(*o));
    return core::Ok();
  }

  std::string_view p_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<Observable> out_;
};

void AddUnique(ImportResult& r, std::set<std::string>& seen, Observable o) {
  if (seen.insert(ObservableKey(o)).second) r.observables.push_back(std::move(o));
}

struct MispType {
  ObservableType type;
  const char* misp;
  const char* category;
};

constexpr MispType kMispOut[] = {
    {ObservableType::kIp, "ip-dst", "Network activity"},
    {ObservableType::kCidr, "ip-dst", "Network activity"},
    {ObservableType::kDomain, "domain", "Network activity"},
    {ObservableType::kUrl, "url", "Network activity"},
    {ObservableType::kEmail, "email-src", "Payload delivery"},
    {ObservableType::kFileName, "filename", "Payload delivery"},
    {ObservableType::kMd5, "md5", "Payload delivery"},
    {ObservableType::kSha1, "sha1", "Payload delivery"},
    {ObservableType::kSha256, "sha256", "Payload delivery"},
    {ObservableType::kRegistryKey, "regkey", "Persistence mechanism"},
    {ObservableType::kUserAccount, "target-user", "Targeting data"},
    // MISP has no attribute type for a process name: text, marked by the comment prefix.
    {ObservableType::kProcess, "text", "Artifacts dropped"},
};
constexpr std::string_view kProcessMark = "ucsc:process";

std::optional<ObservableType> FromMisp(std::string_view misp, const std::string& value,
                                       const std::string& comment) {
  if (misp == "ip-dst" || misp == "ip-src") {
    return value.find('/') != std::string::npos ? ObservableType::kCidr : ObservableType::kIp;
  }
  if (misp == "domain" || misp == "hostname") return ObservableType::kDomain;
  if (misp == "url" || misp == "link") return ObservableType::kUrl;
  if (misp == "email" || misp == "email-src" || misp == "email-dst") return ObservableType::kEmail;
  if (misp == "filename") return ObservableType::kFileName;
  if (misp == "md5") return ObservableType::kMd5;
  if (misp == "sha1") return ObservableType::kSha1;
  if (misp == "sha256") return ObservableType::kSha256;
  if (misp == "regkey") return ObservableType::kRegistryKey;
  if (misp == "target-user") return ObservableType::kUserAccount;
  if (misp == "text" && comment.rfind(kProcessMark, 0) == 0) return ObservableType::kProcess;
  return std::nullopt;
}

core::Status ImportMispAttribute(const Json& a, const std::string& ptr, ImportResult& r,
                                 std::set<std::string>& seen) {
  if (!a.is_object()) return core::InvalidArgument("must be an object", ptr);
  const auto type_it = a.find("type");
  const auto value_it = a.find("value");
  if (type_it == a.end() || !type_it->is_string()) {
    return core::InvalidArgument("attribute needs a string type", ptr + "/type");
  }
  if (value_it == a.end() || !value_it->is_string()) {
    return core::InvalidArgument("attribute needs a string value", ptr + "/value");
  }
  std::string comment;
  if (auto c = a.find("comment"); c != a.end() && c->is_string()) comment = c->get<std::string>();
  const std::string misp = type_it->get<std::string>();
  const std::string value = value_it->get<std::string>();
  // Composite types "filename|md5", "regkey|value": each part of a known type.
  std::vector<std::pair<std::string, std::string>> parts;
  if (const auto bar = misp.find('|'); bar != std::string::npos) {
    const auto vbar = value.find('|');
    if (vbar == std::string::npos) {
      return core::InvalidArgument("composite type " + misp + " needs a value a|b", ptr + "/value");
    }
    parts.emplace_back(misp.substr(0, bar), value.substr(0, vbar));
    if (misp.substr(bar + 1) != "value")
      parts.emplace_back(misp.substr(bar + 1), value.substr(vbar + 1));
  } else {
    parts.emplace_back(misp, value);
  }
  for (const auto& [part_type, part_value] : parts) {
    auto type = FromMisp(part_type, part_value, comment);
    if (!type) {
      r.skipped.push_back({ptr, "MISP type " + part_type + " has no observable type"});
      continue;
    }
    std::string note = comment;
    if (*type == ObservableType::kProcess) note = note.substr(kProcessMark.size());
    if (!note.empty() && note.front() == ' ') note.erase(0, 1);
    auto o = MakeObservable(*type, part_value, note);
    if (!o) return core::InvalidArgument(o.error().message, ptr + "/value");
    AddUnique(r, seen, std::move(*o));
  }
  return core::Ok();
}

}  // namespace

std::string StixPattern(const Observable& o) {
  const std::string v = Quote(o.value);
  switch (o.type) {
    case ObservableType::kIp:
    case ObservableType::kCidr:
      return std::string("[") + (IsV6(o.value) ? "ipv6-addr" : "ipv4-addr") + ":value = " + v + "]";
    case ObservableType::kDomain:
      return "[domain-name:value = " + v + "]";
    case ObservableType::kUrl:
      return "[url:value = " + v + "]";
    case ObservableType::kEmail:
      return "[email-addr:value = " + v + "]";
    case ObservableType::kFileName:
      return "[file:name = " + v + "]";
    case ObservableType::kMd5:
      return "[file:hashes.MD5 = " + v + "]";
    case ObservableType::kSha1:
      return "[file:hashes.'SHA-1' = " + v + "]";
    case ObservableType::kSha256:
      return "[file:hashes.'SHA-256' = " + v + "]";
    case ObservableType::kRegistryKey:
      return "[windows-registry-key:key = " + v + "]";
    case ObservableType::kUserAccount:
      return "[user-account:account_login = " + v + "]";
    case ObservableType::kProcess:
      return "[process:image_ref.name = " + v + "]";
  }
  return "[]";
}

Json ToStixBundle(const ExchangeSource& src, const std::vector<Observable>& obs) {
  const std::string ts = core::FormatRfc3339Utc(src.at);
  Json objects = Json::array();
  Json refs = Json::array();
  for (const auto& o : obs) {
    const std::string id = "indicator--" + Uuid5(ObservableKey(o));
    Json ind{{"type", "indicator"},
             {"spec_version", "2.1"},
             {"id", id},
             {"created", ts},
             {"modified", ts},
             {"name", std::string(ObservableTypeName(o.type)) + ": " + Defang(o)},
             {"indicator_types", Json::array({"malicious-activity"})},
             {"pattern", StixPattern(o)},
             {"pattern_type", "stix"},
             {"pattern_version", "2.1"},
             {"valid_from", ts}};
    if (!o.comment.empty()) ind["description"] = o.comment;
    refs.push_back(id);
    objects.push_back(std::move(ind));
  }
  if (!refs.empty()) {
    objects.push_back(Json{{"type", "grouping"},
                           {"spec_version", "2.1"},
                           {"id", "grouping--" + Uuid5("incident|" + src.incident_id)},
                           {"created", ts},
                           {"modified", ts},
                           {"name", src.title},
                           {"context", "suspicious-activity"},
                           {"object_refs", refs}});
  }
  return Json{{"type", "bundle"},
              {"id", "bundle--" + Uuid5("bundle|" + src.incident_id + "|" + ts)},
              {"objects", objects}};
}

Json ToMispEvent(const ExchangeSource& src, const std::vector<Observable>& obs) {
  Json attrs = Json::array();
  for (const auto& o : obs) {
    const MispType* m = nullptr;
    for (const auto& t : kMispOut) {
      if (t.type == o.type) m = &t;
    }
    std::string comment = o.comment;
    if (o.type == ObservableType::kProcess) {
      comment = std::string(kProcessMark) + (comment.empty() ? "" : " " + comment);
    }
    attrs.push_back(Json{{"uuid", Uuid5(ObservableKey(o))},
                         {"type", m->misp},
                         {"category", m->category},
                         {"value", o.value},
                         {"to_ids", true},
                         {"comment", comment}});
  }
  return Json{{"Event",
               {{"uuid", Uuid5("incident|" + src.incident_id)},
                {"info", src.title},
                {"date", core::FormatIsoDate(core::LocalDateOf(src.at))},
                {"threat_level_id", "2"},
                {"analysis", "1"},
                {"distribution", "0"},
                {"Attribute", attrs}}}};
}

core::Result<std::vector<Observable>> ParseStixPatternObservables(std::string_view pattern) {
  if (pattern.size() > 100000) return core::InvalidArgument("pattern longer than 100000 bytes");
  PatternParser p(pattern);
  UCSC_RETURN_IF_ERROR(p.Run());
  return std::move(p.out());
}

core::Result<ImportResult> ImportStixBundle(std::string_view json) {
  UCSC_ASSIGN_OR_RETURN(Json j, codec::ParseJson(json));
  if (!j.is_object() || j.value("type", Json()) != "bundle") {
    return core::InvalidArgument("not a STIX bundle (type must be \"bundle\")", "/type");
  }
  const auto objects = j.find("objects");
  if (objects == j.end() || !objects->is_array()) {
    return core::InvalidArgument("a bundle needs an objects array", "/objects");
  }
  ImportResult r;
  std::set<std::string> seen;
  for (size_t idx = 0; idx < objects->size(); ++idx) {
    const Json& obj = (*objects)[idx];
    const std::string ptr = "/objects/" + std::to_string(idx);
    if (!obj.is_object() || !obj.contains("type") || !obj["type"].is_string()) {
      return core::InvalidArgument("object needs a string type", ptr + "/type");
    }
    const std::string type = obj["type"].get<std::string>();
    if (type != "indicator") {
      r.skipped.push_back({ptr, "object of type " + type + " carries no observable"});
      continue;
    }
    std::string id = "indicator " + std::to_string(idx);
    if (obj.contains("id") && obj["id"].is_string()) id = obj["id"].get<std::string>();
    if (obj.contains("pattern_type") &&
        (!obj["pattern_type"].is_string() || obj["pattern_type"] != "stix")) {
      r.skipped.push_back({ptr, id + ": pattern_type is not stix"});
      continue;
    }
    if (!obj.contains("pattern") || !obj["pattern"].is_string()) {
      return core::InvalidArgument(id + ": an indicator needs a string pattern", ptr + "/pattern");
    }
    auto parsed = ParseStixPatternObservables(obj["pattern"].get_ref<const std::string&>());
    if (!parsed) {
      return core::InvalidArgument(id + ": bad pattern: " + parsed.error().message,
                                   ptr + "/pattern");
    }
    std::string comment;
    if (obj.contains("description") && obj["description"].is_string()) {
      comment = obj["description"].get<std::string>();
    }
    for (auto& o : *parsed) {
      o.comment = comment;
      AddUnique(r, seen, std::move(o));
    }
  }
  return r;
}

core::Result<ImportResult> ImportMispEvent(std::string_view json) {
  UCSC_ASSIGN_OR_RETURN(Json j, codec::ParseJson(json));
  if (!j.is_object()) return core::InvalidArgument("a MISP event must be an object", "");
  std::string base;
  const Json* ev = &j;
  if (j.contains("Event")) {
    ev = &j["Event"];
    base = "/Event";
    if (!ev->is_object()) return core::InvalidArgument("must be an object", base);
  }
  ImportResult r;
  std::set<std::string> seen;
  auto attributes = [&](const Json& holder, const std::string& ptr) -> core::Status {
    const auto it = holder.find("Attribute");
    if (it == holder.end()) return core::Ok();
    if (!it->is_array()) return core::InvalidArgument("must be an array", ptr + "/Attribute");
    for (size_t idx = 0; idx < it->size(); ++idx) {
      UCSC_RETURN_IF_ERROR(
          ImportMispAttribute((*it)[idx], ptr + "/Attribute/" + std::to_string(idx), r, seen));
    }
    return core::Ok();
  };
  UCSC_RETURN_IF_ERROR(attributes(*ev, base));
  if (const auto objs = ev->find("Object"); objs != ev->end()) {
    if (!objs->is_array()) return core::InvalidArgument("must be an array", base + "/Object");
    for (size_t idx = 0; idx < objs->size(); ++idx) {
      const std::string ptr = base + "/Object/" + std::to_string(idx);
      if (!(*objs)[idx].is_object()) return core::InvalidArgument("must be an object", ptr);
      UCSC_RETURN_IF_ERROR(attributes((*objs)[idx], ptr));
    }
  }
  return r;
}

}  // namespace ucsc::incident
