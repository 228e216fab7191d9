#include "plan/module.h"

#include <array>

#include "plan/demo.h"
#include "plan/internal/cli.h"
#include "plan/plan_store.h"
#include "plan/routes.h"

namespace ucsc::plan {
namespace {

using capability::Grant;

// clang-format off
constexpr std::array<capability::PolicyRow, 3> kPolicy = {{
    // Plans: the organisation writes and submits its plans, the coordinator guides them; the IR
    // team, inspectors and the platform operator read them (a plan is the organisation's act,
    // QĐ05 Art 16.1, not the operator's).
    {.resource = "plans", .admin = Grant::kRead, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    // Approval is the legal act of the organisation's manager (QĐ05 Art 16.1), or of the
    // coordinator for the provincial plan (R26): not the platform operator's.
    {.resource = "plan-approvals", .admin = Grant::kNone, .coordinator = Grant::kWrite,
     .responder = Grant::kNone, .org_manager = Grant::kWrite, .org_staff = Grant::kNone,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    // Drills: planned and run by the organisation with the provincial IR team (CT18 point 3);
    // inspectors and the platform operator read them.
    {.resource = "drills", .admin = Grant::kRead, .coordinator = Grant::kWrite,
     .responder = Grant::kWrite, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
}};
// clang-format on

class PlanModule final : public capability::Module {
 public:
  explicit PlanModule(const capability::Env& env)
      : env_{env.clock, env.ids, nullptr, "", env.max_json_depth} {
    // The outlines sit beside the rule packs (data/plans next to data/rulepacks) unless
    // plans_dir (UCSC_PLANS) says otherwise, as the incident module finds its data files.
    auto outlines = LoadOutlines(capability::Setting(
        env, "plans_dir",
        capability::Setting(env, "rulepacks_dir", "data/rulepacks") + "/../plans"));
    if (outlines) {
      env_.outlines = std::make_shared<const std::vector<Outline>>(std::move(*outlines));
    } else {
      env_.load_error = outlines.error().ToString();
    }
  }
  [[nodiscard]] std::string_view Name() const override { return "plan"; }
  void Register(capability::Registry& r) override {
    r.AddTables(PlanTables());
    for (const auto& row : kPolicy) r.AddPolicy(row);
    for (auto* routes : {&PlanRoutes, &DrillRoutes, &ExportRoutes}) {
      for (auto& route : (*routes)(env_)) r.AddRoute(std::move(route));
    }
    // `ucsc plan list|show|document`, `ucsc drill list|show|report`.
    r.AddCommands(
        [outlines = env_.outlines, error = env_.load_error](
            CLI::App& app, const capability::CliEnv& env, std::vector<capability::Command>& out) {
          internal::AddCommands(app, env, out, outlines, error);
        });
    // `ucsc demo init`: plans and drills of the demo systems, so that R3–R5 evaluate from them
    // (demo.h); the demo's synthetic history leaves their evidence types out.
    r.AddDemo({"plan", DemoEvidenceTypes(),
               [outlines = env_.outlines, error = env_.load_error](const capability::DemoEnv& env) {
                 if (outlines == nullptr || outlines->empty()) {
                   return core::Status(
                       core::MakeError(core::ErrorCode::kUnavailable,
                                       "the plan outlines (data/plans) are not loaded: " + error));
                 }
                 return SeedDemo(env, *outlines);
               }});
  }

 private:
  RoutesEnv env_;
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env) {
  return std::make_unique<PlanModule>(env);
}

}  // namespace ucsc::plan
