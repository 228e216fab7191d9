#include "compliance/evaluate.h"

#include <algorithm>
#include <chrono>

namespace ucsc::compliance {

std::string_view StateName(State s) {
  switch (s) {
    case State::kOk:
      return "ok";
    case State::kDueSoon:
      return "due_soon";
    case State::kOverdue:
      return "overdue";
    case State::kNotApplicable:
      return "not_applicable";
  }
  return "?";
}

bool RiskBefore(const Status& a, const Status& b) {
  auto rank = [](State s) {
    switch (s) {
      case State::kOverdue:
        return 0;
      case State::kDueSoon:
        return 1;
      case State::kOk:
        return 2;
      case State::kNotApplicable:
        return 3;
    }
    return 4;
  };
  if (rank(a.state) != rank(b.state)) return rank(a.state) < rank(b.state);
  if (a.level != b.level) return a.level > b.level;
  if (a.days_overdue != b.days_overdue) return a.days_overdue > b.days_overdue;
  if (a.due != b.due) return a.due < b.due;
  if (a.rule->id != b.rule->id) return a.rule->id < b.rule->id;
  return a.subject_id < b.subject_id;
}

int DaysBetween(core::LocalDate a, core::LocalDate b) {
  using namespace std::chrono;
  const sys_days da{year{a.year} / month{a.month} / day{a.day}};
  const sys_days db{year{b.year} / month{b.month} / day{b.day}};
  return static_cast<int>((db - da).count());
}

namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

template <class T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

core::LocalDate Max(core::LocalDate a, core::LocalDate b) { return a < b ? b : a; }

// State of an obligation due on `due` that is not met at `now`.
State Pending(const Rule& rule, core::LocalDate due, core::Instant now, int* days_overdue) {
  const core::LocalDate today = core::LocalDateOf(now);
  if (now > core::EndOfLocalDay(core::AddDays(due, rule.grace_days))) {
    *days_overdue = DaysBetween(due, today);
    return State::kOverdue;
  }
  return today >= core::AddDays(due, -rule.warn_days) ? State::kDueSoon : State::kOk;
}

std::string Types(const Rule& rule) {
  std::string s;
  for (const auto& t : rule.evidence) s += (s.empty() ? "" : " or ") + t;
  return s;
}

// The day a system last entered the rule's level filter (its creation when always in it).
core::LocalDate EnteredLevels(const SystemFacts& s, const std::vector<int>& levels) {
  if (levels.empty() || s.level_history.empty()) return s.created;
  core::LocalDate start = s.created;
  bool in = false;
  for (const auto& c : s.level_history) {
    const bool q = Contains(levels, c.level);
    if (q && !in) start = Max(c.date, s.created);
    in = q;
  }
  return start;
}

}  // namespace

Evaluator::Evaluator(const RuleSet& rules, Facts& facts)
    : rules_(rules), facts_(facts), ids_(rules.Ids()) {
  // Headroom so that AddEvidence does not move every record (the index holds positions).
  facts_.evidence.reserve(facts_.evidence.size() + facts_.evidence.size() / 8 + 64);
  Index();
}

void Evaluator::Index() {
  evidence_.clear();
  triggers_.clear();
  systems_by_id_.clear();
  orgs_by_id_.clear();
  owned_.clear();
  operated_.clear();
  for (size_t i = 0; i < facts_.orgs.size(); ++i) orgs_by_id_[facts_.orgs[i].id] = i;
  for (size_t i = 0; i < facts_.systems.size(); ++i) {
    const auto& s = facts_.systems[i];
    systems_by_id_[s.id] = i;
    ++owned_[s.owner_org_id];
    ++operated_[s.operator_org_id.empty() ? s.owner_org_id : s.operator_org_id];
  }
  for (size_t i = 0; i < facts_.evidence.size(); ++i) {
    const auto& e = facts_.evidence[i];
    if (e.rejected) continue;
    evidence_[e.subject_id].push_back({e.performed_on, static_cast<uint32_t>(i)});
  }
  for (auto& [id, list] : evidence_) {
    std::sort(list.begin(), list.end(),
              [](const EvidenceRef& a, const EvidenceRef& b) { return a.date < b.date; });
  }
  for (const auto& t : facts_.triggers) triggers_[t.subject_id].push_back(&t);
  for (auto& [id, list] : triggers_) {
    std::sort(list.begin(), list.end(),
              [](const TriggerFact* a, const TriggerFact* b) { return a->at < b->at; });
  }
}

void Evaluator::AddEvidence(EvidenceFact e) {
  facts_.evidence.push_back(std::move(e));
  const auto& added = facts_.evidence.back();
  if (added.rejected) return;
  auto& list = evidence_[added.subject_id];
  EvidenceRef ref{added.performed_on, static_cast<uint32_t>(facts_.evidence.size() - 1)};
  list.insert(
      std::upper_bound(list.begin(), list.end(), ref,
                       [](const EvidenceRef& a, const EvidenceRef& b) { return a.date < b.date; }),
      ref);
}

std::vector<const Rule*> Evaluator::InForceOn(core::LocalDate day, SubjectKind subject) const {
  std::vector<const Rule*> out;
  for (const auto& id : ids_) {
    const Rule* rule = rules_.InForce(id, day);
    if (rule != nullptr && rule->subject == subject) out.push_back(rule);
  }
  return out;
}

std::vector<Status> Evaluator::EvaluateAll(core::Instant now) const {
  // The rules in force are looked up once, not once per subject (a linear scan of the set).
  const core::LocalDate today = core::LocalDateOf(now);
  const auto org_rules = InForceOn(today, SubjectKind::kOrganisation);
  const auto system_rules = InForceOn(today, SubjectKind::kSystem);
  std::vector<Status> out;
  out.reserve(facts_.systems.size() * system_rules.size() + facts_.orgs.size() * org_rules.size());
  for (const auto& o : facts_.orgs) EvaluateOrg(o, org_rules, now, out);
  for (const auto& s : facts_.systems) EvaluateSystem(s, system_rules, now, out);
  return out;
}

std::vector<Status> Evaluator::EvaluateSubject(const std::string& subject_id,
                                               core::Instant now) const {
  std::vector<Status> out;
  const core::LocalDate today = core::LocalDateOf(now);
  if (auto it = systems_by_id_.find(subject_id); it != systems_by_id_.end()) {
    EvaluateSystem(facts_.systems[it->second], InForceOn(today, SubjectKind::kSystem), now, out);
  } else if (auto ot = orgs_by_id_.find(subject_id); ot != orgs_by_id_.end()) {
    EvaluateOrg(facts_.orgs[ot->second], InForceOn(today, SubjectKind::kOrganisation), now, out);
  }
  return out;
}

void Evaluator::EvaluateSystem(const SystemFacts& s, const std::vector<const Rule*>& rules,
                               core::Instant now, std::vector<Status>& out) const {
  const core::LocalDate today = core::LocalDateOf(now);
  if (today < s.created) return;  // not yet in the inventory at that date
  const OrgFacts* owner = nullptr;
  if (auto it = orgs_by_id_.find(s.owner_org_id); it != orgs_by_id_.end()) {
    owner = &facts_.orgs[it->second];
  }
  auto ev = evidence_.find(s.id);
  auto tr = triggers_.find(s.id);
  for (const Rule* rule : rules) {
    Status row;
    row.rule = rule;
    row.subject_kind = SubjectKind::kSystem;
    row.subject_id = s.id;
    row.subject_name = s.name;
    row.org_id = s.owner_org_id;
    row.level = s.level;
    const auto& f = rule->filter;
    std::string why;
    if (!f.levels.empty() && !Contains(f.levels, s.level)) {
      why = "level " + std::to_string(s.level);
    } else if (f.national_important && *f.national_important != s.national_important) {
      why = s.national_important ? "national-important system" : "not national-important";
    } else if (!f.org_types.empty() && (owner == nullptr || !Contains(f.org_types, owner->type))) {
      why = "owner organisation type";
    } else if (f.network_member &&
               (owner == nullptr || owner->network_member != *f.network_member)) {
      why = "owner network membership";
    } else if (rule->kind == RuleKind::kRollingWindow && rule->WindowMonths(s.level) == 0) {
      why = "no window for level " + std::to_string(s.level);
    }
    if (!why.empty()) {
      row.reason = why;
      out.push_back(std::move(row));
      continue;
    }
    const core::LocalDate since = Max(rule->first_effective, EnteredLevels(s, f.levels));
    const bool check_ok = rule->check != "level_approved" || s.level_approved;
    out.push_back(EvaluateRule(*rule, std::move(row), since,
                               ev == evidence_.end() ? nullptr : &ev->second,
                               tr == triggers_.end() ? nullptr : &tr->second, check_ok, now));
  }
}

void Evaluator::EvaluateOrg(const OrgFacts& o, const std::vector<const Rule*>& rules,
                            core::Instant now, std::vector<Status>& out) const {
  const core::LocalDate today = core::LocalDateOf(now);
  if (today < o.created) return;
  auto ev = evidence_.find(o.id);
  auto tr = triggers_.find(o.id);
  for (const Rule* rule : rules) {
    Status row;
    row.rule = rule;
    row.subject_kind = SubjectKind::kOrganisation;
    row.subject_id = o.id;
    row.subject_name = o.name;
    row.org_id = o.id;
    const auto& f = rule->filter;
    std::string why;
    if (!f.org_types.empty() && !Contains(f.org_types, o.type)) {
      why = "organisation type " + std::string(core::OrgTypeName(o.type));
    } else if (f.network_member && *f.network_member != o.network_member) {
      why = o.network_member ? "network member" : "not a network member";
    } else if (f.owns_systems && owned_.find(o.id) == owned_.end()) {
      why = "owns no system";
    } else if (f.operates_systems && operated_.find(o.id) == operated_.end()) {
      why = "operates no system";
    }
    if (!why.empty()) {
      row.reason = why;
      out.push_back(std::move(row));
      continue;
    }
    bool check_ok = true;
    if (rule->check == "ir_team_min") {
      check_ok = facts_.ir_team_members >= rule->min_count;
      if (!check_ok) {
        row.reason = "IR team has " + std::to_string(facts_.ir_team_members) + " members, " +
                     std::to_string(rule->min_count) + " required";
      }
    } else if (rule->check == "focal_point") {
      check_ok = o.has_focal_point;
      if (!check_ok) row.reason = "no 24/7 focal point with a phone or e-mail";
    }
    const core::LocalDate since = Max(rule->first_effective, o.created);
    out.push_back(EvaluateRule(*rule, std::move(row), since,
                               ev == evidence_.end() ? nullptr : &ev->second,
                               tr == triggers_.end() ? nullptr : &tr->second, check_ok, now));
  }
}

Status Evaluator::EvaluateRule(const Rule& rule, Status row, core::LocalDate since,
                               const std::vector<EvidenceRef>* evidence,
                               const std::vector<const TriggerFact*>* triggers, bool check_ok,
                               core::Instant now) const {
  const core::LocalDate today = core::LocalDateOf(now);
  // The subject's evidence of the rule's types dated up to today, ascending.
  std::vector<const EvidenceRef*> ev;
  if (evidence != nullptr) {
    for (const auto& ref : *evidence) {
      if (today < ref.date) break;
      if (Contains(rule.evidence, facts_.evidence[ref.idx].type)) ev.push_back(&ref);
    }
  }
  auto satisfied_by = [&](const EvidenceRef* ref) {
    const auto& e = facts_.evidence[ref->idx];
    row.evidence_id = e.id;
    row.evidence_date = e.performed_on;
    row.evidence_pending_review = e.pending_review;
  };

  switch (rule.kind) {
    case RuleKind::kRollingWindow: {
      const int months = rule.WindowMonths(row.level);
      core::LocalDate base = since;
      if (!ev.empty()) {
        satisfied_by(ev.back());
        base = Max(base, ev.back()->date);
      }
      const core::LocalDate due = core::AddMonthsClamped(base, months);
      row.due = due;
      row.state = Pending(rule, due, now, &row.days_overdue);
      if (row.state != State::kOk) {
        row.missing = Types(rule) + (ev.empty() ? " (none on record)"
                                                : " after " + core::FormatIsoDate(ev.back()->date));
      }
      return row;
    }

    case RuleKind::kCalendarDeadline: {
      // Deadlines of the years around today, ascending; the window of deadline k runs from the day
      // after deadline k-1.
      std::vector<core::LocalDate> dl;
      for (int y = today.year - 2; y <= today.year + 2; ++y) {
        for (const auto& md : rule.deadlines) dl.push_back({y, md.month, md.day});
      }
      auto window_start = [&](size_t k) { return core::AddDays(dl[k - 1], 1); };
      auto applies = [&](size_t k) { return since <= window_start(k); };
      // The last deadline passed (with grace) and the first not passed.
      size_t next = 1;
      while (next < dl.size() &&
             now > core::EndOfLocalDay(core::AddDays(dl[next], rule.grace_days))) {
        ++next;
      }
      const size_t prev = next - 1;
      size_t used = ev.size();  // index of the evidence consumed by the previous deadline
      if (prev >= 1 && applies(prev)) {
        const core::LocalDate from = window_start(prev);
        size_t i = 0;
        while (i < ev.size() && ev[i]->date < from) ++i;
        if (i == ev.size()) {
          row.due = dl[prev];
          row.state = State::kOverdue;
          row.days_overdue = DaysBetween(dl[prev], today);
          row.missing = Types(rule) + " for the period " + core::FormatIsoDate(from) + " to " +
                        core::FormatIsoDate(dl[prev]);
          return row;
        }
        // Late evidence (after the deadline) pays for the passed deadline, not the next one.
        if (dl[prev] < ev[i]->date) used = i;
        if (!(dl[prev] < ev[i]->date)) used = ev.size();
      }
      // The first deadline from `next` on that applies to the subject.
      size_t k = next;
      while (k < dl.size() && !applies(k)) ++k;
      if (k >= dl.size()) {
        row.state = State::kNotApplicable;
        row.reason = "no deadline applies yet";
        return row;
      }
      row.due = dl[k];
      const core::LocalDate from = window_start(k);
      for (size_t i = 0; i < ev.size(); ++i) {
        if (i == used || ev[i]->date < from) continue;
        satisfied_by(ev[i]);
        row.state = State::kOk;
        return row;
      }
      row.state = Pending(rule, dl[k], now, &row.days_overdue);
      if (row.state != State::kOk) {
        row.missing = Types(rule) + " for the period " + core::FormatIsoDate(from) + " to " +
                      core::FormatIsoDate(dl[k]);
      }
      return row;
    }

    case RuleKind::kEventTimer: {
      // Triggers of this rule's kinds; a system's creation counts as "system_created".
      struct Trig {
        core::LocalDate date;
        bool created;
      };
      std::vector<Trig> ts;
      if (Contains(rule.triggers, std::string("system_created")) &&
          row.subject_kind == SubjectKind::kSystem) {
        ts.push_back({since, true});
      }
      if (triggers != nullptr) {
        for (const TriggerFact* t : *triggers) {
          if (!Contains(rule.triggers, t->trigger)) continue;
          const core::LocalDate d = core::LocalDateOf(t->at);
          if (d < rule.first_effective || today < d) continue;
          ts.push_back({d, t->trigger == "system_created"});
        }
      }
      if (ts.empty()) {
        row.state = State::kNotApplicable;
        row.reason = "no triggering event";
        return row;
      }
      std::sort(ts.begin(), ts.end(), [](const Trig& a, const Trig& b) { return a.date < b.date; });
      const core::LocalDate last_ev = ev.empty() ? core::LocalDate{0, 1, 1} : ev.back()->date;
      // The earliest trigger not followed by evidence (evidence on the trigger's day counts).
      const Trig* open = nullptr;
      for (const auto& t : ts) {
        if (ev.empty() || last_ev < t.date) {
          open = &t;
          break;
        }
      }
      if (open == nullptr) {
        satisfied_by(ev.back());
        row.state = State::kOk;
        return row;
      }
      core::LocalDate due = core::AddDays(open->date, rule.within_days);
      if (open->created && rule.initial_due && due < *rule.initial_due) due = *rule.initial_due;
      row.due = due;
      row.state = Pending(rule, due, now, &row.days_overdue);
      row.missing = Types(rule) + " on or after " + core::FormatIsoDate(open->date);
      return row;
    }

    case RuleKind::kStanding: {
      const bool evidence_ok = rule.evidence.empty() || !ev.empty();
      if (!ev.empty()) satisfied_by(ev.back());
      if (check_ok && evidence_ok) {
        row.state = State::kOk;
        return row;
      }
      const core::LocalDate due = rule.due ? Max(*rule.due, since) : since;
      row.due = due;
      row.state = Pending(rule, due, now, &row.days_overdue);
      if (!evidence_ok) row.missing = Types(rule) + " (none on record)";
      if (!check_ok && row.missing.empty()) row.missing = rule.check;
      return row;
    }
  }
  return row;
}

}  // namespace ucsc::compliance
