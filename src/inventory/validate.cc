#include "inventory/validate.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "inventory/internal/checks.h"

namespace ucsc::inventory {
namespace {

using internal::Violation;

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsEmailLocalChar(unsigned char c) {
  if (IsAsciiAlnum(c) || c >= 0x80) return true;
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~.-";
  return kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsValidDomainLabel(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (unsigned char c : label) {
    if (!IsAsciiAlnum(c) && c != '-' && c < 0x80) return false;
  }
  return true;
}

// Letters, digits, '_', '-', '.', and the wildcards of a CPE 2.3 attribute value.
bool IsCpeUnescapedChar(unsigned char c) {
  return IsAsciiAlnum(c) || c == '_' || c == '-' || c == '.' || c == '*' || c == '?';
}

// Collects the violations of one entity.
class Checker {
 public:
  void Add(std::string pointer, std::string predicate) {
    out_.push_back(Violation{std::move(pointer), std::move(predicate)});
  }
  // Non-blank and at most `max` bytes.
  void Required(std::string_view value, std::string pointer, size_t max) {
    if (internal::TrimAscii(value).empty()) {
      Add(std::move(pointer), "is required");
    } else {
      MaxLen(value, std::move(pointer), max);
    }
  }
  void MaxLen(std::string_view value, std::string pointer, size_t max) {
    if (value.size() > max) {
      Add(std::move(pointer), "is longer than " + std::to_string(max) + " bytes");
    }
  }
  void Email(std::string_view value, std::string pointer) {
    if (!value.empty() && !IsValidEmail(value)) {
      Add(std::move(pointer), "is not a valid e-mail address: " + internal::Quote(value));
    }
  }
  void Date(std::string_view value, std::string pointer) {
    if (!value.empty() && !IsValidIsoDate(value)) {
      Add(std::move(pointer), "must be a date YYYY-MM-DD, got " + internal::Quote(value));
    }
  }
  // At most `max_items` entries, each non-blank and at most 4096 bytes.
  void List(const std::vector<std::string>& items, const std::string& pointer, size_t max_items) {
    if (items.size() > max_items) {
      Add(pointer, "has more than " + std::to_string(max_items) + " entries");
    }
    for (size_t item_idx = 0; item_idx < items.size(); ++item_idx) {
      Required(items[item_idx], pointer + "/" + std::to_string(item_idx), 4096);
    }
  }
  std::vector<Violation> Take() { return std::move(out_); }

 private:
  std::vector<Violation> out_;
};

core::Status FirstError(const std::vector<Violation>& violations) {
  if (violations.empty()) return core::Ok();
  const auto& v = violations.front();
  return core::InvalidArgument(internal::HumanPath(v.pointer) + " " + v.predicate, v.pointer);
}

constexpr std::array<std::string_view, 8> kTaskKinds = {
    "remediation", "hunt", "scan", "plan_update", "drill", "evidence", "report", "other"};

}  // namespace

// ---- Syntax checks ---------------------------------------------------------------------------

bool IsValidEmail(std::string_view s) {
  if (s.size() > 254) return false;
  size_t at = s.find('@');
  if (at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : local) {
    if (!IsEmailLocalChar(c)) return false;
  }
  if (domain.empty() || domain.size() > 253) return false;
  int labels = 0;
  std::string_view last;
  size_t start = 0;
  while (true) {
    size_t dot = domain.find('.', start);
    std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!IsValidDomainLabel(label)) return false;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2 || last.size() < 2) return false;
  bool all_digits = true;
  for (unsigned char c : last) {
    if (c < '0' || c > '9') all_digits = false;
  }
  return !all_digits;
}

bool IsValidIp(std::string_view s) {
  if (s.empty() || s.size() > 45 || s.find('\0') != std::string_view::npos) return false;
  std::string text(s);
  std::array<unsigned char, 16> buf{};
  return inet_pton(AF_INET, text.c_str(), buf.data()) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buf.data()) == 1;
}

bool IsValidCpe23(std::string_view s) {
  static constexpr std::string_view kPrefix = "cpe:2.3:";
  if (s.substr(0, kPrefix.size()) != kPrefix) return false;
  // Components after the prefix: part, vendor, product, version, update, edition, language,
  // sw_edition, target_sw, target_hw, other.
  int component = 2;
  size_t length = 0;  // bytes of the current component
  bool part_ok = false;
  char part_char = 0;
  for (size_t pos = kPrefix.size(); pos < s.size(); ++pos) {
    unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c == ':') {
      if (length == 0) return false;
      if (component == 2)
        part_ok = length == 1 && (part_char == 'a' || part_char == 'o' || part_char == 'h');
      if (!part_ok) return false;
      ++component;
      length = 0;
      continue;
    }
    if (c == '\\') {
      if (pos + 1 >= s.size()) return false;
      unsigned char next = static_cast<unsigned char>(s[pos + 1]);
      if (next < 0x21 || next > 0x7e) return false;
      ++pos;
      length += 2;
      continue;
    }
    if (!IsCpeUnescapedChar(c)) return false;
    if (component == 2 && length == 0) part_char = static_cast<char>(c);
    ++length;
  }
  return component == 12 && length > 0 && part_ok;
}

bool IsValidIsoDate(std::string_view s) {
  if (s.size() != 10) return false;
  for (size_t pos = 0; pos < s.size(); ++pos) {
    bool dash = pos == 4 || pos == 7;
    if (dash ? s[pos] != '-' : (s[pos] < '0' || s[pos] > '9')) return false;
  }
  return core::ParseIsoDate(s).has_value();
}

// ---- Entity rules ----------------------------------------------------------------------------

namespace internal {

std::string_view TrimAscii(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kSpace);
  return s.substr(begin, end - begin + 1);
}

std::string Quote(std::string_view value) {
  constexpr size_t kMax = 80;
  if (value.size() <= kMax) return "'" + std::string(value) + "'";
  size_t cut = kMax;
  // Back up to the start of a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(value.substr(0, cut)) + "…'";
}

std::string HumanPath(std::string_view pointer) {
  std::string out;
  size_t pos = 0;
  while (pos < pointer.size()) {
    if (pointer[pos] == '/') ++pos;
    size_t next = pointer.find('/', pos);
    std::string_view token =
        pointer.substr(pos, next == std::string_view::npos ? next : next - pos);
    bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string_view::npos;
    if (index) {
      out += "[" + std::string(token) + "]";
    } else {
      if (!out.empty()) out += ".";
      out += token;
    }
    if (next == std::string_view::npos) break;
    pos = next;
  }
  return out;
}

std::vector<Violation> CheckOrganisation(const core::Organisation& org) {
  Checker c;
  c.Required(org.name, "/name", 300);
  c.MaxLen(org.short_name, "/short_name", 100);
  c.MaxLen(org.parent_id, "/parent_id", 64);
  if (!org.parent_id.empty() && org.parent_id == org.id) {
    c.Add("/parent_id", "must not be the organisation itself");
  }
  c.MaxLen(org.focal_point.name, "/focal_point/name", 200);
  c.MaxLen(org.focal_point.phone, "/focal_point/phone", 64);
  c.MaxLen(org.focal_point.email, "/focal_point/email", 254);
  c.Email(org.focal_point.email, "/focal_point/email");
  c.MaxLen(org.address, "/address", 500);
  c.MaxLen(org.email, "/email", 254);
  c.Email(org.email, "/email");
  c.MaxLen(org.phone, "/phone", 64);
  return c.Take();
}

std::vector<Violation> CheckSystem(const core::InformationSystem& system) {
  Checker c;
  c.Required(system.name, "/name", 300);
  c.Required(system.owner_org_id, "/owner_org_id", 64);
  c.MaxLen(system.operator_org_id, "/operator_org_id", 64);
  if (system.level < 1 || system.level > 5) {
    c.Add("/level", "must be between 1 and 5, got " + std::to_string(system.level));
  }
  const auto& approval = system.approval;
  c.MaxLen(approval.decision_no, "/approval/decision_no", 100);
  c.Date(approval.date, "/approval/date");
  c.MaxLen(approval.approver, "/approval/approver", 300);
  if (!TrimAscii(approval.decision_no).empty()) {
    if (approval.date.empty()) c.Add("/approval/date", "is required when decision_no is set");
    if (TrimAscii(approval.approver).empty()) {
      c.Add("/approval/approver", "is required when decision_no is set");
    }
  }
  c.List(system.public_endpoints, "/public_endpoints", 200);
  c.MaxLen(system.description, "/description", 10000);
  return c.Take();
}

std::vector<Violation> CheckAsset(const core::Asset& asset) {
  Checker c;
  c.Required(asset.name, "/name", 300);
  c.Required(asset.system_id, "/system_id", 64);
  c.MaxLen(asset.org_id, "/org_id", 64);
  if (asset.ips.size() > 256) c.Add("/ips", "has more than 256 entries");
  for (size_t ip_idx = 0; ip_idx < asset.ips.size(); ++ip_idx) {
    if (!IsValidIp(asset.ips[ip_idx])) {
      c.Add("/ips/" + std::to_string(ip_idx),
            "is not a valid IPv4 or IPv6 address: " + Quote(asset.ips[ip_idx]));
    }
  }
  c.List(asset.hostnames, "/hostnames", 256);
  c.MaxLen(asset.os, "/os", 200);
  if (asset.software.size() > 1000) c.Add("/software", "has more than 1000 entries");
  for (size_t sw_idx = 0; sw_idx < asset.software.size(); ++sw_idx) {
    const auto& sw = asset.software[sw_idx];
    std::string base = "/software/" + std::to_string(sw_idx);
    c.MaxLen(sw.vendor, base + "/vendor", 200);
    c.Required(sw.product, base + "/product", 200);
    c.MaxLen(sw.version, base + "/version", 100);
    c.MaxLen(sw.cpe, base + "/cpe", 500);
    if (!sw.cpe.empty() && !IsValidCpe23(sw.cpe)) {
      c.Add(base + "/cpe", "is not a valid CPE 2.3 name: " + Quote(sw.cpe));
    }
  }
  return c.Take();
}

std::vector<Violation> CheckContact(const core::Contact& contact) {
  Checker c;
  c.Required(contact.name, "/name", 200);
  c.Required(contact.org_id, "/org_id", 64);
  c.MaxLen(contact.position, "/position", 200);
  c.MaxLen(contact.phone, "/phone", 64);
  c.MaxLen(contact.email, "/email", 254);
  c.Email(contact.email, "/email");
  return c.Take();
}

std::vector<Violation> CheckMember(const core::IrTeamMember& member) {
  Checker c;
  c.Required(member.name, "/name", 200);
  c.Required(member.org_id, "/org_id", 64);
  c.MaxLen(member.email, "/email", 254);
  c.Email(member.email, "/email");
  c.MaxLen(member.phone, "/phone", 64);
  c.List(member.skills, "/skills", 100);
  c.List(member.certificates, "/certificates", 100);
  return c.Take();
}

std::vector<Violation> CheckTask(const core::Task& task) {
  Checker c;
  c.Required(task.title, "/title", 500);
  bool known_kind = false;
  for (auto kind : kTaskKinds) known_kind = known_kind || task.kind == kind;
  if (!known_kind) {
    c.Add("/kind",
          "must be one of remediation, hunt, scan, plan_update, drill, evidence, report, other; "
          "got " +
              Quote(task.kind));
  }
  c.Date(task.due_date, "/due_date");
  c.MaxLen(task.org_id, "/org_id", 64);
  c.MaxLen(task.system_id, "/system_id", 64);
  c.MaxLen(task.assignee, "/assignee", 64);
  return c.Take();
}

}  // namespace internal

// ---- Public validators -----------------------------------------------------------------------

core::Status ValidateOrganisation(const core::Organisation& org) {
  return FirstError(internal::CheckOrganisation(org));
}
core::Status ValidateSystem(const core::InformationSystem& system) {
  return FirstError(internal::CheckSystem(system));
}
core::Status ValidateAsset(const core::Asset& asset) {
  return FirstError(internal::CheckAsset(asset));
}
core::Status ValidateContact(const core::Contact& contact) {
  return FirstError(internal::CheckContact(contact));
}
core::Status ValidateMember(const core::IrTeamMember& member) {
  return FirstError(internal::CheckMember(member));
}
core::Status ValidateTask(const core::Task& task) { return FirstError(internal::CheckTask(task)); }

std::vector<std::vector<std::string>> ParentCycles(
    const std::map<std::string, std::string>& parent) {
  enum : char { kUnseen = 0, kOnPath = 1, kDone = 2 };
  std::map<std::string, char> state;
  std::vector<std::vector<std::string>> cycles;
  for (const auto& [start, unused] : parent) {
    std::vector<std::string> path;
    std::string at = start;
    while (!at.empty() && state[at] == kUnseen) {
      state[at] = kOnPath;
      path.push_back(at);
      auto up = parent.find(at);
      at = up == parent.end() ? std::string() : up->second;
    }
    if (!at.empty() && state[at] == kOnPath) {
      auto first = std::find(path.begin(), path.end(), at);
      cycles.emplace_back(first, path.end());
    }
    for (const std::string& id : path) state[id] = kDone;
  }
  return cycles;
}

}  // namespace ucsc::inventory
