// The plan module's routes (issue 15): plans per system — create a draft, list and read them
// with their completeness (R4) and staleness (R3), edit sections under If-Match, submit — and
// the approval by the organisation's manager or, for the provincial plan, the coordinator (R26).
#include "plan/routes.h"

#include "plan/plan_json.h"
#include "plan/service.h"

namespace ucsc::plan {
namespace {

using capability::Ctx;
using capability::Json;
using capability::RouteSpec;
using capability::SetJson;
using Status = core::Status;

Json Localized(const LocalizedText& t) { return Json{{"vi", t.vi}, {"en", t.en}}; }

core::Result<const std::vector<Outline>*> Outlines(const RoutesEnv& env) {
  if (env.outlines == nullptr || env.outlines->empty()) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "the plan outlines (data/plans) are not loaded: " + env.load_error);
  }
  return env.outlines.get();
}

// The plan as the API shows it: the version's document, its ETag, the completeness check (R4)
// and, for a system plan, its R3 status (stale and why).
core::Result<Json> View(store::Tx& tx, const StoredPlan& s, const std::vector<Outline>& outlines,
                        core::Instant now) {
  Json out = ToJson(s.plan);
  out["etag"] = s.etag;
  Json missing = Json::array();
  if (const Outline* o = OutlineOf(outlines, s.plan)) {
    for (const auto& m : CheckCompleteness(s.plan, *o)) {
      missing.push_back({{"section_id", m.section_id},
                         {"title", Localized(m.title)},
                         {"reason", Localized(m.reason)}});
    }
  }
  out["completeness"] = {{"complete", missing.empty()}, {"missing", missing}};
  if (s.plan.scope == PlanScope::kSystem) {
    UCSC_ASSIGN_OR_RETURN(PlanStatus st, SystemPlanStatus(tx, s.plan.system_id, now));
    Json status{{"rule", st.rule},
                {"kind", PlanStatusKindName(st.kind)},
                {"stale", st.kind == PlanStatusKind::kStale},
                {"overdue", st.overdue},
                {"version_in_force", st.version}};
    if (st.stale_since) status["stale_since"] = core::FormatRfc3339Utc(*st.stale_since);
    if (!st.change_id.empty()) status["change_id"] = st.change_id;
    if (st.change_kind) status["change_kind"] = ChangeKindName(*st.change_kind);
    if (st.due) status["reapproval_due"] = core::FormatIsoDate(*st.due);
    out["status"] = status;
  }
  return out;
}

core::Result<StoredPlan> Visible(store::Tx& tx, const Ctx& c, const std::string& id) {
  auto s = PlanRepo(tx.Sql()).Latest(id);
  if (!s || !capability::InScope(c.scope, s->plan.org_id)) return core::NotFound("no such plan");
  return s;
}

Status Answer(Ctx& c, store::Tx& tx, const StoredPlan& s, const std::vector<Outline>& outlines,
              core::Instant now, int status) {
  UCSC_ASSIGN_OR_RETURN(Json body, View(tx, s, outlines, now));
  SetJson(c, status, body);
  c.res.SetHeader("ETag", capability::ETag(s.etag));
  return core::Ok();
}

Actor ActorOf(const Ctx& c) {
  return {c.principal.user.id, c.principal.user.role, c.principal.user.org_id};
}

}  // namespace

std::vector<RouteSpec> PlanRoutes(const RoutesEnv& env) {
  std::vector<RouteSpec> routes;
  const RoutesEnv e = env;

  routes.emplace_back(
      "POST", "/api/v1/plans",
      "Create the draft IR plan of a system: {\"system_id\", \"title\"}; its sections follow the "
      "outline of the system's level (TT20 Art 12.1)",
      true, "plans", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto outlines, Outlines(e));
        UCSC_ASSIGN_OR_RETURN(Json body, capability::ParseBody(c, e.depth));
        std::string system_id, title;
        codec::ObjectReader r(body, "");
        UCSC_RETURN_IF_ERROR(r.String("system_id", system_id, codec::Need::kRequired, 64));
        UCSC_RETURN_IF_ERROR(r.String("title", title, codec::Need::kOptional, 500));
        UCSC_RETURN_IF_ERROR(r.Finish());
        auto system = tx.Systems().Get(system_id, c.scope);
        if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
        const Outline* outline =
            SelectOutline(*outlines, OutlineKindFor(system->level, system->national_important));
        if (outline == nullptr) return core::Internal("no outline applies to the system");
        UCSC_ASSIGN_OR_RETURN(auto existing, PlanRepo(tx.Sql()).PlanOfSystem(system_id));
        if (existing) {
          return core::MakeError(core::ErrorCode::kAlreadyExists,
                                 "the system already has plan " + *existing, "/system_id");
        }
        const core::Instant now = e.clock.Now();
        UCSC_ASSIGN_OR_RETURN(IrPlan p, NewDraft({.id = e.ids.Next(),
                                                  .org_id = system->owner_org_id,
                                                  .system_id = system_id,
                                                  .title = title},
                                                 *outline, now));
        UCSC_RETURN_IF_ERROR(PlanRepo(tx.Sql()).Create(p));
        UCSC_RETURN_IF_ERROR(
            capability::AppendAudit(tx, c, now, "create", "ir_plan", p.id, "", ToJson(p).dump()));
        return Answer(c, tx, {p, 1}, *outlines, now, 201);
      });

  routes.emplace_back(
      "GET", "/api/v1/plans",
      "IR plans in your scope (latest version each, with completeness and R3 status): "
      "?system_id=",
      false, "plans", capability::Access::kRead, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(c, {"system_id"}));
        UCSC_ASSIGN_OR_RETURN(auto outlines, Outlines(e));
        const std::string system_id = capability::Param(c, "system_id");
        UCSC_ASSIGN_OR_RETURN(auto plans, PlanRepo(tx.Sql()).ListLatest());
        Json items = Json::array();
        for (const auto& s : plans) {
          if (!capability::InScope(c.scope, s.plan.org_id)) continue;
          if (!system_id.empty() && s.plan.system_id != system_id) continue;
          UCSC_ASSIGN_OR_RETURN(Json v, View(tx, s, *outlines, e.clock.Now()));
          items.push_back(std::move(v));
        }
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });

  routes.emplace_back("GET", "/api/v1/plans/{id}",
                      "One IR plan: its latest version, missing sections (R4), stale flag and why "
                      "(R3); ETag for If-Match",
                      false, "plans", capability::Access::kRead,
                      [e](Ctx& c, store::Tx& tx) -> Status {
                        UCSC_ASSIGN_OR_RETURN(auto outlines, Outlines(e));
                        UCSC_ASSIGN_OR_RETURN(auto s, Visible(tx, c, c.params["id"]));
                        return Answer(c, tx, s, *outlines, e.clock.Now(), 200);
                      });

  routes.emplace_back(
      "PATCH", "/api/v1/plans/{id}",
      "Edit a plan's sections (If-Match required; 412 when stale): {\"title\", \"sections\": "
      "{\"<section id>\": \"text\"}}; an approved plan gets a new draft version",
      true, "plans", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto outlines, Outlines(e));
        UCSC_ASSIGN_OR_RETURN(int64_t etag, capability::RequireIfMatch(c));
        UCSC_ASSIGN_OR_RETURN(Json body, capability::ParseBody(c, e.depth));
        UCSC_ASSIGN_OR_RETURN(auto s, Visible(tx, c, c.params["id"]));
        if (s.etag != etag) {
          return core::MakeError(core::ErrorCode::kConflict,
                                 "the plan was changed by someone else; reload it");
        }
        const Outline* outline = OutlineOf(*outlines, s.plan);
        if (outline == nullptr) return core::Internal("the plan's outline is not loaded");
        const core::Instant now = e.clock.Now();
        const std::string before = ToJson(s.plan).dump();
        IrPlan p = s.plan;
        if (p.state == PlanState::kApproved) {
          UCSC_ASSIGN_OR_RETURN(p, NextVersion(p, now));
        }
        codec::ObjectReader r(body, "");
        std::string title = p.title;
        UCSC_RETURN_IF_ERROR(r.String("title", title, codec::Need::kOptional, 500));
        UCSC_RETURN_IF_ERROR(
            r.Value("sections", codec::Need::kOptional,
                    [&](const Json& v, const std::string& ptr) -> Status {
                      if (!v.is_object()) return core::InvalidArgument("must be an object", ptr);
                      for (const auto& [id, text] : v.items()) {
                        const std::string field = ptr + "/" + codec::PointerEscape(id);
                        if (!text.is_string())
                          return core::InvalidArgument("must be a string", field);
                        auto set = SetSection(p, *outline, id, text.get<std::string>(), now);
                        if (!set) {
                          core::Error err = set.error();
                          err.field = field;
                          return tl::unexpected(err);
                        }
                      }
                      return core::Ok();
                    }));
        UCSC_RETURN_IF_ERROR(r.Finish());
        p.title = title;
        p.updated_at = now;
        UCSC_ASSIGN_OR_RETURN(int64_t next, PlanRepo(tx.Sql()).Save(p, etag));
        UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, c, now, "update", "ir_plan", p.id, before,
                                                     ToJson(p).dump()));
        return Answer(c, tx, {p, next}, *outlines, now, 200);
      });

  routes.emplace_back("POST", "/api/v1/plans/{id}/submit", "Submit a draft plan for approval", true,
                      "plans", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
                        UCSC_ASSIGN_OR_RETURN(auto outlines, Outlines(e));
                        UCSC_ASSIGN_OR_RETURN(auto s, Visible(tx, c, c.params["id"]));
                        const core::Instant now = e.clock.Now();
                        const std::string before = ToJson(s.plan).dump();
                        IrPlan p = s.plan;
                        UCSC_RETURN_IF_ERROR(Submit(p, ActorOf(c), now));
                        p.updated_at = now;
                        UCSC_ASSIGN_OR_RETURN(int64_t next, PlanRepo(tx.Sql()).Save(p, s.etag));
                        UCSC_RETURN_IF_ERROR(capability::AppendAudit(
                            tx, c, now, "submit", "ir_plan", p.id, before, ToJson(p).dump()));
                        return Answer(c, tx, {p, next}, *outlines, now, 200);
                      });

  routes.emplace_back(
      "POST", "/api/v1/plan-approvals/{id}",
      "Decide a submitted plan: {\"decision\": \"approve\"|\"reject\", \"reason\"}; by the "
      "organisation's manager, the coordinator for the provincial plan (R26); refused with the "
      "missing sections listed when incomplete (R4); an approval is R3/R4 evidence",
      true, "plan-approvals", capability::Access::kWrite, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto outlines, Outlines(e));
        UCSC_ASSIGN_OR_RETURN(Json body, capability::ParseBody(c, e.depth));
        std::string decision, reason;
        codec::ObjectReader r(body, "");
        UCSC_RETURN_IF_ERROR(r.String("decision", decision, codec::Need::kRequired, 16));
        UCSC_RETURN_IF_ERROR(r.String("reason", reason, codec::Need::kOptional, 2000));
        UCSC_RETURN_IF_ERROR(r.Finish());
        UCSC_ASSIGN_OR_RETURN(auto s, Visible(tx, c, c.params["id"]));
        const core::Instant now = e.clock.Now();
        if (decision == "approve") {
          UCSC_ASSIGN_OR_RETURN(auto approved,
                                ApproveStoredPlan(tx, *outlines, s.plan.id, s.etag, ActorOf(c),
                                                  c.principal.actor, now));
          return Answer(c, tx, approved, *outlines, now, 200);
        }
        if (decision != "reject") {
          return core::InvalidArgument("must be approve or reject", "/decision");
        }
        const std::string before = ToJson(s.plan).dump();
        IrPlan p = s.plan;
        UCSC_RETURN_IF_ERROR(Reject(p, ActorOf(c), reason, now));
        p.updated_at = now;
        UCSC_ASSIGN_OR_RETURN(int64_t next, PlanRepo(tx.Sql()).Save(p, s.etag));
        UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, c, now, "reject", "ir_plan", p.id, before,
                                                     ToJson(p).dump()));
        return Answer(c, tx, {p, next}, *outlines, now, 200);
      });
  return routes;
}

}  // namespace ucsc::plan
