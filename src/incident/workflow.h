// The two incident procedures as data: TT20 Art 11 (normal incident, 4 steps, DOMAIN.md §3.4) and
// QĐ05 Art 14 (serious incident, 7 steps, §3.5). Each step has a checklist; the transitions are
// enforced: steps are completed in order (no skipping), a step completes only when its required
// checklist items are done, the incident closes only at the last step with the closing report
// (Form 04, R11) sent, and a reopening is recorded with its reason. A transition returns the next
// incident and the events it produces (timeline, audit, legal clocks of clocks.h).
// Thread-safety: the workflow tables are immutable; Apply is a pure function.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "incident/classify.h"
#include "incident/model.h"

namespace ucsc::incident {

struct ChecklistItem {
  std::string id;  // "<step>.<letter>", e.g. "1.đ"
  Text text;
  bool required = true;
};

struct StepDef {
  int number = 1;
  Text title;
  std::vector<ChecklistItem> checklist;
};

struct Workflow {
  ProcessKind kind = ProcessKind::kNormal;
  Text title;
  std::string basis;  // legal basis, e.g. "Thông tư 20/2017/TT-BTTTT, Điều 11"
  std::vector<StepDef> steps;
  // Completing this step ends the response (R9, R11 start): 3 for TT20, 5 for QĐ05.
  int response_ends_after = 0;
};

// The procedure for `kind`. The reference stays valid for the program's lifetime.
const Workflow& WorkflowFor(ProcessKind kind);

enum class Action {
  kCheckItem,      // mark a checklist item of the current step done (item)
  kCompleteStep,   // complete the current step and move to the next
  kClose,          // complete the last step and close; Form 04 must have been sent
  kReopen,         // reopen a closed incident at `to_step` (≤ the response's last step), reason
  kChangeProcess,  // switch normal ↔ serious (after a reclassification), reason
};
std::string_view ActionName(Action a);

struct Command {
  Action action = Action::kCompleteStep;
  std::string actor;
  std::string item;                            // kCheckItem
  std::string reason;                          // kReopen, kChangeProcess (required)
  int to_step = 0;                             // kReopen; 0 = the first step
  ProcessKind process = ProcessKind::kNormal;  // kChangeProcess: the new process
};

struct Transition {
  Incident next;
  std::vector<Event> events;  // in order, all stamped `now`
};

// The actions `inc` allows now (for the UI; Apply enforces the same rules).
std::vector<Action> AllowedActions(const Incident& inc);

// Applies `cmd` to `inc` at `now`.
// Errors: kInvalidArgument for a malformed command (unknown item, missing reason, bad step);
// kFailedPrecondition for a transition the procedure forbids (item not of the current step,
// required items open, closing without Form 04, reopening an incident that is not closed, any
// change to a closed incident, skipping a step). `inc` is never modified.
[[nodiscard]] core::Result<Transition> Apply(const Incident& inc, const Command& cmd,
                                             core::Instant now);

// The events a change of the incident's facts produces, for the clocks: kBeyondCapacity when the
// capacity becomes beyond (R10), kPossiblySerious when the R14 outcome rises from normal (R10).
std::vector<Event> ReclassificationEvents(const Incident& before, const Incident& after,
                                          core::Instant now);

// A new incident's first events: kDetected at detected_at, kResponseStarted at `now` (R15),
// and the R10 triggers its facts already meet.
std::vector<Event> IntakeEvents(const Incident& inc, core::Instant now);

}  // namespace ucsc::incident
