// Compliance evaluation: the status of every (rule, subject) pair at an instant, computed from
// facts loaded set-wise from the store (never one query per subject).
//
//   ok              the obligation is met; `due` is when it next falls due (if it recurs)
//   due_soon        not yet met, due within the rule's warn_days
//   overdue         the due date (plus grace_days) has passed without the evidence
//   not_applicable  the rule does not cover this subject (level, organisation type …) or has
//                   nothing to time (an event timer with no trigger)
//
// Legal time follows DESIGN.md: due dates are local (Asia/Ho_Chi_Minh) calendar dates; a due date
// D ends at 23:59:59.999 local on D; "every N months" adds calendar months clamped to the month's
// end (31/08 + 6 months = 28/02 or 29/02).
//
// Evidence that a coordinator rejected never counts; evidence pending review counts (and is marked
// so), so that work done is visible before the review.
//
// Thread-safety: Evaluator is not thread-safe; build one per thread or guard it. Facts and RuleSet
// must outlive the Evaluator that refers to them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compliance/rulepack.h"
#include "core/clock.h"
#include "core/legal_time.h"
#include "core/model.h"

namespace ucsc::compliance {

enum class State { kOk, kDueSoon, kOverdue, kNotApplicable };
std::string_view StateName(State s);

struct OrgFacts {
  std::string id;
  std::string name;
  core::OrgType type = core::OrgType::kAgency;
  bool network_member = false;
  bool has_focal_point = false;  // name and a phone or e-mail (R17)
  core::LocalDate created;
};

struct LevelChange {
  core::LocalDate date;
  int level = 0;
};

struct SystemFacts {
  std::string id;
  std::string name;
  std::string owner_org_id;
  std::string operator_org_id;
  int level = 1;
  bool national_important = false;
  bool level_approved = false;  // approval decision recorded (R19)
  core::LocalDate created;
  std::vector<LevelChange> level_history;  // ascending; empty when never changed
};

struct EvidenceFact {
  std::string id;
  SubjectKind subject_kind = SubjectKind::kSystem;
  std::string subject_id;
  std::string type;  // one of EvidenceTypeNames()
  core::LocalDate performed_on;
  bool rejected = false;
  bool pending_review = false;
};

struct TriggerFact {
  std::string subject_id;
  std::string trigger;  // one of TriggerNames()
  core::Instant at;
};

struct Facts {
  std::vector<OrgFacts> orgs;
  std::vector<SystemFacts> systems;
  std::vector<EvidenceFact> evidence;
  std::vector<TriggerFact> triggers;
  int ir_team_members = 0;  // province-wide roster (R7)
};

struct Status {
  const Rule* rule = nullptr;  // the version in force on the evaluation date
  SubjectKind subject_kind = SubjectKind::kSystem;
  std::string subject_id;
  std::string subject_name;
  std::string org_id;  // the organisation answerable: the system's owner, or the organisation
  int level = 0;       // systems: current level (risk ordering)
  State state = State::kNotApplicable;
  std::optional<core::LocalDate> due;  // next (or missed) due date
  int days_overdue = 0;
  std::string evidence_id;  // the evidence that satisfied it, if any
  std::optional<core::LocalDate> evidence_date;
  bool evidence_pending_review = false;
  std::string missing;  // what is missing, in English keys: "hunt_report since 2026-03-01"
  std::string reason;   // not_applicable / standing checks: why
};

// Evaluates rules over facts. Build once (indexes the facts), then EvaluateAll, or after a change
// to one subject's facts call AddEvidence / EvaluateSubject (incremental re-evaluation).
class Evaluator {
 public:
  // REQUIRES: rules and facts outlive the Evaluator.
  Evaluator(const RuleSet& rules, Facts& facts);

  // Every (rule in force on the local date of `now`, subject) pair.
  std::vector<Status> EvaluateAll(core::Instant now) const;
  // The pairs of one subject (a system or organisation id); empty when unknown.
  std::vector<Status> EvaluateSubject(const std::string& subject_id, core::Instant now) const;
  // Adds one evidence record to the facts and the index (then re-evaluate its subject).
  void AddEvidence(EvidenceFact e);

 private:
  struct EvidenceRef {
    core::LocalDate date;
    uint32_t idx;  // into facts_.evidence
  };
  void Index();
  // The rules in force on `day` for subjects of kind `subject`, in id order.
  std::vector<const Rule*> InForceOn(core::LocalDate day, SubjectKind subject) const;
  void EvaluateSystem(const SystemFacts& s, const std::vector<const Rule*>& rules,
                      core::Instant now, std::vector<Status>& out) const;
  void EvaluateOrg(const OrgFacts& o, const std::vector<const Rule*>& rules, core::Instant now,
                   std::vector<Status>& out) const;
  Status EvaluateRule(const Rule& rule, Status row, core::LocalDate since,
                      const std::vector<EvidenceRef>* evidence,
                      const std::vector<const TriggerFact*>* triggers, bool check_ok,
                      core::Instant now) const;

  const RuleSet& rules_;
  Facts& facts_;
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::vector<EvidenceRef>> evidence_;  // subject → sorted
  std::unordered_map<std::string, std::vector<const TriggerFact*>> triggers_;
  std::unordered_map<std::string, size_t> systems_by_id_;
  std::unordered_map<std::string, size_t> orgs_by_id_;
  std::unordered_map<std::string, int> owned_;     // org → systems owned
  std::unordered_map<std::string, int> operated_;  // org → systems operated
};

// Risk order for lists and reports: overdue first, then due soon, ok, not applicable; within a
// state the higher level, the more days late, the earlier due date first; then rule and subject
// ids, so the order is total.
bool RiskBefore(const Status& a, const Status& b);

// Days from a to b (b - a).
int DaysBetween(core::LocalDate a, core::LocalDate b);

}  // namespace ucsc::compliance
