#include "vuln/module.h"

#include "capability/records.h"
#include "vuln/advisories.h"
#include "vuln/internal/module_internal.h"

namespace ucsc::vuln {
namespace {

using capability::Grant;

// clang-format off
constexpr capability::PolicyRow kPolicy[] = {
    // Responders run scans within an approved scope; the organisation sees its own.
    {.resource = "scans", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kWrite, .org_manager = Grant::kRead, .org_staff = Grant::kRead,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    // Only the coordinator approves, rejects or revokes a scan scope.
    {.resource = "scan-approvals", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kNone, .org_manager = Grant::kNone, .org_staff = Grant::kNone,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    // Findings and advisories are fixed and acknowledged by the organisation.
    {.resource = "findings", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kWrite, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    {.resource = "advisories", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kWrite, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
};
// clang-format on

scan::SlaPolicy SlaFrom(const capability::Env& env) {
  scan::SlaPolicy p;
  if (!env.settings.is_object() || !env.settings.contains("finding_sla")) return p;
  const auto& j = env.settings["finding_sla"];
  if (!j.is_object()) return p;
  p.critical_days = j.value("critical_days", p.critical_days);
  p.high_days = j.value("high_days", p.high_days);
  p.medium_days = j.value("medium_days", p.medium_days);
  p.low_days = j.value("low_days", p.low_days);
  p.unknown_days = j.value("unknown_days", p.unknown_days);
  return p;
}

}  // namespace

VulnModule::VulnModule(const capability::Env& env)
    : clock_(env.clock),
      ids_(env.ids),
      depth_(env.max_json_depth),
      sla_(SlaFrom(env)),
      nvd_path_(capability::Setting(env, "nvd_path", "")),
      kev_path_(capability::Setting(env, "kev_path", "")),
      cache_dir_(capability::Setting(env, "vuln_cache_dir", "var/vuln")),
      scans_(std::make_shared<ScanService>(
          env.clock, env.ids,
          ScanServiceConfig{capability::Setting(env, "evidence_dir", "var/evidence"), 256,
                            std::chrono::milliseconds(1000), nvd_path_, kev_path_, sla_,
                            cache_dir_})) {}

void VulnModule::Register(capability::Registry& r) {
  for (const auto& row : kPolicy) r.AddPolicy(row);
  for (auto& route : internal::ScanRoutes({clock_, ids_, scans_, sla_, depth_})) {
    r.AddRoute(std::move(route));
  }
  r.AddCommands(&internal::AddCommands);
  r.AddCommands(&internal::AddScanCommands);
  // Scans inside approved authorisations (POST /api/v1/scans/runs).
  r.AddJob({"scan_run", [scans = scans_](const core::Job& job, store::Store& s) {
              return scans->RunJob(job, s);
            }});
  // Advisories: every morning the NVD and KEV files are read again (an operator replaces them
  // with newer ones, or a feed job does) and new entries are matched to every inventory.
  if (!nvd_path_.empty()) {
    r.AddJob({"vuln_refresh", [this](const core::Job&, store::Store& s) -> core::Status {
                auto report = RefreshAdvisoriesFromFiles(s, ids_, clock_.Now(), nvd_path_,
                                                         kev_path_, false, sla_, cache_dir_);
                if (!report) return tl::unexpected(report.error());
                return core::Ok();
              }});
    r.AddSchedule({"vuln_refresh", "30 6 * * *", "vuln_refresh"});
  }
}

std::unique_ptr<VulnModule> MakeModule(const capability::Env& env) {
  return std::make_unique<VulnModule>(env);
}

}  // namespace ucsc::vuln
