#include "plan/module.h"

#include <array>

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
    auto outlines = LoadOutlines(capability::Setting(env, "plans_dir", "data/plans"));
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
  }

 private:
  RoutesEnv env_;
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env) {
  return std::make_unique<PlanModule>(env);
}

}  // namespace ucsc::plan
