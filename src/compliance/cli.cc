// `ucsc compliance status|check-packs`: the compliance engine from the command line (issue 4).
#include "capability/cli.h"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>

#include "codec/json_reader.h"
#include "compliance/evaluate.h"
#include "compliance/facts.h"
#include "compliance/rulepack.h"
#include "report/compliance_report.h"
#include "report/level_report.h"
#include "report/official_document.h"
#include "report/pdf.h"
#include "report/xlsx.h"
#include "store/store.h"
#include "sys/system_clock.h"

namespace ucsc::compliance {
namespace {

using capability::AddStoreOptions;
using capability::CliEnv;
using capability::Command;
using capability::Common;
using capability::DefaultCommon;
using capability::EnvVar;
using capability::Fail;
using capability::OpenStore;
using capability::OsUser;

struct StatusOptions {
  Common common = DefaultCommon();
  std::string rules = EnvVar("UCSC_RULEPACKS", "data/rulepacks");
  std::string org;
  std::string rule;
  std::string at;
  bool json = false;
  bool all = false;
};

std::string VnDate(const std::optional<core::LocalDate>& d) {
  return d ? core::FormatVnDate(*d) : std::string("—");
}

std::string_view StateText(compliance::State s, bool en) {
  switch (s) {
    case compliance::State::kOk:
      return en ? "ok" : "đạt";
    case compliance::State::kDueSoon:
      return en ? "due soon" : "sắp đến hạn";
    case compliance::State::kOverdue:
      return en ? "overdue" : "quá hạn";
    case compliance::State::kNotApplicable:
      return en ? "not applicable" : "không áp dụng";
  }
  return "?";
}

int RunStatus(const StatusOptions& o) {
  const bool en = o.common.lang == "en";
  sys::SystemClock clock;
  core::Instant now = clock.Now();
  if (!o.at.empty()) {
    auto d = core::ParseIsoDate(o.at);
    if (!d) return Fail({core::ErrorCode::kInvalidArgument, "--at: bad date " + o.at, "--at"});
    now = core::EndOfLocalDay(*d);  // DESIGN.md: --at DATE means the end of that local day
  }
  auto rules = compliance::LoadPacks(o.rules);
  if (!rules) return Fail(rules.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());

  compliance::Facts facts;
  std::set<std::string> scope;  // organisations in --org's subtree; empty = all
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, compliance::LoadFacts(tx, now));
    if (o.org.empty()) return core::Ok();
    std::string root;
    for (const auto& org : facts.orgs) {
      if (org.id == o.org || org.name == o.org) root = org.id;
    }
    if (root.empty()) return core::NotFound("no organisation with id or name " + o.org);
    UCSC_ASSIGN_OR_RETURN(auto links, tx.OrgParentLinks());
    std::multimap<std::string, std::string> children;
    for (const auto& [id, parent] : links) children.emplace(parent, id);
    std::vector<std::string> todo{root};
    while (!todo.empty()) {
      auto id = todo.back();
      todo.pop_back();
      if (!scope.insert(id).second) continue;
      auto [b, e] = children.equal_range(id);
      for (auto it = b; it != e; ++it) todo.push_back(it->second);
    }
    return core::Ok();
  });
  if (!st) return Fail(st.error());

  compliance::Evaluator ev(*rules, facts);
  auto rows = ev.EvaluateAll(now);
  if (!scope.empty()) {
    std::erase_if(rows, [&](const compliance::Status& s) { return !scope.count(s.org_id); });
  }
  if (!o.rule.empty()) {
    std::erase_if(rows, [&](const compliance::Status& s) { return s.rule->id != o.rule; });
  }
  std::sort(rows.begin(), rows.end(), compliance::RiskBefore);
  std::map<std::string, std::string> org_names;
  for (const auto& org : facts.orgs) org_names[org.id] = org.name;

  std::map<compliance::State, int64_t> counts;
  for (const auto& r : rows) ++counts[r.state];
  const int64_t total = static_cast<int64_t>(rows.size());
  const int64_t applicable = total - counts[compliance::State::kNotApplicable];
  auto pct = [](int64_t n, int64_t d) { return d == 0 ? 0.0 : 100.0 * static_cast<double>(n) / d; };
  const core::LocalDate day = core::LocalDateOf(now);

  if (o.json) {
    codec::Json out{{"at", core::FormatRfc3339Utc(now)},
                    {"date", core::FormatIsoDate(day)},
                    {"packs", rules->packs},
                    {"summary",
                     {{"pairs", total},
                      {"applicable", applicable},
                      {"ok", counts[compliance::State::kOk]},
                      {"due_soon", counts[compliance::State::kDueSoon]},
                      {"overdue", counts[compliance::State::kOverdue]},
                      {"not_applicable", counts[compliance::State::kNotApplicable]},
                      {"compliant_percent", pct(counts[compliance::State::kOk], applicable)}}}};
    codec::Json items = codec::Json::array();
    for (const auto& r : rows) {
      if (!o.all && r.state == compliance::State::kNotApplicable) continue;
      items.push_back(
          {{"rule_id", r.rule->id},
           {"rule_version", r.rule->version},
           {"pack", r.rule->pack},
           {"title", r.rule->title.In(o.common.lang)},
           {"basis", {{"document", r.rule->basis.document}, {"article", r.rule->basis.article}}},
           {"subject_kind", compliance::SubjectKindName(r.subject_kind)},
           {"subject_id", r.subject_id},
           {"subject_name", r.subject_name},
           {"org_id", r.org_id},
           {"org_name", org_names[r.org_id]},
           {"level", r.level == 0 ? codec::Json(nullptr) : codec::Json(r.level)},
           {"state", compliance::StateName(r.state)},
           {"due", r.due ? codec::Json(core::FormatIsoDate(*r.due)) : codec::Json(nullptr)},
           {"days_overdue", r.days_overdue},
           {"evidence_id",
            r.evidence_id.empty() ? codec::Json(nullptr) : codec::Json(r.evidence_id)},
           {"evidence_date", r.evidence_date ? codec::Json(core::FormatIsoDate(*r.evidence_date))
                                             : codec::Json(nullptr)},
           {"evidence_pending_review", r.evidence_pending_review},
           {"missing", r.missing},
           {"reason", r.reason}});
    }
    out["rows"] = std::move(items);
    std::cout << out.dump(2) << "\n";
    return 0;
  }

  std::cout << (en ? "Compliance at the end of " : "Tuân thủ đến hết ngày ")
            << core::FormatVnDate(day) << (en ? " (packs: " : " (bộ quy định: ");
  for (size_t i = 0; i < rules->packs.size(); ++i) std::cout << (i ? ", " : "") << rules->packs[i];
  std::cout << ")\n";
  std::cout << std::fixed << std::setprecision(1);
  std::cout << (en ? "(rule, subject) pairs: " : "Cặp (quy định, đối tượng): ") << total << " — "
            << StateText(compliance::State::kOk, en) << " " << counts[compliance::State::kOk]
            << " (" << pct(counts[compliance::State::kOk], total) << "%), "
            << StateText(compliance::State::kDueSoon, en) << " "
            << counts[compliance::State::kDueSoon] << " ("
            << pct(counts[compliance::State::kDueSoon], total) << "%), "
            << StateText(compliance::State::kOverdue, en) << " "
            << counts[compliance::State::kOverdue] << " ("
            << pct(counts[compliance::State::kOverdue], total) << "%), "
            << StateText(compliance::State::kNotApplicable, en) << " "
            << counts[compliance::State::kNotApplicable] << " ("
            << pct(counts[compliance::State::kNotApplicable], total) << "%)\n";
  std::cout << (en ? "Compliant among applicable pairs: " : "Tỷ lệ đạt trên số cặp áp dụng: ")
            << pct(counts[compliance::State::kOk], applicable) << "%\n\n";
  for (const auto& r : rows) {
    if (r.state == compliance::State::kNotApplicable) continue;
    if (r.state == compliance::State::kOk && !o.all) continue;
    std::cout << "[" << StateText(r.state, en) << "] " << r.rule->id << " — "
              << r.rule->title.In(o.common.lang) << "\n    "
              << (r.subject_kind == compliance::SubjectKind::kSystem
                      ? (en ? "system: " : "hệ thống: ")
                      : (en ? "organisation: " : "đơn vị: "))
              << r.subject_name;
    if (r.level > 0) std::cout << (en ? " (level " : " (cấp độ ") << r.level << ")";
    if (r.subject_kind == compliance::SubjectKind::kSystem) {
      std::cout << " — " << org_names[r.org_id];
    }
    std::cout << "\n    " << (en ? "due: " : "hạn: ") << VnDate(r.due);
    if (r.state == compliance::State::kOverdue) {
      std::cout << (en ? ", overdue " : ", quá hạn ") << r.days_overdue << (en ? " days" : " ngày");
    }
    std::cout << "\n    " << (en ? "legal basis: " : "căn cứ: ") << r.rule->basis.document;
    if (!r.rule->basis.article.empty()) std::cout << ", " << r.rule->basis.article;
    if (!r.missing.empty())
      std::cout << "\n    " << (en ? "missing: " : "còn thiếu: ") << r.missing;
    if (!r.reason.empty()) std::cout << "\n    " << (en ? "why: " : "lý do: ") << r.reason;
    std::cout << "\n";
  }
  return 0;
}

// Writes a report to `out` by its extension: .docx (the official document), .xlsx (its tables)
// or .pdf (the DOCX through LibreOffice). Returns the number of bytes written.
template <class DocFn, class TablesFn>
core::Result<size_t> WriteReport(const std::string& out, const DocFn& doc_fn,
                                 const TablesFn& tables_fn) {
  auto ends = [&](std::string_view ext) {
    return out.size() >= ext.size() && out.compare(out.size() - ext.size(), ext.size(), ext) == 0;
  };
  std::string bytes;
  if (ends(".xlsx")) {
    UCSC_ASSIGN_OR_RETURN(auto sheets, tables_fn());
    UCSC_ASSIGN_OR_RETURN(bytes, report::RenderXlsx(std::move(sheets)));
  } else if (ends(".docx") || ends(".pdf")) {
    UCSC_ASSIGN_OR_RETURN(auto doc, doc_fn());
    UCSC_ASSIGN_OR_RETURN(bytes, report::RenderDocx(doc));
    if (ends(".pdf")) {
      if (isatty(2)) std::cerr << "converting to PDF with LibreOffice…\n";
      UCSC_ASSIGN_OR_RETURN(bytes, report::ConvertDocxToPdf(bytes));
    }
  } else {
    return core::InvalidArgument("--out must end in .docx, .xlsx or .pdf", "--out");
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file.flush()) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + out);
  return bytes.size();
}

struct ReportOptions {
  Common common = DefaultCommon();
  std::string rules = EnvVar("UCSC_RULEPACKS", "data/rulepacks");
  std::string at;
  std::string out;
  std::string issuer_code = "CAT-PA05";
  std::string place;
  std::string signer_title = "TRƯỞNG PHÒNG";
  std::string signer_name;
  std::string authority;
  int max_overdue = 200;
};

// The coordinator's compliance report (issue 4 point 6) as DOCX, XLSX or PDF by the extension.
int RunReport(const ReportOptions& o) {
  sys::SystemClock clock;
  core::LocalDate as_of = core::LocalDateOf(clock.Now());
  if (!o.at.empty()) {
    auto d = core::ParseIsoDate(o.at);
    if (!d) return Fail({core::ErrorCode::kInvalidArgument, "--at: bad date " + o.at, "--at"});
    as_of = *d;
  }
  auto rules = compliance::LoadPacks(o.rules);
  if (!rules) return Fail(rules.error());
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  const core::Instant now = core::EndOfLocalDay(as_of);
  compliance::Facts facts;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, compliance::LoadFacts(tx, now));
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  compliance::Evaluator ev(*rules, facts);
  auto rows = ev.EvaluateAll(now);
  std::sort(rows.begin(), rows.end(), compliance::RiskBefore);

  report::ComplianceReportInput in;
  std::map<std::string, std::string> names;
  std::string coordinator, province;
  for (const auto& org : facts.orgs) {
    names[org.id] = org.name;
    if (org.type == core::OrgType::kCoordinator && coordinator.empty()) coordinator = org.name;
    if (org.type == core::OrgType::kProvince && province.empty()) province = org.name;
  }
  in.issue.parent_body = province;
  in.issue.issuing_body = coordinator.empty() ? province : coordinator;
  in.issue.issuer_code = o.issuer_code;
  in.issue.place = o.place;
  if (in.issue.place.empty()) {
    const std::string prefix = "Ủy ban nhân dân tỉnh ";
    in.issue.place = province.rfind(prefix, 0) == 0 ? province.substr(prefix.size()) : province;
  }
  in.issue.date = core::LocalDateOf(clock.Now());
  in.issue.addressees = {province.empty() ? std::string("Ủy ban nhân dân tỉnh") : province};
  in.issue.signature = {o.authority, o.signer_title,
                        o.signer_name.empty() ? "(ký, ghi rõ họ tên)" : o.signer_name};
  in.issue.recipients = {"Như trên", "Các sở, ban, ngành"};
  in.as_of = as_of;
  for (const auto& p : rules->packs) in.rule_pack += (in.rule_pack.empty() ? "" : ", ") + p;
  std::map<std::string, report::StatusCounts> per_org;
  for (const auto& r : rows) {
    auto bump = [&](report::StatusCounts& c) {
      switch (r.state) {
        case compliance::State::kOk:
          ++c.ok;
          break;
        case compliance::State::kDueSoon:
          ++c.due_soon;
          break;
        case compliance::State::kOverdue:
          ++c.overdue;
          break;
        case compliance::State::kNotApplicable:
          ++c.not_applicable;
          break;
      }
    };
    bump(in.totals);
    bump(per_org[r.org_id]);
    if (r.state == compliance::State::kOverdue &&
        static_cast<int>(in.overdue.size()) < o.max_overdue) {
      report::OverdueItem item;
      item.organisation = names[r.org_id];
      item.subject = r.subject_name;
      if (r.level > 0) item.level = r.level;
      item.rule_id = r.rule->id;
      item.rule_title = r.rule->title.vi;
      item.legal_basis = r.rule->basis.document +
                         (r.rule->basis.article.empty() ? "" : ", " + r.rule->basis.article);
      item.due_date = *r.due;
      item.days_overdue = std::max(1, r.days_overdue);
      item.missing_evidence = r.missing;
      in.overdue.push_back(std::move(item));
    }
  }
  for (const auto& [id, counts] : per_org) in.organisations.push_back({names[id], counts});
  std::sort(in.organisations.begin(), in.organisations.end(),
            [](const auto& a, const auto& b) { return a.counts.overdue > b.counts.overdue; });

  auto written = WriteReport(
      o.out, [&] { return report::BuildComplianceReport(in); },
      [&] { return report::ComplianceReportTables(in); });
  if (!written) return Fail(written.error());
  std::cout << o.out << " (" << *written << " bytes): " << in.totals.ok << " ok, "
            << in.totals.due_soon << " due soon, " << in.totals.overdue << " overdue\n";
  return 0;
}

struct LevelReportOptions {
  Common common = DefaultCommon();
  std::string org;
  int year = 0;
  std::string route = "operator";
  std::string out;
  std::string issuer_code = "DV";
  std::string place;
  std::string signer_title = "GIÁM ĐỐC";
  std::string signer_name;
  std::string authority;
};

// The annual level-security report (R23): the systems an organisation operates (to the owner,
// by 20/12) or owns (to the ministry, by 25/12), with levels, approvals, the security plan and
// the last inspection from the evidence on record.
int RunLevelReport(const LevelReportOptions& o) {
  sys::SystemClock clock;
  const core::LocalDate today = core::LocalDateOf(clock.Now());
  const int year = o.year == 0 ? today.year : o.year;
  if (year < 2000 || year > 9999) {
    return Fail({core::ErrorCode::kInvalidArgument, "--year must be 2000–9999", "--year"});
  }
  const auto route = o.route == "owner" ? report::LevelReportRoute::kOwnerToMinistry
                                        : report::LevelReportRoute::kOperatorToOwner;
  const auto period = report::LevelReportPeriod(year);
  auto store = OpenStore(o.common, clock);
  if (!store) return Fail(store.error());
  std::vector<core::Organisation> orgs;
  std::vector<core::InformationSystem> systems;
  compliance::Facts facts;
  auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, compliance::LoadFacts(tx, core::EndOfLocalDay(period.last)));
    store::ListQuery q;
    q.limit = 500;
    for (;;) {
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Orgs().List(q));
      for (auto& x : page.items) orgs.push_back(std::move(x));
      if (!page.more) break;
      q.after_key = page.last_key;
      q.after_id = page.last_id;
    }
    store::ListQuery sq;
    sq.limit = 500;
    for (;;) {
      UCSC_ASSIGN_OR_RETURN(auto page, tx.Systems().List(sq));
      for (auto& x : page.items) systems.push_back(std::move(x));
      if (!page.more) break;
      sq.after_key = page.last_key;
      sq.after_id = page.last_id;
    }
    return core::Ok();
  });
  if (!st) return Fail(st.error());
  std::map<std::string, const core::Organisation*> by_id;
  const core::Organisation* org = nullptr;
  for (const auto& x : orgs) {
    by_id[x.id] = &x;
    if (x.id == o.org || x.name == o.org) org = &x;
  }
  if (org == nullptr) return Fail({core::ErrorCode::kNotFound, "no organisation " + o.org, ""});
  // Latest evidence per (system, type) up to the end of the period.
  std::map<std::pair<std::string, std::string>, core::LocalDate> latest;
  for (const auto& e : facts.evidence) {
    if (e.rejected || period.last < e.performed_on) continue;
    auto& d = latest[{e.subject_id, e.type}];
    if (d < e.performed_on) d = e.performed_on;
  }
  report::LevelReportInput in;
  in.route = route;
  in.year = year;
  const auto parent = by_id.find(org->parent_id);
  in.issue.parent_body = parent == by_id.end() ? std::string() : parent->second->name;
  in.issue.issuing_body = org->name;
  in.issue.issuer_code = o.issuer_code;
  in.issue.place = o.place;
  if (in.issue.place.empty()) {
    for (const auto& x : orgs) {
      const std::string prefix = "Ủy ban nhân dân tỉnh ";
      if (x.type == core::OrgType::kProvince && x.name.rfind(prefix, 0) == 0) {
        in.issue.place = x.name.substr(prefix.size());
      }
    }
  }
  in.issue.date = today;
  in.issue.signature = {o.authority, o.signer_title,
                        o.signer_name.empty() ? "(ký, ghi rõ họ tên)" : o.signer_name};
  in.issue.recipients = {"Như trên"};
  for (const auto& sys : systems) {
    const bool ours =
        route == report::LevelReportRoute::kOwnerToMinistry
            ? sys.owner_org_id == org->id
            : (sys.operator_org_id.empty() ? sys.owner_org_id : sys.operator_org_id) == org->id;
    if (!ours) continue;
    report::LevelSystemEntry e;
    e.name = sys.name;
    auto op = by_id.find(sys.operator_org_id.empty() ? sys.owner_org_id : sys.operator_org_id);
    if (op != by_id.end()) e.operator_name = op->second->name;
    e.level = sys.level;
    if (auto d = core::ParseIsoDate(sys.approval.date)) {
      e.approval = "Quyết định số " + sys.approval.decision_no + " ngày " + core::FormatVnDate(*d);
    }
    e.plan_implemented = latest.count({sys.id, "security_plan"}) > 0;
    if (auto it = latest.find({sys.id, "inspection"}); it != latest.end()) {
      e.last_assessment = it->second;
    }
    in.systems.push_back(std::move(e));
  }
  if (in.issue.addressees.empty() && parent != by_id.end()) {
    in.issue.addressees = {parent->second->name};
  }
  auto written = WriteReport(
      o.out, [&] { return report::BuildLevelReport(in); },
      [&] { return report::LevelReportTables(in); });
  if (!written) return Fail(written.error());
  std::cout << o.out << " (" << *written << " bytes): " << in.systems.size() << " systems, "
            << core::FormatVnDate(period.first) << "–" << core::FormatVnDate(period.last) << "\n";
  return 0;
}

int RunCheckPacks(const std::string& path, const std::string& lang) {
  auto rules = compliance::LoadPacks(path);
  if (!rules) return Fail(rules.error());
  const bool en = lang == "en";
  for (const auto& p : rules->packs) std::cout << p << "\n";
  std::cout << rules->rules.size() << (en ? " rule versions, " : " phiên bản quy định, ")
            << rules->Ids().size() << (en ? " rules, " : " quy định, ") << rules->unchecked.size()
            << (en ? " listed as not checkable:\n" : " không kiểm tra tự động được:\n");
  for (const auto& u : rules->unchecked) std::cout << "  " << u.id << ": " << u.reason << "\n";
  return 0;
}

}  // namespace

namespace internal {
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out) {
  auto* group = app.add_subcommand("compliance", "Compliance with Directive 18 (tuân thủ)");
  group->require_subcommand(1);

  auto so = std::make_shared<StatusOptions>();
  auto* status = group->add_subcommand(
      "status", "Status of every (rule, subject) pair: ok, due soon, overdue, not applicable");
  AddStoreOptions(status, so->common, env);
  status->add_option("--rules", so->rules, "Rule pack directory or file (env UCSC_RULEPACKS)");
  status->add_option("--org", so->org, "Organisation id or exact name (with its subtree)");
  status->add_option("--rule", so->rule, "Only this rule id (R3, R4, R5 …)");
  status->add_option("--at", so->at, "Evaluate at the end of this local day (YYYY-MM-DD)");
  status->add_flag("--json", so->json, "JSON output (stable English keys)");
  status->add_flag("--all", so->all,
                   "Also list the pairs that are ok (and not applicable in JSON)");
  out.push_back({status, [so] { return RunStatus(*so); }});

  auto ro = std::make_shared<ReportOptions>();
  auto* rep = group->add_subcommand(
      "report", "The coordinator's compliance report (Decree 30 layout): DOCX, XLSX or PDF");
  AddStoreOptions(rep, ro->common, env);
  rep->add_option("--rules", ro->rules, "Rule pack directory or file (env UCSC_RULEPACKS)");
  rep->add_option("--at", ro->at, "Evaluate at the end of this local day (YYYY-MM-DD)");
  rep->add_option("--out", ro->out, "Output file: .docx, .xlsx or .pdf (LibreOffice)")->required();
  rep->add_option("--issuer-code", ro->issuer_code, "Issuer abbreviation in the symbol (BC-…)");
  rep->add_option("--place", ro->place, "Place name of the date line");
  rep->add_option("--signer-title", ro->signer_title, "Title of the signer");
  rep->add_option("--signer-name", ro->signer_name, "Name of the signer");
  rep->add_option("--authority", ro->authority, "KT./TL./TM. line above the title");
  out.push_back({rep, [ro] { return RunReport(*ro); }});

  auto lo = std::make_shared<LevelReportOptions>();
  auto* lvl = group->add_subcommand(
      "level-report",
      "Annual level-security report (R23): operator to owner by 20/12, owner to ministry by 25/12");
  AddStoreOptions(lvl, lo->common, env);
  lvl->add_option("--org", lo->org, "Reporting organisation (id or exact name)")->required();
  lvl->add_option("--year", lo->year,
                  "Report year Y: data 15/12/(Y-1)–14/12/Y (default: this year)");
  lvl->add_option("--route", lo->route, "operator (to the owner) or owner (to the ministry)")
      ->check(CLI::IsMember({"operator", "owner"}));
  lvl->add_option("--out", lo->out, "Output file: .docx, .xlsx or .pdf (LibreOffice)")->required();
  lvl->add_option("--issuer-code", lo->issuer_code, "Issuer abbreviation in the symbol (BC-…)");
  lvl->add_option("--place", lo->place, "Place name of the date line");
  lvl->add_option("--signer-title", lo->signer_title, "Title of the signer");
  lvl->add_option("--signer-name", lo->signer_name, "Name of the signer");
  lvl->add_option("--authority", lo->authority, "KT./TL./TM. line above the title");
  out.push_back({lvl, [lo] { return RunLevelReport(*lo); }});

  auto path = std::make_shared<std::string>(EnvVar("UCSC_RULEPACKS", "data/rulepacks"));
  auto lang = std::make_shared<std::string>(DefaultCommon().lang);
  auto* check = group->add_subcommand("check-packs", "Validate rule packs; print what they hold");
  check->add_option("PATH", *path, "Rule pack directory or file");
  check->add_option("--lang", *lang, "vi or en")->check(CLI::IsMember({"vi", "en"}));
  out.push_back({check, [path, lang] { return RunCheckPacks(*path, *lang); }});
}

}  // namespace internal
}  // namespace ucsc::compliance
