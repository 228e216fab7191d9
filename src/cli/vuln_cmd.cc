// `ucsc vuln match --nvd PATH [--kev PATH] --cpe CPE...`: CVE/KEV matching of the scan component
// (src/scan/match.h). Needs no database.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "scan/cpe.h"
#include "scan/kev.h"
#include "scan/match.h"
#include "scan/nvd.h"

namespace ucsc::cli {
namespace {

struct VulnMatchOptions {
  std::string nvd;
  std::string kev;
  std::vector<std::string> cpes;
  bool json = false;
  bool confirmed_only = false;
  std::string lang = Env("LANG", "vi").rfind("en", 0) == 0 ? "en" : "vi";
};

nlohmann::json MatchJson(const scan::VulnMatch& m, const std::vector<scan::Cpe>& inventory) {
  nlohmann::json j;
  j["cve"] = m.cve_id;
  j["tier"] = std::string(scan::TierName(m.tier));
  j["reason"] = std::string(scan::MatchReasonName(m.reason));
  if (m.cve != nullptr) {
    j["published"] = m.cve->published;
    j["description"] = m.cve->description;
    if (!m.cve->cvss.version.empty()) {
      j["cvss"] = {{"version", m.cve->cvss.version},
                   {"score", m.cve->cvss.base_score},
                   {"severity", m.cve->cvss.severity},
                   {"vector", m.cve->cvss.vector}};
    } else {
      j["cvss"] = nullptr;
    }
  }
  if (m.kev != nullptr) {
    j["kev"] = {{"date_added", m.kev->date_added},
                {"due_date", m.kev->due_date},
                {"name", m.kev->name},
                {"known_ransomware", m.kev->known_ransomware}};
  } else {
    j["kev"] = nullptr;
  }
  j["items"] = nlohmann::json::array();
  for (const auto& a : m.items) {
    j["items"].push_back({{"cpe", inventory[a.item].ToString()},
                          {"tier", std::string(scan::TierName(a.tier))},
                          {"reason", std::string(scan::MatchReasonName(a.reason))}});
  }
  return j;
}

int RunVulnMatch(const VulnMatchOptions& o) {
  const bool en = o.lang == "en";
  std::vector<scan::Cpe> inventory;
  for (const auto& text : o.cpes) {
    auto cpe = scan::ParseAnyCpe(text);
    if (!cpe) {
      return Fail(core::Error{cpe.error().code, "--cpe " + text + ": " + cpe.error().message, ""});
    }
    if (!cpe->vendor().IsValue() || !cpe->product().IsValue()) {
      return Fail(core::Error{core::ErrorCode::kInvalidArgument,
                              "--cpe " + text + ": vendor and product must be named", ""});
    }
    inventory.push_back(std::move(*cpe));
  }
  auto t0 = std::chrono::steady_clock::now();
  auto nvd = scan::LoadNvdFile(o.nvd);
  if (!nvd) return Fail(nvd.error());
  auto t1 = std::chrono::steady_clock::now();
  std::unique_ptr<scan::KevCatalog> kev;
  if (!o.kev.empty()) {
    auto k = scan::LoadKevFile(o.kev);
    if (!k) return Fail(k.error());
    kev = std::make_unique<scan::KevCatalog>(std::move(*k));
  }
  const auto& st = nvd->stats();
  std::cerr << "nvd: " << st.records << (en ? " records, " : " bản ghi, ") << st.distinct_criteria
            << (en ? " distinct criteria, indexed in " : " tiêu chí riêng, lập chỉ mục trong ")
            << std::fixed << std::setprecision(2) << std::chrono::duration<double>(t1 - t0).count()
            << " s";
  if (st.bad_criteria > 0) {
    std::cerr << (en ? "; unreadable criteria (never match): " : "; tiêu chí không đọc được: ")
              << st.bad_criteria << " (" << st.first_bad << ")";
  }
  if (kev) std::cerr << "; kev " << kev->catalog_version() << ": " << kev->entries().size();
  std::cerr << "\n";

  scan::Matcher matcher(*nvd, kev.get());
  std::vector<scan::VulnMatch> matches = matcher.Match(inventory);
  if (o.confirmed_only) {
    std::erase_if(matches, [](const auto& m) { return m.tier != scan::Tier::kConfirmed; });
  }
  if (o.json) {
    nlohmann::json out;
    out["inventory"] = nlohmann::json::array();
    for (const auto& c : inventory) out["inventory"].push_back(c.ToString());
    out["matches"] = nlohmann::json::array();
    for (const auto& m : matches) out["matches"].push_back(MatchJson(m, inventory));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  size_t confirmed = 0, possible = 0, kev_count = 0;
  for (const auto& m : matches) {
    (m.tier == scan::Tier::kConfirmed ? confirmed : possible)++;
    if (m.kev != nullptr) ++kev_count;
    std::ostringstream line;
    line << std::left << std::setw(16) << m.cve_id << " " << std::setw(9) << scan::TierName(m.tier);
    if (m.cve != nullptr && !m.cve->cvss.version.empty()) {
      line << " CVSS " << std::fixed << std::setprecision(1) << m.cve->cvss.base_score << " "
           << std::setw(8) << m.cve->cvss.severity;
    } else {
      line << " " << std::setw(22) << (en ? "CVSS -" : "CVSS -");
    }
    if (m.kev != nullptr) line << (en ? " KEV due " : " KEV hạn ") << m.kev->due_date;
    if (m.tier == scan::Tier::kPossible) line << " (" << scan::MatchReasonName(m.reason) << ")";
    for (const auto& a : m.items) line << "  " << inventory[a.item].ToString();
    std::cout << line.str() << "\n";
  }
  std::cout << (en ? "confirmed: " : "chắc chắn: ") << confirmed
            << (en ? ", possible: " : ", có thể: ") << possible
            << (en ? ", in KEV: " : ", trong KEV: ") << kev_count << "\n";
  return 0;
}

const bool kRegistered = RegisterCommands([](CLI::App& app, std::vector<Command>& out) {
  auto* vuln = app.add_subcommand("vuln", "CVE/KEV matching (no database)");
  vuln->require_subcommand(1);
  auto* match = vuln->add_subcommand(
      "match",
      "List the CVEs that apply to the CPEs of one system (its software and OS together): "
      "confirmed (strict CPE rules) and possible (an attribute unknown, or a range whose update "
      "differs); KEV entries flagged with their due date");
  auto opts = std::make_shared<VulnMatchOptions>();
  match->add_option("--nvd", opts->nvd, "NVD CVE API 2.0 JSON file (.json or .json.zst)")
      ->required();
  match->add_option("--kev", opts->kev, "CISA known_exploited_vulnerabilities.json");
  match
      ->add_option("--cpe", opts->cpes,
                   "Installed CPE: cpe:2.3:a:vendor:product:version[:update...] (trailing "
                   "attributes may be left out) or cpe:/a:vendor:product:version")
      ->required();
  match->add_flag("--json", opts->json, "Print JSON");
  match->add_flag("--confirmed", opts->confirmed_only, "Only confirmed matches");
  match->add_option("--lang", opts->lang, "Language of messages: vi or en")
      ->check(CLI::IsMember({"vi", "en"}));
  out.push_back({match, [opts] { return RunVulnMatch(*opts); }});
});

}  // namespace
}  // namespace ucsc::cli
