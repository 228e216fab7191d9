// The compliance capability as a module: the routes of the engine (routes.cc), the evidence
// records' REST shape, the daily snapshot and reminder jobs, and queued e-mail to organisations.
#include "compliance/module.h"

#include <algorithm>
#include <charconv>

#include "capability/crud.h"
#include "codec/entities.h"
#include "compliance/internal/evaluation_cache.h"
#include "compliance/internal/module_internal.h"
#include "compliance/reminders.h"
#include "compliance/run_evidence.h"
#include "core/legal_time.h"

namespace ucsc::compliance {
namespace {

using capability::CheckOrgRef;
using capability::Grant;
using internal::Ctx;
using Status = core::Status;

// The refusal of an upload of a type ucsc records itself (IsRecordedOnly), in both languages.
constexpr std::string_view kRecordedOnlyMessage =
    "is recorded by ucsc only: an IR plan written in ucsc and approved complete yields it (R4); "
    "it cannot be uploaded / chỉ do ucsc ghi nhận khi phương án ứng cứu sự cố soạn trên ucsc "
    "được phê duyệt đủ nội dung (R4); không thể tải lên";

// Evidence of compliance (issue 4): attached to a system or organisation the caller sees. A change
// of its content sends it back to the coordinator's review.
struct EvidenceRules {
  using T = core::Evidence;
  static constexpr std::string_view kType = "evidence";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Evidence(); }
  static Status Validate(const T& v) {
    if (v.subject_kind != "system" && v.subject_kind != "organisation") {
      return core::InvalidArgument("must be system or organisation", "/subject_kind");
    }
    if (!compliance::IsEvidenceType(v.type)) {
      std::string known;
      for (auto t : compliance::EvidenceTypeNames())
        known += (known.empty() ? "" : ", ") + std::string(t);
      return core::InvalidArgument("unknown evidence type (known: " + known + ")", "/type");
    }
    if (compliance::IsRecordedOnly(v.type)) {
      // R4: only a complete plan approved in ucsc proves the plan's content.
      return core::InvalidArgument(std::string(kRecordedOnlyMessage), "/type");
    }
    auto d = core::ParseIsoDate(v.performed_on);
    if (!d) return core::InvalidArgument("must be a date YYYY-MM-DD", "/performed_on");
    if (core::LocalDateOf(v.updated_at) < *d) {
      return core::InvalidArgument("is in the future", "/performed_on");
    }
    if (v.title.empty()) return core::InvalidArgument("is required", "/title");
    return core::Ok();
  }
  static Status Check(store::Tx& tx, const Ctx& ctx, T& v, const T* before) {
    if (v.subject_kind == "system") {
      auto system = tx.Systems().Get(v.subject_id, ctx.scope);
      if (!system) return core::InvalidArgument("matches no system you can see", "/subject_id");
      v.org_id = system->owner_org_id;
    } else {
      UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.subject_id, "/subject_id"));
      v.org_id = v.subject_id;
    }
    if (before == nullptr) {
      v.submitted_by = ctx.principal.actor;
      v.review = core::ReviewState::kPending;
    } else if (v.subject_id != before->subject_id || v.type != before->type ||
               v.performed_on != before->performed_on || v.title != before->title ||
               v.description != before->description) {
      v.review = core::ReviewState::kPending;
      v.review_reason.clear();
      v.reviewed_by.clear();
      v.reviewed_at = {};
    }
    return core::Ok();
  }
};

// clang-format off
constexpr capability::PolicyRow kPolicy[] = {
    // Evidence: the organisation files it, the coordinator reviews it, inspectors read it.
    {.resource = "evidence", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
    // Status and scorecards for everyone who works the inventory; writes (review, urge,
    // inspect) are the coordinator's.
    {.resource = "compliance", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
     .responder = Grant::kRead, .org_manager = Grant::kRead, .org_staff = Grant::kRead,
     .liaison = Grant::kNone, .auditor = Grant::kRead},
};
// clang-format on

// Setting "compliance_cache_seconds" (default 30): how long today's evaluation is served from
// the cache while this process sees no write to the fact tables.
// (env UCSC_COMPLIANCE_CACHE_SECONDS; a value that is not a whole number ≥ 0 keeps the default).
int CacheSeconds(const capability::Env& env) {
  constexpr int kDefault = 30;
  if (!env.settings.is_object()) return kDefault;
  auto it = env.settings.find("compliance_cache_seconds");
  if (it == env.settings.end()) return kDefault;
  if (it->is_number_integer()) return std::max(0, it->get<int>());
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec == std::errc() && end == text.data() + text.size() && v >= 0) return v;
  }
  return kDefault;
}

class ComplianceModule final : public capability::Module {
 public:
  explicit ComplianceModule(const capability::Env& env)
      : clock_(env.clock),
        ids_(env.ids),
        notifier_(env.notifier),
        env_{env.clock, env.ids, capability::Setting(env, "rulepacks_dir", "data/rulepacks"),
             capability::Setting(env, "evidence_dir", "var/evidence"),
             static_cast<size_t>(env.settings.is_object()
                                     ? env.settings.value("max_upload_bytes", int64_t{10 << 20})
                                     : int64_t{10 << 20}),
             std::make_shared<RulePackHolder>(), env.max_json_depth,
             // Writes by another process show within this many seconds (0: no cache).
             CacheSeconds(env) > 0 ? std::make_shared<internal::EvaluationCache>(
                                         env.clock, std::chrono::seconds(CacheSeconds(env)))
                                   : nullptr},
        crud_{env.clock, env.ids, env.max_json_depth} {
    reminders_.escalate_after_days =
        env.settings.is_object() ? env.settings.value("escalate_after_days", 7) : 7;
    // A server starts without rule packs if they do not load; compliance routes then answer 503
    // with the reason, and the rest of the API works.
    (void)env_.rules->Reload(env_.rulepacks_dir);
  }
  std::string_view Name() const override { return "compliance"; }

  void Register(capability::Registry& r) override {
    for (const auto& row : kPolicy) r.AddPolicy(row);
    for (auto& route : capability::CrudRoutes<EvidenceRules>(crud_, "evidence", "evidence",
                                                             "compliance evidence", "Evidence")) {
      r.AddRoute(std::move(route));
    }
    for (auto& route : internal::ComplianceRoutes(env_)) r.AddRoute(std::move(route));
    r.AddSchema("Evidence", capability::SchemaOf(codec::ToJson(core::Evidence{})));
    r.AddCommands(&internal::AddCommands);

    auto rules = env_.rules;
    const core::Clock& clock = clock_;
    const core::IdGenerator& ids = ids_;
    const std::function<notify::Notifier*()> notifier = notifier_;
    const ReminderConfig config = reminders_;
    r.AddJob({"compliance_snapshot", [rules, &clock](const core::Job&, store::Store& store) {
                auto set = rules->Current();
                if (set == nullptr) {
                  return Status(
                      core::MakeError(core::ErrorCode::kUnavailable, "no rule pack loaded"));
                }
                return TakeSnapshot(store, *set, clock.Now());
              }});
    r.AddSchedule({"compliance_snapshot", "55 23 * * *", "compliance_snapshot"});
    r.AddJob(
        {"compliance_reminders",
         [rules, &clock, &ids, notifier, config](const core::Job&, store::Store& store) -> Status {
           auto set = rules->Current();
           if (set == nullptr) {
             return core::MakeError(core::ErrorCode::kUnavailable, "no rule pack loaded");
           }
           UCSC_ASSIGN_OR_RETURN(auto report,
                                 SendReminders(store, *set, notifier ? notifier() : nullptr, ids,
                                               clock.Now(), config));
           if (!report.failures.empty()) {
             // Retried by the queue; what was sent is in the log and is not sent again.
             return core::MakeError(
                 core::ErrorCode::kUnavailable,
                 std::to_string(report.failures.size()) +
                     " reminder message(s) not sent; first: " + report.failures.front());
           }
           return core::Ok();
         }});
    r.AddSchedule({"compliance_reminders", "0 8 * * *", "compliance_reminders"});
    // Evaluates once when the server starts, so that the first dashboard is served from the
    // cache.
    if (env_.cache != nullptr) {
      auto cache = env_.cache;
      r.AddJob({"compliance_warm",
                [rules, cache, &clock](const core::Job&, store::Store& store) -> Status {
                  auto set = rules->Current();
                  if (set == nullptr) return core::Ok();  // nothing to evaluate
                  return store.Read([&](store::Tx& tx) -> Status {
                    UCSC_ASSIGN_OR_RETURN(auto ev, cache->Get(tx, set, clock.Now()));
                    (void)ev;
                    return core::Ok();
                  });
                },
                /*at_start=*/true});
    }
  }

  RulePackHolder& rules() { return *env_.rules; }

 private:
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  std::function<notify::Notifier*()> notifier_;
  internal::ComplianceEnv env_;
  capability::CrudEnv crud_;
  ReminderConfig reminders_;
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env) {
  return std::make_unique<ComplianceModule>(env);
}

}  // namespace ucsc::compliance
