#include "plan/drill.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <utility>

namespace ucsc::plan {

namespace {

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

tl::unexpected<core::Error> Precondition(std::string message, std::string field = "/state") {
  return core::MakeError(core::ErrorCode::kFailedPrecondition, std::move(message),
                         std::move(field));
}

bool Covers(const Drill& d, std::string_view system_id) {
  return std::find(d.system_ids.begin(), d.system_ids.end(), system_id) != d.system_ids.end();
}

std::optional<core::Instant> First(const Drill& d, TimelineKind kind) {
  for (const auto& e : d.timeline) {
    if (e.kind == kind) return e.at;
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> Between(const Drill& d, TimelineKind to) {
  const auto a = First(d, TimelineKind::kAction);
  const auto b = First(d, to);
  if (!a || !b) return std::nullopt;
  return *b - *a;
}

int LevelOn(std::span<const LevelSpan> levels, core::LocalDate d) {
  int level = 0;
  for (const auto& s : levels) {
    if (s.from <= d) level = s.level;
  }
  return level;
}

}  // namespace

std::string_view DrillKindName(DrillKind k) {
  return k == DrillKind::kTabletop ? "tabletop" : "live_fire";
}

std::string_view DrillStateName(DrillState s) {
  switch (s) {
    case DrillState::kPlanned:
      return "planned";
    case DrillState::kRunning:
      return "running";
    case DrillState::kClosed:
      return "closed";
  }
  return "planned";
}

std::string_view FindingCategoryName(FindingCategory c) {
  switch (c) {
    case FindingCategory::kUnclassified:
      return "unclassified";
    case FindingCategory::kProcess:
      return "process";
    case FindingCategory::kTechnology:
      return "technology";
    case FindingCategory::kPeople:
      return "people";
  }
  return "unclassified";
}

std::optional<FindingCategory> ParseFindingCategory(std::string_view s) {
  for (auto c :
       {FindingCategory::kProcess, FindingCategory::kTechnology, FindingCategory::kPeople}) {
    if (FindingCategoryName(c) == s) return c;
  }
  return std::nullopt;
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "medium";
}

core::Status ValidatePlannedDrill(const Drill& d) {
  if (d.id.empty()) return core::InvalidArgument("a drill needs an id", "/id");
  if (d.org_id.empty()) return core::InvalidArgument("a drill needs an organisation", "/org_id");
  if (d.system_ids.empty()) {
    return core::InvalidArgument("a drill needs at least one system in scope", "/system_ids");
  }
  if (!core::IsValidDate(d.planned_start) || !core::IsValidDate(d.planned_end)) {
    return core::InvalidArgument("planned dates must be real days", "/planned_start");
  }
  if (d.planned_end < d.planned_start) {
    return core::InvalidArgument("the planned end is before the start", "/planned_end");
  }
  if (d.kind == DrillKind::kLiveFire) {
    auto has = [&](ParticipantRole r) {
      return std::any_of(d.participants.begin(), d.participants.end(),
                         [&](const Participant& p) { return p.role == r; });
    };
    if (!has(ParticipantRole::kRedTeam) || !has(ParticipantRole::kBlueTeam)) {
      return core::InvalidArgument("a live-fire drill needs a red team and a blue team",
                                   "/participants");
    }
  }
  return core::Ok();
}

core::Status StartDrill(Drill& d, core::Instant at) {
  if (d.state != DrillState::kPlanned) {
    return Precondition("drill " + d.id + " is " + std::string(DrillStateName(d.state)) +
                        ", not planned");
  }
  UCSC_RETURN_IF_ERROR(ValidatePlannedDrill(d));
  d.state = DrillState::kRunning;
  d.started_at = at;
  return core::Ok();
}

core::Status AddTimelineEntry(Drill& d, TimelineEntry entry) {
  if (d.state != DrillState::kRunning) return Precondition("drill " + d.id + " is not running");
  if (entry.at < *d.started_at) {
    return core::InvalidArgument("a timeline entry before the drill started", "/timeline");
  }
  if (Blank(entry.text)) return core::InvalidArgument("a timeline entry needs text", "/timeline");
  auto pos = std::upper_bound(d.timeline.begin(), d.timeline.end(), entry.at,
                              [](core::Instant t, const TimelineEntry& e) { return t < e.at; });
  d.timeline.insert(pos, std::move(entry));
  return core::Ok();
}

std::optional<std::chrono::milliseconds> TimeToDetect(const Drill& d) {
  return Between(d, TimelineKind::kDetection);
}

std::optional<std::chrono::milliseconds> TimeToContain(const Drill& d) {
  return Between(d, TimelineKind::kContainment);
}

core::Status RecordFinding(Drill& d, Finding f) {
  if (d.state == DrillState::kClosed) return Precondition("drill " + d.id + " is closed");
  const std::string ptr = "/findings/" + (f.id.empty() ? std::string("-") : f.id);
  if (f.id.empty()) return core::InvalidArgument("a finding needs an id", ptr + "/id");
  if (Blank(f.title)) return core::InvalidArgument("a finding needs a title", ptr + "/title");
  if (!Covers(d, f.system_id)) {
    return core::InvalidArgument("system '" + f.system_id + "' is not in the drill's scope",
                                 ptr + "/system_id");
  }
  if (!f.due_date.empty() && !core::ParseIsoDate(f.due_date)) {
    return core::InvalidArgument("due date must be YYYY-MM-DD", ptr + "/due_date");
  }
  for (auto& existing : d.findings) {
    if (existing.id == f.id) {
      existing = std::move(f);
      return core::Ok();
    }
  }
  d.findings.push_back(std::move(f));
  return core::Ok();
}

std::vector<std::string> ClosingProblems(const Drill& d) {
  std::vector<std::string> out;
  if (d.findings.empty()) out.emplace_back("no finding recorded");
  for (const auto& f : d.findings) {
    if (f.category == FindingCategory::kUnclassified) {
      out.push_back("finding " + f.id + ": not classified as process, technology or people");
    }
    if (f.owner.empty()) out.push_back("finding " + f.id + ": no owner");
    if (f.due_date.empty()) out.push_back("finding " + f.id + ": no due date");
  }
  return out;
}

core::Status CloseDrill(Drill& d, core::Instant at) {
  if (d.state != DrillState::kRunning) return Precondition("drill " + d.id + " is not running");
  const auto problems = ClosingProblems(d);
  if (!problems.empty()) {
    std::string list;
    for (const auto& p : problems) list += (list.empty() ? "" : "; ") + p;
    return Precondition("R5: drill " + d.id + " cannot close: " + list, "/findings");
  }
  d.state = DrillState::kClosed;
  d.closed_at = at;
  return core::Ok();
}

std::string FitId(std::string id) {
  constexpr size_t kMax = 64;  // the store's id limit (codec/entities.cc)
  if (id.size() <= kMax) return id;
  uint64_t h = 14695981039346656037ULL;  // FNV-1a 64
  for (unsigned char ch : id) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(h));
  return id.substr(0, kMax - 17) + "~" + hex.data();
}

std::vector<core::Task> FindingTasks(const Drill& d, const Finding& f, core::Instant at) {
  std::vector<core::Task> out;
  core::Task t;
  t.id = FitId(d.id + "-" + f.id + "-remediation");
  t.org_id = d.org_id;
  t.system_id = f.system_id;
  t.kind = "remediation";
  t.title = "[" + std::string(FindingCategoryName(f.category)) + "] " + f.title;
  t.assignee = f.owner;
  t.due_date = f.due_date;
  t.created_at = at;
  t.updated_at = at;
  out.push_back(t);
  if (f.allows_intrusion) {
    // R6: the hunt opens with the remediation, at the same instant.
    core::Task hunt = t;
    hunt.id = FitId(d.id + "-" + f.id + "-hunt");
    hunt.kind = "hunt";
    hunt.title = "R6: săn lùng mối nguy hại sau phát hiện \"" + f.title + "\"";
    out.push_back(std::move(hunt));
  }
  return out;
}

std::vector<core::Task> DrillTasks(const Drill& d, core::Instant at) {
  std::vector<core::Task> out;
  for (const auto& f : d.findings) {
    auto tasks = FindingTasks(d, f, at);
    out.insert(out.end(), tasks.begin(), tasks.end());
  }
  return out;
}

core::Result<core::Evidence> DrillEvidence(const Drill& d, std::string_view system_id,
                                           core::Instant at) {
  if (d.state != DrillState::kClosed || !d.started_at || !d.closed_at || *d.closed_at > at) {
    return Precondition("R5: drill " + d.id + " was not closed as of " +
                        core::FormatRfc3339Local(at));
  }
  if (d.kind != DrillKind::kLiveFire) {
    return Precondition(
        "R5: drill " + d.id + " is a tabletop exercise (R25), not a live-fire drill", "/kind");
  }
  if (!Covers(d, system_id)) {
    return Precondition("drill " + d.id + " does not cover system " + std::string(system_id),
                        "/system_ids");
  }
  core::Evidence e;
  e.id = FitId("drill:" + d.id + ":" + std::string(system_id));
  e.org_id = d.org_id;
  e.subject_kind = "system";
  e.subject_id = std::string(system_id);
  e.type = "drill_report";
  e.performed_on = core::FormatIsoDate(core::LocalDateOf(*d.started_at));
  e.title = d.title.empty() ? "Diễn tập thực chiến " + d.id : d.title;
  e.description = "R5: " + std::to_string(d.findings.size()) + " findings";
  e.review = core::ReviewState::kAccepted;
  e.reviewed_at = *d.closed_at;
  e.created_at = *d.closed_at;
  e.updated_at = *d.closed_at;
  return e;
}

std::string_view DrillRuleStateName(DrillRuleState s) {
  switch (s) {
    case DrillRuleState::kNotApplicable:
      return "not_applicable";
    case DrillRuleState::kMet:
      return "met";
    case DrillRuleState::kOpen:
      return "open";
    case DrillRuleState::kDueSoon:
      return "due_soon";
    case DrillRuleState::kOverdue:
      return "overdue";
  }
  return "not_applicable";
}

DrillRuleStatus EvaluateYearlyDrill(std::string_view system_id, std::span<const LevelSpan> levels,
                                    std::span<const Drill> drills, core::Instant at,
                                    int warn_days) {
  DrillRuleStatus st;
  const core::LocalDate today = core::LocalDateOf(at);
  const int year = today.year;
  auto applies = [&](int y) { return LevelOn(levels, {y, 1, 1}) >= 3; };
  st.year = year;
  if (LevelOn(levels, today) < 3) {
    st.reason = "level below 3 today";
    return st;
  }
  // Drills that count, by the local year they started, in start order.
  std::vector<const Drill*> counted;
  for (const auto& d : drills) {
    if (d.kind != DrillKind::kLiveFire || d.state != DrillState::kClosed || !d.started_at ||
        !d.closed_at || *d.closed_at > at || !Covers(d, system_id)) {
      continue;
    }
    counted.push_back(&d);
  }
  std::sort(counted.begin(), counted.end(),
            [](const Drill* a, const Drill* b) { return *a->started_at < *b->started_at; });
  auto in_year = [&](int y) {
    std::vector<const Drill*> out;
    for (const Drill* d : counted) {
      if (core::LocalDateOf(*d->started_at).year == y) out.push_back(d);
    }
    return out;
  };
  auto this_year = in_year(year);
  if (applies(year - 1) && in_year(year - 1).empty()) {
    if (this_year.empty()) {
      st.state = DrillRuleState::kOverdue;
      st.year = year - 1;
      st.due = core::LocalDate{year - 1, 12, 31};
      st.reason = "no live-fire drill in " + std::to_string(year - 1);
      return st;
    }
    this_year.erase(this_year.begin());  // paid late for last year
  }
  if (!applies(year)) {
    st.reason = "level below 3 on 1 January " + std::to_string(year);
    return st;
  }
  st.due = core::LocalDate{year, 12, 31};
  if (!this_year.empty()) {
    st.state = DrillRuleState::kMet;
    st.drill_id = this_year.front()->id;
    return st;
  }
  st.state = at >= core::StartOfLocalDay(core::AddDays(*st.due, -warn_days))
                 ? DrillRuleState::kDueSoon
                 : DrillRuleState::kOpen;
  st.reason = "no live-fire drill yet in " + std::to_string(year);
  return st;
}

}  // namespace ucsc::plan
