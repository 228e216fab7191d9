// Legal clocks of an incident (R8–R12, R15, R16, R18) as data (data/incident/clocks.yaml) and
// their evaluator. A clock starts on an incident event, is satisfied by another and is due at a
// legal instant (DESIGN.md "Legal time"): "within N days" ends at 23:59:59.999 local on the
// local date of the start + N; "within N hours" is start + N hours (the configurable grace of
// "immediately", R10/R12); a calendar deadline "by 20/6" ends at 23:59:59.999 local on 20/6.
//
// Kinds:
//   deadline   one clock per incident: first (or, with `from: latest`, latest) start event;
//              satisfied by a satisfying event at or after that start. `requires_before` names
//              an event that must precede the start for the clock to apply (R9).
//   per_ref    one clock per start event's `ref` (each notice received, R12), satisfied by a
//              satisfying event with the same ref.
//   recurring  while started and not stopped, a satisfying event is due every N hours (R15);
//              after the stop event the clock is satisfied (late when a gap exceeded N hours).
//   calendar   deadlines each year (month-day); a deadline is satisfied by an event in its window
//              (the day after the previous deadline .. the deadline) (R16, R18).
//
// Thread-safety: a loaded ClockSet is immutable; Evaluate is a pure function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "core/result.h"
#include "incident/model.h"

namespace ucsc::incident {

enum class ClockKind { kDeadline, kPerRef, kRecurring, kCalendar };
std::string_view ClockKindName(ClockKind k);

struct ClockBasis {
  std::string document;
  std::string article;
};

struct ClockDef {
  std::string id;    // "notification", …
  std::string rule;  // "R8" …
  Text title;
  ClockBasis basis;
  ClockKind kind = ClockKind::kDeadline;
  std::vector<EventKind> start;
  std::vector<EventKind> satisfied_by;
  std::vector<EventKind> stop;             // recurring
  std::vector<EventKind> requires_before;  // deadline
  bool from_latest = false;                // deadline: latest start event
  int within_days = 0;                     // exactly one of within_days / within_hours
  int within_hours = 0;                    // (recurring: the interval)
  std::vector<std::pair<unsigned, unsigned>> deadlines;  // calendar: (month, day), sorted
  std::string ref;     // calendar: a satisfying event must carry this ref ("form05"); empty = any
  std::string source;  // "file:line"
};

struct ClockSet {
  std::string pack;  // "name@version"
  std::vector<ClockDef> clocks;
  const ClockDef* Find(std::string_view id) const;
};

// Parses a clocks file. Errors: kInvalidArgument "path:line: reason" (unknown key, unknown event
// kind, missing or conflicting durations, bad deadline, duplicate id, malformed YAML).
[[nodiscard]] core::Result<ClockSet> ParseClocks(std::string_view text, std::string_view path);
// Reads and parses a file. Errors: kNotFound when unreadable, else as ParseClocks.
[[nodiscard]] core::Result<ClockSet> LoadClocks(const std::string& path);

enum class ClockState { kNotStarted, kRunning, kSatisfied, kOverdue };
std::string_view ClockStateName(ClockState s);

struct ClockStatus {
  std::string clock_id;
  std::string rule;
  Text title;
  ClockBasis basis;
  ClockState state = ClockState::kNotStarted;
  std::string ref;  // per_ref: the notice; calendar: the deadline date "YYYY-MM-DD"
  std::optional<core::Instant> started_at;
  std::optional<core::Instant> due_at;
  std::optional<core::Instant> satisfied_at;
  bool late = false;  // satisfied after due_at
};

// The due instant `def` gives for a start at `start` (within_days / within_hours).
core::Instant DueAfter(const ClockDef& def, core::Instant start);

// Evaluates every clock of `set` over `events` (any order) at `now`. Events after `now` are
// ignored. Calendar clocks yield the deadline before `now` and the next one.
std::vector<ClockStatus> Evaluate(const ClockSet& set, const std::vector<Event>& events,
                                  core::Instant now);
// One clock.
std::vector<ClockStatus> EvaluateClock(const ClockDef& def, const std::vector<Event>& events,
                                       core::Instant now);

}  // namespace ucsc::incident
