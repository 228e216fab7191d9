// `ucsc incident list|show|create|document|summary`: the incident module's commands on the store,
// without the server (issue 14). Messages in Vietnamese or English (--lang / LANG).
#include "capability/cli.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "codec/json_reader.h"
#include "core/ids.h"
#include "core/legal_time.h"
#include "incident/classify.h"
#include "incident/clocks.h"
#include "incident/codec.h"
#include "incident/internal/repo.h"
#include "incident/internal/service.h"
#include "incident/notices.h"
#include "incident/summary.h"
#include "incident/workflow.h"
#include "sys/system_clock.h"

namespace ucsc::incident::internal {
namespace {

using capability::AddStoreOptions;
using capability::Common;
using capability::DefaultCommon;
using capability::EnvVar;
using capability::Fail;
using capability::OpenStore;
using capability::OsUser;
using codec::Json;

// The data files next to the rule packs, as the module finds them.
std::string DataPath(const char* env, const char* file) {
  return EnvVar(env, EnvVar("UCSC_RULEPACKS", "data/rulepacks") + "/../incident/" + file);
}

std::string Local(core::Instant t) {
  if (core::ToUnixMillis(t) == 0) return "-";
  const auto day = core::LocalDateOf(t);
  const auto since =
      std::chrono::duration_cast<std::chrono::minutes>(t - core::StartOfLocalDay(day));
  std::ostringstream out;
  out << core::FormatVnDate(day) << " " << (since.count() / 60 < 10 ? "0" : "")
      << since.count() / 60 << ":" << (since.count() % 60 < 10 ? "0" : "") << since.count() % 60;
  return out.str();
}

std::string StateText(IncidentState s, bool en) {
  switch (s) {
    case IncidentState::kOpen:
      return en ? "open" : "đang xử lý";
    case IncidentState::kResponseEnded:
      return en ? "response ended" : "đã kết thúc ứng cứu";
    case IncidentState::kClosed:
      return en ? "closed" : "đã đóng";
  }
  return "?";
}

std::string ClockStateText(ClockState s, bool late, bool en) {
  switch (s) {
    case ClockState::kNotStarted:
      return en ? "not started" : "chưa bắt đầu";
    case ClockState::kRunning:
      return en ? "running" : "đang chạy";
    case ClockState::kSatisfied:
      return late ? (en ? "met late" : "đáp ứng trễ hạn") : (en ? "met" : "đáp ứng đúng hạn");
    case ClockState::kOverdue:
      return en ? "OVERDUE" : "QUÁ HẠN";
  }
  return "?";
}

struct ListOptions {
  Common common = DefaultCommon();
  std::string state, org;
  int limit = 50;
  bool json = false;
};

int RunList(const ListOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  if (!o.state.empty() && !ParseIncidentState(o.state)) {
    return Fail(
        {core::ErrorCode::kInvalidArgument, "must be open, response_ended or closed", "--state"});
  }
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::vector<Incident> list;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    ListFilter f;
    f.scope = store::Scope::All();
    f.state = o.state;
    f.org_id = o.org;
    f.limit = o.limit;
    UCSC_ASSIGN_OR_RETURN(list, Repo(tx.Sql()).List(f));
    if (static_cast<int>(list.size()) > o.limit) list.resize(static_cast<size_t>(o.limit));
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  if (o.json) {
    Json items = Json::array();
    for (const auto& inc : list) items.push_back(ToJson(inc));
    std::cout << Json{{"items", items}}.dump(2) << "\n";
    return 0;
  }
  for (const auto& inc : list) {
    const auto& info = InfoOf(inc.type);
    std::cout << inc.id << "  " << Local(inc.detected_at) << "  " << (en ? info.en : info.vi)
              << "  " << StateText(inc.state, en) << "  "
              << (inc.process == ProcessKind::kSerious ? (en ? "serious" : "nghiêm trọng")
                                                       : (en ? "normal" : "thông thường"))
              << (en ? " step " : " bước ") << inc.step << "  " << inc.title << "\n";
  }
  std::cout << list.size() << (en ? " incident(s)\n" : " sự cố\n");
  return 0;
}

struct ShowOptions {
  Common common = DefaultCommon();
  std::string id;
  bool json = false;
};

int RunShow(const ShowOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  auto clocks = LoadClocks(DataPath("UCSC_INCIDENT_CLOCKS", "clocks.yaml"));
  if (!clocks) return Fail(clocks.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  Incident inc;
  std::vector<Event> events;
  std::vector<Notice> notices;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    Repo repo(tx.Sql());
    UCSC_ASSIGN_OR_RETURN(inc, repo.Get(o.id, store::Scope::All()));
    UCSC_ASSIGN_OR_RETURN(events, repo.Events(inc.id));
    UCSC_ASSIGN_OR_RETURN(notices, repo.Notices(inc.id));
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  std::vector<ClockStatus> status;
  for (const auto& def : clocks->clocks) {
    if (def.kind == ClockKind::kCalendar) continue;  // organisation-level (R16, R18)
    for (auto& s : EvaluateClock(def, events, clock.Now())) status.push_back(std::move(s));
  }
  const Classification cls = Classify(inc);
  if (o.json) {
    Json j = ToJson(inc);
    j["classification"] = ClassificationJson(cls);
    Json timeline = Json::array();
    for (const auto& e : events) timeline.push_back(ToJson(e));
    j["timeline"] = timeline;
    Json cl = Json::array();
    for (const auto& s : status) {
      cl.push_back(Json{{"clock_id", s.clock_id},
                        {"rule", s.rule},
                        {"state", std::string(ClockStateName(s.state))},
                        {"ref", s.ref},
                        {"late", s.late},
                        {"due_at", s.due_at ? Json(core::FormatRfc3339Utc(*s.due_at)) : Json()}});
    }
    j["clocks"] = cl;
    j["notices"] = notices.size();
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  const auto& info = InfoOf(inc.type);
  const Workflow& wf = WorkflowFor(inc.process);
  std::cout << inc.title << "\n  id: " << inc.id << "\n  " << (en ? "type: " : "loại: ")
            << (en ? info.en : info.vi) << "\n  " << (en ? "detected: " : "phát hiện: ")
            << Local(inc.detected_at) << "\n  " << (en ? "state: " : "trạng thái: ")
            << StateText(inc.state, en) << "\n  " << (en ? "process: " : "quy trình: ")
            << (en ? wf.title.en : wf.title.vi) << " (" << wf.basis << "), "
            << (en ? "step " : "bước ") << inc.step << "/" << wf.steps.size() << ": "
            << (en ? wf.steps[static_cast<size_t>(inc.step) - 1].title.en
                   : wf.steps[static_cast<size_t>(inc.step) - 1].title.vi)
            << "\n  R14: " << (en ? cls.summary.en : cls.summary.vi) << "\n";
  std::cout << (en ? "Legal clocks:\n" : "Thời hạn pháp lý:\n");
  for (const auto& s : status) {
    if (s.state == ClockState::kNotStarted) continue;
    std::cout << "  [" << ClockStateText(s.state, s.late, en) << "] " << s.rule << " "
              << (en ? s.title.en : s.title.vi);
    if (s.due_at) std::cout << (en ? " — due " : " — hạn ") << Local(*s.due_at);
    std::cout << "\n";
  }
  std::cout << (en ? "Notices: " : "Thông báo, báo cáo: ") << notices.size() << "\n";
  for (const auto& n : notices) {
    std::cout << "  " << Local(n.at) << " " << (n.direction == NoticeDirection::kSent ? "→ " : "← ")
              << n.party << " (" << n.document << ", " << n.channel << ")"
              << (n.acknowledged_at ? (en ? " acknowledged" : " đã xác nhận") : "") << "\n";
  }
  std::cout << (en ? "Timeline: " : "Diễn biến: ") << events.size()
            << (en ? " events\n" : " sự kiện\n");
  return 0;
}

struct CreateOptions {
  Common common = DefaultCommon();
  std::string from, org;
  bool json = false;
};

int RunCreate(const CreateOptions& o) {
  sys::SystemClock clock;
  core::IdGenerator ids(clock, sys::SecureRandomFill);
  const bool en = o.common.lang == "en";
  std::ifstream in(o.from, std::ios::binary);
  if (!in) return Fail({core::ErrorCode::kNotFound, "cannot read " + o.from, "--from"});
  std::stringstream buf;
  buf << in.rdbuf();
  auto body = codec::ParseJson(buf.str(), 32);
  if (!body) return Fail(body.error());
  Incident inc;
  if (auto st = Decode(*body, codec::Mode::kCreate, inc); !st) return Fail(st.error());
  if (!o.org.empty()) inc.org_id = o.org;
  if (inc.org_id.empty()) {
    return Fail(
        {core::ErrorCode::kInvalidArgument, "name the organisation (org_id or --org)", "/org_id"});
  }
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  Incident saved;
  auto st = (*store)->Write([&](store::Tx& tx) -> core::Status {
    auto org = tx.Orgs().Get(inc.org_id, store::Scope::All());
    if (!org) return core::InvalidArgument("matches no organisation", "/org_id");
    UCSC_RETURN_IF_ERROR(ResolveSystems(tx, store::Scope::All(), inc));
    UCSC_RETURN_IF_ERROR(CheckIntake(inc, clock.Now()));
    inc.id = ids.Next();
    return SaveIncident(tx, "cli:" + OsUser(), clock.Now(), nullptr, inc,
                        IntakeEvents(inc, clock.Now()), "create", saved);
  });
  if (!st) return Fail(st.error());
  if (o.json) {
    std::cout << ToJson(saved).dump(2) << "\n";
  } else {
    std::cout << (en ? "created incident " : "đã tạo sự cố ") << saved.id << " — " << saved.title
              << "\n";
  }
  return 0;
}

struct DocumentCmdOptions {
  Common common = DefaultCommon();
  std::string id, form, out;
  DocumentOptions doc;
  int number = 0;
};

int RunDocument(const DocumentCmdOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  const FormRoute* form = FindForm(o.form);
  if (form == nullptr) {
    return Fail({core::ErrorCode::kInvalidArgument,
                 "must be notification, initial_report (form03), progress_report or "
                 "closing_report (form04)",
                 "--form"});
  }
  auto ends = [&](std::string_view ext) {
    return o.out.size() >= ext.size() &&
           o.out.compare(o.out.size() - ext.size(), ext.size(), ext) == 0;
  };
  DocumentOptions opts = o.doc;
  if (ends(".pdf")) {
    opts.format = "pdf";
  } else if (ends(".docx")) {
    opts.format = "docx";
  } else {
    return Fail({core::ErrorCode::kInvalidArgument, "--out must end in .docx or .pdf", "--out"});
  }
  if (o.number > 0) opts.number = o.number;
  auto recipients = LoadRecipients(DataPath("UCSC_INCIDENT_RECIPIENTS", "recipients.yaml"));
  if (!recipients) return Fail(recipients.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  RenderedDocument doc;
  std::vector<DocumentField> missing;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto inc, Repo(tx.Sql()).Get(o.id, store::Scope::All()));
    missing = MissingFields(*form, inc, clock.Now());
    if (!missing.empty()) return core::Ok();
    UCSC_ASSIGN_OR_RETURN(doc,
                          RenderIncidentDocument(tx, inc, *form, opts, &*recipients, clock.Now()));
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  if (!missing.empty()) {
    std::cerr << (en ? "ucsc: the case lacks mandatory (*) fields of the form:\n"
                     : "ucsc: hồ sơ sự cố còn thiếu trường bắt buộc (*) của biểu mẫu:\n");
    for (const auto& f : missing) std::cerr << "  " << f.pointer << "  " << f.label << "\n";
    return 1;
  }
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  file.write(doc.bytes.data(), static_cast<std::streamsize>(doc.bytes.size()));
  if (!file.flush()) return Fail({core::ErrorCode::kUnavailable, "cannot write " + o.out, ""});
  std::cout << o.out << " (" << doc.bytes.size() << (en ? " bytes)\n" : " byte)\n");
  return 0;
}

struct SummaryCmdOptions {
  Common common = DefaultCommon();
  SummaryRequest req;
  std::string out;
  DocumentOptions doc;
  int number = 0;
};

// Form 05 (DOMAIN.md E, R16/R18) of an organisation's subtree (default: the province).
int RunSummary(const SummaryCmdOptions& o) {
  sys::SystemClock clock;
  const bool en = o.common.lang == "en";
  auto ends = [&](std::string_view ext) {
    return o.out.size() >= ext.size() &&
           o.out.compare(o.out.size() - ext.size(), ext.size(), ext) == 0;
  };
  DocumentOptions opts = o.doc;
  if (ends(".pdf")) {
    opts.format = "pdf";
  } else if (ends(".docx")) {
    opts.format = "docx";
  } else if (ends(".json")) {
    opts.format = "json";
  } else {
    return Fail(
        {core::ErrorCode::kInvalidArgument, "--out must end in .docx, .pdf or .json", "--out"});
  }
  if (o.number > 0) opts.number = o.number;
  if (auto p = MakeSummaryPeriod(o.req.year, o.req.half); !p) {
    const std::string flag = p.error().field == "/year" ? "--year" : "--half";
    return Fail({p.error().code, p.error().message, flag});
  }
  auto recipients = LoadRecipients(DataPath("UCSC_INCIDENT_RECIPIENTS", "recipients.yaml"));
  if (!recipients) return Fail(recipients.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::string bytes;
  std::vector<DocumentField> missing;
  SummaryReport report;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(report, LoadSummary(tx, store::Scope::All(), "", o.req));
    if (opts.format == "json") {
      bytes = SummaryJson(report).dump(2) + "\n";
      return core::Ok();
    }
    for (auto& f : Form05Fields(report.summary, report.header)) {
      if (f.mandatory && f.value.find_first_not_of(' ') == std::string::npos) {
        missing.push_back(std::move(f));
      }
    }
    if (!missing.empty()) return core::Ok();
    UCSC_ASSIGN_OR_RETURN(auto doc, RenderSummary(tx, report, opts, &*recipients, clock.Now()));
    bytes = std::move(doc.bytes);
    return core::Ok();
  });
  if (!st) {
    core::Error e = st.error();
    if (e.field == "/org_id") e.field = "--org";
    return Fail(e);
  }
  if (!missing.empty()) {
    std::cerr << (en ? "ucsc: the organisation lacks mandatory (*) fields of Form 05:\n"
                     : "ucsc: tổ chức còn thiếu trường bắt buộc (*) của Mẫu 05:\n");
    for (const auto& f : missing) std::cerr << "  " << f.pointer << "  " << f.label << "\n";
    return 1;
  }
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.flush()) return Fail({core::ErrorCode::kUnavailable, "cannot write " + o.out, ""});
  const auto& t = report.summary.total;
  std::cout << o.out << ": " << report.org.name << ", " << PeriodName(report.summary.period, en)
            << ", " << t.count << (en ? " incident(s)\n" : " sự cố\n");
  return 0;
}

}  // namespace

void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out) {
  auto* group = app.add_subcommand(
      "incident", "Incidents (sự cố): list, show, create, documents, Form 05 summary");
  group->require_subcommand(1);

  auto lo = std::make_shared<ListOptions>();
  auto* list = group->add_subcommand("list", "Incidents, newest first");
  list->add_option("--state", lo->state, "open, response_ended or closed");
  list->add_option("--org", lo->org, "Only this organisation's (its id)");
  list->add_option("--limit", lo->limit, "At most this many (1–1000)")->check(CLI::Range(1, 1000));
  list->add_flag("--json", lo->json, "Print JSON");
  AddStoreOptions(list, lo->common, env);
  out.push_back({list, [lo] { return RunList(*lo); }});

  auto so = std::make_shared<ShowOptions>();
  auto* show = group->add_subcommand(
      "show", "One incident: process and step, R14 outcome, legal clocks, notices");
  show->add_option("ID", so->id, "Incident id")->required();
  show->add_flag("--json", so->json, "Print JSON");
  AddStoreOptions(show, so->common, env);
  out.push_back({show, [so] { return RunShow(*so); }});

  auto co = std::make_shared<CreateOptions>();
  auto* create = group->add_subcommand(
      "create", "Record an incident from a JSON file (the API's body: DOMAIN.md A at least)");
  create->add_option("--from", co->from, "JSON file")->required();
  create->add_option("--org", co->org, "The operator's organisation id (else org_id of the file)");
  create->add_flag("--json", co->json, "Print the stored incident as JSON");
  AddStoreOptions(create, co->common, env);
  out.push_back({create, [co] { return RunCreate(*co); }});

  auto dopt = std::make_shared<DocumentCmdOptions>();
  auto* document = group->add_subcommand(
      "document",
      "Write an official document of the incident (Decree 30/2020 layout) as .docx or .pdf");
  document->add_option("ID", dopt->id, "Incident id")->required();
  document
      ->add_option("--form", dopt->form,
                   "notification, initial_report (form03), progress_report, closing_report "
                   "(form04)")
      ->required();
  document->add_option("--out", dopt->out, "Output file: .docx or .pdf")->required();
  document->add_option("--number", dopt->number, "Document number (else left blank)")
      ->check(CLI::Range(1, 9999999));
  document->add_option("--issuer-code", dopt->doc.issuer_code, "Issuer abbreviation (BC-…)");
  document->add_option("--place", dopt->doc.place, "Place of issue (else the province)");
  document->add_option("--signer-title", dopt->doc.signer_title, "Signer's title");
  document->add_option("--signer-name", dopt->doc.signer_name, "Signer's name");
  document->add_option("--authority", dopt->doc.authority, "KT./TL./TM. line");
  AddStoreOptions(document, dopt->common, env);
  out.push_back({document, [dopt] { return RunDocument(*dopt); }});

  auto sopt = std::make_shared<SummaryCmdOptions>();
  auto* summary = group->add_subcommand(
      "summary",
      "Write Form 05, the 6-monthly or annual incident summary of an organisation's subtree "
      "(R16/R18; Decree 30/2020 layout), as .docx, .pdf or .json");
  summary->add_option("--year", sopt->req.year, "Year of the report (YYYY)")
      ->required()
      ->check(CLI::Range(2000, 2100));
  summary
      ->add_option("--half", sopt->req.half,
                   "1 (16/12 of the year before .. 20/6), 2 (21/6 .. 15/12) or year "
                   "(16/12 .. 15/12)")
      ->required();
  summary->add_option("--out", sopt->out, "Output file: .docx, .pdf or .json")->required();
  summary->add_option("--org", sopt->req.org_id,
                      "The reporting organisation's id (else the province)");
  summary->add_option("--member-code", sopt->req.member_code, "Network member code");
  summary->add_option("--proposals", sopt->req.proposals, "Proposals (kiến nghị, đề xuất)");
  summary->add_option("--number", sopt->number, "Document number (else left blank)")
      ->check(CLI::Range(1, 9999999));
  summary->add_option("--issuer-code", sopt->doc.issuer_code, "Issuer abbreviation (BC-…)");
  summary->add_option("--place", sopt->doc.place, "Place of issue (else the province)");
  summary->add_option("--signer-title", sopt->doc.signer_title, "Signer's title");
  summary->add_option("--signer-name", sopt->doc.signer_name, "Signer's name");
  summary->add_option("--authority", sopt->doc.authority, "KT./TL./TM. line");
  AddStoreOptions(summary, sopt->common, env);
  out.push_back({summary, [sopt] { return RunSummary(*sopt); }});
}

}  // namespace ucsc::incident::internal
