// `ucsc scan TARGET… [--ports SPEC|--top N] [--rate N] [--timeout MS] [--json]
// [--nvd PATH [--kev PATH]]`: a TCP connect scan of the given targets (only those: names go
// through the system resolver, nothing else is reached), then service identification of each
// open port and, with --nvd, the CVEs that apply to each identified CPE (src/scan/match.h), with
// their CVSS score and CISA KEV due date. Needs no database.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "capability/cli.h"
#include "scan/cpe.h"
#include "scan/kev.h"
#include "scan/match.h"
#include "scan/net/net_connector.h"
#include "scan/net/net_kill_switch.h"
#include "scan/net/net_target.h"
#include "scan/net/resolver.h"
#include "scan/nvd.h"
#include "scan/ports.h"
#include "scan/probe/scanner_identify.h"
#include "scan/scanner.h"

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

struct ScanCliOptions {
  std::vector<std::string> targets;
  std::string ports;
  int top = 0;
  double rate = 0;
  int timeout_ms = 1000;
  int concurrency = 1000;
  bool json = false;
  bool no_identify = false;
  std::string nvd;
  std::string kev;
  std::string lang;
};

// The CVE data given with --nvd/--kev, loaded before the scan starts.
struct VulnData {
  scan::NvdIndex nvd;
  std::unique_ptr<scan::KevCatalog> kev;
};

// The CVEs of one identified service: empty when it has no CPE or the CPE does not parse.
std::vector<scan::VulnMatch> MatchService(const scan::Matcher& matcher,
                                          const scan::ServiceInfo& info) {
  if (info.cpe.empty()) return {};
  auto cpe = scan::ParseAnyCpe(info.cpe);
  if (!cpe || !cpe->vendor().IsValue() || !cpe->product().IsValue()) return {};
  return matcher.Match({*cpe});
}

nlohmann::json CvesJson(const std::vector<scan::VulnMatch>& matches) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : matches) {
    nlohmann::json j;
    j["id"] = m.cve_id;
    j["tier"] = std::string(scan::TierName(m.tier));
    j["reason"] = std::string(scan::MatchReasonName(m.reason));
    if (m.cve != nullptr && !m.cve->cvss.version.empty()) {
      j["cvss"] = {{"version", m.cve->cvss.version},
                   {"score", m.cve->cvss.base_score},
                   {"severity", m.cve->cvss.severity}};
    } else {
      j["cvss"] = nullptr;
    }
    j["kev"] = m.kev != nullptr;
    j["kev_due_date"] = m.kev != nullptr ? nlohmann::json(m.kev->due_date) : nullptr;
    out.push_back(std::move(j));
  }
  return out;
}

// The one kill switch of this process, reachable from the SIGINT/SIGTERM handler.
scan::KillSwitch* g_kill = nullptr;
extern "C" void OnStopSignal(int) {
  if (g_kill) g_kill->Trigger();
}

std::string Tr(const std::string& lang, const char* vi, const char* en) {
  return lang == "en" ? en : vi;
}

nlohmann::json ToJson(const scan::ServiceResult& r, const std::vector<scan::VulnMatch>* cves) {
  nlohmann::json j;
  j["host"] = r.endpoint.address.ToString();
  j["port"] = r.endpoint.port;
  j["service"] = r.info.service;
  j["product"] = r.info.product;
  j["version"] = r.info.version;
  j["cpe"] = r.info.cpe;
  j["evidence"] = scan::EscapeEvidence(r.info.evidence, 512);
  j["details"] = r.info.details;
  if (r.info.tls) {
    const scan::TlsInfo& t = *r.info.tls;
    j["tls"] = {{"version", t.negotiated_version},
                {"cipher", t.cipher},
                {"subject", t.subject},
                {"issuer", t.issuer},
                {"not_after", t.not_after},
                {"versions", t.versions},
                {"weak_ciphers", t.weak_ciphers}};
  }
  if (cves != nullptr) j["cves"] = CvesJson(*cves);
  return j;
}

int RunScan(const ScanCliOptions& o) {
  const std::string& lang = o.lang;
  if (!o.ports.empty() && o.top > 0) {
    return Fail({core::ErrorCode::kInvalidArgument, "--ports and --top exclude each other", ""});
  }
  auto ports =
      o.ports.empty() ? scan::TopPorts(o.top > 0 ? o.top : 1000) : scan::ParsePortSpec(o.ports);
  if (!ports) return Fail(ports.error());
  // The CVE data first: a bad file is an error before any packet is sent.
  std::optional<VulnData> vuln;
  if (!o.nvd.empty()) {
    auto nvd = scan::LoadNvdFile(o.nvd);
    if (!nvd) return Fail(nvd.error());
    vuln.emplace(VulnData{std::move(*nvd), nullptr});
    if (!o.kev.empty()) {
      auto kev = scan::LoadKevFile(o.kev);
      if (!kev) return Fail(kev.error());
      vuln->kev = std::make_unique<scan::KevCatalog>(std::move(*kev));
    }
  } else if (!o.kev.empty()) {
    return Fail({core::ErrorCode::kInvalidArgument, "--kev needs --nvd", ""});
  }
  scan::SystemResolver resolver;
  auto targets = scan::ParseTargets(o.targets, resolver);
  if (!targets) return Fail(targets.error());
  std::vector<scan::IpAddress> addresses;
  for (const auto& t : *targets) addresses.push_back(t.address);

  scan::KillSwitch kill;
  g_kill = &kill;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  const bool tty = ::isatty(STDERR_FILENO) == 1;
  scan::SystemConnector connector;
  scan::ConnectScanner scanner(connector, kill);
  scan::ScanOptions so;
  so.concurrency = o.concurrency;
  so.per_host_rate = o.rate;
  so.timeout = std::chrono::milliseconds(o.timeout_ms);
  auto result = scanner.Scan(addresses, *ports, so, [&](const scan::ScanProgress& p) {
    if (tty) {
      std::fprintf(stderr, "\r%s %llu/%llu, %s %llu   ", Tr(lang, "quét", "scanned").c_str(),
                   static_cast<unsigned long long>(p.done),
                   static_cast<unsigned long long>(p.total), Tr(lang, "mở", "open").c_str(),
                   static_cast<unsigned long long>(p.open));
    }
  });
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!result) {
    g_kill = nullptr;
    return Fail(result.error());
  }

  std::vector<scan::ServiceResult> services;
  if (o.no_identify) {
    for (const auto& e : result->open) services.push_back({e, {}});
  } else if (!kill.Triggered()) {
    scan::IdentifyOptions io;
    io.connect_timeout = std::chrono::milliseconds(std::max(o.timeout_ms, 500));
    scan::ServiceIdentifier ident(connector, kill, io);
    size_t total = result->open.size();
    services = ident.IdentifyAll(result->open, [&](size_t done) {
      if (tty)
        std::fprintf(stderr, "\r%s %zu/%zu   ", Tr(lang, "nhận dạng", "identified").c_str(), done,
                     total);
    });
    if (tty) std::fprintf(stderr, "\r\033[K");
  }
  bool killed = result->killed || kill.Triggered();
  g_kill = nullptr;
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);

  // The CVEs of each identified service (one CPE each: the scanner does not know the OS).
  std::vector<std::vector<scan::VulnMatch>> cves(services.size());
  size_t cve_count = 0, kev_count = 0;
  std::optional<scan::Matcher> matcher;
  if (vuln) {
    matcher.emplace(vuln->nvd, vuln->kev.get());
    for (size_t i = 0; i < services.size(); ++i) {
      cves[i] = MatchService(*matcher, services[i].info);
      cve_count += cves[i].size();
      for (const auto& m : cves[i]) kev_count += m.kev != nullptr ? 1 : 0;
    }
  }

  if (o.json) {
    nlohmann::json out;
    out["services"] = nlohmann::json::array();
    for (size_t i = 0; i < services.size(); ++i) {
      out["services"].push_back(ToJson(services[i], vuln ? &cves[i] : nullptr));
    }
    out["summary"] = {{"targets", addresses.size()},  {"ports", ports->size()},
                      {"open", result->open.size()},  {"closed", result->closed},
                      {"filtered", result->filtered}, {"stopped", killed}};
    if (vuln) {
      out["summary"]["cves"] = cve_count;
      out["summary"]["kev"] = kev_count;
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::printf("%-39s %5s  %-14s %-24s %-14s %s\n", Tr(lang, "MÁY", "HOST").c_str(),
                Tr(lang, "CỔNG", "PORT").c_str(), Tr(lang, "DỊCH VỤ", "SERVICE").c_str(),
                Tr(lang, "SẢN PHẨM", "PRODUCT").c_str(), Tr(lang, "PHIÊN BẢN", "VERSION").c_str(),
                "CPE");
    for (size_t svc = 0; svc < services.size(); ++svc) {
      const scan::ServiceResult& s = services[svc];
      std::printf("%-39s %5u  %-14s %-24s %-14s %s\n", s.endpoint.address.ToString().c_str(),
                  s.endpoint.port, s.info.service.c_str(), s.info.product.c_str(),
                  s.info.version.c_str(), s.info.cpe.c_str());
      if (s.info.tls) {
        const scan::TlsInfo& t = *s.info.tls;
        std::string versions;
        for (const auto& v : t.versions) versions += (versions.empty() ? "" : ",") + v;
        std::printf("    tls: %s %s; %s: %s; subject: %s; issuer: %s; not after: %s\n",
                    t.negotiated_version.c_str(), t.cipher.c_str(),
                    Tr(lang, "chấp nhận", "accepts").c_str(), versions.c_str(), t.subject.c_str(),
                    t.issuer.c_str(), t.not_after.c_str());
        if (!t.weak_ciphers.empty()) {
          std::string weak;
          for (const auto& w : t.weak_ciphers) weak += (weak.empty() ? "" : ",") + w;
          std::printf("    %s: %s\n", Tr(lang, "bộ mã yếu", "weak ciphers").c_str(), weak.c_str());
        }
      }
      // One line per CVE: id, tier, CVSS score and severity, KEV due date.
      for (const auto& m : cves[svc]) {
        std::string cvss = "CVSS -";
        if (m.cve != nullptr && !m.cve->cvss.version.empty()) {
          char score[16];
          std::snprintf(score, sizeof score, "%.1f", m.cve->cvss.base_score);
          cvss = std::string("CVSS ") + score + " " + m.cve->cvss.severity;
        }
        std::string kev_text;
        if (m.kev != nullptr) kev_text = Tr(lang, "KEV hạn ", "KEV due ") + m.kev->due_date;
        std::printf("    %-16s %-9s %-18s %s\n", m.cve_id.c_str(),
                    std::string(scan::TierName(m.tier)).c_str(), cvss.c_str(), kev_text.c_str());
      }
    }
    std::printf(
        "%s: %zu %s, %zu %s, %zu %s, %llu %s, %llu %s%s\n", Tr(lang, "Tổng", "Total").c_str(),
        addresses.size(), Tr(lang, "máy", "hosts").c_str(), ports->size(),
        Tr(lang, "cổng", "ports").c_str(), result->open.size(), Tr(lang, "mở", "open").c_str(),
        static_cast<unsigned long long>(result->closed), Tr(lang, "đóng", "closed").c_str(),
        static_cast<unsigned long long>(result->filtered), Tr(lang, "lọc", "filtered").c_str(),
        killed ? Tr(lang, " (đã dừng)", " (stopped)").c_str() : "");
    if (vuln) {
      std::printf("%s: %zu, %s: %zu\n", Tr(lang, "CVE", "CVEs").c_str(), cve_count,
                  Tr(lang, "trong KEV", "in KEV").c_str(), kev_count);
    }
  }
  return killed ? 130 : 0;
}

}  // namespace

namespace internal {
void AddScanCommands(CLI::App& app, const capability::CliEnv& /*env*/,
                     std::vector<capability::Command>& out) {
  auto* sub = app.add_subcommand(
      "scan", "TCP connect scan and service identification of the given targets only");
  auto o = std::make_shared<ScanCliOptions>();
  o->lang = DefaultCommon().lang;
  sub->add_option("targets", o->targets, "IPv4/IPv6 addresses, CIDR blocks, host names")
      ->required();
  sub->add_option("--ports,-p", o->ports, "Ports: 22,80,8000-8100, '-' for all, top:N");
  sub->add_option("--top", o->top, "The N highest-ranked ports (default 1000)")
      ->check(CLI::Range(1, 65535));
  sub->add_option("--rate", o->rate, "New connections per second to one host (0 = unlimited)")
      ->check(CLI::Range(0.0, 1e6));
  sub->add_option("--timeout", o->timeout_ms, "Connect time-out in milliseconds")
      ->check(CLI::Range(1, 600000));
  sub->add_option("--concurrency", o->concurrency, "Connections in flight at once")
      ->check(CLI::Range(1, 100000));
  sub->add_flag("--json", o->json, "JSON output");
  sub->add_flag("--no-identify", o->no_identify, "Only list open ports (no service probes)");
  sub->add_option("--nvd", o->nvd,
                  "NVD CVE API 2.0 JSON file (.json or .json.zst): list the CVEs of each "
                  "identified CPE (confirmed / possible)");
  sub->add_option("--kev", o->kev,
                  "CISA known_exploited_vulnerabilities.json: flag exploited CVEs with their due "
                  "date (needs --nvd)");
  sub->add_option("--lang", o->lang, "Language of messages: vi or en");
  out.push_back({sub, [o] { return RunScan(*o); }});
}

}  // namespace internal
}  // namespace ucsc::vuln
