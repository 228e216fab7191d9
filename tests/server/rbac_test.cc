// Role × endpoint matrix (DESIGN.md "Who uses it": "Tests prove each denial") and organisation
// scoping. The expected outcome comes from the table below, written from DESIGN.md's role
// descriptions; it deliberately does not call server::Allowed().
#include <gtest/gtest.h>

#include <array>
#include <set>
#include <tuple>

#include "auth/totp.h"
#include "core/legal_time.h"
#include "incident/internal/repo.h"
#include "plan/plan_store.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

// ---- The policy, as the tests read DESIGN.md ---------------------------------------------------
//
// '-' no access (403), 'R' read, 'W' read and write; within the role's organisation scope.
//   admin:       platform operator: everything.
//   coordinator: guides, urges, inspects every org and keeps the inventory and the IR team; not
//                users, the audit log or the job queue.
//   responder:   works incidents, runs hunts and scans: reads the inventory, changes assets (scan
//                results) and tasks.
//   org_manager: owns its organisation's systems, assets, contacts, tasks (and sub-units); reads
//                the IR team.
//   org_staff:   reports and fixes: reads its organisation's inventory, changes assets and tasks.
//   liaison:     only incidents shared with it; of the inventory, the directory of organisations
//                and their contacts.
//   auditor:     read-only everywhere, plus the audit log; not the job queue (no business data).
// Scans: responders run them (within an approved scope); only the coordinator approves a scope;
// the organisation sees its own scans. Hunts: the organisation and the IR team upload logs.
constexpr std::array<Role, 7> kRoleColumns = {
    Role::kAdmin,    Role::kCoordinator, Role::kResponder, Role::kOrgManager,
    Role::kOrgStaff, Role::kLiaison,     Role::kAuditor};
struct PolicyRow {
  const char* resource;
  std::array<char, 7> access;  // in kRoleColumns order
};
// clang-format off
constexpr PolicyRow kPolicy[] = {
    //                   admin coord resp  mgr  staff liais audit
    {"organisations",   {'W',  'W',  'R',  'W',  'R',  'R',  'R'}},
    {"systems",         {'W',  'W',  'R',  'W',  'R',  '-',  'R'}},
    {"assets",          {'W',  'W',  'W',  'W',  'W',  '-',  'R'}},
    {"contacts",        {'W',  'W',  'R',  'W',  'R',  'R',  'R'}},
    {"ir-team",         {'W',  'W',  'R',  'R',  'R',  '-',  'R'}},
    {"tasks",           {'W',  'W',  'W',  'W',  'W',  '-',  'R'}},
    {"users",           {'W',  '-',  '-',  '-',  '-',  '-',  'R'}},
    {"audit",           {'R',  '-',  '-',  '-',  '-',  '-',  'R'}},
    {"jobs",            {'R',  '-',  '-',  '-',  '-',  '-',  '-'}},
    {"evidence",        {'W',  'W',  'R',  'W',  'W',  '-',  'R'}},
    {"compliance",      {'W',  'W',  'R',  'R',  'R',  '-',  'R'}},
    {"scans",           {'W',  'W',  'W',  'R',  'R',  '-',  'R'}},
    {"scan-approvals",  {'W',  'W',  '-',  '-',  '-',  '-',  'R'}},
    {"hunts",           {'W',  'W',  'W',  'W',  'W',  '-',  'R'}},
    {"findings",        {'W',  'W',  'W',  'W',  'W',  '-',  'R'}},
    {"advisories",      {'W',  'W',  'W',  'W',  'W',  '-',  'R'}},
    // IR plans (issue 15): the organisation writes and submits; approval is the manager's, the
    // coordinator's for the provincial plan (R26); the platform operator only reads plans.
    {"plans",           {'R',  'W',  'R',  'W',  'W',  '-',  'R'}},
    {"plan-approvals",  {'-',  'W',  '-',  'W',  '-',  '-',  'R'}},
    {"drills",          {'R',  'W',  'W',  'W',  'W',  '-',  'R'}},
    // Incidents: reported by every organisation, worked by the IR team (issue 14); liaison
    // sharing is not built yet, so the liaison sees none.
    {"incidents",       {'W',  'W',  'W',  'W',  'W',  '-',  'R'}},
    // Who incident notices go to (data/incident/recipients.yaml).
    {"incident-recipients", {'R', 'R', 'R',  'R',  'R',  '-',  'R'}},
    // The two procedures' steps and checklists (workflow.h), for the console.
    {"incident-workflows",  {'R', 'R', 'R',  'R',  'R',  '-',  'R'}},
    // Form 05 (R16/R18), scoped to the caller's subtree (the coordinator: the province).
    {"incident-summaries",  {'R', 'R', 'R',  'R',  'R',  '-',  'R'}},
};
// clang-format on

// Routes every signed-in user may call (their own account, tokens and session).
const std::set<std::string> kSelfResources = {"me", "tokens", "auth"};
// Routes that need no sign-in.
const std::set<std::pair<std::string, std::string>> kPublicRoutes = {
    {"POST", "/api/v1/auth/login"},
    {"GET", "/healthz"},
    {"GET", "/metrics"},
    {"GET", "/api/v1/openapi.json"},
};

enum class Expect { kAllowed, kDenied };

// The resource a route pattern acts on: the segment after /api/v1/.
std::string ResourceOf(const std::string& pattern) {
  const std::string prefix = "/api/v1/";
  if (pattern.rfind(prefix, 0) != 0) return "";
  std::string rest = pattern.substr(prefix.size());
  return rest.substr(0, rest.find('/'));
}

// The expected outcome of `role` calling `route`; ADD_FAILURE for a route the table misses.
Expect Expected(Role role, const RouteInfo& route) {
  if (kPublicRoutes.contains({route.method, route.pattern})) return Expect::kAllowed;
  const std::string resource = ResourceOf(route.pattern);
  if (kSelfResources.contains(resource)) return Expect::kAllowed;
  size_t column = 0;
  while (kRoleColumns[column] != role) ++column;
  for (const auto& row : kPolicy) {
    if (resource != row.resource) continue;
    const char a = row.access[column];
    const bool read = route.method == "GET";
    if (a == 'W' || (a == 'R' && read)) return Expect::kAllowed;
    return Expect::kDenied;
  }
  ADD_FAILURE() << "route " << route.method << " " << route.pattern
                << " is not in the test's policy table: classify it";
  return Expect::kDenied;
}

std::string Replace(std::string pattern, const std::string& id) {
  auto pos = pattern.find("{id}");
  if (pos != std::string::npos) pattern.replace(pos, 4, id);
  return pattern;
}

// Fills a second path parameter `{name}` with `value`.
std::string ReplaceParam(std::string pattern, std::string_view name, const std::string& value) {
  const std::string key = "{" + std::string(name) + "}";
  auto pos = pattern.find(key);
  if (pos != std::string::npos) pattern.replace(pos, key.size(), value);
  return pattern;
}

// Rows in the role's reach (under Sở Y tế) that the matrix reads, changes and deletes.
struct MatrixRows {
  std::map<std::string, std::string> keep;  // resource → id read and patched
  std::string notice;                       // a notice of keep["incidents"]
  std::map<std::string, std::string> drop;  // resource → id deleted
  std::string home;                         // Sở Y tế
  std::string system;                       // a system to hang new assets on
  std::string token;                        // an API token of the user
};

// One request of the matrix and the status a permitted caller gets.
struct Call {
  Request request;
  int ok_status = 200;
};

const char* kTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

class Matrix {
 public:
  Matrix(ApiHarness& h, Client& client, Role role) : h_(h), client_(client), role_(role) {
    const std::string tag = std::string(core::RoleName(role));
    rows_.home = h.OrgId("Sở Y tế");
    auto add = [&](const std::string& resource, auto make) {
      rows_.keep[resource] = make(" giữ " + tag);
      rows_.drop[resource] = make(" xóa " + tag);
    };
    add("organisations",
        [&](const std::string& s) { return h.InsertOrg("Khoa" + s, rows_.home).id; });
    auto sys = h.InsertSystem("Hệ thống ma trận " + tag, rows_.home);
    rows_.system = sys.id;
    add("systems",
        [&](const std::string& s) { return h.InsertSystem("Hệ thống" + s, rows_.home).id; });
    rows_.keep["systems"] = sys.id;
    add("assets", [&](const std::string& s) { return h.InsertAsset("Máy chủ" + s, sys).id; });
    add("contacts",
        [&](const std::string& s) { return h.InsertContact("Cán bộ" + s, rows_.home).id; });
    add("ir-team",
        [&](const std::string& s) { return h.InsertMember("Thành viên" + s, rows_.home).id; });
    add("tasks", [&](const std::string& s) { return h.InsertTask("Việc" + s, rows_.home).id; });
    add("evidence", [&](const std::string& s) {
      return h.InsertEvidence("Báo cáo" + s, sys, "%PDF-1.4 ma tran").id;
    });
    // Compliance routes with an {id} act on an evidence record (the review).
    rows_.keep["compliance"] = rows_.keep["evidence"];
    rows_.token = h.InsertToken(client.user_id, "ucsc_matrix_" + tag, {"read"}).id;
    // Plans: a complete draft (read, edited, then submitted), and a submitted complete plan to
    // approve: a system's for the manager, the provincial plan for the coordinator (R26).
    rows_.keep["plans"] =
        InsertPlan(h, h.InsertSystem("Hệ thống có phương án " + tag, rows_.home).id, false);
    rows_.keep["plan-approvals"] =
        role == Role::kCoordinator
            ? InsertPlan(h, "", true)
            : InsertPlan(h, h.InsertSystem("Hệ thống chờ phê duyệt " + tag, rows_.home).id, true);
    // Scans: an approved authorisation (read, run inside), a requested one (decided), a run.
    const core::Instant now = h.clock().Now();
    auto scan_row = [&](const std::string& parent, const std::string& state) {
      store::ScanRecord r;
      r.id = h.ids().Next();
      r.org_id = rows_.home;
      r.system_id = sys.id;
      r.parent_id = parent;
      r.state = state;
      r.doc = Json{{"targets", {"127.0.0.1"}},
                   {"ports", "9"},
                   {"window_start", core::FormatRfc3339Utc(now - std::chrono::hours(1))},
                   {"window_end", core::FormatRfc3339Utc(now + std::chrono::hours(24))},
                   {"reason", "ma trận"},
                   {"requested_by", "test"}}
                  .dump();
      r.created_at = r.updated_at = now;
      EXPECT_TRUE(h.store().Write([&](store::Tx& tx) {
        return tx.Scans().Insert(
            parent.empty() ? store::ScanTable::kAuthorisations : store::ScanTable::kRuns, r);
      }));
      return r.id;
    };
    rows_.keep["scans"] = scan_row("", "approved");
    rows_.keep["scan-approvals"] = scan_row("", "requested");
    rows_.keep["scan-runs"] = scan_row(rows_.keep["scans"], "done");
    {
      store::ScanRecord hunt;
      hunt.id = h.ids().Next();
      hunt.org_id = rows_.home;
      hunt.system_id = sys.id;
      hunt.state = "done";
      hunt.doc = "{}";
      hunt.created_at = hunt.updated_at = now;
      EXPECT_TRUE(h.store().Write(
          [&](store::Tx& tx) { return tx.Scans().Insert(store::ScanTable::kHuntRuns, hunt); }));
      rows_.keep["hunts"] = hunt.id;
      // A finding (its id is its fingerprint), open.
      store::ScanRecord finding = hunt;
      finding.id = "f" + hunt.id;
      finding.parent_id = "CVE-2099-0001";
      finding.state = "open";
      finding.doc = Json{{"asset", "127.0.0.1"},
                         {"port", 22},
                         {"cpe", "cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*"},
                         {"cve", "CVE-2099-0001"},
                         {"tier", "confirmed"},
                         {"severity", "critical"},
                         {"first_seen", core::FormatRfc3339Utc(now)},
                         {"last_seen", core::FormatRfc3339Utc(now)},
                         {"state_changed", core::FormatRfc3339Utc(now)}}
                        .dump();
      EXPECT_TRUE(h.store().Write(
          [&](store::Tx& tx) { return tx.Scans().Insert(store::ScanTable::kFindings, finding); }));
      rows_.keep["findings"] = finding.id;
      store::ScanRecord advisory = hunt;
      advisory.id = h.ids().Next();
      advisory.system_id = "";
      advisory.parent_id = "CVE-2099-0001";
      advisory.state = "sent";
      advisory.doc = Json{{"cve", "CVE-2099-0001"}, {"due_date", "2099-01-31"}}.dump();
      EXPECT_TRUE(h.store().Write([&](store::Tx& tx) {
        return tx.Scans().Insert(store::ScanTable::kAdvisories, advisory);
      }));
      rows_.keep["advisories"] = advisory.id;
    }
    {
      // An incident of Sở Y tế, stored through the module's repository.
      incident::Incident inc;
      inc.id = h.ids().Next();
      inc.org_id = rows_.home;
      inc.title = "Sự cố ma trận " + tag;
      inc.description = "Mã độc";
      inc.type = incident::IncidentType::kMalware;
      inc.detected_at = now - std::chrono::hours(1);
      inc.affected_systems = {{sys.id, sys.name, "", sys.level, false}};
      inc.notification.reporter = {"Sở Y tế", "12 Lê Lợi", "", ""};
      inc.notification.operator_name = "Trung tâm CNTT";
      inc.notification.handling_result = "Đã cô lập";
      inc.version = 1;
      inc.created_at = inc.updated_at = now;
      EXPECT_TRUE(h.store().Write(
          [&](store::Tx& tx) { return incident::internal::Repo(tx.Sql()).Insert(inc, false); }));
      rows_.keep["incidents"] = inc.id;
      // A notice received for the incident, which the matrix acknowledges.
      incident::Notice notice;
      notice.id = h.ids().Next();
      notice.incident_id = inc.id;
      notice.direction = incident::NoticeDirection::kReceived;
      notice.document = "coordination_order";
      notice.party = "national_coordinator";
      notice.channel = "system";
      notice.at = now - std::chrono::minutes(30);
      EXPECT_TRUE(h.store().Write(
          [&](store::Tx& tx) { return incident::internal::Repo(tx.Sql()).InsertNotice(notice); }));
      rows_.notice = notice.id;
    }
    // Drills of Sở Y tế, one per route that changes one (each with etag 1): planned (read,
    // started, reported), running (a timeline entry, a finding), and running with a classified
    // finding (closed).
    rows_.keep["drills"] = InsertDrill(h, sys.id, plan::DrillState::kPlanned, false);
    rows_.keep["drills/timeline"] = InsertDrill(h, sys.id, plan::DrillState::kRunning, false);
    rows_.keep["drills/findings"] = InsertDrill(h, sys.id, plan::DrillState::kRunning, false);
    rows_.keep["drills/close"] = InsertDrill(h, sys.id, plan::DrillState::kRunning, true);
  }

  std::string InsertDrill(ApiHarness& h, const std::string& system_id, plan::DrillState state,
                          bool with_finding) {
    const core::Instant now = h.clock().Now();
    plan::Drill d;
    d.id = h.ids().Next();
    d.org_id = rows_.home;
    d.title = "Diễn tập ma trận";
    d.system_ids = {system_id};
    d.planned_start = d.planned_end = core::LocalDateOf(now);
    d.participants = {{"Đội đỏ", "", plan::ParticipantRole::kRedTeam},
                      {"Đội xanh", "", plan::ParticipantRole::kBlueTeam}};
    d.state = state;
    if (state != plan::DrillState::kPlanned) d.started_at = now - std::chrono::hours(1);
    if (with_finding) {
      d.findings.push_back({"f1", system_id, "Điểm yếu", "", plan::FindingCategory::kProcess,
                            plan::Severity::kLow, false, "u", "2099-01-01"});
    }
    EXPECT_TRUE(
        h.store().Write([&](store::Tx& tx) { return plan::DrillRepo(tx.Sql()).Create(d); }));
    return d.id;
  }

  // A complete plan of the TT20 outline (level 2 systems), of `system_id` or provincial (empty),
  // inserted through the plan module's repository; submitted when `submitted`.
  std::string InsertPlan(ApiHarness& h, const std::string& system_id, bool submitted) {
    static const std::vector<plan::Outline> outlines = [] {
      auto r = plan::LoadOutlines(UCSC_SOURCE_DIR "/data/plans");
      EXPECT_TRUE(r.has_value());
      return r ? *r : std::vector<plan::Outline>{};
    }();
    const plan::Outline& outline = *plan::SelectOutline(outlines, plan::OutlineKind::kOther);
    const core::Instant now = h.clock().Now();
    auto p = plan::NewDraft(
        {.id = h.ids().Next(),
         .org_id = rows_.home,
         .system_id = system_id,
         .scope = system_id.empty() ? plan::PlanScope::kProvincial : plan::PlanScope::kSystem,
         .title = "Phương án ma trận"},
        outline, now);
    EXPECT_TRUE(p.has_value());
    for (const auto& sec : outline.sections) {
      EXPECT_TRUE(plan::SetSection(*p, outline, sec.id, "Nội dung " + sec.id, now));
    }
    if (submitted) {
      EXPECT_TRUE(plan::Submit(*p, {"u", Role::kCoordinator, rows_.home}, now));
    }
    EXPECT_TRUE(
        h.store().Write([&](store::Tx& tx) { return plan::PlanRepo(tx.Sql()).Create(*p); }));
    return p->id;
  }

  Call Build(const RouteInfo& route) {
    Call c;
    Request& r = c.request;
    r.method = route.method;
    const std::string resource = ResourceOf(route.pattern);
    const bool has_id = route.pattern.find("{id}") != std::string::npos;
    const std::string tag = std::string(core::RoleName(role_));
    if (has_id) {
      const auto& ids = route.method == "DELETE" ? rows_.drop : rows_.keep;
      std::string key = route.pattern.rfind("/api/v1/scans/runs/", 0) == 0 ? "scan-runs" : resource;
      for (const char* step : {"timeline", "findings", "close"}) {
        if (route.pattern == std::string("/api/v1/drills/{id}/") + step) {
          key = std::string("drills/") + step;
        }
      }
      std::string id = resource == "tokens" ? rows_.token : ids.at(key);
      r.path = ReplaceParam(ReplaceParam(Replace(route.pattern, id), "notice_id", rows_.notice),
                            "form", "notification");
    } else {
      r.path = route.pattern;
    }
    if (route.pattern == "/api/v1/incident-summaries/form05") {
      r.query.emplace("year", "2026");
      r.query.emplace("half", "1");
    }
    if (route.method == "PATCH" || route.method == "DELETE" ||
        (route.method == "POST" && resource == "drills" && has_id)) {
      r.headers["if-match"] = "\"1\"";
    }
    Json body;
    if (route.method == "POST") {
      const std::string& p = route.pattern;
      if (p == "/api/v1/organisations") {
        body = {{"name", "Phòng mới " + tag}, {"type", "agency"}, {"parent_id", rows_.home}};
        c.ok_status = 201;
      } else if (p == "/api/v1/systems") {
        body = {{"name", "Hệ thống mới " + tag}, {"owner_org_id", rows_.home}, {"level", 2}};
        c.ok_status = 201;
      } else if (p == "/api/v1/assets") {
        body = {{"name", "Máy mới " + tag}, {"system_id", rows_.system}, {"ips", {"10.0.0.7"}}};
        c.ok_status = 201;
      } else if (p == "/api/v1/contacts") {
        body = {{"name", "Người mới " + tag}, {"org_id", rows_.home}};
        c.ok_status = 201;
      } else if (p == "/api/v1/ir-team") {
        body = {{"name", "Chuyên gia mới " + tag}, {"org_id", rows_.home}};
        c.ok_status = 201;
      } else if (p == "/api/v1/tasks") {
        body = {{"title", "Việc mới " + tag}, {"org_id", rows_.home}, {"kind", "remediation"}};
        c.ok_status = 201;
      } else if (p == "/api/v1/evidence") {
        body = {{"subject_kind", "system"},
                {"subject_id", rows_.system},
                {"type", "scan_report"},
                {"performed_on", "2026-05-20"},
                {"title", "Báo cáo rà quét " + tag}};
        c.ok_status = 201;
      } else if (p == "/api/v1/evidence/{id}/file") {
        r.body = "%PDF-1.4 tệp của " + tag;
        r.headers["content-type"] = "application/pdf";
        r.headers["x-file-name"] = "bao-cao-" + tag + ".pdf";
        return c;
      } else if (p == "/api/v1/compliance/evidence/{id}/review") {
        body = {{"decision", "accept"}};
      } else if (p == "/api/v1/compliance/urge") {
        body = {{"org_id", rows_.home}, {"message", "Đề nghị nộp báo cáo rà quét"}};
        c.ok_status = 201;
      } else if (p == "/api/v1/compliance/inspections") {
        body = {{"org_id", rows_.home}, {"date", "2026-05-30"}};
        c.ok_status = 201;
      } else if (p == "/api/v1/users") {
        body = {{"username", "moi." + tag}, {"role", "org_staff"}, {"org_id", rows_.home}};
        c.ok_status = 201;
      } else if (p == "/api/v1/tokens") {
        body = {{"name", "ma trận"}, {"scopes", {"read"}}};
        c.ok_status = 201;
      } else if (p == "/api/v1/auth/login") {
        body = {{"username", client_.username}, {"password", client_.password}};
        if (totp_enabled_) {
          body["totp_code"] = auth::TotpCode(*auth::Base32Decode(kTotpSecret), h_.clock().Now());
        }
      } else if (p == "/api/v1/auth/logout") {
        c.ok_status = 204;
      } else if (p == "/api/v1/me/password") {
        body = {{"current_password", client_.password}, {"new_password", "Mat-khau-thu-ba-2026!"}};
        c.ok_status = 204;
      } else if (p == "/api/v1/hunts/file") {
        r.body = "{\"EventID\": 4624}\n";
        r.query.emplace("system_id", rows_.system);
        r.headers["content-type"] = "application/x-ndjson";
        r.headers["x-file-name"] = "nhat-ky-" + tag + ".jsonl";
        c.ok_status = 202;
        return c;
      } else if (p == "/api/v1/scans/authorisations") {
        const core::Instant now = h_.clock().Now();
        body = {{"system_id", rows_.system},
                {"targets", {"127.0.0.1"}},
                {"ports", "22"},
                {"window_start", core::FormatRfc3339Utc(now - std::chrono::hours(1))},
                {"window_end", core::FormatRfc3339Utc(now + std::chrono::hours(24))},
                {"reason", "Rà quét định kỳ " + tag}};
        c.ok_status = 201;
      } else if (p == "/api/v1/advisories/{id}/state") {
        body = {{"state", "acknowledged"}};
      } else if (p == "/api/v1/findings/{id}/transition") {
        body = {{"event", "start_work"}};
      } else if (p == "/api/v1/scan-approvals/{id}") {
        body = {{"decision", "approve"}};
      } else if (p == "/api/v1/scans/runs") {
        body = {{"authorisation_id", rows_.keep["scans"]}};
        c.ok_status = 202;
      } else if (p == "/api/v1/scans/kill") {
        body = Json::object();
      } else if (p == "/api/v1/plans") {
        body = {{"system_id", rows_.system}, {"title", "Phương án mới " + tag}};
        c.ok_status = 201;
      } else if (p == "/api/v1/plans/{id}/submit") {
        body = Json::object();
      } else if (p == "/api/v1/plan-approvals/{id}") {
        body = {{"decision", "approve"}};
      } else if (p == "/api/v1/drills") {
        body = {{"title", "Diễn tập mới " + tag},
                {"kind", "live_fire"},
                {"system_ids", {rows_.system}},
                {"planned_start", "2026-06-10"},
                {"planned_end", "2026-06-11"},
                {"participants",
                 {{{"name", "Đội đỏ"}, {"role", "red_team"}},
                  {{"name", "Đội xanh"}, {"role", "blue_team"}}}}};
        c.ok_status = 201;
      } else if (p == "/api/v1/drills/{id}/start" || p == "/api/v1/drills/{id}/close") {
        body = Json::object();
      } else if (p == "/api/v1/drills/{id}/timeline") {
        body = {{"kind", "note"}, {"text", "Ghi chú ma trận"}};
      } else if (p == "/api/v1/drills/{id}/findings") {
        body = {{"system_id", rows_.system},
                {"title", "Điểm yếu mới"},
                {"category", "people"},
                {"severity", "low"}};
      } else if (p == "/api/v1/incidents") {
        body = {{"title", "Sự cố mới " + tag},
                {"description", "Mã độc"},
                {"type", "malware"},
                {"detected_at", core::FormatRfc3339Utc(h_.clock().Now())},
                {"affected_systems", {{{"system_id", rows_.system}}}},
                {"notification",
                 {{"reporter", {{"name", "Sở Y tế"}, {"address", "12 Lê Lợi"}}},
                  {"operator_name", "Trung tâm CNTT"},
                  {"handling_result", "Đã cô lập"}}}};
        c.ok_status = 201;
      } else if (p == "/api/v1/incidents/{id}/transitions") {
        body = {{"action", "check_item"}, {"item", "1.a"}};
      } else if (p == "/api/v1/incidents/{id}/observables") {
        body = {{"observables", {{{"type", "ip"}, {"value", "203.0.113.9"}}}}};
        c.ok_status = 201;
      } else if (p == "/api/v1/incidents/{id}/observables/import") {
        body = {{"Event", {{"Attribute", {{{"type", "ip-dst"}, {"value", "198.51.100.9"}}}}}}};
        c.ok_status = 201;
      } else if (p == "/api/v1/incidents/{id}/notices") {
        body = {{"direction", "sent"},
                {"document", "notification"},
                {"party", "owner"},
                {"channel", "email"}};
        c.ok_status = 201;
      } else if (p == "/api/v1/incidents/{id}/notices/{notice_id}/acknowledgement") {
        body = {{"channel", "email"}};
      } else if (p == "/api/v1/me/notifications/read") {
        body = {{"all", true}};
      } else if (p == "/api/v1/me/totp") {
        body = Json::object();
      } else if (p == "/api/v1/me/totp/confirm") {
        body = {{"secret", kTotpSecret},
                {"code", auth::TotpCode(*auth::Base32Decode(kTotpSecret), h_.clock().Now())},
                {"password", client_.password}};
        c.ok_status = 204;
      } else {
        ADD_FAILURE() << "the matrix has no body for POST " << p;
      }
    } else if (route.method == "PATCH") {
      static const std::map<std::string, Json> kPatches = {
          {"organisations", {{"short_name", "Đã sửa"}}},
          {"systems", {{"description", "Đã sửa"}}},
          {"assets", {{"os", "Debian 12"}}},
          {"contacts", {{"position", "Chuyên viên"}}},
          {"ir-team", {{"phone", "0912000000"}}},
          {"tasks", {{"state", "in_progress"}}},
          {"evidence", {{"description", "Đã sửa"}}},
          {"plans", {{"sections", {{"scope", "Phạm vi đã sửa"}}}}},
          {"incidents", {{"harm_description", "Gián đoạn cục bộ"}}},
      };
      body = kPatches.at(resource);
    } else if (route.method == "DELETE") {
      c.ok_status = 204;
    }
    if (!body.is_null()) {
      r.body = body.dump();
      r.headers["content-type"] = "application/json";
    }
    return c;
  }

  // Keeps the client's credentials in step with what a permitted call changed.
  void Applied(const RouteInfo& route) {
    if (route.pattern == "/api/v1/me/password") {
      client_.password = "Mat-khau-thu-ba-2026!";
      // A password change revokes the user's API tokens: give the matrix a fresh one.
      rows_.token =
          h_.InsertToken(client_.user_id, "ucsc_matrix_after_" + client_.username, {"read"}).id;
    }
    if (route.pattern == "/api/v1/me/totp/confirm") totp_enabled_ = true;
  }

 private:
  ApiHarness& h_;
  Client& client_;
  Role role_;
  MatrixRows rows_;
  bool totp_enabled_ = false;
};

// ---- The matrix: one test per back end and role ------------------------------------------------

class ApiRbacMatrix : public ::testing::TestWithParam<std::tuple<std::string, Role>> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(std::get<0>(GetParam()), skip)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
  }
  ApiHarness h_;
};

TEST_P(ApiRbacMatrix, EveryEndpointAllowsOrDeniesAsThePolicySays) {
  const Role role = std::get<1>(GetParam());
  Client client = h_.SignIn(role);
  Matrix matrix(h_, client, role);
  // Denied routes first, with one dump of the database around them all (a denied request
  // writes nothing); then the permitted ones, sign-out last since it ends the session.
  std::vector<RouteInfo> denied, permitted;
  for (const auto& route : h_.api().Routes()) {
    (Expected(role, route) == Expect::kAllowed ? permitted : denied).push_back(route);
  }
  std::stable_partition(permitted.begin(), permitted.end(),
                        [](const RouteInfo& r) { return r.pattern != "/api/v1/auth/logout"; });
  int checked = 0;
  const std::string before = h_.Dump();
  for (const auto& route : denied) {
    SCOPED_TRACE(std::string(core::RoleName(role)) + " " + route.method + " " + route.pattern);
    Call call = matrix.Build(route);
    EXPECT_TRUE(IsProblem(client.Send(call.request), 403));
    ++checked;
  }
  EXPECT_EQ(h_.Dump(), before) << "a denied request changed the database";
  for (const auto& route : permitted) {
    SCOPED_TRACE(std::string(core::RoleName(role)) + " " + route.method + " " + route.pattern);
    Call call = matrix.Build(route);
    Client sender = client;
    if (route.pattern == "/api/v1/auth/login") sender = h_.Anonymous();
    if (route.pattern == "/metrics") sender.remote_ip = "127.0.0.1";  // loopback only
    Response r = sender.Send(call.request);
    EXPECT_NE(r.status, 401) << r.body;
    EXPECT_NE(r.status, 403) << r.body;
    EXPECT_EQ(r.status, call.ok_status) << r.body;
    if (r.status == call.ok_status) matrix.Applied(route);
    ++checked;
  }
  // Every route of the API was exercised for this role.
  EXPECT_EQ(checked, static_cast<int>(h_.api().Routes().size()));
  EXPECT_FALSE(permitted.empty());
  RecordProperty("routes_checked", checked);
  RecordProperty("routes_denied", static_cast<int>(denied.size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiRbacMatrix,
                         ::testing::Combine(::testing::ValuesIn(Backends()),
                                            ::testing::ValuesIn(core::AllRoles())),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" +
                                  std::string(core::RoleName(std::get<1>(info.param)));
                         });

// ---- Targeted denials, organisation scoping, unauthenticated access --------------------------

class ApiRbac : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
    syt_ = h_.OrgId("Sở Y tế");
    stc_ = h_.OrgId("Sở Tài chính");
  }
  ApiHarness h_;
  std::string syt_, stc_;
};

TEST_P(ApiRbac, PublicRoutesAreExactlyTheOnesThatNeedNoSignIn) {
  std::set<std::pair<std::string, std::string>> open;
  for (const auto& r : h_.api().Routes()) {
    if (!r.needs_auth) open.insert({r.method, r.pattern});
  }
  EXPECT_EQ(open, kPublicRoutes);
}

TEST_P(ApiRbac, UnauthenticatedIs401OnEveryRouteThatNeedsAuth) {
  Client admin = h_.SignIn(Role::kAdmin);
  Matrix matrix(h_, admin, Role::kAdmin);
  const std::string before = h_.Dump();
  Client anonymous = h_.Anonymous();
  int checked = 0;
  for (const auto& route : h_.api().Routes()) {
    if (!route.needs_auth) continue;
    SCOPED_TRACE(route.method + " " + route.pattern);
    Call call = matrix.Build(route);
    EXPECT_TRUE(IsProblem(anonymous.Send(call.request), 401));
    // A CSRF token alone is no credential either.
    call.request.headers["x-csrf-token"] = admin.csrf;
    EXPECT_TRUE(IsProblem(anonymous.Send(call.request), 401));
    ++checked;
  }
  EXPECT_GT(checked, 40);
  EXPECT_EQ(h_.Dump(), before);
}

TEST_P(ApiRbac, PublicRoutesAnswerWithoutSignIn) {
  Client anonymous = h_.Anonymous();
  EXPECT_EQ(anonymous.Get("/healthz").status, 200);
  EXPECT_EQ(anonymous.Get("/api/v1/openapi.json").status, 200);
  anonymous.remote_ip = "127.0.0.1";
  EXPECT_EQ(anonymous.Get("/metrics").status, 200);
  // Metrics are for the local scraper only.
  anonymous.remote_ip = "203.0.113.9";
  EXPECT_TRUE(IsProblem(anonymous.Get("/metrics"), 404));
}

TEST_P(ApiRbac, OrgStaffCannotCreateSystems) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string before = h_.Dump();
  Response r = staff.Post("/api/v1/systems",
                          Json{{"name", "Hệ thống lậu"}, {"owner_org_id", syt_}, {"level", 1}});
  EXPECT_TRUE(IsProblem(r, 403));
  EXPECT_EQ(h_.Dump(), before);
}

TEST_P(ApiRbac, OrgStaffMayCreateTasksAndAssetsInItsOrganisation) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response t = staff.Post(
      "/api/v1/tasks",
      Json{{"title", "Vá lỗ hổng máy chủ web"}, {"org_id", syt_}, {"kind", "remediation"}});
  EXPECT_EQ(t.status, 201) << t.body;
  std::string system = h_.SystemId("Mạng nội bộ (LAN) Sở Y tế");
  Response a = staff.Post("/api/v1/assets", Json{{"name", "Máy trạm 01"}, {"system_id", system}});
  EXPECT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(Body(a)["org_id"], syt_);
}

TEST_P(ApiRbac, LiaisonSeesOnlyOrganisationsAndContacts) {
  Client liaison = h_.SignIn(Role::kLiaison);
  EXPECT_EQ(liaison.Get("/api/v1/organisations").status, 200);
  EXPECT_EQ(liaison.Get("/api/v1/contacts").status, 200);
  for (const char* path : {"/api/v1/systems", "/api/v1/assets", "/api/v1/ir-team", "/api/v1/tasks",
                           "/api/v1/users", "/api/v1/audit", "/api/v1/jobs"}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(IsProblem(liaison.Get(path), 403));
  }
  EXPECT_TRUE(IsProblem(
      liaison.Post("/api/v1/contacts", Json{{"name", "Người lạ"}, {"org_id", syt_}}), 403));
}

TEST_P(ApiRbac, AuditorReadsEverythingAndTheAuditLogButWritesNothing) {
  Client auditor = h_.SignIn(Role::kAuditor);
  for (const char* path : {"/api/v1/organisations", "/api/v1/systems", "/api/v1/assets",
                           "/api/v1/contacts", "/api/v1/ir-team", "/api/v1/tasks", "/api/v1/users",
                           "/api/v1/audit", "/api/v1/audit/verify"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(auditor.Get(path).status, 200);
  }
  // The user list never carries secrets.
  Response users = auditor.Get("/api/v1/users");
  EXPECT_EQ(Body(users)["items"].size(), 7u);
  EXPECT_EQ(users.body.find("password_hash"), std::string::npos);
  EXPECT_EQ(users.body.find("argon2"), std::string::npos);
  EXPECT_EQ(users.body.find("totp_secret"), std::string::npos);
  const std::string before = h_.Dump();
  EXPECT_TRUE(IsProblem(
      auditor.Post("/api/v1/organisations", Json{{"name", "Thanh tra mới"}, {"type", "agency"}}),
      403));
  EXPECT_TRUE(IsProblem(auditor.Delete("/api/v1/organisations/" + syt_, "\"1\""), 403));
  EXPECT_TRUE(IsProblem(
      auditor.Post("/api/v1/users", Json{{"username", "x"}, {"role", "admin"}, {"org_id", syt_}}),
      403));
  EXPECT_EQ(h_.Dump(), before);
}

TEST_P(ApiRbac, CoordinatorCannotManageUsersOrReadTheAuditLog) {
  Client coordinator = h_.SignIn(Role::kCoordinator);
  EXPECT_TRUE(IsProblem(coordinator.Get("/api/v1/users"), 403));
  EXPECT_TRUE(
      IsProblem(coordinator.Post("/api/v1/users",
                                 Json{{"username", "x.y"}, {"role", "admin"}, {"org_id", syt_}}),
                403));
  EXPECT_TRUE(IsProblem(coordinator.Get("/api/v1/audit"), 403));
  EXPECT_TRUE(IsProblem(coordinator.Get("/api/v1/jobs"), 403));
  // … but sees every organisation.
  Json page = Body(coordinator.Get("/api/v1/organisations", {{"limit", "500"}}));
  EXPECT_EQ(page["items"].size(), h_.OrgLinks().size());
}

TEST_P(ApiRbac, ResponderReadsSystemsButCannotChangeThem) {
  Client responder = h_.SignIn(Role::kResponder);
  std::string system = h_.SystemId("Mạng nội bộ (LAN) Sở Y tế");
  EXPECT_EQ(responder.Get("/api/v1/systems/" + system).status, 200);
  EXPECT_TRUE(
      IsProblem(responder.Patch("/api/v1/systems/" + system, Json{{"level", 1}}, "\"1\""), 403));
  EXPECT_TRUE(IsProblem(responder.Delete("/api/v1/systems/" + system, "\"1\""), 403));
}

// Rows of another organisation (Sở Tài chính) are invisible to Sở Y tế's manager and staff:
// 404, never 403, so that ids do not leak; a write the role may never do stays 403.
TEST_P(ApiRbac, OrgScopedRolesGet404ForRowsOfAnotherOrganisation) {
  auto sys = h_.InsertSystem("Hệ thống kế toán ngân sách", stc_);
  struct Target {
    std::string resource;
    std::string id;
  };
  std::vector<Target> targets = {
      {"systems", sys.id},
      {"assets", h_.InsertAsset("Máy chủ kế toán", sys).id},
      {"contacts", h_.InsertContact("Kế toán trưởng", stc_).id},
      {"tasks", h_.InsertTask("Cập nhật phần mềm kế toán", stc_, sys.id).id},
      {"organisations", stc_},
  };
  for (Role role : {Role::kOrgManager, Role::kOrgStaff}) {
    Client c = h_.SignIn(role);
    const std::string before = h_.Dump();
    for (const auto& t : targets) {
      SCOPED_TRACE(std::string(core::RoleName(role)) + " " + t.resource);
      const std::string path = "/api/v1/" + t.resource + "/" + t.id;
      Response get = c.Get(path);
      EXPECT_TRUE(IsProblem(get, 404));
      EXPECT_EQ(get.body.find("kế toán"), std::string::npos) << "the row leaked: " << get.body;
      RouteInfo patch{"PATCH", "/api/v1/" + t.resource + "/{id}", "", true, t.resource, "", ""};
      const int want = Expected(role, patch) == Expect::kAllowed ? 404 : 403;
      EXPECT_TRUE(IsProblem(c.Patch(path, Json{{"name", "x"}}, "\"1\""), want));
      EXPECT_TRUE(IsProblem(c.Delete(path, "\"1\""), want));
      if (t.resource == "systems") {
        EXPECT_TRUE(IsProblem(c.Get(path + "/changes"), 404));
      }
    }
    EXPECT_EQ(h_.Dump(), before);
  }
}

// List endpoints return exactly the rows of the caller's subtree: every row is in it, and no
// row of it is missing (compared with the admin's unscoped list).
TEST_P(ApiRbac, OrgScopedListsReturnExactlyTheSubtree) {
  Client admin = h_.SignIn(Role::kAdmin);
  h_.InsertMember("Kỹ sư an toàn thông tin bệnh viện",
                  h_.OrgId("Bệnh viện Đa khoa tỉnh Sông Hồng"));
  h_.InsertTask("Rà soát tài khoản", syt_);
  h_.InsertTask("Rà soát tài khoản kế toán", stc_);
  const auto subtree = h_.Subtree(syt_);
  ASSERT_GE(subtree.size(), 4u);  // Sở Y tế and its hospitals and CDC
  const std::set<std::string> in(subtree.begin(), subtree.end());
  auto list_all = [](const Client& c, const std::string& path) {
    std::vector<Json> rows;
    Query q{{"limit", "500"}};
    for (int page = 0; page < 20; ++page) {
      Response r = c.Get(path, q);
      EXPECT_EQ(r.status, 200) << r.body;
      Json j = Body(r);
      for (const auto& item : j["items"]) rows.push_back(item);
      if (!j["next_cursor"].is_string()) break;
      q = {{"limit", "500"}, {"cursor", j["next_cursor"].get<std::string>()}};
    }
    return rows;
  };
  auto in_scope = [&](const std::string& resource, const Json& row) {
    if (resource == "organisations") return in.contains(row["id"].get<std::string>());
    if (resource == "systems") {
      return in.contains(row["owner_org_id"].get<std::string>()) ||
             in.contains(row["operator_org_id"].get<std::string>());
    }
    return in.contains(row["org_id"].get<std::string>());
  };
  for (Role role : {Role::kOrgManager, Role::kOrgStaff}) {
    Client c = h_.SignIn(role);
    for (const char* resource :
         {"organisations", "systems", "assets", "contacts", "ir-team", "tasks"}) {
      SCOPED_TRACE(std::string(core::RoleName(role)) + " " + resource);
      const std::string path = std::string("/api/v1/") + resource;
      auto mine = list_all(c, path);
      std::set<std::string> mine_ids;
      for (const auto& row : mine) {
        EXPECT_TRUE(in_scope(resource, row)) << "outside the subtree: " << row.dump();
        mine_ids.insert(row["id"].get<std::string>());
      }
      EXPECT_EQ(mine_ids.size(), mine.size()) << "duplicates";
      std::set<std::string> expected;
      for (const auto& row : list_all(admin, path)) {
        if (in_scope(resource, row)) expected.insert(row["id"].get<std::string>());
      }
      EXPECT_EQ(mine_ids, expected);
      EXPECT_FALSE(mine.empty());
    }
  }
}

TEST_P(ApiRbac, OrgManagerCannotCreateRowsInAnotherOrganisation) {
  Client manager = h_.SignIn(Role::kOrgManager);
  auto foreign = h_.InsertSystem("Cổng thông tin Sở Tài chính (thử)", stc_);
  const std::string before = h_.Dump();
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/systems",
                             Json{{"name", "Lấn sân"}, {"owner_org_id", stc_}, {"level", 1}}),
                400, "/owner_org_id"));
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/contacts", Json{{"name", "Lấn sân"}, {"org_id", stc_}}), 400,
                "/org_id"));
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/tasks",
                             Json{{"title", "Lấn sân"}, {"org_id", stc_}, {"kind", "other"}}),
                400, "/org_id"));
  EXPECT_TRUE(IsProblem(
      manager.Post("/api/v1/assets", Json{{"name", "Lấn sân"}, {"system_id", foreign.id}}), 400,
      "/system_id"));
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/organisations",
                             Json{{"name", "Lấn sân"}, {"type", "agency"}, {"parent_id", stc_}}),
                400, "/parent_id"));
  // Without a parent the new organisation would sit outside the manager's subtree.
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/organisations", Json{{"name", "Mồ côi"}, {"type", "agency"}}),
                400, "/parent_id"));
  EXPECT_EQ(h_.Dump(), before);
}

TEST_P(ApiRbac, OrgScopedRolesCannotMoveRowsOutOfTheirSubtree) {
  Client manager = h_.SignIn(Role::kOrgManager);
  Client staff = h_.SignIn(Role::kOrgStaff);
  auto sys = h_.InsertSystem("Hệ thống quản lý khám chữa bệnh", syt_);
  auto asset = h_.InsertAsset("Máy chủ khám chữa bệnh", sys);
  auto task = h_.InsertTask("Sao lưu dữ liệu", syt_);
  auto contact = h_.InsertContact("Cán bộ đầu mối", syt_);
  auto foreign = h_.InsertSystem("Hệ thống quản lý ngân sách", stc_);
  const std::string before = h_.Dump();
  EXPECT_TRUE(
      IsProblem(manager.Patch("/api/v1/systems/" + sys.id, Json{{"owner_org_id", stc_}}, "\"1\""),
                400, "/owner_org_id"));
  EXPECT_TRUE(
      IsProblem(manager.Patch("/api/v1/contacts/" + contact.id, Json{{"org_id", stc_}}, "\"1\""),
                400, "/org_id"));
  for (const Client* c : {&manager, &staff}) {
    EXPECT_TRUE(
        IsProblem(c->Patch("/api/v1/assets/" + asset.id, Json{{"system_id", foreign.id}}, "\"1\""),
                  400, "/system_id"));
    EXPECT_TRUE(IsProblem(c->Patch("/api/v1/tasks/" + task.id, Json{{"org_id", stc_}}, "\"1\""),
                          400, "/org_id"));
    EXPECT_TRUE(
        IsProblem(c->Patch("/api/v1/tasks/" + task.id, Json{{"system_id", foreign.id}}, "\"1\""),
                  400, "/system_id"));
  }
  EXPECT_EQ(h_.Dump(), before);
}

TEST_P(ApiRbac, OrgManagerCanRenameItsOwnOrganisation) {
  // Sở Y tế's parent (the province) lies outside the manager's subtree; an update that leaves
  // parent_id alone must not be refused for it.
  Client manager = h_.SignIn(Role::kOrgManager);
  Response r =
      manager.Patch("/api/v1/organisations/" + syt_, Json{{"phone", "02003111222"}}, "\"1\"");
  EXPECT_EQ(r.status, 200) << r.body;
  // Re-parenting stays limited to the subtree, and detaching is refused.
  EXPECT_TRUE(
      IsProblem(manager.Patch("/api/v1/organisations/" + syt_, Json{{"parent_id", stc_}}, "\"2\""),
                400, "/parent_id"));
  EXPECT_TRUE(IsProblem(
      manager.Patch("/api/v1/organisations/" + syt_, Json{{"parent_id", nullptr}}, "\"2\""), 400,
      "/parent_id"));
}

TEST_P(ApiRbac, OrgManagerCannotMakeACycle) {
  Client manager = h_.SignIn(Role::kOrgManager);
  auto child = h_.InsertOrg("Phòng Nghiệp vụ Y", syt_);
  auto grandchild = h_.InsertOrg("Tổ Công nghệ thông tin", child.id);
  EXPECT_TRUE(IsProblem(manager.Patch("/api/v1/organisations/" + child.id,
                                      Json{{"parent_id", grandchild.id}}, "\"1\""),
                        400, "/parent_id"));
  EXPECT_TRUE(IsProblem(
      manager.Patch("/api/v1/organisations/" + child.id, Json{{"parent_id", child.id}}, "\"1\""),
      400, "/parent_id"));
}

TEST_P(ApiRbac, UsersSeeOnlyTheirOwnTokens) {
  Client admin = h_.SignIn(Role::kAdmin);
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response created = admin.Post("/api/v1/tokens", Json{{"name", "CI"}, {"scopes", {"read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Body(created)["id"];
  EXPECT_TRUE(Body(staff.Get("/api/v1/tokens"))["items"].empty());
  EXPECT_TRUE(IsProblem(staff.Delete("/api/v1/tokens/" + id, std::nullopt), 404));
  EXPECT_EQ(Body(admin.Get("/api/v1/tokens"))["items"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiRbac, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::server::testing
