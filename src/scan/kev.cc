#include "scan/kev.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <tuple>

#include "codec/json_reader.h"

namespace ucsc::scan {
namespace {

constexpr size_t kMaxKevBytes = 64u << 20;

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool IsCveId(std::string_view s) {
  if (s.size() < 13 || s.size() > 24 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  for (size_t i = 4; i < s.size(); ++i) {
    if (i == 8) continue;
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

core::Status GetString(const codec::Json& obj, const char* key, const std::string& ptr,
                       std::string& out, bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    std::string msg = "missing \"";
    msg.append(key).append("\"");
    if (required) return core::InvalidArgument(std::move(msg), ptr);
    return core::Ok();
  }
  if (!it->is_string()) {
    std::string msg = "\"", field = ptr;
    msg.append(key).append("\" is not a string");
    field.append("/").append(key);
    return core::InvalidArgument(std::move(msg), std::move(field));
  }
  out = it->get<std::string>();
  return core::Ok();
}

}  // namespace

std::string NormaliseName(std::string_view name) {
  std::string out;
  bool gap = false;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!keep) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out += c;
  }
  return out;
}

const KevEntry* KevCatalog::Find(std::string_view cve_id) const {
  auto it = by_cve_.find(std::string(cve_id));
  return it == by_cve_.end() ? nullptr : &entries_[it->second];
}

core::Result<KevCatalog> ParseKev(std::string_view json, std::string_view name) {
  auto fail = [&](const core::Error& e) {
    std::string msg = std::string(name) + ": ";
    if (!e.field.empty()) msg += e.field + ": ";
    return core::InvalidArgument(msg + e.message, e.field);
  };
  auto doc = codec::ParseJson(json, 16);
  if (!doc) return fail(doc.error());
  if (!doc->is_object()) return fail(core::Error{{}, "top level is not an object", ""});
  KevCatalog cat;
  if (auto st = GetString(*doc, "catalogVersion", "", cat.catalog_version_, false); !st) {
    return fail(st.error());
  }
  auto vulns = doc->find("vulnerabilities");
  if (vulns == doc->end() || !vulns->is_array()) {
    return fail(core::Error{{}, "no \"vulnerabilities\" array", "/vulnerabilities"});
  }
  size_t i = 0;
  for (const auto& v : *vulns) {
    const std::string ptr = "/vulnerabilities/" + std::to_string(i++);
    if (!v.is_object()) return fail(core::Error{{}, "entry is not an object", ptr});
    KevEntry e;
    for (auto [key, out, required] :
         {std::tuple<const char*, std::string*, bool>{"cveID", &e.cve_id, true},
          {"vendorProject", &e.vendor_project, true},
          {"product", &e.product, true},
          {"vulnerabilityName", &e.name, false},
          {"dateAdded", &e.date_added, true},
          {"dueDate", &e.due_date, true}}) {
      if (auto st = GetString(v, key, ptr, *out, required); !st) return fail(st.error());
    }
    if (!IsCveId(e.cve_id)) {
      return fail(core::Error{{}, "\"" + e.cve_id + "\" is not a CVE id", ptr + "/cveID"});
    }
    if (!IsDate(e.date_added)) {
      return fail(core::Error{{}, "dateAdded is not YYYY-MM-DD", ptr + "/dateAdded"});
    }
    if (!IsDate(e.due_date)) {
      return fail(core::Error{{}, "dueDate is not YYYY-MM-DD", ptr + "/dueDate"});
    }
    std::string ransomware;
    if (auto st = GetString(v, "knownRansomwareCampaignUse", ptr, ransomware, false); !st) {
      return fail(st.error());
    }
    e.known_ransomware = ransomware == "Known";
    e.vendor_key = NormaliseName(e.vendor_project);
    e.product_key = NormaliseName(e.product);
    if (!cat.by_cve_.emplace(e.cve_id, cat.entries_.size()).second) {
      return fail(core::Error{{}, "duplicate " + e.cve_id, ptr + "/cveID"});
    }
    cat.entries_.push_back(std::move(e));
  }
  return cat;
}

core::Result<KevCatalog> LoadKevFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = std::move(ss).str();
  if (text.size() > kMaxKevBytes) return core::InvalidArgument(path + ": larger than 64 MiB");
  return ParseKev(text, path);
}

}  // namespace ucsc::scan
