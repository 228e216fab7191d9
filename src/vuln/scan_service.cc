#include "vuln/scan_service.h"

#include <algorithm>
#include <cerrno>

#include "capability/records.h"
#include "compliance/run_evidence.h"
#include "core/legal_time.h"
#include "scan/match.h"
#include "scan/net/net_target.h"
#include "scan/net/resolver.h"
#include "scan/ports.h"
#include "scan/probe/scanner_identify.h"
#include "scan/scanner.h"
#include "vuln/data_fetch.h"
#include "vuln/findings_store.h"

namespace ucsc::vuln {

using codec::Json;

core::Result<ScanScope> ParseScanScope(const std::vector<std::string>& targets,
                                       const std::string& ports) {
  ScanScope scope;
  if (targets.empty()) return core::InvalidArgument("at least one target is required", "/targets");
  scan::StaticResolver no_names;  // numeric only: a name resolves to nothing here
  uint64_t total = 0;
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string pointer = "/targets/" + std::to_string(i);
    if (scan::IpAddress::Parse(targets[i].substr(0, targets[i].find('/'))).has_value() == false) {
      return core::InvalidArgument("must be an IP address or CIDR block (no host names)", pointer);
    }
    scan::TargetLimits limits;
    limits.max_addresses = kMaxScopeAddresses - std::min<uint64_t>(total, kMaxScopeAddresses);
    auto expanded = scan::ParseTargets({targets[i]}, no_names, limits);
    if (!expanded) {
      return core::InvalidArgument(expanded.error().message + " (at most " +
                                       std::to_string(kMaxScopeAddresses) +
                                       " addresses in one scope)",
                                   pointer);
    }
    total += expanded->size();
    for (const auto& t : *expanded) scope.addresses.push_back(t.address);
  }
  std::sort(scope.addresses.begin(), scope.addresses.end());
  scope.addresses.erase(std::unique(scope.addresses.begin(), scope.addresses.end()),
                        scope.addresses.end());
  auto parsed = scan::ParsePortSpec(ports);
  if (!parsed) return core::InvalidArgument(parsed.error().message, "/ports");
  scope.ports = std::move(*parsed);
  std::sort(scope.ports.begin(), scope.ports.end());
  scope.ports.erase(std::unique(scope.ports.begin(), scope.ports.end()), scope.ports.end());
  if (scope.ports.empty()) return core::InvalidArgument("no ports", "/ports");
  return scope;
}

core::Status CheckWithinScope(const ScanScope& allowed, const ScanScope& request,
                              const std::vector<std::string>& request_targets) {
  for (const auto& a : request.addresses) {
    if (std::binary_search(allowed.addresses.begin(), allowed.addresses.end(), a)) continue;
    // Name the spec the address came from.
    std::string pointer = "/targets";
    scan::StaticResolver no_names;
    for (size_t i = 0; i < request_targets.size(); ++i) {
      auto t = scan::ParseTargets({request_targets[i]}, no_names);
      if (t && std::any_of(t->begin(), t->end(),
                           [&](const scan::Target& x) { return x.address == a; })) {
        pointer += "/" + std::to_string(i);
        break;
      }
    }
    return core::InvalidArgument(a.ToString() + " is outside the approved scope", pointer);
  }
  for (uint16_t p : request.ports) {
    if (!std::binary_search(allowed.ports.begin(), allowed.ports.end(), p)) {
      return core::InvalidArgument("port " + std::to_string(p) + " is outside the approved scope",
                                   "/ports");
    }
  }
  return core::Ok();
}

scan::ConnectAttempt ScopedConnector::StartConnect(const scan::Endpoint& to) {
  const bool inside =
      std::binary_search(scope_.addresses.begin(), scope_.addresses.end(), to.address) &&
      std::binary_search(scope_.ports.begin(), scope_.ports.end(), to.port);
  if (!inside) {
    std::lock_guard lock(mu_);
    ++refused_;
    return {-1, EACCES};
  }
  return inner_.StartConnect(to);
}

uint64_t ScopedConnector::refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

ScanService::ScanService(const core::Clock& clock, const core::IdGenerator& ids,
                         ScanServiceConfig config, scan::Connector* connector)
    : clock_(clock),
      ids_(ids),
      config_(std::move(config)),
      connector_(connector != nullptr ? connector : &system_connector_) {}

struct ScanService::VulnData {
  scan::NvdIndex nvd;
  std::optional<scan::KevCatalog> kev;
  std::unique_ptr<scan::Matcher> matcher;
};

ScanService::~ScanService() = default;

core::Result<std::shared_ptr<const ScanService::VulnData>> ScanService::Vulns() {
  std::lock_guard lock(mu_);
  if (vulns_ || config_.nvd_path.empty()) return vulns_;
  auto data = std::make_shared<VulnData>();
  UCSC_ASSIGN_OR_RETURN(std::string nvd_file, LocalCopy(config_.nvd_path, config_.cache_dir));
  UCSC_ASSIGN_OR_RETURN(data->nvd, scan::LoadNvdFile(nvd_file));
  if (!config_.kev_path.empty()) {
    UCSC_ASSIGN_OR_RETURN(std::string kev_file, LocalCopy(config_.kev_path, config_.cache_dir));
    UCSC_ASSIGN_OR_RETURN(auto kev, scan::LoadKevFile(kev_file));
    data->kev = std::move(kev);
  }
  data->matcher = std::make_unique<scan::Matcher>(data->nvd, data->kev ? &*data->kev : nullptr);
  vulns_ = data;
  return vulns_;
}

int ScanService::KillAll() {
  std::lock_guard lock(mu_);
  for (auto* k : running_) k->Trigger();
  return static_cast<int>(running_.size());
}

int ScanService::Running() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(running_.size());
}

core::Status ScanService::RunJob(const core::Job& job, store::Store& store) {
  auto payload = codec::ParseJson(job.payload);
  if (!payload || !payload->is_object() || !payload->contains("run_id") ||
      !(*payload)["run_id"].is_string()) {
    return core::InvalidArgument("payload must be {\"run_id\": \"...\"}");
  }
  return Run(store, (*payload)["run_id"].get<std::string>());
}

namespace {

std::vector<std::string> Strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array()) {
    for (const auto& v : j[key]) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::string String(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

}  // namespace

core::Status ScanService::Run(store::Store& store, const std::string& run_id) {
  store::ScanRecord run, auth;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(run,
                          tx.Scans().Get(store::ScanTable::kRuns, run_id, store::Scope::All()));
    UCSC_ASSIGN_OR_RETURN(auth, tx.Scans().Get(store::ScanTable::kAuthorisations, run.parent_id,
                                               store::Scope::All()));
    return core::Ok();
  }));
  if (run.state != "queued") return core::Ok();
  Json doc = codec::ParseJson(run.doc).value_or(Json::object());
  const Json auth_doc = codec::ParseJson(auth.doc).value_or(Json::object());
  const core::Instant now = clock_.Now();

  // Checked again at the start: the authorisation may have been revoked, or the window passed,
  // while the run waited in the queue.
  auto refuse = [&](const std::string& why) {
    doc["error"] = why;
    doc["finished_at"] = core::FormatRfc3339Utc(now);
    return capability::SaveRun(store, store::ScanTable::kRuns, run, doc, "refused", now);
  };
  if (auth.state != "approved") return refuse("the authorisation is " + auth.state);
  auto window_start = core::ParseRfc3339(String(auth_doc, "window_start"));
  auto window_end = core::ParseRfc3339(String(auth_doc, "window_end"));
  if (!window_start || !window_end) return refuse("the authorisation has no valid window");
  if (now < *window_start || now >= *window_end) return refuse("outside the authorised window");
  auto allowed = ParseScanScope(Strings(auth_doc, "targets"), String(auth_doc, "ports"));
  if (!allowed) return refuse("the authorised scope is invalid: " + allowed.error().message);
  auto requested = ParseScanScope(Strings(doc, "targets"), String(doc, "ports"));
  if (!requested) return refuse("the requested scope is invalid: " + requested.error().message);
  if (auto st = CheckWithinScope(*allowed, *requested, Strings(doc, "targets")); !st) {
    return refuse(st.error().message);
  }

  doc["started_at"] = core::FormatRfc3339Utc(now);
  UCSC_RETURN_IF_ERROR(
      capability::SaveRun(store, store::ScanTable::kRuns, run, doc, "running", now));

  scan::KillSwitch kill;
  {
    std::lock_guard lock(mu_);
    running_.insert(&kill);
  }
  ScopedConnector connector(*connector_, *allowed);
  // The window closes: stop.
  auto watch_window = [&] {
    if (clock_.Now() >= *window_end) kill.Trigger();
  };
  scan::ConnectScanner scanner(connector, kill);
  scan::ScanOptions options;
  options.concurrency = config_.concurrency;
  options.timeout = config_.connect_timeout;
  auto found = scanner.Scan(requested->addresses, requested->ports, options,
                            [&](const scan::ScanProgress&) { watch_window(); });
  std::vector<scan::ServiceResult> services;
  if (found && !kill.Triggered()) {
    scan::ServiceIdentifier ident(connector, kill, {});
    services = ident.IdentifyAll(found->open, [&](size_t) { watch_window(); });
  }
  {
    std::lock_guard lock(mu_);
    running_.erase(&kill);
  }
  const core::Instant end = clock_.Now();
  doc["finished_at"] = core::FormatRfc3339Utc(end);
  if (!found) {
    doc["error"] = found.error().message;
    return capability::SaveRun(store, store::ScanTable::kRuns, run, doc, "failed", end);
  }
  Json open = Json::array();
  for (const auto& s : services) {
    open.push_back(Json{{"endpoint", s.endpoint.ToString()},
                        {"service", s.info.service},
                        {"product", s.info.product},
                        {"version", s.info.version},
                        {"cpe", s.info.cpe}});
  }
  doc["open"] = open;
  doc["closed"] = found->closed;
  doc["filtered"] = found->filtered;
  doc["refused_out_of_scope"] = connector.refused();
  if (kill.Triggered() || found->killed) {
    // A partial scan is no proof of R2: no evidence.
    doc["killed"] = true;
    return capability::SaveRun(store, store::ScanTable::kRuns, run, doc, "killed", end);
  }
  compliance::RunEvidence ev;
  ev.system_id = run.system_id;
  ev.type = "scan_report";
  ev.performed_on = core::LocalDateOf(end);
  ev.title = "Rà quét lỗ hổng: " + std::to_string(requested->addresses.size()) + " địa chỉ, " +
             std::to_string(requested->ports.size()) + " cổng";
  ev.description = std::to_string(open.size()) + " cổng mở; " + std::to_string(found->closed) +
                   " đóng; " + std::to_string(found->filtered) + " không phản hồi. Lần quét " +
                   run.id + ", theo phê duyệt " + auth.id + ".";
  ev.submitted_by = String(doc, "requested_by");
  ev.file_name = "scan-" + run.id + ".json";
  ev.file_bytes = doc.dump(2) + "\n";
  ev.evidence_dir = config_.evidence_dir;
  auto evidence = compliance::RecordRunEvidence(store, ids_, end, ev);
  if (!evidence) {
    doc["error"] =
        "the scan finished but its evidence was not recorded: " + evidence.error().message;
    return capability::SaveRun(store, store::ScanTable::kRuns, run, doc, "failed", end);
  }
  doc["evidence_id"] = evidence->id;

  // Findings: the CVEs of every identified product, reconciled with the system's findings.
  auto vulns = Vulns();
  if (!vulns) {
    doc["findings_error"] = "vulnerability data did not load: " + vulns.error().message;
  } else if (*vulns) {
    std::vector<scan::Observation> seen;
    for (const auto& s : services) {
      if (s.info.cpe.empty()) continue;
      auto cpe = scan::ParseCpe(s.info.cpe);
      if (!cpe) continue;
      const std::vector<scan::Cpe> inventory{*cpe};
      auto matches = (*vulns)->matcher->Match(inventory);
      auto obs = scan::ObservationsFromMatches(core::SystemId(run.system_id),
                                               s.endpoint.address.ToString(), s.endpoint.port,
                                               inventory, matches);
      seen.insert(seen.end(), obs.begin(), obs.end());
    }
    scan::ScanScope covered{core::SystemId(run.system_id), {}, requested->ports};
    for (const auto& a : requested->addresses) covered.assets.push_back(a.ToString());
    FindingsUpdate update;
    auto st = store.Write([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(
          update, RecordScanFindings(tx, ids_, run.org_id, seen, covered, end, config_.sla));
      return core::Ok();
    });
    if (!st) {
      doc["findings_error"] = st.error().message;
    } else {
      doc["findings"] = Json{{"new", update.new_findings},
                             {"still_open", update.still_open},
                             {"reopened", update.reopened},
                             {"fixed", update.fixed},
                             {"r6_tasks", update.tasks}};
    }
  }
  return capability::SaveRun(store, store::ScanTable::kRuns, run, doc, "done", end);
}

}  // namespace ucsc::vuln
