// The CISA Known Exploited Vulnerabilities catalogue (known_exploited_vulnerabilities.json):
// which CVEs are exploited in the wild, and by when US federal agencies must fix them.
// Thread-safety: a KevCatalog is immutable after loading; any number of threads may read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace ucsc::scan {

struct KevEntry {
  std::string cve_id;
  std::string vendor_project;
  std::string product;
  std::string name;        // vulnerabilityName
  std::string date_added;  // "YYYY-MM-DD"
  std::string due_date;    // "YYYY-MM-DD"
  bool known_ransomware = false;
  // NormaliseName(vendor_project) and NormaliseName(product), for name matching.
  std::string vendor_key, product_key;
};

// Lower-case ASCII letters and digits, every other run of characters one '_', no '_' at either
// end: "Microsoft" -> "microsoft", "Exchange Server" -> "exchange_server", "joomla!" -> "joomla".
std::string NormaliseName(std::string_view name);

class KevCatalog {
 public:
  const std::vector<KevEntry>& entries() const { return entries_; }
  const std::string& catalog_version() const { return catalog_version_; }
  // nullptr when `cve_id` is not in the catalogue.
  const KevEntry* Find(std::string_view cve_id) const;

 private:
  friend core::Result<KevCatalog> ParseKev(std::string_view json, std::string_view name);
  std::vector<KevEntry> entries_;
  std::string catalog_version_;
  std::unordered_map<std::string, size_t> by_cve_;
};

// Parses the catalogue JSON. Returns kInvalidArgument naming `name` and the JSON pointer of the
// bad field (missing cveID/dueDate, a date not YYYY-MM-DD, a CVE id not "CVE-YYYY-N...", a
// duplicate id) or the byte offset of malformed JSON.
[[nodiscard]] core::Result<KevCatalog> ParseKev(std::string_view json,
                                                std::string_view name = "<memory>");
// Reads and parses a file; kNotFound when it cannot be read. Files over 64 MiB are refused.
[[nodiscard]] core::Result<KevCatalog> LoadKevFile(const std::string& path);

}  // namespace ucsc::scan
