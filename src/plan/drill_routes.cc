// The drill routes (issue 15 point 3): plan a drill over systems in scope, start it, keep its
// timeline of actions and detections, record findings, and close it — refused while a finding is
// unclassified, unowned or undated; closing writes each finding's remediation task and, for one
// that allows intrusion, its hunt task at the same instant (R6), and the R5 evidence of every
// system in scope for a live-fire drill (R25: a tabletop exercise is not R5). Every change after
// planning needs If-Match (428 without, 412 when stale).
#include <algorithm>
#include <chrono>

#include "plan/drill_json.h"
#include "plan/routes.h"
#include "plan/service.h"

namespace ucsc::plan {
namespace {

using capability::Ctx;
using capability::Json;
using capability::RouteSpec;
using capability::SetJson;
using Status = core::Status;

Json Seconds(const std::optional<std::chrono::milliseconds>& d) {
  return d ? Json(std::chrono::duration_cast<std::chrono::seconds>(*d).count()) : Json(nullptr);
}

Json View(const StoredDrill& s) {
  Json out = ToJson(s.drill);
  out["etag"] = s.etag;
  out["time_to_detect_seconds"] = Seconds(TimeToDetect(s.drill));
  out["time_to_contain_seconds"] = Seconds(TimeToContain(s.drill));
  Json problems = Json::array();
  if (s.drill.state == DrillState::kRunning) {
    for (auto& p : ClosingProblems(s.drill)) problems.push_back(std::move(p));
  }
  out["closing_problems"] = std::move(problems);
  return out;
}

void Answer(Ctx& c, const StoredDrill& s, int status) {
  SetJson(c, status, View(s));
  c.res.SetHeader("ETag", capability::ETag(s.etag));
}

core::Result<StoredDrill> Visible(store::Tx& tx, const Ctx& c, const std::string& id) {
  auto s = DrillRepo(tx.Sql()).Get(id);
  if (!s || !capability::InScope(c.scope, s->drill.org_id)) return core::NotFound("no such drill");
  return s;
}

// The drill under If-Match, for a change. Errors: kFailedPrecondition without If-Match (428),
// kNotFound, kConflict when stale (412).
core::Result<StoredDrill> ForChange(store::Tx& tx, const Ctx& c) {
  UCSC_ASSIGN_OR_RETURN(int64_t etag, capability::RequireIfMatch(c));
  UCSC_ASSIGN_OR_RETURN(auto s, Visible(tx, c, c.params.at("id")));
  if (s.etag != etag) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "the drill was changed by someone else; reload it");
  }
  return s;
}

// Saves `d` over `s` with its audit record and answers 200.
Status SaveAndAnswer(Ctx& c, store::Tx& tx, const StoredDrill& s, const Drill& d,
                     const std::string& action, core::Instant now) {
  UCSC_ASSIGN_OR_RETURN(int64_t next, DrillRepo(tx.Sql()).Save(d, s.etag));
  UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, c, now, action, "drill", d.id,
                                               ToJson(s.drill).dump(), ToJson(d).dump()));
  Answer(c, {d, next}, 200);
  return core::Ok();
}

// Keys of the planning body that the server sets.
constexpr std::array<std::string_view, 7> kServerKeys = {
    "id", "org_id", "state", "timeline", "findings", "started_at", "closed_at"};

}  // namespace

std::vector<RouteSpec> DrillRoutes(const RoutesEnv& env) {
  std::vector<RouteSpec> routes;
  const RoutesEnv e = env;

  routes.emplace_back(
      "POST", "/api/v1/drills",
      "Plan a drill: {\"title\", \"kind\": \"live_fire\"|\"tabletop\", \"system_ids\", "
      "\"planned_start\", \"planned_end\", \"participants\": [{\"name\", \"role\"}], "
      "\"rules_of_engagement\", \"scenario_id\", \"scan_authorisation_id\"}; a live-fire drill "
      "needs a red and a blue team (CT18)",
      true, "drills", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(Json body, capability::ParseBody(c, e.depth));
        if (!body.is_object()) return core::InvalidArgument("must be an object", "");
        for (auto key : kServerKeys) {
          if (body.contains(key)) {
            return core::InvalidArgument("is set by the server", "/" + std::string(key));
          }
        }
        // The drill belongs to the organisation owning its first system; every system must be
        // one the caller sees.
        std::string org_id;
        if (body.contains("system_ids") && body["system_ids"].is_array()) {
          const Json& ids = body["system_ids"];
          for (size_t i = 0; i < ids.size(); ++i) {
            if (!ids[i].is_string()) continue;  // the decoder names it
            auto system = tx.Systems().Get(ids[i].get<std::string>(), c.scope);
            if (!system) {
              return core::InvalidArgument("matches no system you can see",
                                           "/system_ids/" + std::to_string(i));
            }
            if (org_id.empty()) org_id = system->owner_org_id;
          }
        }
        body["id"] = e.ids.Next();
        body["org_id"] = org_id.empty() ? std::string("-") : org_id;
        body["state"] = "planned";
        UCSC_ASSIGN_OR_RETURN(Drill d, DrillFromJson(body));
        std::vector<std::string> unique = d.system_ids;
        std::sort(unique.begin(), unique.end());
        if (std::adjacent_find(unique.begin(), unique.end()) != unique.end()) {
          return core::InvalidArgument("lists a system twice", "/system_ids");
        }
        UCSC_RETURN_IF_ERROR(ValidatePlannedDrill(d));
        const core::Instant now = e.clock.Now();
        UCSC_RETURN_IF_ERROR(DrillRepo(tx.Sql()).Create(d));
        UCSC_RETURN_IF_ERROR(
            capability::AppendAudit(tx, c, now, "create", "drill", d.id, "", ToJson(d).dump()));
        Answer(c, {d, 1}, 201);
        return core::Ok();
      });

  routes.emplace_back(
      "GET", "/api/v1/drills",
      "Drills in your scope, by planned start: ?system_id= ?state=planned|running|closed "
      "?year=YYYY (planned start)",
      false, "drills", capability::Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(c, {"system_id", "state", "year"}));
        const std::string system_id = capability::Param(c, "system_id");
        const std::string state = capability::Param(c, "state");
        const std::string year = capability::Param(c, "year");
        if (!state.empty() && state != "planned" && state != "running" && state != "closed") {
          return core::InvalidArgument("must be planned, running or closed", "/state");
        }
        int y = 0;
        if (!year.empty()) {
          if (year.size() != 4 || !std::all_of(year.begin(), year.end(), ::isdigit)) {
            return core::InvalidArgument("must be a year YYYY", "/year");
          }
          y = std::stoi(year);
        }
        UCSC_ASSIGN_OR_RETURN(auto drills, DrillRepo(tx.Sql()).List());
        Json items = Json::array();
        for (const auto& s : drills) {
          const Drill& d = s.drill;
          if (!capability::InScope(c.scope, d.org_id)) continue;
          if (!state.empty() && DrillStateName(d.state) != state) continue;
          if (y != 0 && d.planned_start.year != y) continue;
          if (!system_id.empty() && std::find(d.system_ids.begin(), d.system_ids.end(),
                                              system_id) == d.system_ids.end()) {
            continue;
          }
          items.push_back(View(s));
        }
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });

  routes.emplace_back("GET", "/api/v1/drills/{id}",
                      "One drill with its timeline, findings, time to detect and to contain, and "
                      "what still stops it from closing; ETag for If-Match",
                      false, "drills", capability::Access::kRead,
                      [](Ctx& c, store::Tx& tx) -> Status {
                        UCSC_ASSIGN_OR_RETURN(auto s, Visible(tx, c, c.params["id"]));
                        Answer(c, s, 200);
                        return core::Ok();
                      });

  routes.emplace_back("POST", "/api/v1/drills/{id}/start", "Start a planned drill (If-Match)", true,
                      "drills", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
                        UCSC_ASSIGN_OR_RETURN(auto s, ForChange(tx, c));
                        const core::Instant now = e.clock.Now();
                        Drill d = s.drill;
                        UCSC_RETURN_IF_ERROR(StartDrill(d, now));
                        return SaveAndAnswer(c, tx, s, d, "start", now);
                      });

  routes.emplace_back(
      "POST", "/api/v1/drills/{id}/timeline",
      "Add a timeline entry to a running drill (If-Match): {\"kind\": "
      "\"action\"|\"detection\"|\"containment\"|\"note\", \"text\", \"at\" (default now)}",
      true, "drills", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(Json body, capability::ParseBody(c, e.depth));
        UCSC_ASSIGN_OR_RETURN(auto s, ForChange(tx, c));
        const core::Instant now = e.clock.Now();
        if (!body.is_object()) return core::InvalidArgument("must be an object", "");
        if (body.contains("actor")) return core::InvalidArgument("is set by the server", "/actor");
        if (!body.contains("at")) body["at"] = core::FormatRfc3339Utc(now);
        body["actor"] = c.principal.actor;
        UCSC_ASSIGN_OR_RETURN(TimelineEntry entry, TimelineEntryFromJson(body, ""));
        if (entry.at > now) return core::InvalidArgument("is in the future", "/at");
        Drill d = s.drill;
        UCSC_RETURN_IF_ERROR(AddTimelineEntry(d, std::move(entry)));
        return SaveAndAnswer(c, tx, s, d, "timeline", now);
      });

  routes.emplace_back(
      "POST", "/api/v1/drills/{id}/findings",
      "Record or replace (same id) a weakness found (If-Match): {\"id\" (optional), "
      "\"system_id\", \"title\", \"description\", \"category\": "
      "\"process\"|\"technology\"|\"people\", \"severity\", \"allows_intrusion\", \"owner\", "
      "\"due_date\"}",
      true, "drills", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(Json body, capability::ParseBody(c, e.depth));
        UCSC_ASSIGN_OR_RETURN(auto s, ForChange(tx, c));
        if (!body.is_object()) return core::InvalidArgument("must be an object", "");
        if (!body.contains("id")) body["id"] = e.ids.Next();
        UCSC_ASSIGN_OR_RETURN(Finding f, FindingFromJson(body, ""));
        if (!f.owner.empty() && !tx.Users().GetById(f.owner)) {
          return core::InvalidArgument("matches no user", "/owner");
        }
        Drill d = s.drill;
        auto recorded = RecordFinding(d, std::move(f));
        if (!recorded) {
          core::Error err = recorded.error();
          // The library names the field inside the drill document; the body is one finding.
          if (const auto slash = err.field.rfind('/');
              err.field.rfind("/findings/", 0) == 0 && slash != std::string::npos) {
            err.field = err.field.substr(slash);
          }
          return tl::unexpected(err);
        }
        return SaveAndAnswer(c, tx, s, d, "finding", e.clock.Now());
      });

  routes.emplace_back(
      "POST", "/api/v1/drills/{id}/close",
      "Close a running drill (If-Match): refused while a finding is unclassified, unowned or "
      "undated (listed); writes each finding's remediation task, a hunt task with it for one "
      "that allows intrusion (R6), and R5 evidence for a live-fire drill",
      true, "drills", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto s, ForChange(tx, c));
        UCSC_ASSIGN_OR_RETURN(auto closed, CloseStoredDrill(tx, s.drill.id, s.etag,
                                                            c.principal.actor, e.clock.Now()));
        Answer(c, closed, 200);
        return core::Ok();
      });

  return routes;
}

}  // namespace ucsc::plan
