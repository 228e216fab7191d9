#include "incident/internal/service.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "capability/route.h"
#include "incident/classify.h"
#include "incident/codec.h"
#include "incident/internal/repo.h"
#include "incident/workflow.h"
#include "report/issue_details.h"
#include "report/pdf.h"

namespace ucsc::incident::internal {

using capability::Json;
using Status = core::Status;

Json TextJson(const Text& t) { return Json{{"vi", t.vi}, {"en", t.en}}; }

Json ClassificationJson(const Classification& c) {
  Json criteria = Json::array();
  for (const auto& r : c.criteria) {
    criteria.push_back(Json{{"id", r.id},
                            {"title", TextJson(r.title)},
                            {"outcome", std::string(OutcomeName(r.outcome))},
                            {"reason", TextJson(r.reason)}});
  }
  return Json{{"outcome", std::string(SeriousnessName(c.outcome))},
              {"process", std::string(ProcessKindName(c.process()))},
              {"criteria", criteria},
              {"summary", TextJson(c.summary)}};
}

namespace {
constexpr std::array<FormRoute, 4> kForms{{
    {"notification", "", IncidentDocument::kNotification, "notification", "Incident notification"},
    {"initial_report", "form03", IncidentDocument::kInitialReport, "initial_report",
     "Initial report (Form 03)"},
    {"progress_report", "", IncidentDocument::kProgressReport, "progress_report",
     "Progress report"},
    {"closing_report", "form04", IncidentDocument::kClosingReport, "closing_report",
     "Closing report (Form 04)"},
}};

}  // namespace

const FormRoute* FindForm(std::string_view id) {
  for (const auto& f : kForms) {
    if (f.id == id || (!f.alias.empty() && f.alias == id)) return &f;
  }
  return nullptr;
}

// Fills each affected system that names an inventory system with its level and national
// importance from the inventory (R14 reads them; the reporter does not set them).
core::Status ResolveSystems(store::Tx& tx, const store::Scope& scope, Incident& inc) {
  for (size_t i = 0; i < inc.affected_systems.size(); ++i) {
    auto& a = inc.affected_systems[i];
    if (a.system_id.empty()) continue;
    auto sys = tx.Systems().Get(a.system_id, scope);
    if (!sys) {
      return core::InvalidArgument("matches no information system you can see",
                                   "/affected_systems/" + std::to_string(i) + "/system_id");
    }
    a.level = sys->level;
    a.national_important = sys->national_important;
    if (a.name.empty()) a.name = sys->name;
  }
  return core::Ok();
}

core::Status SaveIncident(store::Tx& tx, const std::string& actor, core::Instant now,
                          const Incident* before, Incident next, std::vector<Event> events,
                          const std::string& action, Incident& saved) {
  const Classification cls = Classify(next);
  if (before != nullptr) {
    for (auto& e : ReclassificationEvents(*before, next, now)) events.push_back(std::move(e));
  }
  if (cls.process() == ProcessKind::kSerious && next.process == ProcessKind::kNormal &&
      next.state != IncidentState::kClosed) {
    Command cmd;
    cmd.action = Action::kChangeProcess;
    cmd.actor = actor;
    cmd.process = ProcessKind::kSerious;
    cmd.reason = "R14: " + cls.summary.vi;
    UCSC_ASSIGN_OR_RETURN(auto t, Apply(next, cmd, now));
    next = std::move(t.next);
    for (auto& e : t.events) events.push_back(std::move(e));
  }
  for (auto& e : events) {
    if (e.actor.empty()) e.actor = actor;
  }
  next.updated_at = now;
  Repo repo(tx.Sql());
  const bool serious = cls.outcome == Seriousness::kSerious;
  if (before == nullptr) {
    next.version = 1;
    next.created_at = now;
    UCSC_RETURN_IF_ERROR(repo.Insert(next, serious));
  } else {
    next.version = before->version + 1;
    UCSC_RETURN_IF_ERROR(repo.Update(next, serious));
  }
  UCSC_RETURN_IF_ERROR(repo.AppendEvents(next.id, events));
  UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, actor, now, action, "incident", next.id,
                                               before ? ToJson(*before).dump() : "",
                                               ToJson(next).dump()));
  const Json after_cls = ClassificationJson(cls);
  const Json before_cls = before ? ClassificationJson(Classify(*before)) : Json(nullptr);
  if (after_cls != before_cls) {
    UCSC_RETURN_IF_ERROR(capability::AppendAudit(tx, actor, now, "classify", "incident", next.id,
                                                 before_cls.is_null() ? "" : before_cls.dump(),
                                                 after_cls.dump()));
  }
  saved = std::move(next);
  return core::Ok();
}

namespace {

// Saves the change the notices make, from `before` to `after` (the incident's notices): the
// events `after` proves that `before` did not (timeline, legal clocks) and the report facts they
// fill (Form 03/04 time and number, which closing needs), as one save of the incident.
core::Status SaveNotices(store::Tx& tx, const Recipients& r, const std::string& actor,
                         core::Instant now, const Incident& inc, const std::vector<Notice>& before,
                         const std::vector<Notice>& after, const std::string& action,
                         Incident& saved) {
  std::vector<Event> events = NewEvents(NoticeEvents(r, before), NoticeEvents(r, after));
  Incident next = inc;
  ApplyNoticeFacts(events, after, next);
  return SaveIncident(tx, actor, now, &inc, std::move(next), std::move(events), action, saved);
}

}  // namespace

core::Status RecordNotice(store::Tx& tx, const Recipients& r, const std::string& actor,
                          core::Instant now, const Incident& inc, const Notice& n,
                          Incident& saved) {
  UCSC_RETURN_IF_ERROR(ValidateNotice(r, inc, n, now));
  Repo repo(tx.Sql());
  UCSC_ASSIGN_OR_RETURN(auto before, repo.Notices(inc.id));
  UCSC_RETURN_IF_ERROR(repo.InsertNotice(n));
  std::vector<Notice> after = before;
  after.push_back(n);
  return SaveNotices(tx, r, actor, now, inc, before, after, "notice", saved);
}

core::Status AcknowledgeNotice(store::Tx& tx, const Recipients& r, const std::string& actor,
                               core::Instant now, const Incident& inc, const std::string& notice_id,
                               core::Instant at, std::string by, const std::string& channel,
                               Notice& acked, Incident& saved) {
  const auto& channels = NoticeChannels();
  if (std::find(channels.begin(), channels.end(), channel) == channels.end()) {
    return core::InvalidArgument("must be letter, fax, email, sms, system, phone or in_person",
                                 "/channel");
  }
  if (at > now) return core::InvalidArgument("is in the future", "/at");
  Repo repo(tx.Sql());
  UCSC_ASSIGN_OR_RETURN(auto before, repo.Notices(inc.id));
  const Notice* target = nullptr;
  for (const auto& n : before) {
    if (n.id == notice_id) target = &n;
  }
  if (target == nullptr) return core::NotFound("no such notice of this incident");
  if (at < target->at) return core::InvalidArgument("is before the notice itself", "/at");
  if (by.empty()) {
    if (target->direction == NoticeDirection::kSent) {
      return core::InvalidArgument("names who acknowledged the notice sent", "/by");
    }
    by = actor;
  }
  UCSC_ASSIGN_OR_RETURN(acked, repo.Acknowledge(inc.id, target->id, at, by, channel));
  std::vector<Notice> after = before;
  for (auto& n : after) {
    if (n.id == acked.id) n = acked;
  }
  return SaveNotices(tx, r, actor, now, inc, before, after, "acknowledge_notice", saved);
}

core::Status CheckIntake(const Incident& inc, core::Instant now) {
  if (inc.detected_at > now) return core::InvalidArgument("is in the future", "/detected_at");
  // R8 / DOMAIN.md A: the notification's mandatory fields are the minimum of intake.
  for (const auto& f : DocumentFields(IncidentDocument::kNotification, inc, now)) {
    if (f.mandatory && f.value.empty()) {
      return core::InvalidArgument("is required (DOMAIN.md A, R8): " + f.label, f.pointer);
    }
  }
  return core::Ok();
}

std::vector<DocumentField> MissingFields(const FormRoute& form, const Incident& inc,
                                         core::Instant now) {
  std::vector<DocumentField> out;
  for (auto& f : DocumentFields(form.kind, inc, now)) {
    if (f.mandatory && f.value.find_first_not_of(' ') == std::string::npos) {
      out.push_back(std::move(f));
    }
  }
  return out;
}

namespace {

// Who issues a document of `org_id`: the organisation, its parent, the province as the place.
core::Result<report::IssueDetails> IssueOf(store::Tx& tx, const std::string& org_id,
                                           const DocumentOptions& options, core::Instant now) {
  UCSC_ASSIGN_OR_RETURN(auto org, tx.Orgs().Get(org_id, store::Scope::All()));
  report::IssueDetails issue;
  issue.issuing_body = org.name;
  // The parent body and the province (the root) for the place of issue.
  std::string root_name = org.name;
  std::string parent_id = org.parent_id;
  for (int depth = 0; !parent_id.empty() && depth < 16; ++depth) {
    UCSC_ASSIGN_OR_RETURN(auto up, tx.Orgs().Get(parent_id, store::Scope::All()));
    if (depth == 0) issue.parent_body = up.name;
    root_name = up.name;
    parent_id = up.parent_id;
  }
  issue.issuer_code = options.issuer_code.empty() ? report::IssuerCode(org.short_name, org.name)
                                                  : options.issuer_code;
  issue.place = options.place.empty() ? report::PlaceOfIssue(root_name) : options.place;
  issue.number = options.number;
  issue.date = core::LocalDateOf(now);
  issue.signature = {options.authority,
                     options.signer_title.empty() ? "Thủ trưởng đơn vị" : options.signer_title,
                     options.signer_name.empty() ? "(ký, ghi rõ họ tên)" : options.signer_name};
  issue.recipients = {"Như trên"};
  return issue;
}

// Renders `doc` as DOCX, or PDF through LibreOffice.
core::Result<RenderedDocument> Render(core::Result<report::OfficialDocument> doc,
                                      const DocumentOptions& options, std::string file_name) {
  if (!doc) {
    // The issue details the caller chose (issuer code, place) are the bad input.
    return core::InvalidArgument(
        doc.error().message, doc.error().field == "/symbol" ? "/issuer_code" : doc.error().field);
  }
  RenderedDocument out;
  UCSC_ASSIGN_OR_RETURN(out.bytes, report::RenderDocx(*doc));
  if (options.format == "pdf") {
    auto pdf = report::ConvertDocxToPdf(out.bytes);
    if (!pdf) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "PDF rendering failed: " + pdf.error().message);
    }
    out.bytes = std::move(*pdf);
    out.content_type = "application/pdf";
  } else {
    out.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  }
  out.file_name = std::move(file_name) + "." + options.format;
  return out;
}

std::string IsoDate(core::LocalDate d) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf.data();
}

Json CountsJson(const SummaryCounts& c) {
  return Json{{"count", c.count},
              {"self_handled", c.self_handled},
              {"domestic_help", c.domestic_help},
              {"foreign_help", c.foreign_help},
              {"support_requested", c.support_requested},
              {"estimated_damage_vnd", c.damage_vnd}};
}

}  // namespace

core::Result<RenderedDocument> RenderIncidentDocument(store::Tx& tx, const Incident& inc,
                                                      const FormRoute& form,
                                                      const DocumentOptions& options,
                                                      const Recipients* recipients,
                                                      core::Instant now) {
  if (options.format != "docx" && options.format != "pdf") {
    return core::InvalidArgument("must be docx or pdf", "/format");
  }
  UCSC_ASSIGN_OR_RETURN(auto issue, IssueOf(tx, inc.org_id, options, now));
  if (recipients != nullptr) issue.addressees = Addressees(*recipients, form.notice_document, inc);
  return Render(BuildDocument(form.kind, inc, issue, now), options,
                "incident-" + inc.id + "-" + std::string(form.id));
}

core::Result<SummaryReport> LoadSummary(store::Tx& tx, const store::Scope& scope,
                                        const std::string& home_org, const SummaryRequest& req) {
  UCSC_ASSIGN_OR_RETURN(auto period, MakeSummaryPeriod(req.year, req.half));
  UCSC_ASSIGN_OR_RETURN(auto links, tx.OrgParentLinks());
  std::string org_id = req.org_id;
  if (!org_id.empty()) {
    if (!capability::InScope(scope, org_id)) {
      return core::InvalidArgument("matches no organisation you can see", "/org_id");
    }
  } else if (!scope.all) {
    org_id = home_org;
  } else {
    // The province: the one top-level organisation of type province (enterprises and national
    // bodies are top-level too).
    std::vector<std::string> provinces;
    for (const auto& [id, parent] : links) {
      if (!parent.empty()) continue;
      UCSC_ASSIGN_OR_RETURN(auto root, tx.Orgs().Get(id, store::Scope::All()));
      if (root.type == core::OrgType::kProvince) provinces.push_back(id);
    }
    if (provinces.size() != 1) {
      return core::InvalidArgument("name the reporting organisation: there are " +
                                       std::to_string(provinces.size()) + " provinces",
                                   "/org_id");
    }
    org_id = provinces[0];
  }
  SummaryReport out;
  auto org = tx.Orgs().Get(org_id, store::Scope::All());
  if (!org) return core::InvalidArgument("matches no organisation", "/org_id");
  out.org = std::move(*org);
  const store::Scope subtree = capability::SubtreeScope(links, org_id);
  out.organisations = static_cast<int>(subtree.org_ids.size());
  Repo repo(tx.Sql());
  UCSC_ASSIGN_OR_RETURN(auto incidents,
                        repo.DetectedBetween(subtree.org_ids, period.start, period.end));
  std::vector<SummaryItem> items;
  items.reserve(incidents.size());
  for (auto& inc : incidents) {
    UCSC_ASSIGN_OR_RETURN(auto notices, repo.Notices(inc.id));
    items.push_back({std::move(inc), SupportRequested(notices)});
  }
  out.summary = Summarise(period, items);
  out.header = {out.org.name, out.org.address, req.member_code, req.proposals};
  return out;
}

Json SummaryJson(const SummaryReport& r) {
  const Summary& s = r.summary;
  const char* half = s.period.kind == SummaryPeriodKind::kFirstHalf    ? "1"
                     : s.period.kind == SummaryPeriodKind::kSecondHalf ? "2"
                                                                       : "year";
  Json rows = Json::array();
  for (const auto& row : s.rows) {
    const auto& info = InfoOf(row.type);
    Json j = CountsJson(row.counts);
    j["number"] = info.number;
    j["type"] = std::string(info.name);
    j["title"] = Json{{"vi", std::string(info.vi)}, {"en", std::string(info.en)}};
    j["incident_ids"] = row.incident_ids;
    rows.push_back(std::move(j));
  }
  return Json{{"form", "form05"},
              {"period",
               {{"year", s.period.year},
                {"half", half},
                {"from", IsoDate(s.period.from)},
                {"to", IsoDate(s.period.to)},
                {"ref", s.period.ref},
                {"name", {{"vi", PeriodName(s.period)}, {"en", PeriodName(s.period, true)}}}}},
              {"organisation",
               {{"id", r.org.id},
                {"name", r.header.org_name},
                {"address", r.header.org_address},
                {"member_code", r.header.member_code}}},
              {"organisations", r.organisations},
              {"rows", rows},
              {"total", CountsJson(s.total)},
              {"domestic_helpers", s.domestic_helpers},
              {"foreign_helpers", s.foreign_helpers},
              {"proposals", r.header.proposals}};
}

core::Result<RenderedDocument> RenderSummary(store::Tx& tx, const SummaryReport& r,
                                             const DocumentOptions& options,
                                             const Recipients* recipients, core::Instant now) {
  if (options.format != "docx" && options.format != "pdf") {
    return core::InvalidArgument("must be docx or pdf", "/format");
  }
  UCSC_ASSIGN_OR_RETURN(auto issue, IssueOf(tx, r.org.id, options, now));
  // Form 05 goes to the national coordinating agency (DOMAIN.md E: "addressed to VNCERT").
  const PartyDef* coordinator =
      recipients != nullptr ? recipients->Party("national_coordinator") : nullptr;
  issue.addressees = {coordinator == nullptr ? std::string("Cơ quan điều phối quốc gia")
                      : coordinator->body.empty() ? coordinator->title.vi
                                                  : coordinator->body};
  return Render(BuildForm05(r.summary, r.header, issue), options, "form05-" + r.summary.period.ref);
}

}  // namespace ucsc::incident::internal
