#include "plan/module.h"

#include "plan/plan_store.h"

namespace ucsc::plan {
namespace {

class PlanModule final : public capability::Module {
 public:
  std::string_view Name() const override { return "plan"; }
  void Register(capability::Registry& r) override { r.AddTables(PlanTables()); }
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& /*env*/) {
  return std::make_unique<PlanModule>();
}

}  // namespace ucsc::plan
