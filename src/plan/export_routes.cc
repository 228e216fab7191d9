// The plan module's read-only views of its records' history and its official documents
// (issue 15 points 1 and 3): a plan's versions and the diff between two of them, a plan version
// as a "Kế hoạch" and a drill as its "Báo cáo" in the Decree 30/2020 layout (DOCX, or PDF
// through LibreOffice), issued in the name of the organisation the record belongs to.
#include <algorithm>

#include "plan/diff.h"
#include "plan/drill_document.h"
#include "plan/internal/documents.h"
#include "plan/plan_document.h"
#include "plan/plan_json.h"
#include "plan/routes.h"
#include "plan/service.h"
#include "report/pdf.h"

namespace ucsc::plan {
namespace {

using capability::Ctx;
using capability::Json;
using capability::RouteSpec;
using capability::SetJson;
using Status = core::Status;

constexpr std::string_view kDocxType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

Json TimeOrNull(const std::optional<core::Instant>& t) {
  return t ? Json(core::FormatRfc3339Utc(*t)) : Json(nullptr);
}

// Who issues a document of organisation `org_id`, dated `on`: the organisation and its parent,
// signed by `default_signer` unless ?signer_name= / ?signer_title= / ?signer_authority= say
// otherwise; ?place= overrides the province.
core::Result<report::IssueDetails> IssueFor(store::Tx& tx, const Ctx& c, const std::string& org_id,
                                            core::LocalDate on, const std::string& default_signer) {
  return internal::IssueFor(tx, org_id, on, default_signer,
                            {.signer_name = capability::Param(c, "signer_name"),
                             .signer_title = capability::Param(c, "signer_title"),
                             .signer_authority = capability::Param(c, "signer_authority"),
                             .place = capability::Param(c, "place")});
}

std::string DisplayName(store::Tx& tx, const std::string& user_id, const Ctx& c) {
  if (!user_id.empty()) {
    if (auto u = tx.Users().GetById(user_id); u && !u->display_name.empty()) {
      return u->display_name;
    }
  }
  return c.principal.user.display_name.empty() ? c.principal.user.username
                                               : c.principal.user.display_name;
}

// Answers the document as DOCX or, with ?format=pdf, as PDF.
Status SendDocument(Ctx& c, const report::OfficialDocument& doc, const std::string& base_name) {
  const std::string format = capability::Param(c, "format");
  if (!format.empty() && format != "docx" && format != "pdf") {
    return core::InvalidArgument("must be docx or pdf", "/format");
  }
  UCSC_ASSIGN_OR_RETURN(std::string bytes, report::RenderDocx(doc));
  std::string ext = "docx";
  c.res.content_type = std::string(kDocxType);
  if (format == "pdf") {
    auto pdf = report::ConvertDocxToPdf(bytes);
    if (!pdf) {
      core::Error err = pdf.error();
      if (err.code == core::ErrorCode::kFailedPrecondition)
        err.code = core::ErrorCode::kUnavailable;
      return tl::unexpected(err);
    }
    bytes = std::move(*pdf);
    ext = "pdf";
    c.res.content_type = "application/pdf";
  }
  c.res.status = 200;
  c.res.body = std::move(bytes);
  c.res.SetHeader("Content-Disposition", "attachment; filename=\"" + base_name + "." + ext + "\"");
  c.res.SetHeader("Cache-Control", "no-store");
  return core::Ok();
}

core::Result<std::vector<IrPlan>> VisibleVersions(store::Tx& tx, const Ctx& c,
                                                  const std::string& id) {
  auto versions = PlanRepo(tx.Sql()).Versions(id);
  if (!versions || versions->empty() || !capability::InScope(c.scope, versions->back().org_id)) {
    return core::NotFound("no such plan");
  }
  return versions;
}

// ?<key>= as a version number of `versions`, or `fallback` when absent.
core::Result<const IrPlan*> VersionParam(const Ctx& c, const std::vector<IrPlan>& versions,
                                         const std::string& key, int fallback) {
  const std::string text = capability::Param(c, key);
  int n = fallback;
  if (!text.empty()) {
    if (text.size() > 6 || !std::all_of(text.begin(), text.end(), ::isdigit)) {
      return core::InvalidArgument("must be a version number", "/" + key);
    }
    n = std::stoi(text);
  }
  for (const auto& v : versions) {
    if (v.version == n) return &v;
  }
  return core::InvalidArgument("no version " + std::to_string(n) + " of this plan", "/" + key);
}

Json LinesJson(const std::vector<DiffLine>& lines) {
  Json out = Json::array();
  for (const auto& l : lines) {
    out.push_back({{"op", l.op == LineOp::kSame    ? "same"
                          : l.op == LineOp::kAdded ? "added"
                                                   : "removed"},
                   {"text", l.text}});
  }
  return out;
}

}  // namespace

std::vector<RouteSpec> ExportRoutes(const RoutesEnv& env) {
  std::vector<RouteSpec> routes;
  const RoutesEnv e = env;

  routes.emplace_back(
      "GET", "/api/v1/plans/{id}/versions",
      "Every version of a plan, oldest first: state, who submitted and approved it and when", false,
      "plans", capability::Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(c, {}));
        UCSC_ASSIGN_OR_RETURN(auto versions, VisibleVersions(tx, c, c.params["id"]));
        Json items = Json::array();
        for (const auto& v : versions) {
          items.push_back({{"version", v.version},
                           {"state", PlanStateName(v.state)},
                           {"outline_id", v.outline_id},
                           {"submitted_by", v.submitted_by},
                           {"submitted_at", TimeOrNull(v.submitted_at)},
                           {"approved_by", v.approved_by},
                           {"approved_at", TimeOrNull(v.approved_at)},
                           {"created_at", core::FormatRfc3339Utc(v.created_at)},
                           {"updated_at", core::FormatRfc3339Utc(v.updated_at)}});
        }
        SetJson(c, 200, Json{{"items", items}});
        return core::Ok();
      });

  routes.emplace_back(
      "GET", "/api/v1/plans/{id}/diff",
      "What changed between two versions of a plan, section by section with a line diff: "
      "?from= (default: the one before `to`) ?to= (default: the latest)",
      false, "plans", capability::Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(c, {"from", "to"}));
        UCSC_ASSIGN_OR_RETURN(auto versions, VisibleVersions(tx, c, c.params["id"]));
        UCSC_ASSIGN_OR_RETURN(const IrPlan* to,
                              VersionParam(c, versions, "to", versions.back().version));
        UCSC_ASSIGN_OR_RETURN(const IrPlan* from,
                              VersionParam(c, versions, "from", std::max(1, to->version - 1)));
        const PlanDiff diff = DiffPlans(*from, *to);
        Json sections = Json::array();
        for (const auto& s : diff.sections) {
          sections.push_back({{"section_id", s.section_id},
                              {"change", ChangeName(s.change)},
                              {"lines", LinesJson(s.lines)}});
        }
        Json scenarios = Json::array();
        for (const auto& s : diff.scenarios) {
          scenarios.push_back({{"scenario_id", s.scenario_id},
                               {"change", ChangeName(s.change)},
                               {"lines", LinesJson(s.lines)}});
        }
        SetJson(c, 200,
                Json{{"from_version", diff.from_version},
                     {"to_version", diff.to_version},
                     {"sections", sections},
                     {"scenarios", scenarios}});
        return core::Ok();
      });

  routes.emplace_back(
      "GET", "/api/v1/plans/{id}/document",
      "A plan version as an official \"Kế hoạch\" (Decree 30/2020 layout), marked \"dự thảo\" "
      "unless approved: ?version= (default latest) ?format=docx|pdf ?signer_name= "
      "?signer_title= ?signer_authority= ?place=",
      false, "plans", capability::Access::kRead, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(
            c, {"version", "format", "signer_name", "signer_title", "signer_authority", "place"}));
        if (e.outlines == nullptr || e.outlines->empty()) {
          return core::MakeError(core::ErrorCode::kUnavailable,
                                 "the plan outlines (data/plans) are not loaded: " + e.load_error);
        }
        UCSC_ASSIGN_OR_RETURN(auto versions, VisibleVersions(tx, c, c.params["id"]));
        UCSC_ASSIGN_OR_RETURN(const IrPlan* plan,
                              VersionParam(c, versions, "version", versions.back().version));
        const Outline* outline = OutlineOf(*e.outlines, *plan);
        if (outline == nullptr) return core::Internal("the plan's outline is not loaded");
        const core::Instant dated = plan->approved_at.value_or(e.clock.Now());
        PlanDocumentInput in;
        UCSC_ASSIGN_OR_RETURN(in.issue, IssueFor(tx, c, plan->org_id, core::LocalDateOf(dated),
                                                 DisplayName(tx, plan->approved_by, c)));
        in.province = in.issue.place;
        if (!plan->system_id.empty()) {
          if (auto s = tx.Systems().Get(plan->system_id, store::Scope::All())) {
            in.system_name = s->name;
          }
        }
        UCSC_ASSIGN_OR_RETURN(auto doc, BuildPlanDocument(*plan, *outline, in));
        return SendDocument(c, doc, "ke-hoach-" + plan->id + "-v" + std::to_string(plan->version));
      });

  routes.emplace_back(
      "GET", "/api/v1/drills/{id}/report",
      "A drill's report as an official \"Báo cáo\" (Decree 30/2020 layout): participants, "
      "timeline, time to detect and contain, weaknesses by process / technology / people; "
      "?format=docx|pdf ?signer_name= ?signer_title= ?signer_authority= ?place=",
      false, "drills", capability::Access::kRead, [e](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(
            c, {"format", "signer_name", "signer_title", "signer_authority", "place"}));
        auto s = DrillRepo(tx.Sql()).Get(c.params["id"]);
        if (!s || !capability::InScope(c.scope, s->drill.org_id)) {
          return core::NotFound("no such drill");
        }
        const Drill& d = s->drill;
        DrillReportInput in;
        UCSC_ASSIGN_OR_RETURN(
            in.issue,
            IssueFor(tx, c, d.org_id, core::LocalDateOf(d.closed_at.value_or(e.clock.Now())),
                     DisplayName(tx, "", c)));
        for (const auto& id : d.system_ids) {
          if (auto sys = tx.Systems().Get(id, store::Scope::All())) in.system_names[id] = sys->name;
        }
        for (const auto& f : d.findings) {
          if (f.owner.empty() || in.user_names.contains(f.owner)) continue;
          if (auto u = tx.Users().GetById(f.owner)) in.user_names[f.owner] = u->display_name;
        }
        UCSC_ASSIGN_OR_RETURN(auto doc, BuildDrillReport(d, in));
        return SendDocument(c, doc, "bao-cao-dien-tap-" + d.id);
      });

  return routes;
}

}  // namespace ucsc::plan
