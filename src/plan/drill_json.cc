#include "plan/drill_json.h"

#include <array>
#include <string>
#include <utility>

#include "core/legal_time.h"

namespace ucsc::plan {

namespace {

using codec::Json;
using codec::Need;
using codec::ObjectReader;

tl::unexpected<core::Error> Bad(const std::string& pointer, const std::string& what) {
  return core::InvalidArgument(pointer + ": " + what, pointer);
}

template <class E, size_t N>
core::Status ReadEnum(ObjectReader& r, std::string_view key, Need need,
                      const std::array<std::pair<E, std::string_view>, N>& names, E& out) {
  std::string text;
  UCSC_RETURN_IF_ERROR(r.String(key, text, need, 64));
  if (text.empty() && need == Need::kOptional) return core::Ok();
  for (const auto& [value, name] : names) {
    if (name == text) {
      out = value;
      return core::Ok();
    }
  }
  std::string list;
  for (const auto& [value, name] : names) list += (list.empty() ? "" : ", ") + std::string(name);
  return Bad(r.PointerOf(key), "must be one of " + list);
}

template <class E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E v) {
  for (const auto& [value, name] : names) {
    if (value == v) return name;
  }
  return names[0].second;
}

constexpr std::array<std::pair<DrillKind, std::string_view>, 2> kKinds{
    {{DrillKind::kLiveFire, "live_fire"}, {DrillKind::kTabletop, "tabletop"}}};
constexpr std::array<std::pair<DrillState, std::string_view>, 3> kStates{
    {{DrillState::kPlanned, "planned"},
     {DrillState::kRunning, "running"},
     {DrillState::kClosed, "closed"}}};
constexpr std::array<std::pair<FindingCategory, std::string_view>, 4> kCategories{
    {{FindingCategory::kUnclassified, "unclassified"},
     {FindingCategory::kProcess, "process"},
     {FindingCategory::kTechnology, "technology"},
     {FindingCategory::kPeople, "people"}}};
constexpr std::array<std::pair<Severity, std::string_view>, 4> kSeverities{
    {{Severity::kLow, "low"},
     {Severity::kMedium, "medium"},
     {Severity::kHigh, "high"},
     {Severity::kCritical, "critical"}}};
constexpr std::array<std::pair<ParticipantRole, std::string_view>, 4> kRoles{
    {{ParticipantRole::kLead, "lead"},
     {ParticipantRole::kRedTeam, "red_team"},
     {ParticipantRole::kBlueTeam, "blue_team"},
     {ParticipantRole::kObserver, "observer"}}};
constexpr std::array<std::pair<TimelineKind, std::string_view>, 4> kTimelineKinds{
    {{TimelineKind::kAction, "action"},
     {TimelineKind::kDetection, "detection"},
     {TimelineKind::kContainment, "containment"},
     {TimelineKind::kNote, "note"}}};

Json TimeOrNull(const std::optional<core::Instant>& t) {
  return t ? Json(core::FormatRfc3339Utc(*t)) : Json(nullptr);
}

core::Status Date(ObjectReader& r, std::string_view key, core::LocalDate& out) {
  std::string text;
  UCSC_RETURN_IF_ERROR(r.String(key, text, Need::kRequired, 10));
  auto d = core::ParseIsoDate(text);
  if (!d) return Bad(r.PointerOf(key), "must be a date YYYY-MM-DD");
  out = *d;
  return core::Ok();
}

core::Status OptionalTime(ObjectReader& r, std::string_view key,
                          std::optional<core::Instant>& out) {
  return r.Value(key, Need::kOptional, [&](const Json& v, const std::string& ptr) -> core::Status {
    if (v.is_null()) return core::Ok();
    auto t = v.is_string() ? core::ParseRfc3339(v.get<std::string>()) : std::nullopt;
    if (!t) return Bad(ptr, "must be an RFC 3339 time or null");
    out = *t;
    return core::Ok();
  });
}

template <class Fn>
core::Status Array(ObjectReader& r, std::string_view key, size_t max_items, const Fn& each) {
  return r.Value(key, Need::kOptional, [&](const Json& v, const std::string& ptr) -> core::Status {
    if (!v.is_array()) return Bad(ptr, "must be an array");
    if (v.size() > max_items) return Bad(ptr, "more than " + std::to_string(max_items) + " items");
    for (size_t i = 0; i < v.size(); ++i) {
      UCSC_RETURN_IF_ERROR(each(v[i], ptr + "/" + std::to_string(i)));
    }
    return core::Ok();
  });
}

}  // namespace

codec::Json ToJson(const Drill& d) {
  Json participants = Json::array();
  for (const auto& p : d.participants) {
    participants.push_back(
        {{"name", p.name}, {"org_id", p.org_id}, {"role", NameOf(kRoles, p.role)}});
  }
  Json timeline = Json::array();
  for (const auto& e : d.timeline) {
    timeline.push_back({{"at", core::FormatRfc3339Utc(e.at)},
                        {"kind", NameOf(kTimelineKinds, e.kind)},
                        {"actor", e.actor},
                        {"text", e.text}});
  }
  Json findings = Json::array();
  for (const auto& f : d.findings) {
    findings.push_back({{"id", f.id},
                        {"system_id", f.system_id},
                        {"title", f.title},
                        {"description", f.description},
                        {"category", NameOf(kCategories, f.category)},
                        {"severity", NameOf(kSeverities, f.severity)},
                        {"allows_intrusion", f.allows_intrusion},
                        {"owner", f.owner},
                        {"due_date", f.due_date}});
  }
  return Json{{"id", d.id},
              {"org_id", d.org_id},
              {"title", d.title},
              {"kind", NameOf(kKinds, d.kind)},
              {"system_ids", d.system_ids},
              {"scenario_id", d.scenario_id},
              {"rules_of_engagement", d.rules_of_engagement},
              {"scan_authorisation_id", d.scan_authorisation_id},
              {"planned_start", core::FormatIsoDate(d.planned_start)},
              {"planned_end", core::FormatIsoDate(d.planned_end)},
              {"participants", std::move(participants)},
              {"timeline", std::move(timeline)},
              {"findings", std::move(findings)},
              {"state", NameOf(kStates, d.state)},
              {"started_at", TimeOrNull(d.started_at)},
              {"closed_at", TimeOrNull(d.closed_at)}};
}

core::Result<TimelineEntry> TimelineEntryFromJson(const codec::Json& v, const std::string& ptr) {
  TimelineEntry e;
  ObjectReader er(v, ptr);
  UCSC_RETURN_IF_ERROR(er.Time("at", e.at, Need::kRequired));
  UCSC_RETURN_IF_ERROR(ReadEnum(er, "kind", Need::kRequired, kTimelineKinds, e.kind));
  UCSC_RETURN_IF_ERROR(er.String("actor", e.actor, Need::kOptional, 256));
  UCSC_RETURN_IF_ERROR(er.String("text", e.text, Need::kRequired, 10'000));
  UCSC_RETURN_IF_ERROR(er.Finish());
  return e;
}

core::Result<Finding> FindingFromJson(const codec::Json& v, const std::string& ptr) {
  Finding f;
  ObjectReader fr(v, ptr);
  UCSC_RETURN_IF_ERROR(fr.String("id", f.id, Need::kRequired, 128));
  UCSC_RETURN_IF_ERROR(fr.String("system_id", f.system_id, Need::kRequired, 128));
  UCSC_RETURN_IF_ERROR(fr.String("title", f.title, Need::kRequired, 1000));
  UCSC_RETURN_IF_ERROR(fr.String("description", f.description, Need::kOptional, 100'000));
  UCSC_RETURN_IF_ERROR(ReadEnum(fr, "category", Need::kRequired, kCategories, f.category));
  UCSC_RETURN_IF_ERROR(ReadEnum(fr, "severity", Need::kRequired, kSeverities, f.severity));
  UCSC_RETURN_IF_ERROR(fr.Bool("allows_intrusion", f.allows_intrusion, Need::kOptional));
  UCSC_RETURN_IF_ERROR(fr.String("owner", f.owner, Need::kOptional, 128));
  UCSC_RETURN_IF_ERROR(fr.String("due_date", f.due_date, Need::kOptional, 10));
  if (!f.due_date.empty() && !core::ParseIsoDate(f.due_date)) {
    return Bad(ptr + "/due_date", "must be a date YYYY-MM-DD");
  }
  UCSC_RETURN_IF_ERROR(fr.Finish());
  return f;
}

core::Result<Drill> DrillFromJson(const codec::Json& j) {
  Drill d;
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(r.String("id", d.id, Need::kRequired, 128));
  if (d.id.empty()) return Bad("/id", "must not be empty");
  UCSC_RETURN_IF_ERROR(r.String("org_id", d.org_id, Need::kRequired, 128));
  if (d.org_id.empty()) return Bad("/org_id", "must not be empty");
  UCSC_RETURN_IF_ERROR(r.String("title", d.title, Need::kOptional, 1000));
  UCSC_RETURN_IF_ERROR(ReadEnum(r, "kind", Need::kRequired, kKinds, d.kind));
  UCSC_RETURN_IF_ERROR(r.StringList("system_ids", d.system_ids, Need::kRequired, 1000));
  if (d.system_ids.empty()) return Bad("/system_ids", "must not be empty");
  UCSC_RETURN_IF_ERROR(r.String("scenario_id", d.scenario_id, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(
      r.String("rules_of_engagement", d.rules_of_engagement, Need::kOptional, 100'000));
  UCSC_RETURN_IF_ERROR(
      r.String("scan_authorisation_id", d.scan_authorisation_id, Need::kOptional, 128));
  UCSC_RETURN_IF_ERROR(Date(r, "planned_start", d.planned_start));
  UCSC_RETURN_IF_ERROR(Date(r, "planned_end", d.planned_end));
  if (d.planned_end < d.planned_start) return Bad("/planned_end", "is before planned_start");
  UCSC_RETURN_IF_ERROR(
      Array(r, "participants", 1000, [&](const Json& v, const std::string& ptr) -> core::Status {
        Participant p;
        ObjectReader pr(v, ptr);
        UCSC_RETURN_IF_ERROR(pr.String("name", p.name, Need::kRequired, 256));
        UCSC_RETURN_IF_ERROR(pr.String("org_id", p.org_id, Need::kOptional, 128));
        UCSC_RETURN_IF_ERROR(ReadEnum(pr, "role", Need::kRequired, kRoles, p.role));
        UCSC_RETURN_IF_ERROR(pr.Finish());
        d.participants.push_back(std::move(p));
        return core::Ok();
      }));
  UCSC_RETURN_IF_ERROR(
      Array(r, "timeline", 100'000, [&](const Json& v, const std::string& ptr) -> core::Status {
        UCSC_ASSIGN_OR_RETURN(TimelineEntry e, TimelineEntryFromJson(v, ptr));
        if (!d.timeline.empty() && e.at < d.timeline.back().at) {
          return Bad(ptr + "/at", "timeline must be in time order");
        }
        d.timeline.push_back(std::move(e));
        return core::Ok();
      }));
  UCSC_RETURN_IF_ERROR(
      Array(r, "findings", 10'000, [&](const Json& v, const std::string& ptr) -> core::Status {
        UCSC_ASSIGN_OR_RETURN(Finding f, FindingFromJson(v, ptr));
        d.findings.push_back(std::move(f));
        return core::Ok();
      }));
  UCSC_RETURN_IF_ERROR(ReadEnum(r, "state", Need::kRequired, kStates, d.state));
  UCSC_RETURN_IF_ERROR(OptionalTime(r, "started_at", d.started_at));
  UCSC_RETURN_IF_ERROR(OptionalTime(r, "closed_at", d.closed_at));
  UCSC_RETURN_IF_ERROR(r.Finish());
  if (d.state != DrillState::kPlanned && !d.started_at) {
    return Bad("/started_at", "a running or closed drill needs started_at");
  }
  if (d.state == DrillState::kClosed && !d.closed_at) {
    return Bad("/closed_at", "a closed drill needs closed_at");
  }
  return d;
}

core::Result<Drill> ParseDrillJson(std::string_view text) {
  UCSC_ASSIGN_OR_RETURN(auto j, codec::ParseJson(text));
  return DrillFromJson(j);
}

}  // namespace ucsc::plan
