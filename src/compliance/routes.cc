// Compliance routes (issue 4): status per (rule, subject), scorecards, the rules in force,
// evidence files, the coordinator's review, urging (đôn đốc) and inspection (kiểm tra).
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "auth/random.h"
#include "capability/base64url.h"
#include "capability/crud.h"
#include "compliance/evaluate.h"
#include "compliance/facts.h"
#include "compliance/internal/evaluation_cache.h"
#include "compliance/internal/module_internal.h"
#include "compliance/reminders.h"
#include "compliance/run_evidence.h"
#include "outbox/outbox.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace ucsc::compliance::internal {
namespace {

using compliance::State;

Result<std::shared_ptr<const compliance::RuleSet>> RulesInForce(const ComplianceEnv& env) {
  auto rules = env.rules->Current();
  if (rules == nullptr) {
    return core::MakeError(ErrorCode::kUnavailable, "no compliance rule pack is loaded (check " +
                                                        env.rulepacks_dir + " and the server log)");
  }
  return rules;
}

// ?at=YYYY-MM-DD → the end of that local day; absent → now.
Result<core::Instant> AtParam(const Ctx& ctx, const core::Clock& clock) {
  auto it = ctx.req.query.find("at");
  if (it == ctx.req.query.end()) return clock.Now();
  auto d = core::ParseIsoDate(it->second);
  if (!d) return core::InvalidArgument("must be a date YYYY-MM-DD", "/at");
  return core::EndOfLocalDay(*d);
}

Json RowJson(const compliance::Status& r, const std::string& org_name, std::string_view lang) {
  return Json{{"rule_id", r.rule->id},
              {"rule_version", r.rule->version},
              {"pack", r.rule->pack},
              {"title", r.rule->title.In(lang)},
              {"basis", {{"document", r.rule->basis.document}, {"article", r.rule->basis.article}}},
              {"subject_kind", compliance::SubjectKindName(r.subject_kind)},
              {"subject_id", r.subject_id},
              {"subject_name", r.subject_name},
              {"org_id", r.org_id},
              {"org_name", org_name},
              {"level", r.level == 0 ? Json(nullptr) : Json(r.level)},
              {"state", compliance::StateName(r.state)},
              {"due", r.due ? Json(core::FormatIsoDate(*r.due)) : Json(nullptr)},
              {"days_overdue", r.days_overdue},
              {"evidence_id", r.evidence_id.empty() ? Json(nullptr) : Json(r.evidence_id)},
              {"evidence_date",
               r.evidence_date ? Json(core::FormatIsoDate(*r.evidence_date)) : Json(nullptr)},
              {"evidence_pending_review", r.evidence_pending_review},
              {"missing", r.missing},
              {"reason", r.reason}};
}

std::string Lang(const Ctx& ctx) {
  return ctx.req.Header("accept-language").rfind("en", 0) == 0 ? "en" : "vi";
}

// Every pair at `at` (from the cache when still valid), narrowed to the organisations in the
// caller's scope (and, with `org`, in that organisation's subtree).
struct Evaluation {
  std::shared_ptr<const CachedEvaluation> all;
  std::vector<const compliance::Status*> rows;  // in scope, in no particular order
  std::string scope_key;                        // "*", or the organisations in scope

  [[nodiscard]] std::string OrgName(const std::string& id) const {
    auto it = all->org_names.find(id);
    return it == all->org_names.end() ? std::string() : it->second;
  }
};

Result<Evaluation> Evaluate(const ComplianceEnv& env, const Ctx& ctx, store::Tx& tx,
                            const std::shared_ptr<const compliance::RuleSet>& rules,
                            core::Instant at, const std::string& org) {
  store::Scope scope = ctx.scope;
  if (!org.empty()) {
    if (!InScope(ctx.scope, org)) return core::NotFound("organisation not found");
    UCSC_ASSIGN_OR_RETURN(auto links, tx.OrgParentLinks());
    scope = capability::SubtreeScope(links, org);
  }
  Evaluation e;
  if (env.cache != nullptr) {
    UCSC_ASSIGN_OR_RETURN(e.all, env.cache->Get(tx, rules, at));
  } else {
    UCSC_ASSIGN_OR_RETURN(e.all, EvaluateNow(tx, rules, at));
  }
  e.rows.reserve(e.all->rows.size());
  if (scope.all) {
    e.scope_key = "*";
  } else {
    auto ids = scope.org_ids;
    std::sort(ids.begin(), ids.end());
    for (const auto& id : ids) e.scope_key += id + ",";
  }
  if (scope.all) {
    for (const auto& r : e.all->rows) e.rows.push_back(&r);
  } else {
    const std::set<std::string, std::less<>> in(scope.org_ids.begin(), scope.org_ids.end());
    for (const auto& r : e.all->rows) {
      if (in.count(r.org_id) != 0) e.rows.push_back(&r);
    }
  }
  // Not sorted here: with 100K systems there are a million pairs, and each route orders only
  // the rows it returns (RiskOrdered).
  return e;
}

// The rows that `keep` accepts, by risk (RiskBefore); only the first `first` are ordered
// (partial sort), the rest follow in no particular order.
template <typename Keep>
std::vector<const compliance::Status*> RiskOrdered(
    const std::vector<const compliance::Status*>& rows, Keep keep, size_t first) {
  std::vector<const compliance::Status*> out;
  for (const auto* r : rows) {
    if (keep(*r)) out.push_back(r);
  }
  const auto before = [](const compliance::Status* a, const compliance::Status* b) {
    return compliance::RiskBefore(*a, *b);
  };
  const size_t n = std::min(first, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), before);
  return out;
}

// Pairs per state: ok, due_soon, overdue, not_applicable.
struct ScoreCounts {
  std::array<int64_t, 4> n = {0, 0, 0, 0};
};

Json CardJson(const ScoreCounts& k) {
  const int64_t applicable = k.n[0] + k.n[1] + k.n[2];
  const double pct = applicable == 0
                         ? 100.0
                         : 100.0 * static_cast<double>(k.n[0]) / static_cast<double>(applicable);
  return Json{{"ok", k.n[0]},
              {"due_soon", k.n[1]},
              {"overdue", k.n[2]},
              {"not_applicable", k.n[3]},
              {"compliant_percent", std::floor(pct * 10) / 10}};
}

// The scorecard's parts that depend on the evaluation only.
struct ScoreParts {
  Json overall;
  Json orgs;                                   // least compliant first
  Json overdue;                                // the 100 worst overdue pairs, by risk
  std::set<std::string, std::less<>> covered;  // organisations with a row
};

ScoreParts Score(const Evaluation& ev, const std::string& lang) {
  // Hashed while counting a million rows, then in id order for the output.
  std::unordered_map<std::string_view, ScoreCounts> counting;
  ScoreCounts all;
  for (const auto* r : ev.rows) {
    ++counting[r->org_id].n[static_cast<int>(r->state)];
    ++all.n[static_cast<int>(r->state)];
  }
  const std::map<std::string_view, ScoreCounts> per_org(counting.begin(), counting.end());
  ScoreParts out;
  out.overall = CardJson(all);
  out.orgs = Json::array();
  for (const auto& [id, k] : per_org) {
    Json j = CardJson(k);
    j["org_id"] = std::string(id);
    j["org_name"] = ev.OrgName(std::string(id));
    out.orgs.push_back(std::move(j));
    out.covered.emplace(id);
  }
  std::stable_sort(out.orgs.begin(), out.orgs.end(), [](const Json& a, const Json& b) {
    return a["compliant_percent"].get<double>() < b["compliant_percent"].get<double>();
  });
  out.overdue = Json::array();
  const auto worst = RiskOrdered(
      ev.rows, [](const compliance::Status& r) { return r.state == State::kOverdue; }, 100);
  for (size_t i = 0; i < worst.size() && i < 100; ++i) {
    out.overdue.push_back(RowJson(*worst[i], ev.OrgName(worst[i]->org_id), lang));
  }
  return out;
}

// ---- Evidence files -------------------------------------------------------------------------

std::string ContentDisposition(const std::string& name) {
  // RFC 6266/5987: an ASCII fallback and the UTF-8 name percent-encoded.
  std::string ascii, encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : name) {
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

std::vector<RouteSpec> ComplianceRoutes(const ComplianceEnv& env) {
  std::vector<RouteSpec> routes;
  auto envcopy = [env]() { return env; };

  routes.push_back(
      {"GET", "/api/v1/compliance/status",
       "Status of every (rule, subject) pair in your scope: ?org= ?at=YYYY-MM-DD ?state= ?rule= "
       "?limit= ?cursor=",
       false, "compliance", Access::kRead, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_RETURN_IF_ERROR(OnlyParams(c, {"org", "at", "state", "rule", "limit", "cursor"}));
         UCSC_ASSIGN_OR_RETURN(auto rules, RulesInForce(env));
         UCSC_ASSIGN_OR_RETURN(auto at, AtParam(c, env.clock));
         const std::string state = Param(c, "state"), rule = Param(c, "rule");
         if (!state.empty() && state != "ok" && state != "due_soon" && state != "overdue" &&
             state != "not_applicable") {
           return core::InvalidArgument("must be ok, due_soon, overdue or not_applicable",
                                        "/state");
         }
         UCSC_ASSIGN_OR_RETURN(const int limit, LimitParam(c, 50, 500));
         size_t offset = 0;
         if (auto cur = Param(c, "cursor"); !cur.empty()) {
           auto raw = capability::Base64UrlDecode(cur);
           if (!raw || raw->empty() || raw->size() > 9 ||
               !std::all_of(raw->begin(), raw->end(), ::isdigit)) {
             return core::InvalidArgument("cursor is not one this server issued", "/cursor");
           }
           offset = std::stoul(*raw);
         }
         UCSC_ASSIGN_OR_RETURN(auto ev, Evaluate(env, c, tx, rules, at, Param(c, "org")));
         Json items = Json::array();
         const std::string lang = Lang(c);
         const auto page = RiskOrdered(
             ev.rows,
             [&](const compliance::Status& r) {
               return (state.empty() || compliance::StateName(r.state) == state) &&
                      (rule.empty() || r.rule->id == rule);
             },
             offset + static_cast<size_t>(limit));
         const bool more = page.size() > offset + static_cast<size_t>(limit);
         for (size_t i = offset; i < page.size() && i < offset + static_cast<size_t>(limit); ++i) {
           items.push_back(RowJson(*page[i], ev.OrgName(page[i]->org_id), lang));
         }
         Json next = more ? Json(capability::Base64UrlEncode(std::to_string(offset + limit)))
                          : Json(nullptr);
         SetJson(c, 200,
                 Json{{"at", core::FormatRfc3339Utc(at)}, {"items", items}, {"next_cursor", next}});
         return core::Ok();
       }});

  routes.push_back(
      {"GET", "/api/v1/compliance/scorecard",
       "Compliance per organisation and province-wide, overdue list by risk, trend: ?at= ?org=",
       false, "compliance", Access::kRead, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_RETURN_IF_ERROR(OnlyParams(c, {"org", "at"}));
         UCSC_ASSIGN_OR_RETURN(auto rules, RulesInForce(env));
         UCSC_ASSIGN_OR_RETURN(auto at, AtParam(c, env.clock));
         UCSC_ASSIGN_OR_RETURN(auto ev, Evaluate(env, c, tx, rules, at, Param(c, "org")));
         const std::string lang = Lang(c);
         // Counting a million rows and ranking them is done once per evaluation, scope and
         // language; the trend (daily snapshots, written by a job) is read every time.
         const auto parts = ev.all->Memo<ScoreParts>("scorecard|" + ev.scope_key + "|" + lang,
                                                     [&] { return Score(ev, lang); });
         const core::LocalDate day = core::LocalDateOf(at);
         // The trend covers the same organisations as the card: with ?org=, its whole subtree
         // (the organisations the evaluation kept), else the caller's scope.
         // (parts->covered holds exactly the organisations with a row.)
         const auto& covered = parts->covered;
         UCSC_ASSIGN_OR_RETURN(
             auto snaps, tx.Compliance().Snapshots("", core::FormatIsoDate(core::AddDays(day, -90)),
                                                   core::FormatIsoDate(day)));
         std::map<std::string, ScoreCounts> by_day;
         for (const auto& s : snaps) {
           if (!covered.count(s.org_id)) continue;
           auto& k = by_day[s.day];
           k.n[0] += s.ok;
           k.n[1] += s.due_soon;
           k.n[2] += s.overdue;
           k.n[3] += s.not_applicable;
         }
         Json trend = Json::array();
         for (const auto& [d, k] : by_day) {
           Json j = CardJson(k);
           j["day"] = d;
           trend.push_back(std::move(j));
         }
         SetJson(c, 200,
                 Json{{"at", core::FormatRfc3339Utc(at)},
                      {"overall", parts->overall},
                      {"organisations", parts->orgs},
                      {"overdue", parts->overdue},
                      {"trend", trend}});
         return core::Ok();
       }});

  routes.push_back(
      {"GET", "/api/v1/compliance/rules",
       "The rule packs in force: every rule version, and the obligations not checked by software",
       false, "compliance", Access::kRead, [envcopy](Ctx& c, store::Tx&) -> Status {
         const auto env = envcopy();
         UCSC_RETURN_IF_ERROR(OnlyParams(c, {}));
         UCSC_ASSIGN_OR_RETURN(auto rules, RulesInForce(env));
         Json list = Json::array();
         for (const auto& r : rules->rules) {
           list.push_back(
               {{"id", r.id},
                {"version", r.version},
                {"pack", r.pack},
                {"title", {{"vi", r.title.vi}, {"en", r.title.en}}},
                {"basis", {{"document", r.basis.document}, {"article", r.basis.article}}},
                {"effective_from", core::FormatIsoDate(r.effective_from)},
                {"effective_until",
                 r.effective_until ? Json(core::FormatIsoDate(*r.effective_until)) : Json(nullptr)},
                {"subject", compliance::SubjectKindName(r.subject)},
                {"kind", compliance::RuleKindName(r.kind)},
                {"evidence", r.evidence}});
         }
         Json unchecked = Json::array();
         for (const auto& u : rules->unchecked) {
           unchecked.push_back({{"id", u.id}, {"reason", u.reason}});
         }
         SetJson(c, 200, Json{{"packs", rules->packs}, {"rules", list}, {"unchecked", unchecked}});
         return core::Ok();
       }});

  // Coordinator's review of an evidence record: accept, or reject with a reason.
  routes.push_back(
      {"POST", "/api/v1/compliance/evidence/{id}/review",
       "Accept or reject an evidence record: {\"decision\":\"accept|reject\",\"reason\":…}", true,
       "compliance", Access::kWrite, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, env.depth));
         std::string decision, reason;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("decision", decision, codec::Need::kRequired, 10));
         UCSC_RETURN_IF_ERROR(r.String("reason", reason, codec::Need::kOptional, 2000));
         UCSC_RETURN_IF_ERROR(r.Finish());
         if (decision != "accept" && decision != "reject") {
           return core::InvalidArgument("must be accept or reject", "/decision");
         }
         if (decision == "reject" && reason.empty()) {
           return core::InvalidArgument("a rejection needs a reason", "/reason");
         }
         UCSC_ASSIGN_OR_RETURN(auto before, tx.Evidence().Get(c.params["id"], c.scope));
         auto v = before;
         v.review =
             decision == "accept" ? core::ReviewState::kAccepted : core::ReviewState::kRejected;
         v.review_reason = reason;
         v.reviewed_by = c.principal.actor;
         v.reviewed_at = env.clock.Now();
         v.updated_at = v.reviewed_at;
         v.version = before.version + 1;
         UCSC_RETURN_IF_ERROR(tx.Evidence().Update(v));
         Json out = codec::ToJson(v);
         UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, v.updated_at, "review", "evidence", v.id,
                                          codec::ToJson(before).dump(), out.dump()));
         SetJson(c, 200, out);
         c.res.SetHeader("ETag", ETag(v.version));
         return core::Ok();
       }});

  // Urging (đôn đốc): a formal reminder recorded against the organisation, as a task it owns.
  routes.push_back(
      {"POST", "/api/v1/compliance/urge",
       "Urge an organisation (đôn đốc): {\"org_id\",\"message\",\"rule_ids\":[…],\"due_date\"}",
       true, "compliance", Access::kWrite, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, env.depth));
         std::string org_id, message, due;
         std::vector<std::string> rule_ids;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("org_id", org_id, codec::Need::kRequired, 64));
         UCSC_RETURN_IF_ERROR(r.String("message", message, codec::Need::kRequired, 2000));
         UCSC_RETURN_IF_ERROR(r.StringList("rule_ids", rule_ids, codec::Need::kOptional, 50));
         UCSC_RETURN_IF_ERROR(r.String("due_date", due, codec::Need::kOptional, 10));
         UCSC_RETURN_IF_ERROR(r.Finish());
         if (message.empty()) return core::InvalidArgument("is required", "/message");
         if (!due.empty() && !core::ParseIsoDate(due)) {
           return core::InvalidArgument("must be a date YYYY-MM-DD", "/due_date");
         }
         auto org = tx.Orgs().Get(org_id, c.scope);
         if (!org) return core::InvalidArgument("matches no organisation you can see", "/org_id");
         core::Task t;
         t.id = env.ids.Next();
         t.org_id = org_id;
         t.kind = "urging";
         std::string rules_text;
         for (const auto& id : rule_ids) rules_text += (rules_text.empty() ? "" : ", ") + id;
         t.title = "Đôn đốc" + (rules_text.empty() ? std::string() : " (" + rules_text + ")") +
                   ": " + message;
         if (t.title.size() > 500) t.title.resize(text::Utf8PrefixLength(t.title, 500));
         t.due_date = due;
         t.version = 1;
         t.created_at = t.updated_at = env.clock.Now();
         UCSC_RETURN_IF_ERROR(tx.Tasks().Insert(t));
         // The formal reminder reaches the organisation's managers in the application now and
         // by e-mail through the job queue (sent once, retried while the mail server is down),
         // all in this transaction: an urging is never recorded without being delivered.
         UCSC_ASSIGN_OR_RETURN(auto audience, outbox::LoadAudience(tx));
         store::Notification n;
         n.org_id = org_id;
         n.kind = "urging";
         n.title = "Đôn đốc thực hiện Chỉ thị 18/CT-TTg: " + org->name;
         n.body = t.title;
         if (!due.empty()) n.body += "\nHạn: " + core::FormatVnDate(*core::ParseIsoDate(due));
         n.link = "/api/v1/tasks/" + t.id;
         n.created_at = t.created_at;
         const auto& recipients = audience.Of(org_id);
         UCSC_RETURN_IF_ERROR(outbox::AddNotifications(tx, env.ids, recipients.user_ids, n));
         outbox::OrgMail mail{org_id, n.title,
                              "Kính gửi " + org->name + ",\n\n" + n.body +
                                  "\n\nVăn bản đôn đốc này được ghi nhận trên hệ thống ucsc (" +
                                  t.id + ").\n",
                              "urging/" + t.id};
         UCSC_RETURN_IF_ERROR(outbox::EnqueueOrgMail(tx, env.ids, mail, t.created_at));
         Json out = codec::ToJson(t);
         UCSC_RETURN_IF_ERROR(
             AppendAudit(tx, c, t.created_at, "urge", "organisation", org_id, "", out.dump()));
         out["notified_accounts"] = static_cast<int64_t>(recipients.user_ids.size());
         out["mail_recipients"] = static_cast<int64_t>(recipients.mail.size());
         SetJson(c, 201, out);
         return core::Ok();
       }});

  // Inspection (kiểm tra): a checklist of the applicable rules for an organisation and its
  // systems, with the status of each, recorded as an inspection evidence record.
  routes.push_back(
      {"POST", "/api/v1/compliance/inspections",
       "Record an inspection of an organisation with a checklist generated from the applicable "
       "rules: {\"org_id\",\"date\"}",
       true, "compliance", Access::kWrite, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, env.depth));
         std::string org_id, date;
         codec::ObjectReader r(body, "");
         UCSC_RETURN_IF_ERROR(r.String("org_id", org_id, codec::Need::kRequired, 64));
         UCSC_RETURN_IF_ERROR(r.String("date", date, codec::Need::kRequired, 10));
         UCSC_RETURN_IF_ERROR(r.Finish());
         auto day = core::ParseIsoDate(date);
         if (!day) return core::InvalidArgument("must be a date YYYY-MM-DD", "/date");
         if (core::LocalDateOf(env.clock.Now()) < *day) {
           return core::InvalidArgument("is in the future", "/date");
         }
         auto org = tx.Orgs().Get(org_id, c.scope);
         if (!org) return core::InvalidArgument("matches no organisation you can see", "/org_id");
         UCSC_ASSIGN_OR_RETURN(auto rules, RulesInForce(env));
         UCSC_ASSIGN_OR_RETURN(auto facts, compliance::LoadFacts(tx, core::EndOfLocalDay(*day)));
         compliance::Evaluator ev(*rules, facts);
         Json checklist = Json::array();
         const std::string lang = Lang(c);
         for (const auto& row : ev.EvaluateAll(core::EndOfLocalDay(*day))) {
           if (row.org_id != org_id || row.state == State::kNotApplicable) continue;
           checklist.push_back(RowJson(row, org->name, lang));
         }
         core::Evidence e;
         e.id = env.ids.Next();
         e.org_id = org_id;
         e.subject_kind = "organisation";
         e.subject_id = org_id;
         e.type = "inspection";
         e.performed_on = date;
         e.title = "Biên bản kiểm tra " + core::FormatVnDate(*day) + " — " + org->name;
         e.description = Json{{"checklist", checklist}}.dump();
         e.submitted_by = c.principal.actor;
         e.review = core::ReviewState::kAccepted;  // the coordinator's own record
         e.reviewed_by = c.principal.actor;
         e.version = 1;
         e.created_at = e.updated_at = e.reviewed_at = env.clock.Now();
         UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(e));
         Json out = codec::ToJson(e);
         UCSC_RETURN_IF_ERROR(
             AppendAudit(tx, c, e.created_at, "create", "evidence", e.id, "", out.dump()));
         out["checklist"] = std::move(checklist);
         SetJson(c, 201, out);
         return core::Ok();
       }});

  // Upload: the body is the file; its name in X-File-Name (UTF-8, percent-encoding allowed).
  routes.push_back(
      {"POST", "/api/v1/evidence/{id}/file",
       "Attach a file to an evidence record (raw body; Content-Type and X-File-Name headers)", true,
       "evidence", Access::kWrite, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_ASSIGN_OR_RETURN(auto before, tx.Evidence().Get(c.params["id"], c.scope));
         if (compliance::IsRecordedOnly(before.type)) {
           // R4: the record is ucsc's own (an approved complete plan); a file cannot replace it.
           return core::InvalidArgument(
               "is recorded by ucsc only, from an IR plan approved complete in ucsc (R4); no file "
               "can be attached / chỉ do ucsc ghi nhận từ phương án được phê duyệt đủ nội dung "
               "(R4); không thể đính kèm tệp",
               "/type");
         }
         const std::string& bytes = c.req.body;
         if (bytes.empty()) return core::InvalidArgument("the file is empty", "/file");
         if (bytes.size() > env.max_upload_bytes) {
           return core::MakeError(ErrorCode::kResourceExhausted, "the file is too large");
         }
         std::string raw_name = c.req.Header("x-file-name");
         // Percent-decoding, so that Vietnamese names survive header transport.
         std::string name;
         for (size_t i = 0; i < raw_name.size(); ++i) {
           if (raw_name[i] == '%' && i + 2 < raw_name.size() && std::isxdigit(raw_name[i + 1]) &&
               std::isxdigit(raw_name[i + 2])) {
             name += static_cast<char>(std::stoi(raw_name.substr(i + 1, 2), nullptr, 16));
             i += 2;
           } else {
             name += raw_name[i];
           }
         }
         UCSC_ASSIGN_OR_RETURN(name, compliance::CheckEvidenceFileName(name));
         std::string declared = c.req.Header("content-type");
         declared = text::AsciiLower(declared.substr(0, declared.find(';')));
         while (!declared.empty() && declared.back() == ' ') declared.pop_back();
         const std::string sniffed = compliance::SniffEvidenceType(bytes, name);
         if (sniffed.empty()) {
           return core::InvalidArgument(
               "unsupported file type (PDF, PNG, JPEG, DOCX, XLSX, ZIP, text or CSV)",
               "/content_type");
         }
         if (declared != sniffed) {
           return core::InvalidArgument("the declared type " +
                                            (declared.empty() ? std::string("(none)") : declared) +
                                            " does not match the content (" + sniffed + ")",
                                        "/content_type");
         }
         auto v = before;
         v.file = {name, auth::Sha256Hex(bytes), static_cast<int64_t>(bytes.size()), sniffed};
         v.review = core::ReviewState::kPending;
         v.review_reason.clear();
         v.reviewed_by.clear();
         v.reviewed_at = {};
         v.version = before.version + 1;
         v.updated_at = env.clock.Now();
         UCSC_RETURN_IF_ERROR(tx.Evidence().Update(v));
         Json out = codec::ToJson(v);
         UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, v.updated_at, "attach", "evidence", v.id,
                                          codec::ToJson(before).dump(), out.dump()));
         // Last: the bytes are written only when everything else has passed (a failed commit
         // leaves at most an unreferenced file named by its hash).
         UCSC_RETURN_IF_ERROR(
             compliance::StoreEvidenceFile(env.evidence_dir, v.file.sha256, bytes));
         SetJson(c, 200, out);
         c.res.SetHeader("ETag", ETag(v.version));
         return core::Ok();
       }});

  routes.push_back(
      {"GET", "/api/v1/evidence/{id}/file", "Download an evidence record's file", false, "evidence",
       Access::kRead, [envcopy](Ctx& c, store::Tx& tx) -> Status {
         const auto env = envcopy();
         UCSC_ASSIGN_OR_RETURN(auto v, tx.Evidence().Get(c.params["id"], c.scope));
         if (v.file.sha256.empty()) return core::NotFound("this evidence record has no file");
         std::ifstream in(std::filesystem::path(env.evidence_dir) / v.file.sha256,
                          std::ios::binary);
         if (!in) return core::MakeError(ErrorCode::kUnavailable, "the evidence file is missing");
         std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
         if (auth::Sha256Hex(bytes) != v.file.sha256) {
           return core::Internal("the evidence file does not match its recorded SHA-256");
         }
         c.res.status = 200;
         c.res.content_type = v.file.content_type;
         c.res.body = std::move(bytes);
         c.res.SetHeader("Content-Disposition", ContentDisposition(v.file.name));
         c.res.SetHeader("X-Content-Type-Options", "nosniff");
         return core::Ok();
       }});
  return routes;
}

}  // namespace ucsc::compliance::internal
