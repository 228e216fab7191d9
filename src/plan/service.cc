#include "plan/service.h"

#include <algorithm>

#include "capability/route.h"
#include "plan/drill_json.h"
#include "plan/plan_json.h"

namespace ucsc::plan {

const Outline* OutlineOf(const std::vector<Outline>& outlines, const IrPlan& plan) {
  const Outline* newest = nullptr;
  for (const auto& o : outlines) {
    if (o.id != plan.outline_id) continue;
    if (o.version == plan.outline_version) return &o;
    if (newest == nullptr || o.version > newest->version) newest = &o;
  }
  return newest;
}

core::Result<StoredPlan> ApproveStoredPlan(store::Tx& tx, const std::vector<Outline>& outlines,
                                           const std::string& plan_id, int64_t expected_etag,
                                           const Actor& actor, const std::string& audit_actor,
                                           core::Instant now) {
  PlanRepo repo(tx.Sql());
  UCSC_ASSIGN_OR_RETURN(StoredPlan stored, repo.Latest(plan_id));
  if (stored.etag != expected_etag) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "the plan was changed by someone else; reload it and try again");
  }
  const Outline* outline = OutlineOf(outlines, stored.plan);
  if (outline == nullptr) {
    return core::Internal("the outline " + stored.plan.outline_id + " of the plan is not loaded");
  }
  const std::string before = ToJson(stored.plan).dump();
  IrPlan plan = stored.plan;
  UCSC_RETURN_IF_ERROR(Approve(plan, *outline, actor, now));  // R4, R26
  plan.updated_at = now;
  UCSC_ASSIGN_OR_RETURN(int64_t etag, repo.Save(plan, expected_etag));
  if (plan.scope == PlanScope::kSystem) {
    // R3: the approved version is the system's plan evidence, in the same transaction.
    UCSC_ASSIGN_OR_RETURN(core::Evidence e, PlanEvidence(plan, *outline, plan.system_id, now));
    UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(e));
    // R4: the complete approved version also proves the plan's content (ucsc's own record).
    UCSC_ASSIGN_OR_RETURN(core::Evidence content,
                          PlanContentEvidence(plan, *outline, plan.system_id, now));
    UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(content));
  }
  UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, audit_actor, now, "approve", "ir_plan",
                                               plan.id + ":v" + std::to_string(plan.version),
                                               before, ToJson(plan).dump()));
  return StoredPlan{std::move(plan), etag};
}

core::Result<PlanStatus> SystemPlanStatus(store::Tx& tx, const std::string& system_id,
                                          core::Instant at, int reapproval_days) {
  PlanRepo repo(tx.Sql());
  std::vector<IrPlan> versions;
  UCSC_ASSIGN_OR_RETURN(auto plan_id, repo.PlanOfSystem(system_id));
  if (plan_id) {
    UCSC_ASSIGN_OR_RETURN(versions, repo.Versions(*plan_id));
  }
  UCSC_ASSIGN_OR_RETURN(auto events, tx.Changes().ListForSystem(system_id, 10000));
  std::vector<SystemChange> changes;
  for (const auto& e : events) {
    if (auto c = ClassifyChange(e)) changes.push_back(std::move(*c));
  }
  return PlanStatusAt(versions, changes, system_id, at, reapproval_days);
}

core::Result<StoredDrill> CloseStoredDrill(store::Tx& tx, const std::string& drill_id,
                                           int64_t expected_etag, const std::string& audit_actor,
                                           core::Instant now) {
  DrillRepo repo(tx.Sql());
  UCSC_ASSIGN_OR_RETURN(StoredDrill stored, repo.Get(drill_id));
  if (stored.etag != expected_etag) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "the drill was changed by someone else; reload it and try again");
  }
  const std::string before = ToJson(stored.drill).dump();
  Drill d = stored.drill;
  UCSC_RETURN_IF_ERROR(CloseDrill(d, now));  // refuses unclassified findings
  UCSC_ASSIGN_OR_RETURN(int64_t etag, repo.Save(d, expected_etag));
  for (core::Task t : DrillTasks(d, now)) {  // R6: remediation and hunt at the same instant
    t.version = 1;
    UCSC_RETURN_IF_ERROR(tx.Tasks().Insert(t));
  }
  if (d.kind == DrillKind::kLiveFire) {
    for (const auto& system_id : d.system_ids) {  // R5
      UCSC_ASSIGN_OR_RETURN(core::Evidence e, DrillEvidence(d, system_id, now));
      e.submitted_by = audit_actor;
      e.reviewed_by = audit_actor;
      e.version = 1;
      UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(e));
    }
  }
  UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, audit_actor, now, "close", "drill", d.id, before,
                                               ToJson(d).dump()));
  return StoredDrill{std::move(d), etag};
}

core::Result<DrillRuleStatus> SystemDrillStatus(store::Tx& tx, const std::string& system_id,
                                                core::Instant at) {
  UCSC_ASSIGN_OR_RETURN(auto system, tx.Systems().Get(system_id, store::Scope::All()));
  std::vector<LevelSpan> levels;
  for (const auto& h : system.level_history) {
    levels.push_back({core::LocalDateOf(h.changed_at), h.level});
  }
  if (levels.empty()) levels.push_back({core::LocalDateOf(system.created_at), system.level});
  std::stable_sort(levels.begin(), levels.end(),
                   [](const LevelSpan& a, const LevelSpan& b) { return a.from < b.from; });
  UCSC_ASSIGN_OR_RETURN(auto stored, DrillRepo(tx.Sql()).List());
  std::vector<Drill> drills;
  for (auto& s : stored) drills.push_back(std::move(s.drill));
  return EvaluateYearlyDrill(system_id, levels, drills, at);
}

}  // namespace ucsc::plan
