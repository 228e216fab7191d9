// `ucsc plan list|show|document` and `ucsc drill list|show|report`: the plan module's records on
// the store, without the server (issue 15). Messages in Vietnamese or English (--lang / LANG);
// --json prints stable English keys.
#include "capability/cli.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "plan/drill_document.h"
#include "plan/drill_json.h"
#include "plan/internal/cli.h"
#include "plan/internal/documents.h"
#include "plan/plan_document.h"
#include "plan/plan_json.h"
#include "plan/service.h"
#include "sys/system_clock.h"

namespace ucsc::plan::internal {
namespace {

using capability::AddStoreOptions;
using capability::Common;
using capability::DefaultCommon;
using capability::Fail;
using capability::OpenStore;
using codec::Json;

using Outlines = std::shared_ptr<const std::vector<Outline>>;

core::Result<const std::vector<Outline>*> Loaded(const Outlines& outlines,
                                                 const std::string& error) {
  if (outlines == nullptr || outlines->empty()) {
    return core::MakeError(
        core::ErrorCode::kUnavailable,
        "the plan outlines (data/plans, env UCSC_PLANS) are not loaded: " + error);
  }
  return outlines.get();
}

std::string Date(const std::optional<core::Instant>& t) {
  return t ? core::FormatVnDate(core::LocalDateOf(*t)) : std::string("-");
}

std::string StateText(PlanState s, bool en) {
  switch (s) {
    case PlanState::kDraft:
      return en ? "draft" : "dự thảo";
    case PlanState::kSubmitted:
      return en ? "submitted" : "đã trình";
    case PlanState::kApproved:
      return en ? "approved" : "đã phê duyệt";
  }
  return "?";
}

// R3 as a phrase: current, stale (re-approval due …), draft only, none.
std::string R3Text(const PlanStatus& st, bool en) {
  switch (st.kind) {
    case PlanStatusKind::kNone:
      return en ? "R3: no plan" : "R3: chưa có phương án";
    case PlanStatusKind::kDraft:
      return en ? "R3: not approved yet" : "R3: chưa được phê duyệt";
    case PlanStatusKind::kApprovedCurrent:
      return en ? "R3: approved, current" : "R3: đã phê duyệt, còn hiệu lực";
    case PlanStatusKind::kStale:
      break;
  }
  const std::string due = st.due ? core::FormatVnDate(*st.due) : "-";
  if (st.overdue) {
    return en ? "R3: stale, re-approval OVERDUE since " + due
              : "R3: cần cập nhật, QUÁ HẠN phê duyệt lại từ " + due;
  }
  return en ? "R3: stale, re-approval due " + due : "R3: cần cập nhật, hạn phê duyệt lại " + due;
}

Json StatusJson(const PlanStatus& st) {
  Json j{{"rule", st.rule},
         {"kind", PlanStatusKindName(st.kind)},
         {"overdue", st.overdue},
         {"version_in_force", st.version}};
  if (st.change_kind) j["change_kind"] = ChangeKindName(*st.change_kind);
  if (st.due) j["reapproval_due"] = core::FormatIsoDate(*st.due);
  return j;
}

Json MissingJson(const std::vector<MissingSection>& missing) {
  Json out = Json::array();
  for (const auto& m : missing) {
    out.push_back(
        {{"section_id", m.section_id}, {"title", {{"vi", m.title.vi}, {"en", m.title.en}}}});
  }
  return out;
}

// Writes `bytes` to `path` and says so. Exit code.
int WriteFile(const std::string& path, const std::string& bytes, bool en) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.flush()) return Fail({core::ErrorCode::kUnavailable, "cannot write " + path, ""});
  std::cout << path << " (" << bytes.size() << (en ? " bytes)\n" : " byte)\n");
  return 0;
}

// ---- ucsc plan list --------------------------------------------------------------------------

struct PlanListOptions {
  Common common = DefaultCommon();
  std::string org;
  bool json = false;
};

int RunPlanList(const PlanListOptions& o, const Outlines& outlines, const std::string& error) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  auto loaded = Loaded(outlines, error);
  if (!loaded) return Fail(loaded.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  Json items = Json::array();
  std::vector<std::string> lines;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto plans, PlanRepo(tx.Sql()).ListLatest());
    for (const auto& s : plans) {
      const IrPlan& p = s.plan;
      if (!o.org.empty() && p.org_id != o.org) continue;
      std::string system_name = p.system_id;
      if (auto sys = tx.Systems().Get(p.system_id, store::Scope::All())) system_name = sys->name;
      const Outline* outline = OutlineOf(**loaded, p);
      const auto missing =
          outline == nullptr ? std::vector<MissingSection>{} : CheckCompleteness(p, *outline);
      Json item{{"id", p.id},
                {"version", p.version},
                {"state", PlanStateName(p.state)},
                {"scope", PlanScopeName(p.scope)},
                {"org_id", p.org_id},
                {"system_id", p.system_id},
                {"system_name", system_name},
                {"complete", missing.empty()},
                {"missing", MissingJson(missing)}};
      std::string r3;
      if (p.scope == PlanScope::kSystem) {
        UCSC_ASSIGN_OR_RETURN(PlanStatus status, SystemPlanStatus(tx, p.system_id, clock.Now()));
        item["status"] = StatusJson(status);
        r3 = R3Text(status, en);
      }
      std::string line = p.id + "  v" + std::to_string(p.version) + "  ";
      line += StateText(p.state, en);
      line += "  ";
      if (missing.empty()) {
        line += en ? "complete" : "đủ nội dung";
      } else {
        line += en ? "R4: " : "R4: thiếu ";
        line += std::to_string(missing.size());
        line += en ? " section(s) missing" : " mục";
      }
      line += "  ";
      line += r3;
      line += "  ";
      line += system_name;
      lines.push_back(std::move(line));
      items.push_back(std::move(item));
    }
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  if (o.json) {
    std::cout << Json{{"items", items}}.dump(2) << "\n";
    return 0;
  }
  for (const auto& l : lines) std::cout << l << "\n";
  std::cout << lines.size() << (en ? " plan(s)\n" : " phương án\n");
  return 0;
}

// ---- ucsc plan show ----------------------------------------------------------------------------

struct PlanShowOptions {
  Common common = DefaultCommon();
  std::string id;  // plan id, or the id of its system
  bool json = false;
};

int RunPlanShow(const PlanShowOptions& o, const Outlines& outlines, const std::string& error) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  auto loaded = Loaded(outlines, error);
  if (!loaded) return Fail(loaded.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::vector<IrPlan> versions;
  std::optional<PlanStatus> status;
  std::string system_name;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    PlanRepo repo(tx.Sql());
    std::string plan_id = o.id;
    UCSC_ASSIGN_OR_RETURN(auto of_system, repo.PlanOfSystem(o.id));
    if (of_system) plan_id = *of_system;
    auto got = repo.Versions(plan_id);
    if (!got || got->empty()) return core::NotFound("no plan with id or system id " + o.id);
    versions = std::move(*got);
    const IrPlan& p = versions.back();
    if (p.scope == PlanScope::kSystem) {
      if (auto sys = tx.Systems().Get(p.system_id, store::Scope::All())) system_name = sys->name;
      UCSC_ASSIGN_OR_RETURN(status, SystemPlanStatus(tx, p.system_id, clock.Now()));
    }
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  const IrPlan& p = versions.back();
  const Outline* outline = OutlineOf(**loaded, p);
  const auto missing =
      outline == nullptr ? std::vector<MissingSection>{} : CheckCompleteness(p, *outline);
  if (o.json) {
    Json j = ToJson(p);
    j["completeness"] = {{"complete", missing.empty()}, {"missing", MissingJson(missing)}};
    if (status) j["status"] = StatusJson(*status);
    Json vs = Json::array();
    for (const auto& v : versions) {
      vs.push_back({{"version", v.version},
                    {"state", PlanStateName(v.state)},
                    {"approved_by", v.approved_by},
                    {"approved_at", v.approved_at ? Json(core::FormatRfc3339Utc(*v.approved_at))
                                                  : Json(nullptr)}});
    }
    j["versions"] = vs;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << p.title << "\n  id: " << p.id << "\n  " << (en ? "system: " : "hệ thống: ")
            << (system_name.empty() ? p.system_id : system_name) << "\n  "
            << (en ? "outline: " : "đề cương: ")
            << (outline == nullptr ? p.outline_id : (en ? outline->title.en : outline->title.vi))
            << "\n  " << (en ? "version: " : "phiên bản: ") << p.version << " ("
            << StateText(p.state, en) << ")\n";
  if (status) std::cout << "  " << R3Text(*status, en) << "\n";
  if (missing.empty()) {
    std::cout << (en ? "  R4: every mandatory section written\n" : "  R4: đủ các mục bắt buộc\n");
  } else {
    std::cout << (en ? "  R4: missing sections:\n" : "  R4: còn thiếu các mục:\n");
    for (const auto& m : missing) {
      std::cout << "    - " << m.section_id << ": " << (en ? m.title.en : m.title.vi) << "\n";
    }
  }
  std::cout << (en ? "Versions:\n" : "Các phiên bản:\n");
  for (const auto& v : versions) {
    std::cout << "  v" << v.version << "  " << StateText(v.state, en);
    if (v.approved_at) {
      std::cout << (en ? ", approved " : ", phê duyệt ") << Date(v.approved_at) << " ("
                << v.approved_by << ")";
    }
    std::cout << "\n";
  }
  return 0;
}

// ---- ucsc plan document / ucsc drill report --------------------------------------------------

struct DocumentOptions {
  Common common = DefaultCommon();
  std::string id;
  std::string out;
  int version = 0;  // 0: the latest
  IssueOverrides issue;
};

std::string DisplayName(store::Tx& tx, const std::string& user_id) {
  if (user_id.empty()) return {};
  auto u = tx.Users().GetById(user_id);
  return u && !u->display_name.empty() ? u->display_name : std::string{};
}

// The default signer: `user_id`'s display name, else the user running the command (as the
// routes fall back to the caller).
std::string Signer(store::Tx& tx, const std::string& user_id) {
  std::string name = DisplayName(tx, user_id);
  return name.empty() ? capability::OsUser() : name;
}

core::Status CheckDocx(const std::string& out) {
  if (out.size() < 5 || out.substr(out.size() - 5) != ".docx") {
    return core::InvalidArgument("the output file must end in .docx", "--out");
  }
  return core::Ok();
}

int RunPlanDocument(const DocumentOptions& o, const Outlines& outlines, const std::string& error) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  if (auto ok = CheckDocx(o.out); !ok) return Fail(ok.error());
  auto loaded = Loaded(outlines, error);
  if (!loaded) return Fail(loaded.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::string bytes;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto versions, PlanRepo(tx.Sql()).Versions(o.id));
    const IrPlan* plan = versions.empty() ? nullptr : &versions.back();
    if (o.version != 0) {
      plan = nullptr;
      for (const auto& v : versions) {
        if (v.version == o.version) plan = &v;
      }
    }
    if (plan == nullptr) return core::InvalidArgument("no such version of the plan", "--version");
    const Outline* outline = OutlineOf(**loaded, *plan);
    if (outline == nullptr) return core::Internal("the plan's outline is not loaded");
    PlanDocumentInput in;
    UCSC_ASSIGN_OR_RETURN(
        in.issue,
        IssueFor(tx, plan->org_id, core::LocalDateOf(plan->approved_at.value_or(clock.Now())),
                 Signer(tx, plan->approved_by), o.issue));
    in.province = in.issue.place;
    if (auto s = tx.Systems().Get(plan->system_id, store::Scope::All())) in.system_name = s->name;
    UCSC_ASSIGN_OR_RETURN(bytes, RenderPlanDocx(*plan, *outline, in));
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  return WriteFile(o.out, bytes, en);
}

int RunDrillReport(const DocumentOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  if (auto ok = CheckDocx(o.out); !ok) return Fail(ok.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::string bytes;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto s, DrillRepo(tx.Sql()).Get(o.id));
    const Drill& d = s.drill;
    DrillReportInput in;
    UCSC_ASSIGN_OR_RETURN(
        in.issue, IssueFor(tx, d.org_id, core::LocalDateOf(d.closed_at.value_or(clock.Now())),
                           Signer(tx, ""), o.issue));
    for (const auto& id : d.system_ids) {
      if (auto sys = tx.Systems().Get(id, store::Scope::All())) in.system_names[id] = sys->name;
    }
    for (const auto& f : d.findings) {
      if (auto name = DisplayName(tx, f.owner); !name.empty()) in.user_names[f.owner] = name;
    }
    UCSC_ASSIGN_OR_RETURN(auto doc, BuildDrillReport(d, in));
    UCSC_ASSIGN_OR_RETURN(bytes, report::RenderDocx(doc));
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  return WriteFile(o.out, bytes, en);
}

// ---- ucsc drill list / show --------------------------------------------------------------------

std::string DrillStateText(DrillState s, bool en) {
  switch (s) {
    case DrillState::kPlanned:
      return en ? "planned" : "đã lập kế hoạch";
    case DrillState::kRunning:
      return en ? "running" : "đang diễn tập";
    case DrillState::kClosed:
      return en ? "closed" : "đã kết thúc";
  }
  return "?";
}

std::string KindText(DrillKind k, bool en) {
  return k == DrillKind::kLiveFire ? (en ? "live-fire" : "thực chiến")
                                   : (en ? "tabletop (R25)" : "trên bàn (R25)");
}

struct DrillListOptions {
  Common common = DefaultCommon();
  std::string org;
  bool json = false;
};

int RunDrillList(const DrillListOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::vector<StoredDrill> drills;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(drills, DrillRepo(tx.Sql()).List());
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  std::erase_if(drills,
                [&](const StoredDrill& s) { return !o.org.empty() && s.drill.org_id != o.org; });
  if (o.json) {
    Json items = Json::array();
    for (const auto& s : drills) items.push_back(ToJson(s.drill));
    std::cout << Json{{"items", items}}.dump(2) << "\n";
    return 0;
  }
  for (const auto& s : drills) {
    const Drill& d = s.drill;
    std::cout << d.id << "  " << core::FormatVnDate(d.planned_start) << "  " << KindText(d.kind, en)
              << "  " << DrillStateText(d.state, en) << "  " << d.findings.size()
              << (en ? " finding(s)  " : " phát hiện  ") << d.title << "\n";
  }
  std::cout << drills.size() << (en ? " drill(s)\n" : " cuộc diễn tập\n");
  return 0;
}

struct DrillShowOptions {
  Common common = DefaultCommon();
  std::string id;
  bool json = false;
};

int RunDrillShow(const DrillShowOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  Drill d;
  std::vector<std::pair<std::string, DrillRuleStatus>> r5;  // system name, R5
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto s, DrillRepo(tx.Sql()).Get(o.id));
    d = std::move(s.drill);
    for (const auto& id : d.system_ids) {
      std::string name = id;
      if (auto sys = tx.Systems().Get(id, store::Scope::All())) name = sys->name;
      UCSC_ASSIGN_OR_RETURN(auto status, SystemDrillStatus(tx, id, clock.Now()));
      r5.emplace_back(name, std::move(status));
    }
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  if (o.json) {
    Json j = ToJson(d);
    Json rows = Json::array();
    for (const auto& [name, s] : r5) {
      rows.push_back({{"system_name", name},
                      {"rule", s.rule},
                      {"state", DrillRuleStateName(s.state)},
                      {"year", s.year}});
    }
    j["r5"] = rows;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << d.title << "\n  id: " << d.id << "\n  " << (en ? "kind: " : "hình thức: ")
            << KindText(d.kind, en) << "\n  " << (en ? "state: " : "trạng thái: ")
            << DrillStateText(d.state, en) << "\n  " << (en ? "planned: " : "kế hoạch: ")
            << core::FormatVnDate(d.planned_start) << " – " << core::FormatVnDate(d.planned_end)
            << "\n";
  for (const auto& [name, s] : r5) {
    std::cout << "  R5 " << name << ": " << DrillRuleStateName(s.state) << " (" << s.year << ")\n";
  }
  std::cout << (en ? "Findings:\n" : "Phát hiện:\n");
  for (const auto& f : d.findings) {
    std::cout << "  [" << FindingCategoryName(f.category) << ", " << SeverityName(f.severity)
              << "] " << f.title << (f.allows_intrusion ? " (R6)" : "")
              << (en ? " — due " : " — hạn ") << f.due_date << "\n";
  }
  return 0;
}

}  // namespace

void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out,
                 const std::shared_ptr<const std::vector<Outline>>& outlines,
                 const std::string& load_error) {
  auto* plan =
      app.add_subcommand("plan", "IR plans (phương án ứng cứu sự cố): list, show, document");
  plan->require_subcommand(1);

  auto plo = std::make_shared<PlanListOptions>();
  auto* list = plan->add_subcommand("list", "Plans with their completeness (R4) and R3 status");
  list->add_option("--org", plo->org, "Only this organisation's (its id)");
  list->add_flag("--json", plo->json, "Print JSON");
  AddStoreOptions(list, plo->common, env);
  out.push_back(
      {list, [plo, outlines, load_error] { return RunPlanList(*plo, outlines, load_error); }});

  auto pso = std::make_shared<PlanShowOptions>();
  auto* show = plan->add_subcommand("show", "One plan: versions, missing sections (R4), R3 status");
  show->add_option("ID", pso->id, "Plan id, or the id of its system")->required();
  show->add_flag("--json", pso->json, "Print JSON");
  AddStoreOptions(show, pso->common, env);
  out.push_back(
      {show, [pso, outlines, load_error] { return RunPlanShow(*pso, outlines, load_error); }});

  auto pdo = std::make_shared<DocumentOptions>();
  auto* document =
      plan->add_subcommand("document", "Write a plan version as a \"Kế hoạch\" (.docx)");
  document->add_option("ID", pdo->id, "Plan id")->required();
  document->add_option("--out", pdo->out, "Output file (.docx)")->required();
  document->add_option("--version", pdo->version, "Plan version (else the latest)");
  document->add_option("--signer-name", pdo->issue.signer_name, "Signer's name");
  document->add_option("--signer-title", pdo->issue.signer_title, "Signer's title");
  document->add_option("--authority", pdo->issue.signer_authority, "KT./TL./TM. line");
  document->add_option("--place", pdo->issue.place, "Place of issue (else the province)");
  AddStoreOptions(document, pdo->common, env);
  out.push_back({document, [pdo, outlines, load_error] {
                   return RunPlanDocument(*pdo, outlines, load_error);
                 }});

  auto* drill = app.add_subcommand("drill", "Drills (diễn tập): list, show, report");
  drill->require_subcommand(1);

  auto dlo = std::make_shared<DrillListOptions>();
  auto* dlist = drill->add_subcommand("list", "Drills by planned start");
  dlist->add_option("--org", dlo->org, "Only this organisation's (its id)");
  dlist->add_flag("--json", dlo->json, "Print JSON");
  AddStoreOptions(dlist, dlo->common, env);
  out.push_back({dlist, [dlo] { return RunDrillList(*dlo); }});

  auto dso = std::make_shared<DrillShowOptions>();
  auto* dshow =
      drill->add_subcommand("show", "One drill: findings and the R5 status of its systems");
  dshow->add_option("ID", dso->id, "Drill id")->required();
  dshow->add_flag("--json", dso->json, "Print JSON");
  AddStoreOptions(dshow, dso->common, env);
  out.push_back({dshow, [dso] { return RunDrillShow(*dso); }});

  auto dro = std::make_shared<DocumentOptions>();
  auto* report = drill->add_subcommand("report", "Write a drill's \"Báo cáo\" (.docx)");
  report->add_option("ID", dro->id, "Drill id")->required();
  report->add_option("--out", dro->out, "Output file (.docx)")->required();
  report->add_option("--signer-name", dro->issue.signer_name, "Signer's name");
  report->add_option("--signer-title", dro->issue.signer_title, "Signer's title");
  report->add_option("--authority", dro->issue.signer_authority, "KT./TL./TM. line");
  report->add_option("--place", dro->issue.place, "Place of issue (else the province)");
  AddStoreOptions(report, dro->common, env);
  out.push_back({report, [dro] { return RunDrillReport(*dro); }});
}

}  // namespace ucsc::plan::internal
