// `ucsc vuln match --nvd PATH [--kev PATH] --cpe CPE...` (CVE/KEV matching, src/scan/match.h) and
// `ucsc import nmap|openvas|nuclei FILE` (report importers, src/scan/import_report.h). Matching
// needs no database; an import parses and prints, and with --system / --by-address stores the
// findings (vuln/findings_store.h, R6 tasks included) and the report as scan_report evidence.
#include "capability/cli.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "compliance/run_evidence.h"
#include "core/legal_time.h"
#include "scan/cpe.h"
#include "scan/findings.h"
#include "scan/import_report.h"
#include "scan/kev.h"
#include "scan/match.h"
#include "scan/nvd.h"
#include "scan/version.h"
#include "store/for_all.h"
#include "sys/system_clock.h"
#include "text/utf8.h"
#include "vuln/advisories.h"
#include "vuln/findings_store.h"

namespace ucsc::vuln {
namespace {

using capability::AddStoreOptions;
using capability::CliEnv;
using capability::Command;
using capability::Common;
using capability::DefaultCommon;
using capability::EnvVar;
using capability::Fail;
using capability::OpenStore;
using capability::OsUser;

struct VulnMatchOptions {
  std::string nvd;
  std::string kev;
  std::vector<std::string> cpes;
  std::string inventory;
  bool json = false;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool confirmed_only = false;
  std::string lang = EnvVar("LANG", "vi").rfind("en", 0) == 0 ? "en" : "vi";
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
  Common common = DefaultCommon();
  // Storing (issue 6 point 4): into one system, or into the systems whose assets have the
  // report's addresses / host names.
  std::string system;
  bool by_address = false;
  std::string nvd, kev;
};

// The observations of a report for `system`: the CVEs the tool reported, and (with NVD data) the
// CVEs of the products it identified.
std::vector<scan::Observation> Observations(const scan::ImportedReport& report,
                                            const std::string& system,
                                            const std::set<std::string>& hosts,
                                            const scan::Matcher* matcher,
                                            const scan::KevCatalog* kev) {
  std::vector<scan::Observation> out;
  const core::SystemId sys(system);
  auto wanted = [&](const std::string& ip, const std::string& name) {
    return hosts.empty() || hosts.count(ip) != 0 || (!name.empty() && hosts.count(name) != 0);
  };
  for (const auto& f : report.findings) {
    if (!wanted(f.ip, f.hostname)) continue;
    for (const auto& cve : f.cves) {
      scan::Observation o;
      o.system = sys;
      o.asset = f.ip.empty() ? f.hostname : f.ip;
      o.port = f.port;
      o.cve = cve;
      o.tier = scan::Tier::kConfirmed;  // the tool reported it
      o.severity = f.cvss >= 0 ? scan::SeverityOfScore(f.cvss) : scan::ParseSeverity(f.severity);
      if (kev != nullptr) {
        if (const auto* e = kev->Find(cve)) o.kev_due = core::ParseIsoDate(e->due_date);
      }
      out.push_back(std::move(o));
    }
  }
  if (matcher == nullptr) return out;
  for (const auto& s : report.services) {
    if (!wanted(s.ip, s.hostname) || s.state != "open") continue;
    std::vector<scan::Cpe> inventory;
    for (const auto& text : s.cpes) {
      auto cpe = text.rfind("cpe:/", 0) == 0 ? scan::ParseCpeUri(text) : scan::ParseCpe(text);
      if (cpe) inventory.push_back(*cpe);
    }
    if (inventory.empty()) continue;
    auto obs = scan::ObservationsFromMatches(sys, s.ip.empty() ? s.hostname : s.ip, s.port,
                                             inventory, matcher->Match(inventory));
    out.insert(out.end(), obs.begin(), obs.end());
  }
  return out;
}

// Stores the report's findings (and the report as scan_report evidence) per system.
int StoreImport(const ImportOptions& o, const scan::ImportedReport& report) {
  const bool en = o.common.lang == "en";
  std::optional<scan::NvdIndex> nvd;
  std::optional<scan::KevCatalog> kev;
  std::unique_ptr<scan::Matcher> matcher;
  if (!o.kev.empty()) {
    auto k = scan::LoadKevFile(o.kev);
    if (!k) return Fail(k.error());
    kev = std::move(*k);
  }
  if (!o.nvd.empty()) {
    auto n = scan::LoadNvdFile(o.nvd);
    if (!n) return Fail(n.error());
    nvd = std::move(*n);
    matcher = std::make_unique<scan::Matcher>(*nvd, kev ? &*kev : nullptr);
  }
  sys::SystemClock clock;
  core::IdGenerator ids(clock, sys::SecureRandomFill);
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  // Which hosts go to which system.
  std::map<std::string, std::set<std::string>> hosts_of;  // system id -> hosts ({} = all)
  std::map<std::string, std::string> org_of;
  std::set<std::string> unmatched;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    if (!o.system.empty()) {
      UCSC_ASSIGN_OR_RETURN(auto system, tx.Systems().Get(o.system, store::Scope::All()));
      hosts_of[system.id] = {};
      org_of[system.id] = system.owner_org_id;
      return core::Ok();
    }
    std::map<std::string, std::string> system_of;  // address or host name -> system id
    UCSC_RETURN_IF_ERROR(store::ForAll(tx.Assets(), [&](const core::Asset& a) {
      for (const auto& ip : a.ips) system_of[ip] = a.system_id;
      for (const auto& name : a.hostnames) system_of[text::AsciiLower(name)] = a.system_id;
    }));
    auto place = [&](const std::string& ip, const std::string& name) {
      auto it = system_of.find(ip);
      if (it == system_of.end() && !name.empty()) it = system_of.find(text::AsciiLower(name));
      if (it == system_of.end()) {
        unmatched.insert(ip.empty() ? name : ip);
        return;
      }
      hosts_of[it->second].insert(ip.empty() ? name : ip);
    };
    for (const auto& s : report.services) place(s.ip, s.hostname);
    for (const auto& f : report.findings) place(f.ip, f.hostname);
    for (const auto& [id, hosts] : hosts_of) {
      UCSC_ASSIGN_OR_RETURN(auto system, tx.Systems().Get(id, store::Scope::All()));
      org_of[id] = system.owner_org_id;
    }
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  std::string bytes;
  {
    std::ifstream in(o.path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  const core::Instant now = clock.Now();
  int exit_code = 0;
  for (const auto& entry : hosts_of) {
    // Named, not a structured binding: clang 14 cannot capture bindings in lambdas.
    const std::string& system = entry.first;
    const std::set<std::string>& hosts = entry.second;
    const auto seen = Observations(report, system, hosts, matcher.get(), kev ? &*kev : nullptr);
    // Covered: the report's hosts on the ports it names (a report does not say which other
    // ports it probed, so nothing else is marked fixed).
    scan::ScanScope scope{core::SystemId(system), {}, {}};
    std::set<uint16_t> ports;
    for (const auto& s : report.services) {
      if (hosts.empty() || hosts.count(s.ip) != 0) {
        scope.assets.push_back(s.ip);
        ports.insert(s.port);
      }
    }
    for (const auto& f : report.findings) {
      if (hosts.empty() || hosts.count(f.ip) != 0) {
        scope.assets.push_back(f.ip);
        ports.insert(f.port);
      }
    }
    scope.ports.assign(ports.begin(), ports.end());
    if (scope.ports.empty()) scope.ports.push_back(0);
    vuln::FindingsUpdate update;
    auto written = (*store)->Write([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(update, vuln::RecordScanFindings(tx, ids, org_of[system], seen, scope,
                                                             now, scan::SlaPolicy{}));
      return core::Ok();
    });
    if (!written) return Fail(written.error());
    compliance::RunEvidence ev;
    ev.system_id = system;
    ev.type = "scan_report";
    ev.performed_on = core::LocalDateOf(now);
    ev.title = std::string(en ? "Imported " : "Nhập báo cáo ") + report.format + ": " +
               std::filesystem::path(o.path).filename().string();
    ev.description = std::to_string(seen.size()) + (en ? " observations" : " quan sát");
    ev.submitted_by = "cli:" + OsUser();
    ev.file_name = std::filesystem::path(o.path).filename().string();
    ev.file_bytes = bytes;
    ev.evidence_dir = EnvVar("UCSC_EVIDENCE_DIR", "var/evidence");
    auto evidence = compliance::RecordRunEvidence(**store, ids, now, ev);
    if (!evidence) {
      std::cerr << "ucsc: " << system << ": " << evidence.error().ToString() << "\n";
      exit_code = 1;
    }
    std::cout << system << ": " << update.new_findings << (en ? " new, " : " mới, ")
              << update.still_open << (en ? " still open, " : " còn mở, ") << update.reopened
              << (en ? " reopened, " : " mở lại, ") << update.fixed
              << (en ? " fixed, " : " đã khắc phục, ") << update.tasks
              << (en ? " R6 tasks" : " việc R6")
              << (evidence ? (en ? "; evidence " : "; bằng chứng ") + evidence->id : "") << "\n";
  }
  for (const auto& h : unmatched) {
    std::cerr << (en ? "ucsc: no asset has address or name "
                     : "ucsc: không tài sản nào có địa chỉ/tên ")
              << h << "\n";
  }
  if (hosts_of.empty()) {
    std::cerr << (en ? "ucsc: nothing stored: no host of the report matches an asset\n"
                     : "ucsc: không lưu gì: không máy nào trong báo cáo khớp tài sản\n");
    return 1;
  }
  return exit_code;
}

struct RefreshOptions {
  std::string nvd, kev;
  bool notify_first = false;
  Common common = DefaultCommon();
};

// ucsc vuln refresh: new NVD/KEV entries matched to every inventory, advisories to the affected
// organisations only.
int RunRefresh(const RefreshOptions& o) {
  const bool en = o.common.lang == "en";
  sys::SystemClock clock;
  core::IdGenerator ids(clock, sys::SecureRandomFill);
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  auto r =
      vuln::RefreshAdvisoriesFromFiles(**store, ids, clock.Now(), o.nvd, o.kev, o.notify_first);
  if (!r) return Fail(r.error());
  std::cout << r->catalog_entries << (en ? " catalogue entries, " : " mục dữ liệu, ")
            << r->new_entries << (en ? " new; " : " mới; ");
  if (r->baseline && !o.notify_first) {
    std::cout << (en ? "first refresh: recorded as the baseline, no advisory sent\n"
                     : "lần đầu: ghi nhận làm mốc, không gửi cảnh báo\n");
    return 0;
  }
  std::cout << r->advisories << (en ? " advisories to " : " cảnh báo gửi ")
            << r->organisations.size() << (en ? " organisations\n" : " tổ chức\n");
  return 0;
}

int RunImport(const ImportOptions& o) {
  const bool en = o.common.lang == "en";
  auto report = scan::ImportReportFile(o.format, o.path);
  if (!report) return Fail(report.error());
  if (!o.system.empty() || o.by_address) return StoreImport(o, *report);
  if (o.json) {
    nlohmann::json out;
    out["format"] = report->format;
    out["hosts"] = report->hosts;
    out["stored"] = false;  // parse only: --system or --by-address stores
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
            << (en ? " findings parsed (not stored: give --system ID or --by-address)\n"
                   : " phát hiện đã đọc (chưa lưu: thêm --system ID hoặc --by-address)\n");
  return 0;
}

}  // namespace

namespace internal {
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out) {
  auto* vuln = app.add_subcommand("vuln", "CVE/KEV matching and advisories");
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

  auto* refresh = vuln->add_subcommand(
      "refresh",
      "Read refreshed NVD / KEV data, match the entries not seen before against every system's "
      "inventory and send each affected organisation (only) its advisories");
  auto ropts = std::make_shared<RefreshOptions>();
  refresh
      ->add_option("--nvd", ropts->nvd,
                   "NVD CVE API 2.0 JSON (.json or .json.zst): a file or an http(s) URL of "
                   "an internal mirror (downloaded into $UCSC_VULN_CACHE, default var/vuln)")
      ->required();
  refresh->add_option("--kev", ropts->kev,
                      "CISA known_exploited_vulnerabilities.json: a file or an http(s) URL");
  refresh->add_flag("--notify-first", ropts->notify_first,
                    "Send advisories even on the first refresh (default: record a baseline)");
  AddStoreOptions(refresh, ropts->common, env);
  out.push_back({refresh, [ropts] { return RunRefresh(*ropts); }});

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
                  " and print its services and findings; with --system or --by-address, store "
                  "its findings (CVEs the tool reported, and with --nvd those of the products it "
                  "identified) and keep the report as scan_report evidence (R2)");
    auto iopts = std::make_shared<ImportOptions>();
    iopts->format = format;
    sub->add_option("FILE", iopts->path, "Report file")->required();
    sub->add_flag("--json", iopts->json, "Print JSON (parse only)");
    AddStoreOptions(sub, iopts->common, env);
    sub->add_option("--system", iopts->system, "Store the findings on this system (its id)");
    sub->add_flag("--by-address", iopts->by_address,
                  "Store each host's findings on the system whose asset has its address or name");
    sub->add_option("--nvd", iopts->nvd, "NVD JSON 2.0 file: also match the identified products");
    sub->add_option("--kev", iopts->kev, "CISA KEV catalogue: flag exploited CVEs (R6)");
    out.push_back({sub, [iopts] { return RunImport(*iopts); }});
  }
}

}  // namespace internal
}  // namespace ucsc::vuln
