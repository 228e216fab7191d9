#include "incident/module.h"

#include <algorithm>
#include <array>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "capability/route.h"
#include "core/legal_time.h"
#include "incident/classify.h"
#include "incident/clocks.h"
#include "incident/codec.h"
#include "incident/demo.h"
#include "incident/documents.h"
#include "incident/exchange.h"
#include "incident/internal/repo.h"
#include "incident/internal/service.h"
#include "incident/notices.h"
#include "incident/observable.h"
#include "incident/summary.h"
#include "incident/workflow.h"
#include "outbox/outbox.h"
#include "report/pdf.h"
#include "text/vietnamese.h"

namespace ucsc::incident {
namespace {

using capability::Access;
using capability::Ctx;
using capability::Grant;
using capability::Json;
using capability::RouteSpec;
using capability::SetJson;
using internal::ClassificationJson;
using internal::FindForm;
using internal::FormRoute;
using internal::Repo;
using internal::TextJson;
using Status = core::Status;

// Incidents are reported by every organisation and worked by the IR team; the auditor reads.
// Liaison organisations (police, military) get nothing until sharing lands (issue 14 §5).
constexpr capability::PolicyRow kPolicy{.resource = "incidents",
                                        .admin = Grant::kWrite,
                                        .coordinator = Grant::kWrite,
                                        .responder = Grant::kWrite,
                                        .org_manager = Grant::kWrite,
                                        .org_staff = Grant::kWrite,
                                        .liaison = Grant::kNone,
                                        .auditor = Grant::kRead};

// Who notices go to (data/incident/recipients.yaml): read by whoever reads incidents.
constexpr capability::PolicyRow kRecipientsPolicy{.resource = "incident-recipients",
                                                  .admin = Grant::kRead,
                                                  .coordinator = Grant::kRead,
                                                  .responder = Grant::kRead,
                                                  .org_manager = Grant::kRead,
                                                  .org_staff = Grant::kRead,
                                                  .liaison = Grant::kNone,
                                                  .auditor = Grant::kRead};

// The two procedures' definitions (workflow.h), for the console: read by whoever reads incidents.
constexpr capability::PolicyRow kWorkflowsPolicy{.resource = "incident-workflows",
                                                 .admin = Grant::kRead,
                                                 .coordinator = Grant::kRead,
                                                 .responder = Grant::kRead,
                                                 .org_manager = Grant::kRead,
                                                 .org_staff = Grant::kRead,
                                                 .liaison = Grant::kNone,
                                                 .auditor = Grant::kRead};

// Form 05 (R16, R18): an organisation's subtree summary, read by whoever reads incidents; the
// route scopes it (an organisation's user gets its subtree, the coordinator the province).
constexpr capability::PolicyRow kSummariesPolicy{.resource = "incident-summaries",
                                                 .admin = Grant::kRead,
                                                 .coordinator = Grant::kRead,
                                                 .responder = Grant::kRead,
                                                 .org_manager = Grant::kRead,
                                                 .org_staff = Grant::kRead,
                                                 .liaison = Grant::kNone,
                                                 .auditor = Grant::kRead};

bool PrefersEnglish(const Ctx& c) {
  const std::string lang = c.req.Header("accept-language");
  const auto en = lang.find("en");
  const auto vi = lang.find("vi");
  return en != std::string::npos && (vi == std::string::npos || en < vi);
}

// Decodes a create or PATCH body. A server-set report time (codec.h ServerSetPointers, issue 14
// task 1: R8/R10/R11 are met only by notices recorded through POST …/notices) is answered here
// as a 400 problem naming the field with its detail in the client's language; `answered` is then
// true and the handler must return without a write.
Status DecodeBody(Ctx& c, const Json& body, codec::Mode mode, Incident& out, bool& answered) {
  answered = false;
  auto st = Decode(body, mode, out);
  if (st || !IsServerSetPointer(st.error().field)) return st;
  const bool en = PrefersEnglish(c);
  c.res.status = 400;
  c.res.content_type = "application/problem+json";
  c.res.body =
      Json{{"type", "urn:ucsc:problem:invalid_argument"},
           {"title", en ? "Invalid input" : "Dữ liệu không hợp lệ"},
           {"status", 400},
           {"detail", ServerSetDetail(st.error().field, en)},
           {"errors", Json::array({Json{{"pointer", st.error().field},
                                        {"detail", ServerSetDetail(st.error().field, en)}}})}}
          .dump();
  answered = true;
  return core::Ok();
}

// Answers 422: the mandatory (*) fields `missing` of document `name_vi` / `name_en` are empty,
// each named by its pointer.
void AnswerIncomplete(Ctx& c, const std::vector<DocumentField>& missing, const std::string& name_vi,
                      const std::string& name_en) {
  const bool en = PrefersEnglish(c);
  Json errors = Json::array();
  for (const auto& f : missing) {
    errors.push_back(Json{{"pointer", f.pointer},
                          {"detail", en ? "mandatory (*) field \"" + f.label + "\" is empty"
                                        : "trường bắt buộc (*) \"" + f.label + "\" chưa có"}});
  }
  c.res.status = 422;
  c.res.content_type = "application/problem+json";
  c.res.body = Json{
      {"type", "urn:ucsc:problem:incomplete_form"},
      {"title", en ? "The case lacks fields the form needs"
                   : "Hồ sơ sự cố còn thiếu thông tin biểu mẫu cần"},
      {"status", 422},
      {"detail",
       en ? name_en + ": " + std::to_string(missing.size()) + " mandatory field(s) empty"
          : name_vi + ": còn " + std::to_string(missing.size()) + " trường bắt buộc chưa có"},
      {"errors",
       errors}}.dump();
}

// ?format= or the Accept header: docx | pdf (| json when `json_ok`, the default then).
core::Result<std::string> FormatOf(const Ctx& c, bool json_ok) {
  std::string format = capability::Param(c, "format");
  if (format.empty()) {
    const std::string accept = c.req.Header("accept");
    if (accept.find("application/pdf") != std::string::npos) {
      format = "pdf";
    } else if (accept.find("wordprocessingml") != std::string::npos || !json_ok) {
      format = "docx";
    } else {
      format = "json";
    }
  }
  if (format != "docx" && format != "pdf" && (!json_ok || format != "json")) {
    return core::InvalidArgument(json_ok ? "must be json, docx or pdf" : "must be docx or pdf",
                                 "/format");
  }
  return format;
}

// The issue options of the document routes: ?number= ?issuer_code= ?place= ?signer_title=
// ?signer_name= ?authority=.
core::Result<internal::DocumentOptions> IssueOptions(const Ctx& c, std::string format) {
  internal::DocumentOptions opts;
  opts.format = std::move(format);
  opts.issuer_code = capability::Param(c, "issuer_code");
  opts.place = capability::Param(c, "place");
  opts.signer_title = capability::Param(c, "signer_title");
  opts.signer_name = capability::Param(c, "signer_name");
  opts.authority = capability::Param(c, "authority");
  const std::string number = capability::Param(c, "number");
  if (!number.empty()) {
    int n = 0;
    for (char ch : number) {
      if (ch < '0' || ch > '9' || n > 999999) {
        return core::InvalidArgument("must be a number 1–9999999", "/number");
      }
      n = n * 10 + (ch - '0');
    }
    if (n == 0) return core::InvalidArgument("must be a number 1–9999999", "/number");
    opts.number = n;
  }
  return opts;
}

Json View(const Incident& inc) {
  Json j = ToJson(inc);
  j["classification"] = ClassificationJson(Classify(inc));
  Json actions = Json::array();
  for (Action a : AllowedActions(inc)) actions.push_back(std::string(ActionName(a)));
  j["allowed_actions"] = actions;
  return j;
}

Json EventJson(const Event& e) { return ToJson(e); }

// One procedure of workflow.h in one language: its steps in order, each with its checklist;
// `response_ends_after` is the step whose completion ends the response (R9, R11 start).
Json WorkflowJson(const Workflow& w, bool en) {
  auto text = [en](const Text& t) { return en ? t.en : t.vi; };
  Json steps = Json::array();
  for (const auto& s : w.steps) {
    Json items = Json::array();
    for (const auto& i : s.checklist) {
      items.push_back(Json{{"id", i.id}, {"text", text(i.text)}, {"required", i.required}});
    }
    steps.push_back(Json{{"number", s.number}, {"title", text(s.title)}, {"checklist", items}});
  }
  return Json{{"process", std::string(ProcessKindName(w.kind))},
              {"title", text(w.title)},
              {"basis", w.basis},
              {"response_ends_after", w.response_ends_after},
              {"steps", steps}};
}

Json NoticeJson(const Notice& n, const Recipients* r) {
  const PartyDef* party = r != nullptr ? r->Party(n.party) : nullptr;
  const NoticeRule* doc = r != nullptr ? r->Document(n.document) : nullptr;
  return Json{
      {"id", n.id},
      {"direction", std::string(NoticeDirectionName(n.direction))},
      {"document", n.document},
      {"document_title", doc != nullptr ? TextJson(doc->title) : Json(nullptr)},
      {"party", n.party},
      {"party_title", party != nullptr ? TextJson(party->title) : Json(nullptr)},
      {"party_name", n.party_name.empty() && party != nullptr ? party->body : n.party_name},
      {"channel", n.channel},
      {"reference_no", n.reference_no},
      {"at", core::FormatRfc3339Utc(n.at)},
      {"acknowledged", n.acknowledged_at.has_value()},
      {"acknowledged_at",
       n.acknowledged_at ? Json(core::FormatRfc3339Utc(*n.acknowledged_at)) : Json(nullptr)},
      {"acknowledged_by", n.acknowledged_by},
      {"ack_channel", n.ack_channel}};
}

Json ClockJson(const ClockStatus& s) {
  Json j{{"clock_id", s.clock_id},
         {"rule", s.rule},
         {"title", TextJson(s.title)},
         {"basis", s.basis.document + ", " + s.basis.article},
         {"state", std::string(ClockStateName(s.state))},
         {"ref", s.ref},
         {"late", s.late},
         {"met", s.state == ClockState::kSatisfied && !s.late}};
  auto put = [&](const char* key, const std::optional<core::Instant>& t) {
    j[key] = t ? Json(core::FormatRfc3339Utc(*t)) : Json(nullptr);
  };
  put("started_at", s.started_at);
  put("due_at", s.due_at);
  put("satisfied_at", s.satisfied_at);
  return j;
}

// The clocks of one incident: calendar clocks (R16, R18) are organisation-level summaries and
// are left to compliance.
std::vector<ClockStatus> IncidentClocks(const ClockSet& set, const std::vector<Event>& events,
                                        core::Instant now) {
  std::vector<ClockStatus> out;
  for (const auto& def : set.clocks) {
    if (def.kind == ClockKind::kCalendar) continue;
    for (auto& s : EvaluateClock(def, events, now)) out.push_back(std::move(s));
  }
  return out;
}

// Import limits: the body (the server caps bodies at its own limit first) and the observables of
// one import.
constexpr size_t kMaxImportBytes = 1 << 20;
constexpr size_t kMaxImportObservables = 5000;

class IncidentModule final : public capability::Module {
 public:
  explicit IncidentModule(const capability::Env& env)
      : clock_(env.clock),
        ids_(env.ids),
        depth_(env.max_json_depth),
        clocks_path_(
            capability::Setting(env, "incident_clocks",
                                capability::Setting(env, "rulepacks_dir", "data/rulepacks") +
                                    "/../incident/clocks.yaml")) {
    auto loaded = LoadClocks(clocks_path_);
    if (loaded) {
      clocks_ = std::make_shared<ClockSet>(std::move(*loaded));
    } else {
      clocks_error_ = loaded.error().ToString();
    }
    const std::string recipients_path = capability::Setting(
        env, "incident_recipients",
        clocks_path_.substr(0, clocks_path_.find_last_of('/') + 1) + "recipients.yaml");
    auto parties = LoadRecipients(recipients_path);
    if (parties) {
      recipients_ = std::make_shared<Recipients>(std::move(*parties));
    } else {
      recipients_error_ = parties.error().ToString();
    }
  }

  [[nodiscard]] std::string_view Name() const override { return "incident"; }

  void Register(capability::Registry& r) override {
    r.AddTables(internal::Tables());
    r.AddPolicy(kPolicy);
    r.AddPolicy(kRecipientsPolicy);
    r.AddPolicy(kWorkflowsPolicy);
    r.AddPolicy(kSummariesPolicy);
    for (auto& route : Routes()) r.AddRoute(std::move(route));
    r.AddSchema("Incident", capability::SchemaOf(View(Incident{})));
    r.AddJob({"incident_clocks", [this](const core::Job&, store::Store& s) -> Status {
                return s.Write([&](store::Tx& tx) { return RaiseOverdueAlerts(tx); });
              }});
    r.AddSchedule({"incident_clocks", "@hourly", "incident_clocks"});
    r.AddCommands(&internal::AddCommands);
    // `ucsc demo init`: incidents of 2025–2026 over the demo systems (demo.h), so that Form 05,
    // the clocks (R8–R12) and the dashboards have content; no compliance evidence of its own.
    r.AddDemo({"incident",
               {},
               [recipients = recipients_,
                error = recipients_error_](const capability::DemoEnv& env) -> Status {
                 if (!recipients) {
                   return core::MakeError(core::ErrorCode::kUnavailable,
                                          "the incident recipients are not loaded: " + error);
                 }
                 return SeedDemo(env, *recipients);
               }});
  }

 private:
  [[nodiscard]] core::Result<const ClockSet*> Clocks() const {
    if (!clocks_) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "the incident clocks are not loaded: " + clocks_error_);
    }
    return clocks_.get();
  }

  [[nodiscard]] core::Result<const Recipients*> Parties() const {
    if (!recipients_) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "the incident recipients are not loaded: " + recipients_error_);
    }
    return recipients_.get();
  }

  // Stores `next` (a change of `before`, or a new incident when `before` is null) with the events
  // of the change, re-running R14: the outcome and every criterion's reason are audited when
  // they change, a serious outcome moves a normal incident onto the QĐ05 procedure.
  Status Save(store::Tx& tx, const Ctx& c, const Incident* before, Incident next,
              std::vector<Event> events, const std::string& action, Incident& saved) {
    return internal::SaveIncident(tx, c.principal.actor, clock_.Now(), before, std::move(next),
                                  std::move(events), action, saved);
  }

  std::vector<RouteSpec> Routes() {
    std::vector<RouteSpec> out;
    RouteSpec create(
        "POST", "/api/v1/incidents",
        "Report an incident (DOMAIN.md A fields at least); an Idempotency-Key header makes a "
        "retry return the incident it created",
        true, "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          Repo repo(tx.Sql());
          const std::string key = c.req.Header("idempotency-key");
          if (key.size() > 200) {
            return core::InvalidArgument("at most 200 characters", "/Idempotency-Key");
          }
          if (!key.empty()) {
            UCSC_ASSIGN_OR_RETURN(auto known, repo.IdempotentIncident(c.principal.actor, key));
            if (known) {
              UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(*known, store::Scope::All()));
              c.res.SetHeader("ETag", capability::ETag(inc.version));
              c.res.SetHeader("Idempotent-Replayed", "true");
              SetJson(c, 200, View(inc));
              return core::Ok();
            }
          }
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          Incident inc;
          bool answered = false;
          UCSC_RETURN_IF_ERROR(DecodeBody(c, body, codec::Mode::kCreate, inc, answered));
          if (answered) return core::Ok();
          if (inc.org_id.empty()) inc.org_id = c.principal.user.org_id;
          if (!capability::InScope(c.scope, inc.org_id)) {
            return core::InvalidArgument("matches no organisation you can see", "/org_id");
          }
          UCSC_RETURN_IF_ERROR(internal::ResolveSystems(tx, c.scope, inc));
          UCSC_RETURN_IF_ERROR(internal::CheckIntake(inc, clock_.Now()));
          inc.id = ids_.Next();
          Incident saved;
          UCSC_RETURN_IF_ERROR(
              Save(tx, c, nullptr, inc, IntakeEvents(inc, clock_.Now()), "create", saved));
          if (!key.empty()) {
            UCSC_RETURN_IF_ERROR(
                repo.RecordIdempotency(c.principal.actor, key, saved.id, clock_.Now()));
          }
          c.res.SetHeader("ETag", capability::ETag(saved.version));
          SetJson(c, 201, View(saved));
          return core::Ok();
        });
    create.request_schema = create.response_schema = "Incident";
    out.push_back(std::move(create));

    out.emplace_back(
        "GET", "/api/v1/incidents",
        "Incidents in your scope, newest first: ?org_id= ?state= ?type= ?serious=true|false "
        "?q= ?limit= (1–200) ?after=<id>",
        false, "incidents", Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
          UCSC_RETURN_IF_ERROR(capability::OnlyParams(
              c, {"org_id", "state", "type", "serious", "q", "limit", "after"}));
          internal::ListFilter f;
          f.scope = c.scope;
          f.org_id = capability::Param(c, "org_id");
          f.state = capability::Param(c, "state");
          f.type = capability::Param(c, "type");
          f.serious = capability::Param(c, "serious");
          f.q = capability::Param(c, "q");
          f.after = capability::Param(c, "after");
          if (!f.state.empty() && !ParseIncidentState(f.state)) {
            return core::InvalidArgument("must be open, response_ended or closed", "/state");
          }
          if (!f.type.empty() && !ParseIncidentType(f.type)) {
            return core::InvalidArgument("is not an incident type", "/type");
          }
          if (!f.serious.empty() && f.serious != "true" && f.serious != "false") {
            return core::InvalidArgument("must be true or false", "/serious");
          }
          if (!f.after.empty() && !core::IsUuid(f.after)) {
            return core::InvalidArgument("must be an incident id", "/after");
          }
          if (f.q.size() > 200) return core::InvalidArgument("at most 200 characters", "/q");
          UCSC_ASSIGN_OR_RETURN(f.limit, capability::LimitParam(c, 50, 200));
          UCSC_ASSIGN_OR_RETURN(auto list, Repo(tx.Sql()).List(f));
          const bool more = static_cast<int>(list.size()) > f.limit;
          if (more) list.resize(static_cast<size_t>(f.limit));
          Json items = Json::array();
          for (const auto& inc : list) items.push_back(View(inc));
          SetJson(
              c, 200,
              Json{{"items", items}, {"next_after", more ? Json(list.back().id) : Json(nullptr)}});
          return core::Ok();
        });

    out.emplace_back("GET", "/api/v1/incidents/{id}",
                     "One incident with its R14 classification, allowed actions and timeline",
                     false, "incidents", Access::kRead, [this](Ctx& c, store::Tx& tx) -> Status {
                       Repo repo(tx.Sql());
                       UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
                       UCSC_ASSIGN_OR_RETURN(auto events, repo.Events(inc.id));
                       UCSC_ASSIGN_OR_RETURN(auto notices, repo.Notices(inc.id));
                       Json j = View(inc);
                       Json timeline = Json::array();
                       for (const auto& e : events) timeline.push_back(EventJson(e));
                       j["timeline"] = timeline;
                       Json list = Json::array();
                       for (const auto& n : notices) {
                         list.push_back(NoticeJson(n, recipients_.get()));
                       }
                       j["notices"] = list;
                       c.res.SetHeader("ETag", capability::ETag(inc.version));
                       SetJson(c, 200, j);
                       return core::Ok();
                     });

    RouteSpec patch(
        "PATCH", "/api/v1/incidents/{id}",
        "Change an incident's facts (If-Match); R14 is evaluated again and audited", true,
        "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          UCSC_ASSIGN_OR_RETURN(const int64_t expected, capability::RequireIfMatch(c));
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto before, repo.Get(c.params["id"], c.scope));
          if (before.version != expected) {
            return core::MakeError(core::ErrorCode::kConflict,
                                   "the incident is at version " + std::to_string(before.version));
          }
          if (before.state == IncidentState::kClosed) {
            return core::MakeError(core::ErrorCode::kFailedPrecondition,
                                   "a closed incident changes only by reopening", "/state");
          }
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          Incident next = before;
          bool answered = false;
          UCSC_RETURN_IF_ERROR(DecodeBody(c, body, codec::Mode::kPatch, next, answered));
          if (answered) return core::Ok();
          if (next.org_id != before.org_id && !capability::InScope(c.scope, next.org_id)) {
            return core::InvalidArgument("matches no organisation you can see", "/org_id");
          }
          UCSC_RETURN_IF_ERROR(internal::ResolveSystems(tx, c.scope, next));
          Incident saved;
          UCSC_RETURN_IF_ERROR(Save(tx, c, &before, next, {}, "update", saved));
          c.res.SetHeader("ETag", capability::ETag(saved.version));
          SetJson(c, 200, View(saved));
          return core::Ok();
        });
    patch.request_schema = patch.response_schema = "Incident";
    out.push_back(std::move(patch));

    out.emplace_back(
        "POST", "/api/v1/incidents/{id}/transitions",
        "A workflow step (TT20 Art 11 / QĐ05 Art 14): {\"action\": check_item|complete_step|"
        "close|reopen|change_process, \"item\", \"reason\", \"to_step\", \"process\"}",
        true, "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto before, repo.Get(c.params["id"], c.scope));
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          codec::ObjectReader r(body, "");
          std::string action, process;
          Command cmd;
          cmd.actor = c.principal.actor;
          UCSC_RETURN_IF_ERROR(r.String("action", action, codec::Need::kRequired, 32));
          UCSC_RETURN_IF_ERROR(r.String("item", cmd.item, codec::Need::kOptional, 16));
          UCSC_RETURN_IF_ERROR(r.String("reason", cmd.reason, codec::Need::kOptional, 2000));
          UCSC_RETURN_IF_ERROR(r.Int("to_step", cmd.to_step, codec::Need::kOptional));
          UCSC_RETURN_IF_ERROR(r.String("process", process, codec::Need::kOptional, 16));
          UCSC_RETURN_IF_ERROR(r.Finish());
          bool known = false;
          for (Action a : {Action::kCheckItem, Action::kCompleteStep, Action::kClose,
                           Action::kReopen, Action::kChangeProcess}) {
            if (ActionName(a) == action) {
              cmd.action = a;
              known = true;
            }
          }
          if (!known) return core::InvalidArgument("is not a workflow action", "/action");
          if (!process.empty()) {
            auto p = ParseProcessKind(process);
            if (!p) return core::InvalidArgument("must be normal or serious", "/process");
            cmd.process = *p;
          }
          UCSC_ASSIGN_OR_RETURN(auto t, Apply(before, cmd, clock_.Now()));
          Incident saved;
          UCSC_RETURN_IF_ERROR(Save(tx, c, &before, t.next, t.events, action, saved));
          c.res.SetHeader("ETag", capability::ETag(saved.version));
          SetJson(c, 200, View(saved));
          return core::Ok();
        });

    out.emplace_back(
        "POST", "/api/v1/incidents/{id}/observables",
        "Add observables: {\"observables\": [{\"type\", \"value\", \"comment\"}]}, each "
        "validated per type (defanged values are refanged)",
        true, "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          if (!body.is_object() || !body.contains("observables") ||
              !body["observables"].is_array() || body.size() != 1) {
            return core::InvalidArgument("must be the only member, an array", "/observables");
          }
          const Json& list = body["observables"];
          if (list.empty() || list.size() > 1000) {
            return core::InvalidArgument("must hold 1 to 1000 observables", "/observables");
          }
          std::vector<Observable> obs;
          for (size_t i = 0; i < list.size(); ++i) {
            const std::string at = "/observables/" + std::to_string(i);
            codec::ObjectReader r(list[i], at);
            std::string type, value, comment;
            UCSC_RETURN_IF_ERROR(r.String("type", type, codec::Need::kRequired, 32));
            UCSC_RETURN_IF_ERROR(r.String("value", value, codec::Need::kRequired, 4096));
            UCSC_RETURN_IF_ERROR(r.String("comment", comment, codec::Need::kOptional, 1000));
            UCSC_RETURN_IF_ERROR(r.Finish());
            auto t = ParseObservableType(type);
            if (!t) return core::InvalidArgument("is not an observable type", at + "/type");
            auto o = MakeObservable(*t, value, comment);
            if (!o) return core::InvalidArgument(o.error().message, at + "/value");
            obs.push_back(std::move(*o));
          }
          Json added = Json::array();
          for (const auto& o : obs) {
            internal::StoredObservable s{ids_.Next(), inc.id, o, clock_.Now()};
            UCSC_ASSIGN_OR_RETURN(bool fresh, repo.AddObservable(s));
            if (fresh) {
              added.push_back(Json{{"id", s.id},
                                   {"type", std::string(ObservableTypeName(o.type))},
                                   {"value", o.value}});
            }
          }
          UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, c, clock_.Now(), "add_observables",
                                                       "incident", inc.id, "", added.dump()));
          SetJson(c, 201, Json{{"added", added}});
          return core::Ok();
        });

    out.emplace_back(
        "GET", "/api/v1/incidents/{id}/observables",
        "The incident's observables, each with the other incidents it was seen in", false,
        "incidents", Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
          UCSC_ASSIGN_OR_RETURN(auto list, repo.Observables(inc.id));
          Json items = Json::array();
          for (const auto& s : list) {
            UCSC_ASSIGN_OR_RETURN(auto seen, repo.SeenIn(s.observable, inc.id, c.scope));
            Json others = Json::array();
            for (const auto& o : seen) {
              others.push_back(
                  Json{{"incident_id", o.incident_id}, {"org_id", o.org_id}, {"title", o.title}});
            }
            items.push_back(Json{{"id", s.id},
                                 {"type", std::string(ObservableTypeName(s.observable.type))},
                                 {"value", s.observable.value},
                                 {"defanged", Defang(s.observable)},
                                 {"comment", s.observable.comment},
                                 {"created_at", core::FormatRfc3339Utc(s.created_at)},
                                 {"seen_in_incidents", others}});
          }
          SetJson(c, 200, Json{{"items", items}});
          return core::Ok();
        });

    out.emplace_back("GET", "/api/v1/incidents/{id}/clocks",
                     "The incident's legal clocks (R8–R12, R15): started, due, state", false,
                     "incidents", Access::kRead, [this](Ctx& c, store::Tx& tx) -> Status {
                       UCSC_ASSIGN_OR_RETURN(const ClockSet* set, Clocks());
                       Repo repo(tx.Sql());
                       UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
                       UCSC_ASSIGN_OR_RETURN(auto events, repo.Events(inc.id));
                       Json items = Json::array();
                       for (const auto& s : IncidentClocks(*set, events, clock_.Now())) {
                         items.push_back(ClockJson(s));
                       }
                       SetJson(c, 200, Json{{"pack", set->pack}, {"items", items}});
                       return core::Ok();
                     });
    out.emplace_back(
        "GET", "/api/v1/incident-recipients",
        "Who incident notices go to (DOMAIN.md §3.3, data/incident/recipients.yaml): the parties "
        "and, per document, the parties it must reach and the rule it satisfies",
        false, "incident-recipients", Access::kRead, [this](Ctx& c, store::Tx&) -> Status {
          UCSC_ASSIGN_OR_RETURN(const Recipients* r, Parties());
          Json parties = Json::array();
          for (const auto& p : r->parties) {
            parties.push_back(Json{{"id", p.id}, {"title", TextJson(p.title)}, {"body", p.body}});
          }
          Json docs = Json::array();
          for (const auto& d : r->documents) {
            docs.push_back(Json{
                {"id", d.document},
                {"rule", d.rule},
                {"title", TextJson(d.title)},
                {"event", d.event ? Json(std::string(EventKindName(*d.event))) : Json(nullptr)},
                {"required", d.required}});
          }
          Json channels = Json::array();
          for (auto ch : NoticeChannels()) channels.push_back(std::string(ch));
          SetJson(c, 200,
                  Json{{"pack", r->pack},
                       {"parties", parties},
                       {"documents", docs},
                       {"channels", channels}});
          return core::Ok();
        });

    out.emplace_back(
        "GET", "/api/v1/incident-workflows",
        "The two incident procedures as the server enforces them (workflow.h): TT20 Art 11 "
        "(normal, 4 steps) and QĐ05 Art 14 (serious, 7 steps), each step with its checklist "
        "(item id, text, required); texts in Vietnamese or English by Accept-Language",
        false, "incident-workflows", Access::kRead, [](Ctx& c, store::Tx&) -> Status {
          UCSC_RETURN_IF_ERROR(capability::OnlyParams(c, {}));
          const bool en = PrefersEnglish(c);
          Json items = Json::array();
          for (ProcessKind k : {ProcessKind::kNormal, ProcessKind::kSerious}) {
            items.push_back(WorkflowJson(WorkflowFor(k), en));
          }
          c.res.SetHeader("Content-Language", en ? "en" : "vi");
          c.res.SetHeader("Vary", "Accept-Language");
          SetJson(c, 200, Json{{"lang", en ? "en" : "vi"}, {"items", items}});
          return core::Ok();
        });

    out.emplace_back(
        "POST", "/api/v1/incidents/{id}/notices",
        "Record a notice sent or received: {\"direction\": sent|received, \"document\", "
        "\"party\", \"party_name\", \"channel\", \"at\", \"reference_no\"}; a document "
        "sent to every party it requires satisfies its legal clock (R8–R11, R15), a notice "
        "received starts R12",
        true, "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          UCSC_ASSIGN_OR_RETURN(const Recipients* r, Parties());
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          codec::ObjectReader rd(body, "");
          Notice n;
          std::string direction;
          std::optional<core::Instant> at;
          UCSC_RETURN_IF_ERROR(rd.String("direction", direction, codec::Need::kRequired, 16));
          UCSC_RETURN_IF_ERROR(rd.String("document", n.document, codec::Need::kRequired, 64));
          UCSC_RETURN_IF_ERROR(rd.String("party", n.party, codec::Need::kRequired, 64));
          UCSC_RETURN_IF_ERROR(rd.String("party_name", n.party_name, codec::Need::kOptional, 300));
          UCSC_RETURN_IF_ERROR(rd.String("channel", n.channel, codec::Need::kRequired, 16));
          UCSC_RETURN_IF_ERROR(
              rd.String("reference_no", n.reference_no, codec::Need::kOptional, 100));
          core::Instant when{};
          UCSC_RETURN_IF_ERROR(rd.Time("at", when, codec::Need::kOptional));
          UCSC_RETURN_IF_ERROR(rd.Finish());
          if (body.contains("at")) at = when;
          auto dir = ParseNoticeDirection(direction);
          if (!dir) return core::InvalidArgument("must be sent or received", "/direction");
          n.direction = *dir;
          n.id = ids_.Next();
          n.incident_id = inc.id;
          n.at = at ? *at : clock_.Now();
          Incident saved;
          UCSC_RETURN_IF_ERROR(
              internal::RecordNotice(tx, *r, c.principal.actor, clock_.Now(), inc, n, saved));
          c.res.SetHeader("ETag", capability::ETag(saved.version));
          SetJson(c, 201, Json{{"notice", NoticeJson(n, r)}, {"incident", View(saved)}});
          return core::Ok();
        });

    out.emplace_back("GET", "/api/v1/incidents/{id}/notices",
                     "The incident's notices sent and received, with their acknowledgements", false,
                     "incidents", Access::kRead, [this](Ctx& c, store::Tx& tx) -> Status {
                       Repo repo(tx.Sql());
                       UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
                       UCSC_ASSIGN_OR_RETURN(auto notices, repo.Notices(inc.id));
                       Json items = Json::array();
                       for (const auto& n : notices) {
                         items.push_back(NoticeJson(n, recipients_.get()));
                       }
                       SetJson(c, 200, Json{{"items", items}});
                       return core::Ok();
                     });

    out.emplace_back(
        "POST", "/api/v1/incidents/{id}/notices/{notice_id}/acknowledgement",
        "Record the acknowledgement of a notice (R12): of one received, our acknowledgement to "
        "the sender; of one sent, the recipient's. {\"at\", \"by\", \"channel\"}",
        true, "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          UCSC_ASSIGN_OR_RETURN(const Recipients* r, Parties());
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          codec::ObjectReader rd(body, "");
          std::string by;
          std::string channel;
          core::Instant when{};
          UCSC_RETURN_IF_ERROR(rd.Time("at", when, codec::Need::kOptional));
          UCSC_RETURN_IF_ERROR(rd.String("by", by, codec::Need::kOptional, 300));
          UCSC_RETURN_IF_ERROR(rd.String("channel", channel, codec::Need::kRequired, 16));
          UCSC_RETURN_IF_ERROR(rd.Finish());
          const core::Instant at = body.contains("at") ? when : clock_.Now();
          Notice acked;
          Incident saved;
          UCSC_RETURN_IF_ERROR(internal::AcknowledgeNotice(tx, *r, c.principal.actor, clock_.Now(),
                                                           inc, c.params["notice_id"], at, by,
                                                           channel, acked, saved));
          c.res.SetHeader("ETag", capability::ETag(saved.version));
          SetJson(c, 200, Json{{"notice", NoticeJson(acked, r)}, {"incident", View(saved)}});
          return core::Ok();
        });
    out.emplace_back(
        "GET", "/api/v1/incidents/{id}/documents/{form}",
        "An official document of the incident in the Decree 30/2020 layout, built from the case: "
        "form = notification | initial_report (form03) | progress_report | closing_report "
        "(form04); ?format=docx|pdf or Accept; ?number= ?issuer_code= ?place= ?signer_title= "
        "?signer_name= ?authority=. 422 names every mandatory (*) field the case lacks",
        false, "incidents", Access::kRead, [this](Ctx& c, store::Tx& tx) -> Status {
          UCSC_RETURN_IF_ERROR(
              capability::OnlyParams(c, {"format", "number", "issuer_code", "place", "signer_title",
                                         "signer_name", "authority"}));
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
          const FormRoute* form = FindForm(c.params["form"]);
          if (form == nullptr) {
            return core::NotFound(
                "no such form: notification, initial_report (form03), progress_report, "
                "closing_report (form04)");
          }
          UCSC_ASSIGN_OR_RETURN(const std::string format, FormatOf(c, false));
          const core::Instant now = clock_.Now();
          // Every mandatory field the case lacks, each with its pointer (422).
          const auto missing = internal::MissingFields(*form, inc, now);
          if (!missing.empty()) {
            AnswerIncomplete(c, missing, std::string(IncidentDocumentName(form->kind)),
                             std::string(form->en));
            return core::Ok();
          }
          UCSC_ASSIGN_OR_RETURN(auto opts, IssueOptions(c, format));
          UCSC_ASSIGN_OR_RETURN(auto doc, internal::RenderIncidentDocument(tx, inc, *form, opts,
                                                                           recipients_.get(), now));
          c.res.status = 200;
          c.res.content_type = doc.content_type;
          c.res.SetHeader("Content-Disposition", "attachment; filename=\"" + doc.file_name + "\"");
          c.res.body = std::move(doc.bytes);
          return core::Ok();
        });
    out.emplace_back(
        "GET", "/api/v1/incident-summaries/form05",
        "Form 05 (DOMAIN.md E, R16/R18): the 6-monthly or annual summary of the incidents of an "
        "organisation's subtree by the 10 incident types (count, self-handled, domestic and "
        "foreign help, support requested, estimated damage, totals, helpers). ?year= ?half=1 "
        "(16/12 of the year before .. 20/6) | 2 (21/6 .. 15/12) | year (16/12 .. 15/12) "
        "?format=json|docx|pdf ?org_id= (default: your organisation, or the province for the "
        "coordinator) ?member_code= ?proposals= ?number= ?issuer_code= ?place= ?signer_title= "
        "?signer_name= ?authority=; 422 names the organisation's missing mandatory fields",
        false, "incident-summaries", Access::kRead, [this](Ctx& c, store::Tx& tx) -> Status {
          UCSC_RETURN_IF_ERROR(capability::OnlyParams(
              c, {"year", "half", "format", "org_id", "member_code", "proposals", "number",
                  "issuer_code", "place", "signer_title", "signer_name", "authority"}));
          internal::SummaryRequest req;
          const std::string year = capability::Param(c, "year");
          if (year.size() != 4 || !std::all_of(year.begin(), year.end(),
                                               [](char ch) { return ch >= '0' && ch <= '9'; })) {
            return core::InvalidArgument("must be a year YYYY", "/year");
          }
          req.year = std::stoi(year);
          req.half = capability::Param(c, "half");
          req.org_id = capability::Param(c, "org_id");
          req.member_code = capability::Param(c, "member_code");
          req.proposals = capability::Param(c, "proposals");
          if (req.member_code.size() > 64) {
            return core::InvalidArgument("at most 64 characters", "/member_code");
          }
          if (req.proposals.size() > 4000) {
            return core::InvalidArgument("at most 4000 characters", "/proposals");
          }
          UCSC_ASSIGN_OR_RETURN(const std::string format, FormatOf(c, true));
          UCSC_ASSIGN_OR_RETURN(auto report,
                                internal::LoadSummary(tx, c.scope, c.principal.user.org_id, req));
          if (format == "json") {
            SetJson(c, 200, internal::SummaryJson(report));
            return core::Ok();
          }
          std::vector<DocumentField> missing;
          for (auto& f : Form05Fields(report.summary, report.header)) {
            if (f.mandatory && f.value.find_first_not_of(' ') == std::string::npos) {
              missing.push_back(std::move(f));
            }
          }
          if (!missing.empty()) {
            AnswerIncomplete(c, missing, "Báo cáo tổng hợp (Mẫu 05)", "Summary (Form 05)");
            return core::Ok();
          }
          UCSC_ASSIGN_OR_RETURN(auto opts, IssueOptions(c, format));
          UCSC_ASSIGN_OR_RETURN(
              auto doc, internal::RenderSummary(tx, report, opts, recipients_.get(), clock_.Now()));
          c.res.status = 200;
          c.res.content_type = doc.content_type;
          c.res.SetHeader("Content-Disposition", "attachment; filename=\"" + doc.file_name + "\"");
          c.res.body = std::move(doc.bytes);
          return core::Ok();
        });

    auto exporter = [](bool stix) {
      return [stix](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(capability::OnlyParams(c, {}));
        Repo repo(tx.Sql());
        UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
        UCSC_ASSIGN_OR_RETURN(auto stored, repo.Observables(inc.id));
        std::vector<Observable> obs;
        obs.reserve(stored.size());
        for (auto& s : stored) obs.push_back(std::move(s.observable));
        // The export's time is the incident's last change, so that exporting twice is the same.
        const ExchangeSource src{inc.id, inc.title, inc.updated_at};
        SetJson(c, 200, stix ? ToStixBundle(src, obs) : ToMispEvent(src, obs));
        c.res.SetHeader("Content-Disposition", "attachment; filename=\"incident-" + inc.id +
                                                   (stix ? ".stix.json\"" : ".misp.json\""));
        return core::Ok();
      };
    };
    out.emplace_back("GET", "/api/v1/incidents/{id}/stix",
                     "The incident's observables as a STIX 2.1 bundle (an indicator per "
                     "observable, grouped by the incident; ids stable across exports)",
                     false, "incidents", Access::kRead, exporter(true));
    out.emplace_back("GET", "/api/v1/incidents/{id}/misp",
                     "The incident's observables as a MISP event (JSON)", false, "incidents",
                     Access::kRead, exporter(false));

    out.emplace_back(
        "POST", "/api/v1/incidents/{id}/observables/import",
        "Import observables from a STIX 2.1 bundle or a MISP event (JSON body, at most 1 MiB "
        "and 5000 observables): each validated, duplicates within the input and with the "
        "incident's own kept once; objects that carry no observable are listed as skipped",
        true, "incidents", Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
          Repo repo(tx.Sql());
          UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(c.params["id"], c.scope));
          if (c.req.body.size() > kMaxImportBytes) {
            return core::InvalidArgument("the import is larger than 1 MiB", "");
          }
          UCSC_ASSIGN_OR_RETURN(auto body, capability::ParseBody(c, depth_));
          if (!body.is_object()) {
            return core::InvalidArgument("must be a STIX bundle or a MISP event object", "");
          }
          const bool stix = body.contains("type");
          if (!stix && !body.contains("Event") && !body.contains("Attribute")) {
            return core::InvalidArgument(
                "is neither a STIX bundle (type: bundle) nor a MISP event (Event, Attribute)", "");
          }
          UCSC_ASSIGN_OR_RETURN(auto result,
                                stix ? ImportStixBundle(c.req.body) : ImportMispEvent(c.req.body));
          if (result.observables.size() > kMaxImportObservables) {
            return core::InvalidArgument("holds more than 5000 observables", "");
          }
          Json added = Json::array();
          int duplicates = 0;
          for (const auto& o : result.observables) {
            internal::StoredObservable s{ids_.Next(), inc.id, o, clock_.Now()};
            UCSC_ASSIGN_OR_RETURN(bool fresh, repo.AddObservable(s));
            if (!fresh) {
              ++duplicates;
              continue;
            }
            added.push_back(Json{{"id", s.id},
                                 {"type", std::string(ObservableTypeName(o.type))},
                                 {"value", o.value}});
          }
          Json skipped = Json::array();
          for (const auto& k : result.skipped) {
            skipped.push_back(Json{{"pointer", k.pointer}, {"reason", k.reason}});
          }
          const Json answer{{"format", stix ? "stix" : "misp"},
                            {"added", added},
                            {"already_present", duplicates},
                            {"skipped", skipped}};
          UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, c, clock_.Now(), "import_observables",
                                                       "incident", inc.id, "", answer.dump()));
          SetJson(c, 201, answer);
          return core::Ok();
        });
    return out;
  }

  // The job: every clock of an open incident that is overdue is alerted once (in-app to the
  // organisation's managers and the coordinators, e-mail to the organisation), recorded in
  // incident_clock_alerts so that later runs stay quiet.
  Status RaiseOverdueAlerts(store::Tx& tx) {
    UCSC_ASSIGN_OR_RETURN(const ClockSet* set, Clocks());
    Repo repo(tx.Sql());
    const core::Instant now = clock_.Now();
    UCSC_ASSIGN_OR_RETURN(auto ids, repo.OpenIds());
    std::optional<outbox::Audience> audience;
    for (const auto& id : ids) {
      UCSC_ASSIGN_OR_RETURN(auto inc, repo.Get(id, store::Scope::All()));
      UCSC_ASSIGN_OR_RETURN(auto events, repo.Events(id));
      for (const auto& s : IncidentClocks(*set, events, now)) {
        if (s.state != ClockState::kOverdue) continue;
        UCSC_ASSIGN_OR_RETURN(bool fresh, repo.MarkAlerted(id, s.clock_id, s.ref, now));
        if (!fresh) continue;
        if (!audience) {
          UCSC_ASSIGN_OR_RETURN(auto a, outbox::LoadAudience(tx));
          audience = std::move(a);
        }
        store::Notification n;
        n.org_id = inc.org_id;
        n.kind = "incident_clock";
        n.title = "[TBSC] Quá hạn " + s.rule + ": " + s.title.vi;
        n.body = inc.title + " — hạn " +
                 (s.due_at ? core::FormatRfc3339Utc(*s.due_at) : std::string("?"));
        n.link = "/incidents/" + id;
        n.created_at = now;
        std::vector<std::string> users = audience->Of(inc.org_id).user_ids;
        for (const auto& u : audience->coordinators.user_ids) users.push_back(u);
        std::set<std::string> distinct(users.begin(), users.end());
        UCSC_RETURN_IF_ERROR(outbox::AddNotifications(
            tx, ids_, std::vector<std::string>(distinct.begin(), distinct.end()), n));
        UCSC_RETURN_IF_ERROR(outbox::EnqueueOrgMail(
            tx, ids_,
            {inc.org_id, n.title, n.body, "incident/" + id + "/" + s.clock_id + "/" + s.ref}, now));
        UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, "job:incident_clocks", now,
                                                     "clock_overdue", "incident", id, "",
                                                     ClockJson(s).dump()));
      }
    }
    return core::Ok();
  }

  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  int depth_;
  std::string clocks_path_;
  std::shared_ptr<ClockSet> clocks_;
  std::string clocks_error_;
  std::shared_ptr<Recipients> recipients_;
  std::string recipients_error_;
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env) {
  return std::make_unique<IncidentModule>(env);
}

}  // namespace ucsc::incident
