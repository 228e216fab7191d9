#include "plan/playbook.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <utility>

#include "core/legal_time.h"
#include "plan/internal/ids.h"
#include "plan/internal/yaml_reader.h"

namespace ucsc::plan {

namespace {

constexpr size_t kAttackTypes = 10;

struct Part {
  const char* key;
  std::vector<LocalizedText> Scenario::*field;
  LocalizedText heading;
};

const std::vector<Part>& Parts() {
  static const std::vector<Part> kParts{
      {"signs", &Scenario::signs, {"Dấu hiệu nhận biết", "Signs"}},
      {"first_actions", &Scenario::first_actions, {"Xử lý ban đầu", "First actions"}},
      {"containment", &Scenario::containment, {"Ngăn chặn sự cố", "Containment"}},
      {"eradication", &Scenario::eradication, {"Xử lý, loại bỏ", "Eradication"}},
      {"recovery", &Scenario::recovery, {"Khôi phục", "Recovery"}},
      {"communication", &Scenario::communication, {"Thông tin, truyền thông", "Communication"}},
  };
  return kParts;
}

bool IsRuleId(std::string_view s) {
  if (s.size() < 2 || s.size() > 4 || s[0] != 'R') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Within(const Notification& n, Lang lang) {
  if (n.within_days == 0) return lang == Lang::kEn ? "immediately" : "ngay lập tức";
  const std::string d = std::to_string(n.within_days);
  return lang == Lang::kEn ? "within " + d + (n.within_days == 1 ? " day" : " days")
                           : "trong " + d + " ngày";
}

}  // namespace

const std::vector<std::string_view>& IncidentTypeNames() {
  static const std::vector<std::string_view> kTypes{
      "dos",
      "spoofing",
      "malware",
      "unauthorised_access",
      "defacement",
      "encryption",
      "destruction",
      "data_theft",
      "combined_attack",
      "other_attack",
      "device_software_failure",
      "power_line_outage",
      "natural_disaster",
      "fire",
  };
  return kTypes;
}

bool IsIncidentType(std::string_view name) {
  const auto& t = IncidentTypeNames();
  return std::find(t.begin(), t.end(), name) != t.end();
}

bool IsAttackType(std::string_view name) {
  const auto& t = IncidentTypeNames();
  const auto it = std::find(t.begin(), t.end(), name);
  return it != t.end() && static_cast<size_t>(it - t.begin()) < kAttackTypes;
}

core::Result<Scenario> ParseScenario(std::string_view text, std::string_view path) {
  internal::YamlReader rd(path);
  UCSC_ASSIGN_OR_RETURN(YAML::Node root, rd.Load(text));
  try {
    UCSC_RETURN_IF_ERROR(
        rd.Keys(root, "",
                {"scenario", "version", "incident_type", "title", "signs", "first_actions",
                 "containment", "eradication", "recovery", "communication", "notify"}));
    Scenario s;
    s.source = std::string(path);
    UCSC_ASSIGN_OR_RETURN(s.id, rd.Str(root, "", "scenario", true));
    if (!internal::IsSlug(s.id)) {
      return rd.Err(root["scenario"], "/scenario", "must match [a-z0-9_]+");
    }
    UCSC_ASSIGN_OR_RETURN(s.version, rd.Int(root, "", "version", 1, 1'000'000));
    UCSC_ASSIGN_OR_RETURN(s.incident_type, rd.Str(root, "", "incident_type", true));
    if (!IsIncidentType(s.incident_type)) {
      return rd.Err(root["incident_type"], "/incident_type",
                    "unknown incident type '" + s.incident_type + "'");
    }
    UCSC_ASSIGN_OR_RETURN(s.title, rd.Text(root, "", "title"));
    for (const auto& part : Parts()) {
      UCSC_ASSIGN_OR_RETURN(s.*part.field, rd.TextList(root, "", part.key));
    }
    const YAML::Node notify = root["notify"];
    if (!notify) return rd.Err(root, "/notify", "missing");
    if (!notify.IsSequence() || notify.size() == 0) {
      return rd.Err(notify, "/notify", "must be a non-empty list");
    }
    for (size_t i = 0; i < notify.size(); ++i) {
      const std::string ptr = "/notify/" + std::to_string(i);
      const YAML::Node n = notify[i];
      UCSC_RETURN_IF_ERROR(rd.Keys(n, ptr, {"to", "whom", "within_days", "basis", "rule"}));
      Notification note;
      UCSC_ASSIGN_OR_RETURN(note.to, rd.Str(n, ptr, "to", true));
      if (!internal::IsSlug(note.to)) return rd.Err(n["to"], ptr + "/to", "must match [a-z0-9_]+");
      UCSC_ASSIGN_OR_RETURN(note.whom, rd.Text(n, ptr, "whom"));
      UCSC_ASSIGN_OR_RETURN(note.within_days, rd.Int(n, ptr, "within_days", 0, 365));
      UCSC_ASSIGN_OR_RETURN(note.basis, rd.Str(n, ptr, "basis", false));
      UCSC_ASSIGN_OR_RETURN(note.rule, rd.Str(n, ptr, "rule", false));
      if (!note.rule.empty() && !IsRuleId(note.rule)) {
        return rd.Err(n["rule"], ptr + "/rule", "must be a rule id such as R8");
      }
      s.notify.push_back(std::move(note));
    }
    return s;
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(
        std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg, "");
  }
}

core::Result<std::vector<Scenario>> LoadScenarios(const std::string& dir) {
  std::vector<Scenario> out;
  UCSC_RETURN_IF_ERROR(internal::ForEachYamlFile(
      dir, [&](std::string_view text, const std::string& path) -> core::Status {
        UCSC_ASSIGN_OR_RETURN(auto s, ParseScenario(text, path));
        for (const auto& prev : out) {
          if (prev.id == s.id && prev.version == s.version) {
            return core::InvalidArgument(path + ":1: /scenario: scenario '" + s.id + "' version " +
                                             std::to_string(s.version) + " also in " + prev.source,
                                         "/scenario");
          }
        }
        out.push_back(std::move(s));
        return core::Ok();
      }));
  auto type_index = [](const Scenario& s) {
    const auto& t = IncidentTypeNames();
    return std::find(t.begin(), t.end(), s.incident_type) - t.begin();
  };
  std::sort(out.begin(), out.end(), [&](const Scenario& a, const Scenario& b) {
    return std::make_tuple(type_index(a), std::cref(a.id), a.version) <
           std::make_tuple(type_index(b), std::cref(b.id), b.version);
  });
  return out;
}

const Scenario* FindScenario(const std::vector<Scenario>& library, std::string_view id) {
  const Scenario* best = nullptr;
  for (const auto& s : library) {
    if (s.id == id && (best == nullptr || s.version > best->version)) best = &s;
  }
  return best;
}

std::vector<std::string> MissingIncidentTypes(const std::vector<Scenario>& library) {
  std::vector<std::string> out;
  for (auto type : IncidentTypeNames()) {
    const bool covered = std::any_of(library.begin(), library.end(),
                                     [&](const Scenario& s) { return s.incident_type == type; });
    if (!covered) out.emplace_back(type);
  }
  return out;
}

std::string RenderScenario(const Scenario& s, Lang lang) {
  std::string out = s.title.In(lang) + "\n";
  for (const auto& part : Parts()) {
    out += part.heading.In(lang) + ":\n";
    for (const auto& item : s.*part.field) out += "- " + item.In(lang) + "\n";
  }
  out += (lang == Lang::kEn ? "Notify:" : "Thông báo, báo cáo:") + std::string("\n");
  for (const auto& n : s.notify) {
    out += "- " + n.whom.In(lang) + ": " + Within(n, lang);
    if (!n.basis.empty() || !n.rule.empty()) {
      out += " (" + n.basis + (n.basis.empty() || n.rule.empty() ? "" : ", ") + n.rule + ")";
    }
    out += "\n";
  }
  return out;
}

core::Status AddScenarios(IrPlan& plan, std::span<const Scenario> scenarios, Lang lang,
                          core::Instant at) {
  if (plan.state != PlanState::kDraft) {
    return core::MakeError(core::ErrorCode::kFailedPrecondition,
                           "scenarios are added to a draft plan only", "/state");
  }
  if (scenarios.empty()) return core::InvalidArgument("no scenario given", "/scenarios");
  for (const auto& s : scenarios) {
    std::erase_if(plan.scenarios, [&](const PlanScenario& p) { return p.scenario_id == s.id; });
  }
  for (const auto& s : scenarios) {
    plan.scenarios.push_back(
        {s.id, s.version, s.incident_type, s.title.In(lang), RenderScenario(s, lang)});
  }
  plan.updated_at = at;
  return core::Ok();
}

std::vector<core::Task> ScenarioTasks(const Scenario& s, const TaskContext& ctx, Lang lang) {
  std::vector<core::Task> out;
  auto add = [&](std::string kind, std::string title, std::string due) {
    core::Task t;
    t.id = ctx.id_prefix + "-" + std::to_string(out.size() + 1);
    t.org_id = ctx.org_id;
    t.system_id = ctx.system_id;
    t.kind = std::move(kind);
    t.title = std::move(title);
    t.due_date = std::move(due);
    t.created_at = ctx.created_at;
    t.updated_at = ctx.created_at;
    out.push_back(std::move(t));
  };
  // Steps to act on: not signs (they describe detection) nor communication (done by notify).
  for (const auto& part : Parts()) {
    if (part.field == &Scenario::signs || part.field == &Scenario::communication) continue;
    for (const auto& item : s.*part.field) {
      add("response", part.heading.In(lang) + ": " + item.In(lang), "");
    }
  }
  const core::LocalDate detected = core::LocalDateOf(ctx.detected_at);
  for (const auto& n : s.notify) {
    const std::string verb = lang == Lang::kEn ? "Notify " : "Thông báo ";
    add("notify", verb + n.whom.In(lang) + " (" + Within(n, lang) + ")",
        core::FormatIsoDate(core::AddDays(detected, n.within_days)));
  }
  return out;
}

}  // namespace ucsc::plan
