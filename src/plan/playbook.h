// The scenario library (kịch bản ứng cứu sự cố, GLOSSARY `ir_scenario`) as data
// (data/playbooks/*.yaml): one scenario per incident type of DOMAIN.md §3.2 (types 1–10) and per
// non-attack incident (device or software failure, power or line outage, natural disaster,
// fire), each with signs, first actions, containment, eradication, recovery, communication and
// whom to notify by when, in Vietnamese and English, versioned. Scenarios are instantiated into a
// plan's scenario sections (R4) and into the task list of an incident.
//
// File format (one scenario per file):
//   scenario: dos                 # id, [a-z0-9_]+
//   version: 1
//   incident_type: dos            # IncidentTypeNames()
//   title: {vi: …, en: …}
//   signs: [{vi: …, en: …}, …]    # and first_actions, containment, eradication, recovery,
//                                 # communication: non-empty lists of {vi, en}
//   notify:
//     - to: coordinating_agency   # [a-z0-9_]+
//       whom: {vi: …, en: …}
//       within_days: 5            # 0 = immediately (ngay lập tức)
//       basis: TT20 Điều 9        # optional
//       rule: R8                  # optional, a rule id R<n>
//
// Thread-safety: loaded scenarios are immutable values; functions are pure.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/model.h"
#include "core/result.h"
#include "plan/outline.h"
#include "plan/plan.h"

namespace ucsc::plan {

// dos, spoofing, malware, unauthorised_access, defacement, encryption, destruction, data_theft,
// combined_attack, other_attack (GLOSSARY types 1–10), then device_software_failure,
// power_line_outage, natural_disaster, fire.
const std::vector<std::string_view>& IncidentTypeNames();
bool IsIncidentType(std::string_view name);
// True for types 1–10.
bool IsAttackType(std::string_view name);

struct Notification {
  std::string to;  // key of the recipient: owner, coordinating_agency, specialised_unit …
  LocalizedText whom;
  int within_days = 0;  // 0 = immediately
  std::string basis;
  std::string rule;
};

struct Scenario {
  std::string id;
  int version = 1;
  std::string incident_type;
  LocalizedText title;
  std::vector<LocalizedText> signs;
  std::vector<LocalizedText> first_actions;
  std::vector<LocalizedText> containment;
  std::vector<LocalizedText> eradication;
  std::vector<LocalizedText> recovery;
  std::vector<LocalizedText> communication;
  std::vector<Notification> notify;
  std::string source;  // file it came from
};

// Parses one scenario file. Errors: kInvalidArgument "path:line: /field: reason" (field also in
// Error::field): YAML syntax, unknown or missing field, a text missing its vi or en, an unknown
// incident type, a bad id, rule or within_days, an empty list.
[[nodiscard]] core::Result<Scenario> ParseScenario(std::string_view text, std::string_view path);

// Loads every *.yaml of `dir`, sorted by incident type (IncidentTypeNames() order), id, version.
// Errors: those of ParseScenario; kNotFound for a missing or empty directory; kInvalidArgument for
// two files with one id and version.
[[nodiscard]] core::Result<std::vector<Scenario>> LoadScenarios(const std::string& dir);

// The highest version of scenario `id`, or nullptr.
const Scenario* FindScenario(const std::vector<Scenario>& library, std::string_view id);

// The incident types that no scenario of `library` covers, in IncidentTypeNames() order.
std::vector<std::string> MissingIncidentTypes(const std::vector<Scenario>& library);

// The scenario as plan text in `lang`: title, then one headed list per part ("Dấu hiệu nhận
// biết", "Xử lý ban đầu", …) and the notifications with their time limits.
std::string RenderScenario(const Scenario& scenario, Lang lang);

// Instantiates `scenarios` into the plan: one PlanScenario each (rendered in `lang`), replacing a
// previous instance of the same scenario id, in the given order after those kept. The plan's
// sections of topics kScenarios and kResponse are then complete (CheckCompleteness).
// Errors: kFailedPrecondition unless the plan is a draft; kInvalidArgument for an empty list.
[[nodiscard]] core::Status AddScenarios(IrPlan& plan, std::span<const Scenario> scenarios,
                                        Lang lang, core::Instant at);

struct TaskContext {
  std::string id_prefix;  // task ids are "<id_prefix>-<n>", n from 1
  std::string org_id;
  std::string system_id;
  core::Instant detected_at;  // notification time limits run from here
  core::Instant created_at;
};

// The tasks of responding to an incident of this scenario: one "response" task per first
// action, containment, eradication and recovery step (in that order, titles prefixed by the
// phase), then one "notify" task per notification, due on the local date of detection plus
// within_days (the same day for "immediately"). All open, unassigned.
std::vector<core::Task> ScenarioTasks(const Scenario& scenario, const TaskContext& ctx, Lang lang);

}  // namespace ucsc::plan
