// `ucsc vuln match --nvd PATH [--kev PATH] --cpe CPE...` (CVE/KEV matching, src/scan/match.h) and
// `ucsc import nmap|openvas|nuclei FILE` (report importers, src/scan/import_report.h). Neither
// needs a database: the import only parses and prints until the findings store exists.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "cli/commands.h"
#include "scan/cpe.h"
#include "scan/import_report.h"
#include "scan/kev.h"
#include "scan/match.h"
#include "scan/nvd.h"
#include "scan/version.h"

namespace ucsc::cli {
namespace {

struct VulnMatchOptions {
  std::string nvd;
  std::string kev;
  std::vector<std::string> cpes;
  std::string inventory;
  bool json = false;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
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

core::Result<scan::Cpe> ParseInstalled(const std::string& text) {
  auto cpe = scan::ParseAnyCpe(text);
  if (!cpe) return tl::unexpected(cpe.error());
  if (!cpe->vendor().IsValue() || !cpe->product().IsValue()) {
    return core::InvalidArgument("vendor and product must be named");
  }
  // A version that cannot be ordered could never meet a version range: refuse it up front.
  if (cpe->version().IsValue()) {
    auto v = scan::Version::Parse(cpe->version().value);
    if (!v) return tl::unexpected(v.error());
  }
  return cpe;
}

// One system per non-empty line: its CPEs separated by spaces or tabs; '#' starts a comment.
core::Result<std::vector<std::vector<scan::Cpe>>> ReadInventory(const std::string& path,
                                                                std::vector<size_t>& lines) {
  std::ifstream in(path);
  if (!in) return core::NotFound(path + ": cannot open");
  std::vector<std::vector<scan::Cpe>> systems;
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::vector<scan::Cpe> system;
    std::string word;
    while (words >> word) {
      auto cpe = ParseInstalled(word);
      if (!cpe) {
        return core::InvalidArgument(path + ":" + std::to_string(line_no) + ": " + word + ": " +
                                     cpe.error().message);
      }
      system.push_back(std::move(*cpe));
    }
    if (system.empty()) continue;
    systems.push_back(std::move(system));
    lines.push_back(line_no);
  }
  return systems;
}

void PrintText(const std::vector<scan::VulnMatch>& matches, const std::vector<scan::Cpe>& inventory,
               bool en) {
  for (const auto& m : matches) {
    std::ostringstream line;
    line << std::left << std::setw(16) << m.cve_id << " " << std::setw(9) << scan::TierName(m.tier);
    if (m.cve != nullptr && !m.cve->cvss.version.empty()) {
      line << " CVSS " << std::fixed << std::setprecision(1) << m.cve->cvss.base_score << " "
           << std::setw(8) << m.cve->cvss.severity;
    } else {
      line << " " << std::setw(17) << "CVSS -";
    }
    if (m.kev != nullptr) line << (en ? " KEV due " : " KEV hạn ") << m.kev->due_date;
    if (m.tier == scan::Tier::kPossible) line << " (" << scan::MatchReasonName(m.reason) << ")";
    for (const auto& a : m.items) line << "  " << inventory[a.item].ToString();
    std::cout << line.str() << "\n";
  }
}

int RunVulnMatch(const VulnMatchOptions& o) {
  const bool en = o.lang == "en";
  std::vector<std::vector<scan::Cpe>> systems;
  std::vector<size_t> lines;
  if (!o.cpes.empty()) {
    std::vector<scan::Cpe> system;
    for (const auto& text : o.cpes) {
      auto cpe = ParseInstalled(text);
      if (!cpe)
        return Fail(
            core::Error{cpe.error().code, "--cpe " + text + ": " + cpe.error().message, ""});
      system.push_back(std::move(*cpe));
    }
    systems.push_back(std::move(system));
    lines.push_back(0);
  }
  if (!o.inventory.empty()) {
    auto inv = ReadInventory(o.inventory, lines);
    if (!inv) return Fail(inv.error());
    for (auto& s : *inv) systems.push_back(std::move(s));
  }
  if (systems.empty()) {
    return Fail(core::Error{core::ErrorCode::kInvalidArgument,
                            "give --cpe CPE... or --inventory FILE", ""});
  }
  const std::clock_t c0 = std::clock();
  auto t0 = std::chrono::steady_clock::now();
  auto nvd = scan::LoadNvdFile(o.nvd);
  if (!nvd) return Fail(nvd.error());
  auto t1 = std::chrono::steady_clock::now();
  const std::clock_t c1 = std::clock();
  std::unique_ptr<scan::KevCatalog> kev;
  if (!o.kev.empty()) {
    auto k = scan::LoadKevFile(o.kev);
    if (!k) return Fail(k.error());
    kev = std::make_unique<scan::KevCatalog>(std::move(*k));
  }
  const auto& st = nvd->stats();
  std::cerr << "nvd: " << st.records << (en ? " records, " : " bản ghi, ") << st.distinct_criteria
            << (en ? " distinct criteria, indexed in " : " tiêu chí riêng, lập chỉ mục trong ")
            << std::fixed << std::setprecision(3) << std::chrono::duration<double>(t1 - t0).count()
            << " s (" << static_cast<double>(c1 - c0) / CLOCKS_PER_SEC << " s CPU)";
  if (st.bad_criteria > 0) {
    std::cerr << (en ? "; unreadable criteria (never match): " : "; tiêu chí không đọc được: ")
              << st.bad_criteria << " (" << st.first_bad << ")";
  }
  if (kev) std::cerr << "; kev " << kev->catalog_version() << ": " << kev->entries().size();
  std::cerr << "\n";

  scan::Matcher matcher(*nvd, kev.get());
  size_t cpe_count = 0;
  for (const auto& s : systems) cpe_count += s.size();
  std::vector<std::vector<scan::VulnMatch>> results(systems.size());
  const std::clock_t c2 = std::clock();
  auto t2 = std::chrono::steady_clock::now();
  const size_t threads = std::max<size_t>(1, std::min<size_t>(o.threads, systems.size()));
  {
    // Matcher::Match is thread-safe: contiguous slices of the systems on `threads` threads.
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (size_t i = t * systems.size() / threads; i < (t + 1) * systems.size() / threads; ++i) {
          results[i] = matcher.Match(systems[i]);
        }
      });
    }
    for (auto& th : pool) th.join();
  }
  auto t3 = std::chrono::steady_clock::now();
  const std::clock_t c3 = std::clock();

  size_t confirmed = 0, possible = 0, kev_count = 0;
  for (size_t i = 0; i < systems.size(); ++i) {
    auto& matches = results[i];
    if (o.confirmed_only) {
      std::erase_if(matches, [](const auto& m) { return m.tier != scan::Tier::kConfirmed; });
    }
    for (const auto& m : matches) {
      (m.tier == scan::Tier::kConfirmed ? confirmed : possible)++;
      if (m.kev != nullptr) ++kev_count;
    }
    if (o.json) {
      nlohmann::json out;
      if (lines[i] != 0) out["line"] = lines[i];
      out["inventory"] = nlohmann::json::array();
      for (const auto& c : systems[i]) out["inventory"].push_back(c.ToString());
      out["matches"] = nlohmann::json::array();
      for (const auto& m : matches) out["matches"].push_back(MatchJson(m, systems[i]));
      // One system: indented; an inventory file: one JSON object per line.
      std::cout << (systems.size() == 1 ? out.dump(2) : out.dump()) << "\n";
      continue;
    }
    if (systems.size() > 1) {
      std::cout << (en ? "# line " : "# dòng ") << lines[i] << ":";
      for (const auto& c : systems[i]) std::cout << " " << c.ToString();
      std::cout << "\n";
    }
    PrintText(matches, systems[i], en);
  }
  if (!o.json) {
    std::cout << (en ? "confirmed: " : "chắc chắn: ") << confirmed
              << (en ? ", possible: " : ", có thể: ") << possible
              << (en ? ", in KEV: " : ", trong KEV: ") << kev_count << "\n";
  }
  std::cerr << (en ? "matched " : "đã đối chiếu ") << systems.size()
            << (en ? " systems (" : " hệ thống (") << cpe_count << " CPE) "
            << (en ? "in " : "trong ") << std::fixed << std::setprecision(3)
            << std::chrono::duration<double>(t3 - t2).count() << " s ("
            << static_cast<double>(c3 - c2) / CLOCKS_PER_SEC << " s CPU, " << threads
            << (en ? " threads): " : " luồng): ") << confirmed
            << (en ? " confirmed, " : " chắc chắn, ") << possible
            << (en ? " possible\n" : " có thể\n");
  return 0;
}

struct ImportOptions {
  scan::ReportFormat format = scan::ReportFormat::kNmapXml;
  std::string path;
  bool json = false;
  std::string lang = Env("LANG", "vi").rfind("en", 0) == 0 ? "en" : "vi";
};

int RunImport(const ImportOptions& o) {
  const bool en = o.lang == "en";
  auto report = scan::ImportReportFile(o.format, o.path);
  if (!report) return Fail(report.error());
  if (o.json) {
    nlohmann::json out;
    out["format"] = report->format;
    out["hosts"] = report->hosts;
    out["stored"] = false;  // no findings store yet: the report is only parsed
    out["services"] = nlohmann::json::array();
    for (const auto& s : report->services) {
      out["services"].push_back({{"ip", s.ip},
                                 {"hostname", s.hostname},
                                 {"port", s.port},
                                 {"protocol", s.protocol},
                                 {"state", s.state},
                                 {"service", s.service},
                                 {"product", s.product},
                                 {"version", s.version},
                                 {"extra", s.extra},
                                 {"cpes", s.cpes}});
    }
    out["findings"] = nlohmann::json::array();
    for (const auto& f : report->findings) {
      nlohmann::json j = {{"source", f.source},     {"ip", f.ip},
                          {"hostname", f.hostname}, {"port", f.port},
                          {"protocol", f.protocol}, {"id", f.id},
                          {"title", f.title},       {"severity", f.severity},
                          {"cves", f.cves},         {"evidence", f.evidence}};
      j["cvss"] = f.cvss >= 0 ? nlohmann::json(f.cvss) : nlohmann::json(nullptr);
      out["findings"].push_back(std::move(j));
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& s : report->services) {
    std::cout << s.ip << (s.hostname.empty() ? "" : " (" + s.hostname + ")") << " " << s.port << "/"
              << s.protocol << " " << s.state << " " << s.service << " " << s.product
              << (s.version.empty() ? "" : " " + s.version);
    for (const auto& c : s.cpes) std::cout << " " << c;
    std::cout << "\n";
  }
  for (const auto& f : report->findings) {
    std::cout << f.severity << " " << f.ip << ":" << f.port << " " << f.id << " " << f.title;
    for (const auto& c : f.cves) std::cout << " " << c;
    std::cout << "\n";
  }
  std::cout << report->hosts << (en ? " hosts, " : " máy, ") << report->services.size()
            << (en ? " services, " : " dịch vụ, ") << report->findings.size()
            << (en ? " findings parsed (not stored: the findings store does not exist yet)\n"
                   : " phát hiện đã đọc (chưa lưu: chưa có kho lưu phát hiện)\n");
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
  match->add_option("--cpe", opts->cpes,
                    "Installed CPE: cpe:2.3:a:vendor:product:version[:update...] (trailing "
                    "attributes may be left out) or cpe:/a:vendor:product:version");
  match->add_option("--inventory", opts->inventory,
                    "File with one system per line: its CPEs separated by spaces ('#' comments)");
  match->add_flag("--json", opts->json, "Print JSON");
  match->add_option("--threads", opts->threads, "Threads matching an --inventory (default: cores)")
      ->check(CLI::Range(1u, 256u));
  match->add_flag("--confirmed", opts->confirmed_only, "Only confirmed matches");
  match->add_option("--lang", opts->lang, "Language of messages: vi or en")
      ->check(CLI::IsMember({"vi", "en"}));
  out.push_back({match, [opts] { return RunVulnMatch(*opts); }});

  // ucsc import nmap|openvas|nuclei FILE: extends main.cc's "import" group.
  CLI::App* import = nullptr;
  try {
    import = app.get_subcommand("import");
  } catch (const CLI::OptionNotFound&) {
    import = app.add_subcommand("import", "Bulk imports");
  }
  for (auto [name, format, help] :
       {std::tuple{"nmap", scan::ReportFormat::kNmapXml, "an Nmap XML report (-oX)"},
        std::tuple{"openvas", scan::ReportFormat::kOpenVasXml,
                   "an OpenVAS / Greenbone GVM XML report"},
        std::tuple{"nuclei", scan::ReportFormat::kNucleiJsonl, "a Nuclei JSON-lines report"}}) {
    auto* sub = import->add_subcommand(
        name, std::string("Parse ") + help +
                  " and print its services and findings. Findings are not stored yet (no "
                  "findings store in this version); --system is not available yet");
    auto iopts = std::make_shared<ImportOptions>();
    iopts->format = format;
    sub->add_option("FILE", iopts->path, "Report file")->required();
    sub->add_flag("--json", iopts->json, "Print JSON");
    sub->add_option("--lang", iopts->lang, "Language of messages: vi or en")
        ->check(CLI::IsMember({"vi", "en"}));
    out.push_back({sub, [iopts] { return RunImport(*iopts); }});
  }
});

}  // namespace
}  // namespace ucsc::cli
