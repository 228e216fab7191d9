// Drills (diễn tập, GLOSSARY `drill`) and the yearly live-fire drill rule R5 (CT18: every system
// of level 3 and above has at least one live-fire drill each calendar year, finding weaknesses of
// process, technology and people), with R6 for findings that allow intrusion (a remediation task
// and a threat-hunt task opened together) and R25 (internal tabletop exercises count as training,
// not as R5 drills).
//
//   planned ──Start──▶ running ──Close──▶ closed
//
// Closing needs at least one finding and every finding classified (process / technology /
// people) with a severity, an owner and a due date; each finding then yields its remediation
// task, and a finding that allows intrusion also a hunt task with the same creation instant (R6).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/legal_time.h"
#include "core/model.h"
#include "core/result.h"

namespace ucsc::plan {

enum class DrillKind { kLiveFire, kTabletop };
enum class DrillState { kPlanned, kRunning, kClosed };
enum class FindingCategory { kUnclassified, kProcess, kTechnology, kPeople };
enum class Severity { kLow, kMedium, kHigh, kCritical };
enum class ParticipantRole { kLead, kRedTeam, kBlueTeam, kObserver };
enum class TimelineKind { kAction, kDetection, kContainment, kNote };

std::string_view DrillKindName(DrillKind k);
std::string_view DrillStateName(DrillState s);
std::string_view FindingCategoryName(FindingCategory c);
std::optional<FindingCategory> ParseFindingCategory(std::string_view s);
std::string_view SeverityName(Severity s);

struct Participant {
  std::string name;
  std::string org_id;
  ParticipantRole role = ParticipantRole::kObserver;
};

struct TimelineEntry {
  core::Instant at;
  TimelineKind kind = TimelineKind::kNote;
  std::string actor;
  std::string text;
};

struct Finding {
  std::string id;
  std::string system_id;  // one of the drill's systems
  std::string title;
  std::string description;
  FindingCategory category = FindingCategory::kUnclassified;
  Severity severity = Severity::kMedium;
  bool allows_intrusion = false;  // exploitable for intrusion or control: R6
  std::string owner;              // user id answerable for the remediation
  std::string due_date;           // YYYY-MM-DD local
};

struct Drill {
  std::string id;
  std::string org_id;
  std::string title;
  DrillKind kind = DrillKind::kLiveFire;
  std::vector<std::string> system_ids;  // systems in scope
  std::string scenario_id;              // empty for a live-fire drill without a fixed script
  std::string rules_of_engagement;
  std::string scan_authorisation_id;  // the scan authorisation covering it, when it scans
  core::LocalDate planned_start;
  core::LocalDate planned_end;
  std::vector<Participant> participants;
  std::vector<TimelineEntry> timeline;  // kept sorted by time
  std::vector<Finding> findings;
  DrillState state = DrillState::kPlanned;
  std::optional<core::Instant> started_at;
  std::optional<core::Instant> closed_at;
};

// Checks a drill being planned. Errors: kInvalidArgument naming the field ("/system_ids",
// "/planned_end", "/participants") for an empty id, organisation or scope, an end before the
// start, or a live-fire drill without a red and a blue team participant.
[[nodiscard]] core::Status ValidatePlannedDrill(const Drill& drill);

// planned → running at `at`. Errors: kFailedPrecondition unless planned; those of
// ValidatePlannedDrill.
[[nodiscard]] core::Status StartDrill(Drill& drill, core::Instant at);

// Adds a timeline entry in time order. Errors: kFailedPrecondition unless running;
// kInvalidArgument ("/timeline") for an entry before the start or with blank text.
[[nodiscard]] core::Status AddTimelineEntry(Drill& drill, TimelineEntry entry);

// Time from the first action to the first detection / first containment; nullopt when either
// entry is missing.
std::optional<std::chrono::milliseconds> TimeToDetect(const Drill& drill);
std::optional<std::chrono::milliseconds> TimeToContain(const Drill& drill);

// Adds or replaces (same id) a finding. Errors: kFailedPrecondition when closed;
// kInvalidArgument ("/findings/<id>/…") for an empty id or title, a system out of scope, or a due
// date that is not YYYY-MM-DD.
[[nodiscard]] core::Status RecordFinding(Drill& drill, Finding finding);

// The findings that stop the drill from closing, with the reason: unclassified, no owner, no
// due date. Empty when it may close (and it has at least one finding).
std::vector<std::string> ClosingProblems(const Drill& drill);

// running → closed at `at`. Errors: kFailedPrecondition unless running, with no finding, or when
// ClosingProblems is not empty (the message lists them).
[[nodiscard]] core::Status CloseDrill(Drill& drill, core::Instant at);

// The tasks of one finding: a "remediation" task (title "[<category>] <title>", owner, due date),
// and, when it allows intrusion, a "hunt" task on the same system created at the same instant
// (R6). Ids "<drill id>-<finding id>-remediation" and "-hunt", through FitId.
std::vector<core::Task> FindingTasks(const Drill& drill, const Finding& finding, core::Instant at);
// `id` when it fits the store's 64-octet ids, else its first 47 octets, "~" and 16 hex digits of
// its FNV-1a hash: derived ids stay deterministic (a retried close derives the same ones).
std::string FitId(std::string id);

// FindingTasks of every finding, in order.
std::vector<core::Task> DrillTasks(const Drill& drill, core::Instant at);

// The closed drill as R5 evidence for system `system_id`: a core::Evidence of type
// "drill_report", performed on the local date the drill started. Errors: kFailedPrecondition when
// the drill was not closed as of `at`, is a tabletop exercise (R25, not R5), or does not cover
// the system.
[[nodiscard]] core::Result<core::Evidence> DrillEvidence(const Drill& drill,
                                                         std::string_view system_id,
                                                         core::Instant at);

// ---- R5: yearly live-fire drill -----------------------------------------------------------------

struct LevelSpan {
  core::LocalDate from;  // the level holds from this local date on
  int level = 0;
};

enum class DrillRuleState {
  kNotApplicable,  // below level 3 (on 1 January of the year, or now)
  kMet,            // a closed live-fire drill held this year
  kOpen,           // not yet held, deadline more than warn_days away
  kDueSoon,        // not yet held, deadline within warn_days
  kOverdue,        // last year's deadline passed without a drill
};
std::string_view DrillRuleStateName(DrillRuleState s);

struct DrillRuleStatus {
  std::string rule = "R5";
  DrillRuleState state = DrillRuleState::kNotApplicable;
  int year = 0;                        // the calendar year judged
  std::optional<core::LocalDate> due;  // 31/12 of that year
  std::string drill_id;                // the drill that met it
  std::string reason;
};

// R5 for system `system_id` as of `at`. `levels` is its level history, ascending by `from`; the
// level on a date is the last span starting on or before it. The rule applies to year Y when the
// system was at level ≥ 3 on 1 January of Y (a system that reaches level 3 during a year owes its
// first drill for the next full year) and is at level ≥ 3 on the date of `at`. A drill counts for
// the year of the local date it started, when it is live-fire, covers the system and was closed
// by `at`. If last year applied and had no drill, the first drill of this year pays for last year
// late (as the compliance engine's calendar_deadline does) and without one the state is kOverdue
// for last year; then this year: kMet, kDueSoon (within warn_days of 31/12) or kOpen.
DrillRuleStatus EvaluateYearlyDrill(std::string_view system_id, std::span<const LevelSpan> levels,
                                    std::span<const Drill> drills, core::Instant at,
                                    int warn_days = 60);

}  // namespace ucsc::plan
