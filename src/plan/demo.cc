#include "plan/demo.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>

#include "capability/route.h"
#include "codec/entities.h"
#include "core/legal_time.h"
#include "plan/drill_json.h"
#include "plan/plan_json.h"
#include "plan/plan_store.h"
#include "plan/service.h"
#include "store/store.h"

namespace ucsc::plan {
namespace {

using core::Instant;
using core::LocalDate;
using Status = core::Status;

// hh:mm local on `d`.
Instant At(LocalDate d, int hh, int mm = 0) {
  return core::StartOfLocalDay(d) + std::chrono::hours(hh) + std::chrono::minutes(mm);
}

// A person acting for an organisation: the plan actor and the audit actor string.
struct Person {
  Actor actor;
  std::string audit;
};

class Seeder {
 public:
  Seeder(const capability::DemoEnv& env, const std::vector<Outline>& outlines)
      : env_(env), outlines_(outlines), now_(env.clock.Now()) {
    for (const auto& o : env.orgs) {
      orgs_[o.id] = &o;
      if (o.type == core::OrgType::kCoordinator && coordinator_ == nullptr) coordinator_ = &o;
    }
  }

  Status Run() {
    std::vector<const core::InformationSystem*> systems;
    for (const auto& s : env_.systems) systems.push_back(&s);
    std::sort(systems.begin(), systems.end(), [](const auto* a, const auto* b) {
      return a->name != b->name ? a->name < b->name : a->id < b->id;
    });
    int high = 0;  // index among the level >= 3 systems (R5)
    for (size_t i = 0; i < systems.size(); ++i) {
      UCSC_RETURN_IF_ERROR(SeedPlan(*systems[i], static_cast<int>(i)));
      if (systems[i]->level >= 3) UCSC_RETURN_IF_ERROR(SeedDrills(*systems[i], high++));
    }
    return core::Ok();
  }

 private:
  // The organisation's demo user of `role`, else a stand-in of that role for it.
  [[nodiscard]] Person PersonOf(const std::string& org_id, core::Role role) const {
    for (const auto& u : env_.users) {
      if (u.org_id == org_id && u.role == role) return {{u.id, role, org_id}, "user:" + u.username};
    }
    const std::string name = std::string(core::RoleName(role));
    return {{"demo-" + name + "-" + org_id, role, org_id}, "demo:" + name + "@" + org_id};
  }
  [[nodiscard]] std::string OrgName(const std::string& id) const {
    auto it = orgs_.find(id);
    return it == orgs_.end() ? id : it->second->name;
  }

  // ---- plans (R3, R4) ---------------------------------------------------------------------------

  static bool IsR4Topic(Topic t) {
    const auto& req = RequiredTopics();
    return std::find(req.begin(), req.end(), t) != req.end();
  }

  // Writes the sections of `p`: every one, or (incomplete) only those R4 does not require.
  Status Write(IrPlan& p, const Outline& outline, const core::InformationSystem& s, bool complete,
               Instant at, const std::string& revision = "") {
    for (const auto& sec : outline.sections) {
      if (!complete && IsR4Topic(sec.topic)) continue;
      std::string text = sec.title.vi + " của hệ thống " + s.name + " (" + OrgName(s.owner_org_id) +
                         "), theo " + outline.title.vi + ".";
      if (!revision.empty()) text += " " + revision;
      UCSC_RETURN_IF_ERROR(SetSection(p, outline, sec.id, std::move(text), at));
    }
    return core::Ok();
  }

  // Creates the draft of system `s` at `at`, by the organisation's staff; returns the plan id.
  core::Result<std::string> Create(store::Tx& tx, const core::InformationSystem& s,
                                   const Outline& outline, bool complete, Instant at) {
    UCSC_ASSIGN_OR_RETURN(IrPlan p, NewDraft({.id = env_.ids.Next(),
                                              .org_id = s.owner_org_id,
                                              .system_id = s.id,
                                              .title = "Phương án ứng cứu sự cố " + s.name},
                                             outline, at));
    UCSC_RETURN_IF_ERROR(Write(p, outline, s, complete, at));
    UCSC_RETURN_IF_ERROR(PlanRepo(tx.Sql()).Create(p));
    const Person staff = PersonOf(s.owner_org_id, core::Role::kOrgStaff);
    UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, staff.audit, at, "create", "ir_plan", p.id, "",
                                                 ToJson(p).dump()));
    return p.id;
  }

  // Submits the latest version by the staff at `submitted`, then the manager approves it at
  // `approved` (ApproveStoredPlan: R3 and R4 evidence, audit).
  Status SubmitAndApprove(store::Tx& tx, const std::string& plan_id, const std::string& org_id,
                          Instant submitted, Instant approved) {
    PlanRepo repo(tx.Sql());
    UCSC_ASSIGN_OR_RETURN(StoredPlan s, repo.Latest(plan_id));
    const std::string before = ToJson(s.plan).dump();
    IrPlan p = s.plan;
    const Person staff = PersonOf(org_id, core::Role::kOrgStaff);
    UCSC_RETURN_IF_ERROR(Submit(p, staff.actor, submitted));
    p.updated_at = submitted;
    UCSC_ASSIGN_OR_RETURN(int64_t etag, repo.Save(p, s.etag));
    UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, staff.audit, submitted, "submit", "ir_plan",
                                                 p.id, before, ToJson(p).dump()));
    const Person manager = PersonOf(org_id, core::Role::kOrgManager);
    return ApproveStoredPlan(tx, outlines_, plan_id, etag, manager.actor, manager.audit, approved)
        .map([](const StoredPlan&) {});
  }

  // A new draft version of the approved plan, revised at `at`.
  Status Revise(store::Tx& tx, const std::string& plan_id, const core::InformationSystem& s,
                const Outline& outline, Instant at) {
    PlanRepo repo(tx.Sql());
    UCSC_ASSIGN_OR_RETURN(StoredPlan stored, repo.Latest(plan_id));
    UCSC_ASSIGN_OR_RETURN(IrPlan p, NextVersion(stored.plan, at));
    UCSC_RETURN_IF_ERROR(Write(p, outline, s, true, at,
                               "Cập nhật ngày " + core::FormatVnDate(core::LocalDateOf(at)) +
                                   " theo thay đổi của hệ thống."));
    p.updated_at = at;
    UCSC_RETURN_IF_ERROR(repo.Save(p, stored.etag).map([](int64_t) {}));
    return capability::AppendAudit(tx, PersonOf(s.owner_org_id, core::Role::kOrgStaff).audit, at,
                                   "update", "ir_plan", p.id, ToJson(stored.plan).dump(),
                                   ToJson(p).dump());
  }

  // A risk-relevant change of system `s` at `at` (R3: the plan goes stale): a new public
  // endpoint (documentation range), with its change event and audit record, as the inventory
  // records an edit.
  Status ChangeEndpoints(store::Tx& tx, const core::InformationSystem& s, int index, Instant at) {
    UCSC_ASSIGN_OR_RETURN(core::InformationSystem cur, tx.Systems().Get(s.id, store::Scope::All()));
    const core::InformationSystem before = cur;
    cur.public_endpoints.push_back("198.51.100." + std::to_string(1 + index % 250));
    cur.version = before.version + 1;
    cur.updated_at = at;
    UCSC_RETURN_IF_ERROR(tx.Systems().Update(cur));
    const std::string actor = PersonOf(s.owner_org_id, core::Role::kOrgStaff).audit;
    core::ChangeEvent e{env_.ids.Next(),
                        s.id,
                        "/public_endpoints",
                        codec::Json(before.public_endpoints).dump(),
                        codec::Json(cur.public_endpoints).dump(),
                        actor,
                        at};
    UCSC_RETURN_IF_ERROR(tx.Changes().Append(e));
    return capability::AppendAudit(tx, actor, at, "update", "system", s.id,
                                   codec::ToJson(before).dump(), codec::ToJson(cur).dump());
  }

  Status SeedPlan(const core::InformationSystem& s, int i) {
    const int k = i % 12;
    const Outline* outline =
        SelectOutline(outlines_, OutlineKindFor(s.level, s.national_important));
    if (outline == nullptr) return core::Internal("no plan outline applies to " + s.name);
    // Dates spread over the system index; every one before the clock's now.
    const LocalDate y2022{2022, 11, static_cast<unsigned>(1 + i % 28)};
    const int day = 1 + i % 27;
    auto on = [&](int y, unsigned m) { return LocalDate{y, m, static_cast<unsigned>(day)}; };
    // Steps in time order; those after the clock's now are left out (with what follows them).
    std::vector<std::pair<Instant, std::function<Status(store::Tx&)>>> steps;
    std::string plan_id;
    auto create = [&](bool complete, Instant at) {
      steps.emplace_back(at, [&, complete, at](store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(plan_id, Create(tx, s, *outline, complete, at));
        return core::Ok();
      });
    };
    auto approve = [&](Instant submitted, Instant approved) {
      steps.emplace_back(approved, [&, submitted, approved](store::Tx& tx) {
        return SubmitAndApprove(tx, plan_id, s.owner_org_id, submitted, approved);
      });
    };
    auto change = [&](Instant at) {
      steps.emplace_back(at, [&, at](store::Tx& tx) { return ChangeEndpoints(tx, s, i, at); });
    };
    auto revise = [&](Instant at) {
      steps.emplace_back(at,
                         [&, at](store::Tx& tx) { return Revise(tx, plan_id, s, *outline, at); });
    };
    const Instant drafted = At(core::AddDays(y2022, -20), 9);
    const Instant submitted = At(core::AddDays(y2022, 10), 10);
    const Instant approved = At(core::AddDays(y2022, 14), 15);  // by 12/12/2022 at the latest
    switch (k) {
      case 0:  // every section written in October 2026, not yet submitted for approval
        create(true, At(on(2026, 10), 9));
        break;
      case 1:  // an incomplete draft, never submitted (R4 sections blank)
        create(false, At(on(2023, 4), 9));
        break;
      case 2:  // an incomplete draft started late
        create(false, At(on(2026, 9), 14));
        break;
      case 3:
      case 4:
      case 5:  // approved before 31/12/2022, current
        create(true, drafted);
        approve(submitted, approved);
        break;
      case 6:  // stale since March 2026: re-approval overdue
        create(true, drafted);
        approve(submitted, approved);
        change(At(on(2026, 3), 10));
        break;
      case 7:  // stale since 20/11/2026: re-approval due 20/12/2026
        create(true, drafted);
        approve(submitted, approved);
        change(At({2026, 11, 20}, 10));
        break;
      case 8:  // v1 approved, v2 being drafted
        create(true, drafted);
        approve(submitted, approved);
        revise(At(on(2026, 9), 9));
        break;
      case 9:  // a change in May 2025, v2 approved within the 30 days
        create(true, drafted);
        approve(submitted, approved);
        change(At(on(2025, 5), 10));
        revise(At(core::AddDays(on(2025, 5), 5), 9));
        approve(At(core::AddDays(on(2025, 5), 20), 10), At(core::AddDays(on(2025, 5), 25), 15));
        break;
      case 10:  // approved late, in March 2023
        create(true, At(on(2023, 1), 9));
        approve(At(on(2023, 2), 10), At(on(2023, 3), 15));
        break;
      default:  // 11: stale since June 2026, v2 drafted but not approved
        create(true, drafted);
        approve(submitted, approved);
        change(At(on(2026, 6), 10));
        revise(At(on(2026, 7), 9));
        break;
    }
    return env_.store.Write([&](store::Tx& tx) -> Status {
      for (auto& [at, step] : steps) {
        if (at > now_) break;
        UCSC_RETURN_IF_ERROR(step(tx));
      }
      return core::Ok();
    });
  }

  // ---- drills (R5, R6, R25) ---------------------------------------------------------------------

  [[nodiscard]] std::vector<Participant> Teams(const core::InformationSystem& s) const {
    const std::string coordinator = coordinator_ != nullptr ? coordinator_->id : s.owner_org_id;
    const std::string op = s.operator_org_id.empty() ? s.owner_org_id : s.operator_org_id;
    return {
        {"Chỉ huy diễn tập — Đội ứng cứu sự cố tỉnh", coordinator, ParticipantRole::kLead},
        {"Đội tấn công — Đội ứng cứu sự cố tỉnh", coordinator, ParticipantRole::kRedTeam},
        {"Đội phòng thủ — " + OrgName(op), op, ParticipantRole::kBlueTeam},
        {"Quan sát viên — " + OrgName(s.owner_org_id), s.owner_org_id, ParticipantRole::kObserver}};
  }

  // Findings of process, technology and people (CT18 1b-iv), one allowing intrusion (R6).
  [[nodiscard]] std::vector<Finding> Findings(const core::InformationSystem& s, LocalDate closed,
                                              int j, const std::string& owner) const {
    const std::string due30 = core::FormatIsoDate(core::AddDays(closed, 30));
    const std::string due60 = core::FormatIsoDate(core::AddDays(closed, 60));
    std::vector<Finding> out;
    out.push_back({"f1", s.id, "Quy trình báo cáo sự cố chưa nêu đầu mối trực 24/7",
                   "Đội phòng thủ mất hơn 2 giờ để xác định người báo cáo sự cố lên cơ quan chủ "
                   "quản (TT20 Điều 9).",
                   FindingCategory::kProcess, Severity::kMedium, false, owner, due30});
    out.push_back({"f2", s.id,
                   j % 2 == 0 ? "Máy chủ ứng dụng còn lỗ hổng chưa vá cho phép thực thi mã từ xa"
                              : "Tài khoản quản trị dùng mật khẩu mặc định trên thiết bị biên",
                   "Đội tấn công chiếm được quyền điều khiển máy chủ qua lỗ hổng/cấu hình này.",
                   FindingCategory::kTechnology, j % 3 == 0 ? Severity::kCritical : Severity::kHigh,
                   true, owner, due30});
    out.push_back({"f3", s.id, "Cán bộ vận hành chưa nhận diện được thư điện tử giả mạo",
                   "Hai trên năm cán bộ mở tệp đính kèm của thư giả mạo trong kịch bản tấn công.",
                   FindingCategory::kPeople, Severity::kMedium, false, owner, due60});
    return out;
  }

  // A drill of system `s` from `start` over two days: planned a month before, started, run with
  // its timeline and findings, then closed through CloseStoredDrill (R5 evidence for a live-fire
  // drill, R6 task pairs) — or left planned when `close` is false.
  Status SeedDrill(const core::InformationSystem& s, int j, DrillKind kind, LocalDate start,
                   bool close) {
    const Person manager = PersonOf(s.owner_org_id, core::Role::kOrgManager);
    const Person coordinator = PersonOf(coordinator_ != nullptr ? coordinator_->id : s.owner_org_id,
                                        core::Role::kCoordinator);
    Drill d;
    d.id = env_.ids.Next();
    d.org_id = s.owner_org_id;
    d.kind = kind;
    d.title = std::string(kind == DrillKind::kLiveFire ? "Diễn tập thực chiến "
                                                       : "Diễn tập trên bàn (nội bộ) ") +
              s.name + " năm " + std::to_string(start.year);
    d.system_ids = {s.id};
    d.rules_of_engagement =
        kind == DrillKind::kLiveFire
            ? "Tấn công trên hệ thống thật, không kịch bản định trước (CT60/CT-BTTTT); không "
              "xóa, sửa dữ liệu nghiệp vụ; khung giờ 08:00–17:00; dừng ngay khi có yêu cầu của "
              "chỉ huy diễn tập."
            : "Thảo luận tình huống trên bàn theo kịch bản của phương án ứng cứu sự cố (R25).";
    d.planned_start = start;
    d.planned_end = core::AddDays(start, 1);
    d.participants = Teams(s);
    if (kind == DrillKind::kTabletop) {
      std::erase_if(d.participants,
                    [](const Participant& p) { return p.role == ParticipantRole::kRedTeam; });
    }
    const Instant planned_at = At(core::AddDays(start, -30), 9);
    if (planned_at > now_) return core::Ok();
    return env_.store.Write([&](store::Tx& tx) -> Status {
      DrillRepo repo(tx.Sql());
      UCSC_RETURN_IF_ERROR(ValidatePlannedDrill(d));
      UCSC_RETURN_IF_ERROR(repo.Create(d));
      UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, coordinator.audit, planned_at, "create",
                                                   "drill", d.id, "", ToJson(d).dump()));
      const Instant closed_at = At(d.planned_end, 17);
      if (!close || closed_at > now_) return core::Ok();
      const std::string planned = ToJson(d).dump();
      const Instant started = At(start, 8);
      UCSC_RETURN_IF_ERROR(StartDrill(d, started));
      const std::string red = kind == DrillKind::kLiveFire ? "Đội tấn công" : "Chỉ huy diễn tập";
      UCSC_RETURN_IF_ERROR(AddTimelineEntry(
          d, {At(start, 9), TimelineKind::kAction, red,
              kind == DrillKind::kLiveFire ? "Dò quét dịch vụ công khai, thử khai thác lỗ hổng"
                                           : "Nêu tình huống: mã độc mã hóa dữ liệu"}));
      UCSC_RETURN_IF_ERROR(
          AddTimelineEntry(d, {At(start, 10, 30 + j % 25), TimelineKind::kDetection,
                               "Đội phòng thủ", "Cảnh báo bất thường trên SIEM"}));
      UCSC_RETURN_IF_ERROR(AddTimelineEntry(d, {At(start, 13, j % 50), TimelineKind::kContainment,
                                                "Đội phòng thủ", "Cô lập máy chủ bị chiếm quyền"}));
      auto findings = Findings(s, d.planned_end, j, manager.actor.user_id);
      if (kind == DrillKind::kTabletop) findings.resize(1);  // the process weakness only
      for (auto& f : findings) UCSC_RETURN_IF_ERROR(RecordFinding(d, std::move(f)));
      UCSC_ASSIGN_OR_RETURN(int64_t etag, repo.Save(d, 1));
      UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, coordinator.audit, started, "start", "drill",
                                                   d.id, planned, ToJson(d).dump()));
      return CloseStoredDrill(tx, d.id, etag, coordinator.audit, closed_at)
          .map([](const StoredDrill&) {});
    });
  }

  Status SeedDrills(const core::InformationSystem& s, int j) {
    const auto month = [&](int base) { return static_cast<unsigned>(base + j % 6); };
    const auto day = static_cast<unsigned>(5 + j % 20);
    switch (j % 5) {
      case 0:
      case 1:  // 2025 and 2026: R5 met
        UCSC_RETURN_IF_ERROR(SeedDrill(s, j, DrillKind::kLiveFire, {2025, month(4), day}, true));
        UCSC_RETURN_IF_ERROR(SeedDrill(s, j, DrillKind::kLiveFire, {2026, month(3), day}, true));
        break;
      case 3:  // 2024 only: 2025 was missed
        UCSC_RETURN_IF_ERROR(SeedDrill(s, j, DrillKind::kLiveFire, {2024, month(5), day}, true));
        break;
      default:  // 2 and 4: 2025 only, 2026 not yet held
        UCSC_RETURN_IF_ERROR(SeedDrill(s, j, DrillKind::kLiveFire, {2025, month(5), day}, true));
        break;
    }
    if (j == 4) {  // the year's drill is planned for 20/12/2026
      UCSC_RETURN_IF_ERROR(SeedDrill(s, j, DrillKind::kLiveFire, {2026, 12, 20}, false));
    }
    if (j == 9) {  // R25: an internal tabletop exercise is training, not the R5 drill
      UCSC_RETURN_IF_ERROR(SeedDrill(s, j, DrillKind::kTabletop, {2026, month(5), day}, true));
    }
    return core::Ok();
  }

  const capability::DemoEnv& env_;
  const std::vector<Outline>& outlines_;
  const Instant now_;
  std::map<std::string, const core::Organisation*> orgs_;
  const core::Organisation* coordinator_ = nullptr;
};

}  // namespace

const std::vector<std::string>& DemoEvidenceTypes() {
  static const std::vector<std::string> types = {"ir_plan", "ir_plan_content", "drill_report"};
  return types;
}

Status SeedDemo(const capability::DemoEnv& env, const std::vector<Outline>& outlines) {
  return Seeder(env, outlines).Run();
}

}  // namespace ucsc::plan
