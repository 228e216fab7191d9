// Routes of server-run scans (issue 6 point 2): authorisation requests, the coordinator's
// decision (the organisation is told), runs inside an approved scope and window, the kill switch;
// findings and advisories with their lifecycle.
#include <algorithm>
#include <functional>

#include "capability/records.h"
#include "compliance/run_evidence.h"
#include "core/legal_time.h"
#include "outbox/outbox.h"
#include "vuln/advisories.h"
#include "vuln/findings_store.h"
#include "vuln/internal/module_internal.h"
#include "vuln/scan_service.h"

namespace ucsc::vuln::internal {
namespace {

using store::ScanRecord;
using store::ScanTable;

constexpr auto kMaxWindow = std::chrono::hours(24 * 31);

Result<core::Instant> InstantField(const std::string& text, const std::string& pointer) {
  auto t = core::ParseRfc3339(text);
  if (!t) return core::InvalidArgument("must be an RFC 3339 time", pointer);
  return *t;
}

}  // namespace

std::vector<RouteSpec> ScanRoutes(const ScanEnv& env) {
  std::vector<RouteSpec> routes;
  const core::Clock* clock = &env.clock;
  const core::IdGenerator* ids = &env.ids;
  const int depth = env.depth;
  std::shared_ptr<ScanService> service = env.service;
  const scan::SlaPolicy sla = env.sla;

  routes.push_back(
      {"POST", "/api/v1/scans/authorisations",
       "Request a scan authorisation: {\"system_id\",\"targets\":[…],\"ports\",\"window_start\","
       "\"window_end\",\"reason\"} (approved by the coordinator)",
       true, "scans", Access::kWrite, [clock, ids, depth](Ctx& c, store::Tx& tx) -> Status {
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
         std::string system_id, ports, start_text, end_text, reason;
         std::vector<std::string> targets;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("system_id", system_id, codec::Need::kRequired, 64));
         UCSC_RETURN_IF_ERROR(r.StringList("targets", targets, codec::Need::kRequired, 64));
         UCSC_RETURN_IF_ERROR(r.String("ports", ports, codec::Need::kRequired, 1000));
         UCSC_RETURN_IF_ERROR(r.String("window_start", start_text, codec::Need::kRequired, 40));
         UCSC_RETURN_IF_ERROR(r.String("window_end", end_text, codec::Need::kRequired, 40));
         UCSC_RETURN_IF_ERROR(r.String("reason", reason, codec::Need::kRequired, 2000));
         UCSC_RETURN_IF_ERROR(r.Finish());
         if (reason.empty()) return core::InvalidArgument("is required", "/reason");
         auto system = tx.Systems().Get(system_id, c.scope);
         if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
         UCSC_ASSIGN_OR_RETURN(auto scope, ParseScanScope(targets, ports));
         (void)scope;
         UCSC_ASSIGN_OR_RETURN(auto start, InstantField(start_text, "/window_start"));
         UCSC_ASSIGN_OR_RETURN(auto end, InstantField(end_text, "/window_end"));
         const core::Instant now = clock->Now();
         if (end <= start)
           return core::InvalidArgument("must be after window_start", "/window_end");
         if (end <= now) return core::InvalidArgument("is in the past", "/window_end");
         if (end - start > kMaxWindow) {
           return core::InvalidArgument("a window is at most 31 days", "/window_end");
         }
         ScanRecord a;
         a.id = ids->Next();
         a.org_id = system->owner_org_id;
         a.system_id = system_id;
         a.state = "requested";
         a.version = 1;
         a.created_at = a.updated_at = now;
         Json doc{{"targets", targets},
                  {"ports", ports},
                  {"window_start", core::FormatRfc3339Utc(start)},
                  {"window_end", core::FormatRfc3339Utc(end)},
                  {"reason", reason},
                  {"requested_by", c.principal.actor}};
         a.doc = doc.dump();
         UCSC_RETURN_IF_ERROR(tx.Scans().Insert(ScanTable::kAuthorisations, a));
         Json out = RecordJson(a);
         UCSC_RETURN_IF_ERROR(
             AppendAudit(tx, c, now, "create", "scan_authorisation", a.id, "", out.dump()));
         SetJson(c, 201, out);
         c.res.SetHeader("ETag", ETag(a.version));
         return core::Ok();
       }});

  routes.push_back(
      {"GET", "/api/v1/scans/authorisations",
       "Scan authorisations in your scope, newest first: ?state= ?before= ?limit=", false, "scans",
       Access::kRead,
       [](Ctx& c, store::Tx& tx) { return ListRoute(c, tx, ScanTable::kAuthorisations); }});
  routes.push_back({"GET", "/api/v1/scans/authorisations/{id}", "One scan authorisation", false,
                    "scans", Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
                      UCSC_ASSIGN_OR_RETURN(auto a, tx.Scans().Get(ScanTable::kAuthorisations,
                                                                   c.params["id"], c.scope));
                      SetJson(c, 200, RecordJson(a));
                      c.res.SetHeader("ETag", ETag(a.version));
                      return core::Ok();
                    }});

  routes.push_back(
      {"POST", "/api/v1/scan-approvals/{id}",
       "Decide a scan authorisation: {\"decision\": \"approve\"|\"reject\"|\"revoke\", "
       "\"reason\"}; an approval is sent to the organisation",
       true, "scan-approvals", Access::kWrite,
       [clock, ids, depth](Ctx& c, store::Tx& tx) -> Status {
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
         std::string decision, reason;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("decision", decision, codec::Need::kRequired, 10));
         UCSC_RETURN_IF_ERROR(r.String("reason", reason, codec::Need::kOptional, 2000));
         UCSC_RETURN_IF_ERROR(r.Finish());
         UCSC_ASSIGN_OR_RETURN(auto a,
                               tx.Scans().Get(ScanTable::kAuthorisations, c.params["id"], c.scope));
         const std::string before = RecordJson(a).dump();
         std::string next;
         if (decision == "approve" || decision == "reject") {
           if (a.state != "requested") {
             return core::MakeError(ErrorCode::kFailedPrecondition,
                                    "only a requested authorisation can be " + decision + "d");
           }
           next = decision == "approve" ? "approved" : "rejected";
         } else if (decision == "revoke") {
           if (a.state != "approved") {
             return core::MakeError(ErrorCode::kFailedPrecondition,
                                    "only an approved authorisation can be revoked");
           }
           next = "revoked";
         } else {
           return core::InvalidArgument("must be approve, reject or revoke", "/decision");
         }
         if (next != "approved" && reason.empty()) {
           return core::InvalidArgument("a " + decision + " needs a reason", "/reason");
         }
         const core::Instant now = clock->Now();
         Json doc = codec::ParseJson(a.doc).value_or(Json::object());
         doc["decided_by"] = c.principal.actor;
         doc["decided_at"] = core::FormatRfc3339Utc(now);
         doc["decision_reason"] = reason;
         a.state = next;
         a.version += 1;
         a.updated_at = now;
         a.doc = doc.dump();
         UCSC_RETURN_IF_ERROR(tx.Scans().Update(ScanTable::kAuthorisations, a));
         // The organisation is told what will be scanned and when (in the application now, by
         // e-mail through the queue).
         if (next == "approved" || next == "revoked") {
           UCSC_ASSIGN_OR_RETURN(auto audience, outbox::LoadAudience(tx));
           UCSC_ASSIGN_OR_RETURN(auto system, tx.Systems().Get(a.system_id, store::Scope::All()));
           std::string targets;
           for (const auto& t : doc["targets"])
             targets += (targets.empty() ? "" : ", ") + t.get<std::string>();
           const auto start = core::ParseRfc3339(doc["window_start"].get<std::string>());
           const auto end = core::ParseRfc3339(doc["window_end"].get<std::string>());
           store::Notification n;
           n.org_id = a.org_id;
           n.kind = next == "approved" ? "scan_authorised" : "scan_revoked";
           n.title =
               (next == "approved" ? "Thông báo rà quét lỗ hổng: " : "Hủy phê duyệt rà quét: ") +
               system.name;
           n.body = "Hệ thống: " + system.name + "\nĐịa chỉ: " + targets +
                    "\nCổng: " + doc["ports"].get<std::string>() + "\nThời gian: từ " +
                    (start ? core::FormatRfc3339Local(*start) : "?") + " đến " +
                    (end ? core::FormatRfc3339Local(*end) : "?") +
                    "\nLý do: " + doc["reason"].get<std::string>();
           if (!reason.empty()) n.body += "\nGhi chú: " + reason;
           n.link = "/api/v1/scans/authorisations/" + a.id;
           n.created_at = now;
           const auto& to = audience.Of(a.org_id);
           UCSC_RETURN_IF_ERROR(outbox::AddNotifications(tx, *ids, to.user_ids, n));
           outbox::OrgMail mail{a.org_id, n.title,
                                "Kính gửi " + audience.org_name[a.org_id] + ",\n\n" + n.body + "\n",
                                "scan/" + a.id + "/" + next};
           UCSC_RETURN_IF_ERROR(outbox::EnqueueOrgMail(tx, *ids, mail, now));
         }
         Json out = RecordJson(a);
         UCSC_RETURN_IF_ERROR(
             AppendAudit(tx, c, now, decision, "scan_authorisation", a.id, before, out.dump()));
         SetJson(c, 200, out);
         c.res.SetHeader("ETag", ETag(a.version));
         return core::Ok();
       }});

  routes.push_back(
      {"POST", "/api/v1/scans/runs",
       "Run a scan inside an approved authorisation: {\"authorisation_id\", \"targets\":[…]?, "
       "\"ports\"?} (default: the whole scope); answers 202, the run is queued",
       true, "scans", Access::kWrite, [clock, ids, depth](Ctx& c, store::Tx& tx) -> Status {
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
         std::string auth_id, ports;
         std::vector<std::string> targets;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("authorisation_id", auth_id, codec::Need::kRequired, 64));
         UCSC_RETURN_IF_ERROR(r.StringList("targets", targets, codec::Need::kOptional, 64));
         UCSC_RETURN_IF_ERROR(r.String("ports", ports, codec::Need::kOptional, 1000));
         UCSC_RETURN_IF_ERROR(r.Finish());
         auto a = tx.Scans().Get(ScanTable::kAuthorisations, auth_id, c.scope);
         if (!a) {
           return core::InvalidArgument("matches no authorisation you can see",
                                        "/authorisation_id");
         }
         if (a->state != "approved") {
           return core::MakeError(ErrorCode::kFailedPrecondition,
                                  "the authorisation is " + a->state + ", not approved");
         }
         const Json auth_doc = codec::ParseJson(a->doc).value_or(Json::object());
         const core::Instant now = clock->Now();
         const auto start = core::ParseRfc3339(auth_doc.value("window_start", ""));
         const auto end = core::ParseRfc3339(auth_doc.value("window_end", ""));
         if (!start || !end || now < *start || now >= *end) {
           return core::MakeError(ErrorCode::kFailedPrecondition,
                                  "outside the authorised window (" +
                                      auth_doc.value("window_start", "") + " – " +
                                      auth_doc.value("window_end", "") + ")");
         }
         std::vector<std::string> allowed_targets;
         for (const auto& t : auth_doc["targets"]) allowed_targets.push_back(t.get<std::string>());
         const std::string allowed_ports = auth_doc.value("ports", "");
         UCSC_ASSIGN_OR_RETURN(auto allowed, ParseScanScope(allowed_targets, allowed_ports));
         if (targets.empty()) targets = allowed_targets;
         if (ports.empty()) ports = allowed_ports;
         UCSC_ASSIGN_OR_RETURN(auto requested, ParseScanScope(targets, ports));
         UCSC_RETURN_IF_ERROR(CheckWithinScope(allowed, requested, targets));
         ScanRecord run;
         run.id = ids->Next();
         run.org_id = a->org_id;
         run.system_id = a->system_id;
         run.parent_id = a->id;
         run.state = "queued";
         run.version = 1;
         run.created_at = run.updated_at = now;
         run.doc = Json{{"targets", targets}, {"ports", ports}, {"requested_by", c.principal.actor}}
                       .dump();
         return QueueRun(c, tx, *ids, ScanTable::kRuns, run, "scan_run", "scan_run");
       }});

  routes.push_back({"GET", "/api/v1/scans/runs",
                    "Scan runs in your scope, newest first: ?state= ?before= ?limit=", false,
                    "scans", Access::kRead,
                    [](Ctx& c, store::Tx& tx) { return ListRoute(c, tx, ScanTable::kRuns); }});
  routes.push_back({"GET", "/api/v1/scans/runs/{id}", "One scan run, with what it found", false,
                    "scans", Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
                      UCSC_ASSIGN_OR_RETURN(
                          auto run, tx.Scans().Get(ScanTable::kRuns, c.params["id"], c.scope));
                      SetJson(c, 200, RecordJson(run));
                      return core::Ok();
                    }});

  // ---- Findings (issue 6 point 5) ------------------------------------------------------------
  routes.push_back(
      {"GET", "/api/v1/findings",
       "Vulnerability findings in your scope, by fingerprint: ?system_id= ?state= "
       "?before= ?limit=; each with its SLA due time, overdue flag and R6 "
       "exploitability",
       false, "findings", Access::kRead, [clock, sla](Ctx& c, store::Tx& tx) -> Status {
         const core::Instant now = clock->Now();
         return ListRoute(c, tx, ScanTable::kFindings,
                          [now, sla](const ScanRecord& r) { return FindingView(r, sla, now); });
       }});
  routes.push_back(
      {"POST", "/api/v1/findings/{id}/transition",
       "Move a finding: {\"event\": \"start_work\"|\"accept_risk\"|\"false_positive\"|"
       "\"reopen\", \"until\": \"YYYY-MM-DD\" (accept_risk), \"reason\"}; fixed comes only "
       "from a later scan",
       true, "findings", Access::kWrite, [clock, depth, sla](Ctx& c, store::Tx& tx) -> Status {
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
         std::string event, until_text, reason;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("event", event, codec::Need::kRequired, 20));
         UCSC_RETURN_IF_ERROR(r.String("until", until_text, codec::Need::kOptional, 10));
         UCSC_RETURN_IF_ERROR(r.String("reason", reason, codec::Need::kOptional, 2000));
         UCSC_RETURN_IF_ERROR(r.Finish());
         scan::TransitionInput in;
         in.at = clock->Now();
         if (event == "start_work") {
           in.event = scan::FindingEvent::kStartWork;
         } else if (event == "accept_risk") {
           in.event = scan::FindingEvent::kAcceptRisk;
           in.until = core::ParseIsoDate(until_text);
           if (!in.until) return core::InvalidArgument("must be a date YYYY-MM-DD", "/until");
         } else if (event == "false_positive") {
           in.event = scan::FindingEvent::kMarkFalsePositive;
         } else if (event == "reopen") {
           in.event = scan::FindingEvent::kReopen;
         } else {
           return core::InvalidArgument("must be start_work, accept_risk, false_positive or reopen",
                                        "/event");
         }
         if ((event == "accept_risk" || event == "false_positive") && reason.empty()) {
           return core::InvalidArgument("a reason is required", "/reason");
         }
         UCSC_ASSIGN_OR_RETURN(auto rec,
                               tx.Scans().Get(ScanTable::kFindings, c.params["id"], c.scope));
         const std::string before = rec.doc;
         UCSC_ASSIGN_OR_RETURN(auto finding, FindingFromRecord(rec));
         UCSC_ASSIGN_OR_RETURN(auto next, scan::Transition(finding, in));
         Json doc = FindingToJson(next);
         if (!reason.empty()) doc["reason"] = reason;
         rec.state = std::string(scan::FindingStateName(next.state));
         rec.doc = doc.dump();
         rec.version += 1;
         rec.updated_at = in.at;
         UCSC_RETURN_IF_ERROR(tx.Scans().Update(ScanTable::kFindings, rec));
         UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, in.at, event, "finding", rec.id, before, rec.doc));
         SetJson(c, 200, FindingView(rec, sla, in.at));
         return core::Ok();
       }});

  // ---- Advisories (issue 6 point 6) ----------------------------------------------------------
  routes.push_back({"GET", "/api/v1/advisories",
                    "Vulnerability advisories sent to the organisations in your scope, newest "
                    "first: ?state= ?before= ?limit=; each with its due date and overdue flag",
                    false, "advisories", Access::kRead, [clock](Ctx& c, store::Tx& tx) -> Status {
                      const core::Instant now = clock->Now();
                      return ListRoute(c, tx, ScanTable::kAdvisories,
                                       [now](const ScanRecord& r) { return AdvisoryView(r, now); });
                    }});
  routes.push_back(
      {"POST", "/api/v1/advisories/{id}/state",
       "Acknowledge an advisory or report it remediated: {\"state\": \"acknowledged\"|"
       "\"remediated\", \"note\"}",
       true, "advisories", Access::kWrite, [clock, depth](Ctx& c, store::Tx& tx) -> Status {
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
         std::string state, note;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("state", state, codec::Need::kRequired, 20));
         UCSC_RETURN_IF_ERROR(r.String("note", note, codec::Need::kOptional, 2000));
         UCSC_RETURN_IF_ERROR(r.Finish());
         UCSC_ASSIGN_OR_RETURN(auto rec,
                               tx.Scans().Get(ScanTable::kAdvisories, c.params["id"], c.scope));
         if (state == "acknowledged") {
           if (rec.state != "sent") {
             return core::MakeError(ErrorCode::kFailedPrecondition,
                                    "the advisory is already " + rec.state);
           }
         } else if (state == "remediated") {
           if (rec.state == "remediated") {
             return core::MakeError(ErrorCode::kFailedPrecondition,
                                    "the advisory is already remediated");
           }
           if (note.empty()) return core::InvalidArgument("say what was done", "/note");
         } else {
           return core::InvalidArgument("must be acknowledged or remediated", "/state");
         }
         const core::Instant now = clock->Now();
         const std::string before = rec.doc;
         Json doc = codec::ParseJson(rec.doc).value_or(Json::object());
         doc[state + "_at"] = core::FormatRfc3339Utc(now);
         doc[state + "_by"] = c.principal.actor;
         if (!note.empty()) doc[state + "_note"] = note;
         rec.state = state;
         rec.doc = doc.dump();
         rec.version += 1;
         rec.updated_at = now;
         UCSC_RETURN_IF_ERROR(tx.Scans().Update(ScanTable::kAdvisories, rec));
         UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, now, state, "advisory", rec.id, before, rec.doc));
         SetJson(c, 200, AdvisoryView(rec, now));
         return core::Ok();
       }});

  routes.push_back({"POST", "/api/v1/scans/kill",
                    "Kill switch: stop every running scan of this server within a second", true,
                    "scans", Access::kWrite, [clock, service](Ctx& c, store::Tx& tx) -> Status {
                      const int stopped = service->KillAll();
                      Json out{{"stopped", stopped}};
                      UCSC_RETURN_IF_ERROR(
                          AppendAudit(tx, c, clock->Now(), "kill", "scans", "", "", out.dump()));
                      SetJson(c, 200, out);
                      return core::Ok();
                    }});
  return routes;
}

}  // namespace ucsc::vuln::internal
