#include "plan/plan_json.h"

#include <string>
#include <utility>

#include "core/legal_time.h"

namespace ucsc::plan {

namespace {

using codec::Json;
using codec::Need;
using codec::ObjectReader;

constexpr size_t kMaxText = 200'000;

Json TimeOrNull(const std::optional<core::Instant>& t) {
  return t ? Json(core::FormatRfc3339Utc(*t)) : Json(nullptr);
}

tl::unexpected<core::Error> Bad(const std::string& pointer, const std::string& what) {
  return core::InvalidArgument(pointer + ": " + what, pointer);
}

// Reads an optional instant that may be null.
core::Status OptionalTime(ObjectReader& r, std::string_view key,
                          std::optional<core::Instant>& out) {
  return r.Value(key, Need::kOptional, [&](const Json& v, const std::string& ptr) -> core::Status {
    if (v.is_null()) {
      out.reset();
      return core::Ok();
    }
    if (!v.is_string()) return Bad(ptr, "must be an RFC 3339 time or null");
    auto t = core::ParseRfc3339(v.get<std::string>());
    if (!t) return Bad(ptr, "must be an RFC 3339 time or null");
    out = *t;
    return core::Ok();
  });
}

core::Status ReadRole(const std::string& text, const std::string& ptr, core::Role& out) {
  auto role = core::ParseRole(text);
  if (!role) return Bad(ptr, "unknown role '" + text + "'");
  out = *role;
  return core::Ok();
}

core::Status ReadState(const std::string& text, const std::string& ptr, PlanState& out) {
  auto s = ParsePlanState(text);
  if (!s) return Bad(ptr, "must be draft, submitted or approved");
  out = *s;
  return core::Ok();
}

template <class Fn>
core::Status Array(ObjectReader& r, std::string_view key, Need need, size_t max_items,
                   const Fn& each) {
  return r.Value(key, need, [&](const Json& v, const std::string& ptr) -> core::Status {
    if (!v.is_array()) return Bad(ptr, "must be an array");
    if (v.size() > max_items) return Bad(ptr, "more than " + std::to_string(max_items) + " items");
    for (size_t i = 0; i < v.size(); ++i) {
      UCSC_RETURN_IF_ERROR(each(v[i], ptr + "/" + std::to_string(i)));
    }
    return core::Ok();
  });
}

}  // namespace

codec::Json ToJson(const IrPlan& p) {
  Json sections = Json::array();
  for (const auto& s : p.sections) sections.push_back({{"id", s.id}, {"text", s.text}});
  Json scenarios = Json::array();
  for (const auto& s : p.scenarios) {
    scenarios.push_back({{"scenario_id", s.scenario_id},
                         {"scenario_version", s.scenario_version},
                         {"incident_type", s.incident_type},
                         {"title", s.title},
                         {"text", s.text}});
  }
  Json history = Json::array();
  for (const auto& t : p.history) {
    history.push_back({{"from", PlanStateName(t.from)},
                       {"to", PlanStateName(t.to)},
                       {"actor", t.actor},
                       {"role", core::RoleName(t.role)},
                       {"at", core::FormatRfc3339Utc(t.at)},
                       {"reason", t.reason}});
  }
  return Json{
      {"id", p.id},
      {"version", p.version},
      {"scope", PlanScopeName(p.scope)},
      {"org_id", p.org_id},
      {"system_id", p.system_id},
      {"title", p.title},
      {"outline_id", p.outline_id},
      {"outline_version", p.outline_version},
      {"state", PlanStateName(p.state)},
      {"sections", std::move(sections)},
      {"scenarios", std::move(scenarios)},
      {"submitted_by", p.submitted_by},
      {"submitted_at", TimeOrNull(p.submitted_at)},
      {"approved_by", p.approved_by},
      {"approver_role", p.approver_role ? Json(core::RoleName(*p.approver_role)) : Json(nullptr)},
      {"approved_at", TimeOrNull(p.approved_at)},
      {"history", std::move(history)},
      {"created_at", core::FormatRfc3339Utc(p.created_at)},
      {"updated_at", core::FormatRfc3339Utc(p.updated_at)},
  };
}

core::Result<IrPlan> PlanFromJson(const codec::Json& j) {
  IrPlan p;
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(r.String("id", p.id, Need::kRequired, 128));
  if (p.id.empty()) return Bad("/id", "must not be empty");
  UCSC_RETURN_IF_ERROR(r.Int("version", p.version, Need::kRequired));
  if (p.version < 1) return Bad("/version", "must be at least 1");
  std::string scope;
  UCSC_RETURN_IF_ERROR(r.String("scope", scope, Need::kRequired, 32));
  auto sc = ParsePlanScope(scope);
  if (!sc) return Bad("/scope", "must be system or provincial");
  p.scope = *sc;
  UCSC_RETURN_IF_ERROR(r.String("org_id", p.org_id, Need::kRequired, 128));
  if (p.org_id.empty()) return Bad("/org_id", "must not be empty");
  UCSC_RETURN_IF_ERROR(r.String("system_id", p.system_id, Need::kOptional, 128));
  if (p.scope == PlanScope::kSystem && p.system_id.empty()) {
    return Bad("/system_id", "a system plan needs a system");
  }
  if (p.scope == PlanScope::kProvincial && !p.system_id.empty()) {
    return Bad("/system_id", "the provincial plan has no system");
  }
  UCSC_RETURN_IF_ERROR(r.String("title", p.title, Need::kOptional, 1000));
  UCSC_RETURN_IF_ERROR(r.String("outline_id", p.outline_id, Need::kRequired, 64));
  UCSC_RETURN_IF_ERROR(r.Int("outline_version", p.outline_version, Need::kOptional));
  std::string state;
  UCSC_RETURN_IF_ERROR(r.String("state", state, Need::kRequired, 32));
  UCSC_RETURN_IF_ERROR(ReadState(state, "/state", p.state));
  UCSC_RETURN_IF_ERROR(Array(r, "sections", Need::kRequired, 200,
                             [&](const Json& v, const std::string& ptr) -> core::Status {
                               PlanSection s;
                               ObjectReader sr(v, ptr);
                               UCSC_RETURN_IF_ERROR(sr.String("id", s.id, Need::kRequired, 64));
                               // Blank text is a section not yet written (R4).
                               UCSC_RETURN_IF_ERROR(
                                   sr.String("text", s.text, Need::kOptional, kMaxText));
                               UCSC_RETURN_IF_ERROR(sr.Finish());
                               for (const auto& prev : p.sections) {
                                 if (prev.id == s.id)
                                   return Bad(ptr + "/id", "duplicate section '" + s.id + "'");
                               }
                               p.sections.push_back(std::move(s));
                               return core::Ok();
                             }));
  UCSC_RETURN_IF_ERROR(Array(
      r, "scenarios", Need::kOptional, 100,
      [&](const Json& v, const std::string& ptr) -> core::Status {
        PlanScenario s;
        ObjectReader sr(v, ptr);
        UCSC_RETURN_IF_ERROR(sr.String("scenario_id", s.scenario_id, Need::kRequired, 64));
        UCSC_RETURN_IF_ERROR(sr.Int("scenario_version", s.scenario_version, Need::kRequired));
        UCSC_RETURN_IF_ERROR(sr.String("incident_type", s.incident_type, Need::kRequired, 64));
        UCSC_RETURN_IF_ERROR(sr.String("title", s.title, Need::kOptional, 1000));
        UCSC_RETURN_IF_ERROR(sr.String("text", s.text, Need::kRequired, kMaxText));
        UCSC_RETURN_IF_ERROR(sr.Finish());
        p.scenarios.push_back(std::move(s));
        return core::Ok();
      }));
  UCSC_RETURN_IF_ERROR(r.String("submitted_by", p.submitted_by, Need::kOptional, 128));
  UCSC_RETURN_IF_ERROR(OptionalTime(r, "submitted_at", p.submitted_at));
  UCSC_RETURN_IF_ERROR(r.String("approved_by", p.approved_by, Need::kOptional, 128));
  UCSC_RETURN_IF_ERROR(r.Value("approver_role", Need::kOptional,
                               [&](const Json& v, const std::string& ptr) -> core::Status {
                                 if (v.is_null()) return core::Ok();
                                 if (!v.is_string()) return Bad(ptr, "must be a role name or null");
                                 core::Role role{};
                                 UCSC_RETURN_IF_ERROR(ReadRole(v.get<std::string>(), ptr, role));
                                 p.approver_role = role;
                                 return core::Ok();
                               }));
  UCSC_RETURN_IF_ERROR(OptionalTime(r, "approved_at", p.approved_at));
  UCSC_RETURN_IF_ERROR(
      Array(r, "history", Need::kOptional, 10'000,
            [&](const Json& v, const std::string& ptr) -> core::Status {
              Transition t;
              ObjectReader tr(v, ptr);
              std::string from, to, role;
              UCSC_RETURN_IF_ERROR(tr.String("from", from, Need::kRequired, 32));
              UCSC_RETURN_IF_ERROR(ReadState(from, ptr + "/from", t.from));
              UCSC_RETURN_IF_ERROR(tr.String("to", to, Need::kRequired, 32));
              UCSC_RETURN_IF_ERROR(ReadState(to, ptr + "/to", t.to));
              UCSC_RETURN_IF_ERROR(tr.String("actor", t.actor, Need::kRequired, 128));
              UCSC_RETURN_IF_ERROR(tr.String("role", role, Need::kRequired, 32));
              UCSC_RETURN_IF_ERROR(ReadRole(role, ptr + "/role", t.role));
              UCSC_RETURN_IF_ERROR(tr.Time("at", t.at, Need::kRequired));
              UCSC_RETURN_IF_ERROR(tr.String("reason", t.reason, Need::kOptional, 4096));
              UCSC_RETURN_IF_ERROR(tr.Finish());
              if (!p.history.empty() && t.at < p.history.back().at) {
                return Bad(ptr + "/at", "history must be in time order");
              }
              p.history.push_back(std::move(t));
              return core::Ok();
            }));
  UCSC_RETURN_IF_ERROR(r.Time("created_at", p.created_at, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Time("updated_at", p.updated_at, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Finish());
  if (p.state == PlanState::kApproved && (!p.approved_at || p.approved_by.empty())) {
    return Bad("/approved_at", "an approved plan needs approved_by and approved_at");
  }
  return p;
}

core::Result<IrPlan> ParsePlanJson(std::string_view text) {
  UCSC_ASSIGN_OR_RETURN(auto j, codec::ParseJson(text));
  return PlanFromJson(j);
}

}  // namespace ucsc::plan
