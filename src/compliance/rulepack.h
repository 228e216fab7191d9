// Compliance rule packs: the obligations of DOMAIN.md ("Rules a compliance engine must encode",
// R1–R28) as versioned data (data/rulepacks/*.yaml), validated at load.
//
// A pack file holds rules; a rule id may have several versions (in one file or across files, e.g.
// a later legal text in a new pack file) whose effective ranges must not overlap, so that exactly
// one version is in force on any date. Four kinds (issue 4):
//   rolling_window     at least one evidence of the listed types every N months (R1, R2, R22);
//                      `every_months`, optionally `every_months_by_level`.
//   calendar_deadline  evidence by fixed month/day deadlines each year (R5, R16, R23); the window
//   of
//                      a deadline runs from the day after the previous deadline of the cycle.
//   event_timer        evidence within N days of a trigger (system created/changed R3, exploitable
//                      finding R6, incident events R8–R12); `within_days`, optional `initial_due`.
//   standing           a condition that must hold at all times (IR team ≥ 5 R7, focal point R17,
//                      approved level R19), optionally with evidence, from an optional `due` date.
//
// Thread-safety: a loaded RuleSet is immutable and may be shared between threads.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/legal_time.h"
#include "core/model.h"
#include "core/result.h"

namespace ucsc::compliance {

enum class RuleKind { kRollingWindow, kCalendarDeadline, kEventTimer, kStanding };
std::string_view RuleKindName(RuleKind k);

enum class SubjectKind { kSystem, kOrganisation };
std::string_view SubjectKindName(SubjectKind k);

// The evidence types the engine knows (GLOSSARY: bằng chứng). A pack naming any other type is
// refused at load.
const std::vector<std::string_view>& EvidenceTypeNames();
bool IsEvidenceType(std::string_view name);
// True for an evidence type that only ucsc itself records, never an upload: "ir_plan_content"
// (R4), written by the plan module when a complete plan is approved. The evidence routes refuse
// to create, edit or attach files to records of such a type.
bool IsRecordedOnly(std::string_view type);

// Events that start an event_timer.
const std::vector<std::string_view>& TriggerNames();

// Conditions a standing rule can check against the inventory.
const std::vector<std::string_view>& CheckNames();

struct Text {
  std::string vi;
  std::string en;
  const std::string& In(std::string_view lang) const { return lang == "en" ? en : vi; }
};

struct LegalBasis {
  std::string document;  // e.g. "Chỉ thị 18/CT-TTg"
  std::string article;   // e.g. "Mục 1.b"
};

// Which subjects a rule applies to. Empty lists mean "any".
struct SubjectFilter {
  std::vector<int> levels;                 // systems: security levels 1..5
  std::vector<core::OrgType> org_types;    // organisations, or a system's owner organisation
  std::optional<bool> network_member;      // organisation (or owner) is a network member
  std::optional<bool> national_important;  // systems on the national-important list
  // Organisations only: must own (or operate) at least one system in scope.
  bool owns_systems = false;
  bool operates_systems = false;
};

struct MonthDay {
  unsigned month = 1;
  unsigned day = 1;
  friend auto operator<=>(const MonthDay&, const MonthDay&) = default;
};

struct Rule {
  std::string id;  // "R1" …; several versions may share it
  int version = 1;
  Text title;
  LegalBasis basis;
  core::LocalDate effective_from;
  std::optional<core::LocalDate> effective_until;  // inclusive
  // The first day any version of this rule id was in force: a new version continues the
  // obligation (its windows do not restart). Set at load.
  core::LocalDate first_effective;
  SubjectKind subject = SubjectKind::kSystem;
  SubjectFilter filter;
  RuleKind kind = RuleKind::kRollingWindow;
  std::vector<std::string> evidence;  // types that satisfy it (any one of them)
  // rolling_window
  int every_months = 0;
  std::vector<std::pair<int, int>> every_months_by_level;  // (level, months)
  // calendar_deadline, sorted by month/day
  std::vector<MonthDay> deadlines;
  // event_timer
  std::vector<std::string> triggers;
  int within_days = 0;
  std::optional<core::LocalDate> initial_due;  // subjects existing before it owe it by then
  // standing
  std::string check;  // one of CheckNames(), or empty (evidence only)
  int min_count = 0;  // for "ir_team_min"
  std::optional<core::LocalDate> due;
  // all kinds
  int warn_days = 30;  // "due soon" this many days before the due date
  int grace_days = 0;  // overdue only this many days after the due date
  std::string pack;    // pack name it came from
  std::string source;  // "file:line" of its definition

  bool InForce(core::LocalDate d) const {
    return effective_from <= d && (!effective_until || d <= *effective_until);
  }
  // Months of the rolling window for a system of `level` (every_months when not by level);
  // 0 when the level has no window.
  int WindowMonths(int level) const;
};

// An obligation the software cannot check, listed in the pack with the reason (issue 4).
struct Unchecked {
  std::string id;
  std::string reason;
};

struct RuleSet {
  std::vector<std::string> packs;  // "name@version" of each file loaded
  std::vector<Rule> rules;         // every version of every rule, sorted by (id, effective_from)
  std::vector<Unchecked> unchecked;

  // The version of rule `id` in force on `d`, or nullptr.
  const Rule* InForce(std::string_view id, core::LocalDate d) const;
  // Distinct rule ids in order.
  std::vector<std::string> Ids() const;
};

// Parses one pack file's text. `path` is used in error messages ("path:line: reason").
// Errors: kInvalidArgument naming file:line and the reason (unknown kind, bad date, unknown
// evidence type, unknown key, missing field, overlapping versions …).
[[nodiscard]] core::Result<RuleSet> ParsePack(std::string_view text, std::string_view path);

// Loads every *.yaml file of a directory (or one file) into one RuleSet and checks the versions
// of each rule across files for overlap. Errors as ParsePack, plus kNotFound for a missing path.
[[nodiscard]] core::Result<RuleSet> LoadPacks(const std::string& path);

// The rule set in force, replaced as a whole: a reload that fails (bad file, overlap …) leaves
// the previous rules in force (issue 4). Thread-safe.
class RulePackHolder {
 public:
  // Loads `path` (LoadPacks); on success the new set is in force. On error the previous set stays
  // and the error (file:line and reason) is returned.
  [[nodiscard]] core::Status Reload(const std::string& path);
  // The set in force, or nullptr before the first successful load. The pointer stays valid for as
  // long as the caller holds it, across reloads.
  std::shared_ptr<const RuleSet> Current() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RuleSet> current_;  // GUARDED_BY(mu_)
};

}  // namespace ucsc::compliance
