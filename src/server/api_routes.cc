// Route table and handlers of the REST API. Each handler parses the request, calls the store
// through the request's one transaction and maps the result.
#include <algorithm>
#include <set>

#include "auth/password.h"
#include "auth/random.h"
#include "auth/totp.h"
#include "compliance/rulepack.h"
#include "core/legal_time.h"
#include "inventory/validate.h"
#include "server/api.h"
#include "server/internal/api_internal.h"
#include "server/internal/base64url.h"

namespace ucsc::server {
namespace {

constexpr int kMaxLimit = 500;

Result<store::ListQuery> ParseListQuery(const Api::Ctx& ctx,
                                        const std::vector<std::string_view>& filters) {
  store::ListQuery q;
  q.scope = ctx.scope;
  std::set<std::string_view> seen;
  for (const auto& [key, value] : ctx.req.query) {
    // One value per parameter: repeated keys would only multiply SQL shapes.
    if (!seen.insert(key).second) {
      return core::InvalidArgument("is given more than once", "/" + key);
    }
    if (key == "limit") {
      int v = 0;
      if (value.empty() || value.size() > 4 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return core::InvalidArgument("limit must be an integer 1–500", "/limit");
      }
      v = std::stoi(value);
      if (v < 1 || v > kMaxLimit) {
        return core::InvalidArgument("limit must be an integer 1–500", "/limit");
      }
      q.limit = v;
    } else if (key == "cursor") {
      auto raw = internal::Base64UrlDecode(value);
      auto nl = raw ? raw->find('\n') : std::string::npos;
      if (!raw || nl == std::string::npos) {
        return core::InvalidArgument("cursor is not one this server issued", "/cursor");
      }
      q.after_key = raw->substr(0, nl);
      q.after_id = raw->substr(nl + 1);
    } else if (key == "q") {
      if (value.size() > 200) return core::InvalidArgument("q is too long", "/q");
      q.search = value;
    } else if (std::find(filters.begin(), filters.end(), key) != filters.end()) {
      q.filters.emplace_back(key, value);
    } else {
      return core::InvalidArgument("unknown query parameter", "/" + key);
    }
  }
  return q;
}

// Checks that organisation `org_id` exists and lies in the caller's scope; the error names the
// field so that a bad reference reads as bad input.
Status CheckOrgRef(store::Tx& tx, const Api::Ctx& ctx, const std::string& org_id,
                   const std::string& field) {
  if (org_id.empty()) return core::InvalidArgument("is required", field);
  auto org = tx.Orgs().Get(org_id, ctx.scope);
  if (!org) {
    if (org.error().code == ErrorCode::kNotFound) {
      return core::InvalidArgument("matches no organisation you can see", field);
    }
    return tl::unexpected(org.error());
  }
  return core::Ok();
}

// ---- Per-resource rules ----------------------------------------------------------------------

struct OrgRules {
  using T = core::Organisation;
  static constexpr std::string_view kType = "organisation";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Orgs(); }
  static Status Validate(const T& v) { return inventory::ValidateOrganisation(v); }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T* before) {
    if (!v.parent_id.empty() && before != nullptr && before->parent_id == v.parent_id) {
      // Unchanged: an org-scoped role's own organisation has its parent outside the scope.
    } else if (!v.parent_id.empty()) {
      if (v.parent_id == v.id) return core::InvalidArgument("cannot be itself", "/parent_id");
      auto parent = tx.Orgs().Get(v.parent_id, ctx.scope);
      if (!parent)
        return core::InvalidArgument("matches no organisation you can see", "/parent_id");
      if (before != nullptr) {
        // Moving under one of its own descendants would make a cycle.
        UCSC_ASSIGN_OR_RETURN(auto links, tx.OrgParentLinks());
        std::map<std::string, std::string> up(links.begin(), links.end());
        std::string cur = v.parent_id;
        for (int i = 0; i < 10000 && !cur.empty(); ++i) {
          if (cur == v.id) return core::InvalidArgument("would make a cycle", "/parent_id");
          cur = up[cur];
        }
      }
    } else if (!ctx.scope.all && (before == nullptr || !before->parent_id.empty())) {
      return core::InvalidArgument("is required for your role", "/parent_id");
    }
    return core::Ok();
  }
};

// Writes need the owner in scope; operator-only visibility is read access.
Status MayModify(const Api::Ctx& ctx, const core::InformationSystem& system) {
  if (InScope(ctx.scope, system.owner_org_id)) return core::Ok();
  return Denied("only the owner organisation's side may change this system");
}

struct SystemRules {
  using T = core::InformationSystem;
  static constexpr std::string_view kType = "system";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Systems(); }
  static Status Validate(const T& v) { return inventory::ValidateSystem(v); }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T* before) {
    // Only the owner's side may change a system: an operator organisation sees the systems it
    // runs but cannot re-own, re-assign or delete them.
    if (before != nullptr) UCSC_RETURN_IF_ERROR(MayModify(ctx, *before));
    UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.owner_org_id, "/owner_org_id"));
    if (v.operator_org_id.empty()) v.operator_org_id = v.owner_org_id;
    if (v.operator_org_id != v.owner_org_id &&
        (before == nullptr || v.operator_org_id != before->operator_org_id)) {
      // Naming an operator grants it sight of the system: within one's own scope only
      // (province-wide roles may name any organisation).
      UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.operator_org_id, "/operator_org_id"));
    }
    // The level history records every level or approval change (ND85, R19/R20).
    if (before == nullptr || before->level != v.level || !(before->approval == v.approval)) {
      v.level_history.push_back(
          core::LevelHistoryEntry{v.level, v.approval, v.updated_at, ctx.principal.actor});
    }
    return core::Ok();
  }
};

struct AssetRules {
  using T = core::Asset;
  static constexpr std::string_view kType = "asset";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Assets(); }
  static Status Validate(const T& v) { return inventory::ValidateAsset(v); }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T*) {
    auto system = tx.Systems().Get(v.system_id, ctx.scope);
    if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
    UCSC_RETURN_IF_ERROR(MayModify(ctx, *system));
    v.org_id = system->owner_org_id;
    return core::Ok();
  }
};

struct ContactRules {
  using T = core::Contact;
  static constexpr std::string_view kType = "contact";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Contacts(); }
  static Status Validate(const T& v) { return inventory::ValidateContact(v); }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T*) {
    return CheckOrgRef(tx, ctx, v.org_id, "/org_id");
  }
};

struct MemberRules {
  using T = core::IrTeamMember;
  static constexpr std::string_view kType = "ir_team_member";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Team(); }
  static Status Validate(const T& v) { return inventory::ValidateMember(v); }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T*) {
    return CheckOrgRef(tx, ctx, v.org_id, "/org_id");
  }
};

struct TaskRules {
  using T = core::Task;
  static constexpr std::string_view kType = "task";
  static store::EntityRepo<T>& Repo(store::Tx& tx) { return tx.Tasks(); }
  static Status Validate(const T& v) { return inventory::ValidateTask(v); }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T*) {
    UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, ctx, v.org_id, "/org_id"));
    if (!v.system_id.empty()) {
      auto system = tx.Systems().Get(v.system_id, ctx.scope);
      if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
    }
    return core::Ok();
  }
};

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
    auto d = core::ParseIsoDate(v.performed_on);
    if (!d) return core::InvalidArgument("must be a date YYYY-MM-DD", "/performed_on");
    if (core::LocalDateOf(v.updated_at) < *d) {
      return core::InvalidArgument("is in the future", "/performed_on");
    }
    if (v.title.empty()) return core::InvalidArgument("is required", "/title");
    return core::Ok();
  }
  static Status Check(store::Tx& tx, const Api::Ctx& ctx, T& v, const T* before) {
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

// Records one change event per changed top-level field of a system (R3 reacts to these).
Status RecordSystemChanges(store::Tx& tx, const Api::Ctx& ctx, const core::IdGenerator& ids,
                           const core::InformationSystem& before,
                           const core::InformationSystem& after) {
  Json b = codec::ToJson(before);
  Json a = codec::ToJson(after);
  for (const auto& [key, value] : a.items()) {
    if (key == "version" || key == "updated_at" || key == "level_history") continue;
    if (b[key] == value) continue;
    core::ChangeEvent e{ids.Next(),      after.id,     "/" + key,
                        b[key].dump(),   value.dump(), ctx.principal.actor,
                        after.updated_at};
    UCSC_RETURN_IF_ERROR(tx.Changes().Append(e));
  }
  return core::Ok();
}

// An asset is scoped by its system's owner (Asset::org_id): when a system changes owner, its
// assets follow, or the old owner would keep seeing them and the new one would not.
Status RescopeAssets(store::Tx& tx, const Api::Ctx& ctx, const core::InformationSystem& before,
                     const core::InformationSystem& after) {
  if (before.owner_org_id == after.owner_org_id) return core::Ok();
  store::ListQuery q;
  q.filters.emplace_back("system_id", after.id);
  q.limit = 500;
  while (true) {
    UCSC_ASSIGN_OR_RETURN(auto page, tx.Assets().List(q));
    for (auto asset : page.items) {
      Json old = codec::ToJson(asset);
      asset.org_id = after.owner_org_id;
      asset.version += 1;
      asset.updated_at = after.updated_at;
      UCSC_RETURN_IF_ERROR(tx.Assets().Update(asset));
      UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, after.updated_at, "update", "asset", asset.id,
                                       old.dump(), codec::ToJson(asset).dump()));
    }
    if (!page.more) return core::Ok();
    q.after_key = page.last_key;
    q.after_id = page.last_id;
  }
}

template <class Rules>
struct Crud {
  using T = typename Rules::T;

  static Status List(Api::Ctx& ctx, store::Tx& tx) {
    auto& repo = Rules::Repo(tx);
    UCSC_ASSIGN_OR_RETURN(auto q, ParseListQuery(ctx, repo.FilterColumns()));
    UCSC_ASSIGN_OR_RETURN(auto page, repo.ListJson(q));
    // The stored documents are the API representation: splice them without re-encoding.
    size_t size = 32;
    for (const auto& doc : page.items) size += doc.size() + 1;
    std::string body;
    body.reserve(size + 128);
    body += "{\"items\":[";
    for (size_t i = 0; i < page.items.size(); ++i) {
      if (i > 0) body += ',';
      body += page.items[i];
    }
    body += "],\"next_cursor\":";
    if (page.more) {
      body += '"' + internal::Base64UrlEncode(page.last_key + "\n" + page.last_id) + '"';
    } else {
      body += "null";
    }
    body += '}';
    ctx.res.status = 200;
    ctx.res.body = std::move(body);
    return core::Ok();
  }

  static Status Get(Api::Ctx& ctx, store::Tx& tx) {
    UCSC_ASSIGN_OR_RETURN(auto v, Rules::Repo(tx).Get(ctx.params["id"], ctx.scope));
    SetJson(ctx, 200, codec::ToJson(v));
    ctx.res.SetHeader("ETag", ETag(v.version));
    return core::Ok();
  }

  static Status Create(Api::Ctx& ctx, store::Tx& tx, const core::Clock& clock,
                       const core::IdGenerator& ids, int depth) {
    UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(ctx, depth));
    T v;
    UCSC_RETURN_IF_ERROR(codec::Decode(body, codec::Mode::kCreate, v));
    v.id = ids.Next();
    v.version = 1;
    v.created_at = v.updated_at = clock.Now();
    UCSC_RETURN_IF_ERROR(Rules::Validate(v));
    UCSC_RETURN_IF_ERROR(Rules::Check(tx, ctx, v, nullptr));
    UCSC_RETURN_IF_ERROR(Rules::Repo(tx).Insert(v));
    Json out = codec::ToJson(v);
    UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, v.created_at, "create", std::string(Rules::kType),
                                     v.id, "", out.dump()));
    SetJson(ctx, 201, out);
    ctx.res.SetHeader("ETag", ETag(v.version));
    ctx.res.SetHeader("Location", ctx.req.path + "/" + v.id);
    return core::Ok();
  }

  static Status Patch(Api::Ctx& ctx, store::Tx& tx, const core::Clock& clock,
                      const core::IdGenerator& ids, int depth) {
    UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(ctx, depth));
    UCSC_ASSIGN_OR_RETURN(auto before, Rules::Repo(tx).Get(ctx.params["id"], ctx.scope));
    UCSC_ASSIGN_OR_RETURN(int64_t expected, RequireIfMatch(ctx));
    if (expected != before.version) {
      return core::MakeError(ErrorCode::kConflict,
                             "changed by someone else since you read it (now version " +
                                 std::to_string(before.version) + ")");
    }
    T v = before;
    UCSC_RETURN_IF_ERROR(codec::Decode(body, codec::Mode::kPatch, v));
    v.version = before.version + 1;
    v.updated_at = clock.Now();
    UCSC_RETURN_IF_ERROR(Rules::Validate(v));
    UCSC_RETURN_IF_ERROR(Rules::Check(tx, ctx, v, &before));
    UCSC_RETURN_IF_ERROR(Rules::Repo(tx).Update(v));
    if constexpr (std::is_same_v<T, core::InformationSystem>) {
      UCSC_RETURN_IF_ERROR(RecordSystemChanges(tx, ctx, ids, before, v));
      UCSC_RETURN_IF_ERROR(RescopeAssets(tx, ctx, before, v));
    }
    Json out = codec::ToJson(v);
    UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, v.updated_at, "update", std::string(Rules::kType),
                                     v.id, codec::ToJson(before).dump(), out.dump()));
    SetJson(ctx, 200, out);
    ctx.res.SetHeader("ETag", ETag(v.version));
    return core::Ok();
  }

  static Status Delete(Api::Ctx& ctx, store::Tx& tx, const core::Clock& clock) {
    UCSC_ASSIGN_OR_RETURN(auto before, Rules::Repo(tx).Get(ctx.params["id"], ctx.scope));
    if constexpr (std::is_same_v<T, core::InformationSystem>) {
      UCSC_RETURN_IF_ERROR(MayModify(ctx, before));
    }
    UCSC_ASSIGN_OR_RETURN(int64_t expected, RequireIfMatch(ctx));
    if (expected != before.version) {
      return core::MakeError(ErrorCode::kConflict, "changed by someone else since you read it");
    }
    auto st = Rules::Repo(tx).Delete(before.id, expected);
    if (!st && st.error().code == ErrorCode::kFailedPrecondition) {
      return core::MakeError(ErrorCode::kFailedPrecondition,
                             std::string(Rules::kType) + " is still referenced by other records");
    }
    UCSC_RETURN_IF_ERROR(st);
    UCSC_RETURN_IF_ERROR(AppendAudit(tx, ctx, clock.Now(), "delete", std::string(Rules::kType),
                                     before.id, codec::ToJson(before).dump(), ""));
    ctx.res.status = 204;
    ctx.res.body.clear();
    return core::Ok();
  }
};

Json MeJson(const core::User& u) { return codec::ToJson(u); }

}  // namespace

void Api::Register() {
  auto add = [this](std::string method, std::string pattern, std::string summary, bool write,
                    std::optional<Resource> resource, Access access, Handler handler,
                    bool needs_auth = true) {
    auto r = std::make_unique<Route>();
    r->method = method;
    r->segments = Split(pattern);
    r->pattern = pattern;
    r->needs_auth = needs_auth;
    r->write = write;
    r->resource = resource;
    r->access = access;
    r->handler = std::move(handler);
    route_info_.push_back(RouteInfo{method, pattern, summary, needs_auth});
    routes_.push_back(std::move(r));
  };
  const int depth = config_.max_json_depth;

  auto crud = [&]<class Rules>(Rules, std::string name, Resource res, std::string label) {
    std::string base = "/api/v1/" + name;
    add("GET", base, "List " + label, false, res, Access::kRead, &Crud<Rules>::List);
    add("POST", base, "Create " + label, true, res, Access::kWrite,
        [this, depth](Ctx& c, store::Tx& tx) {
          return Crud<Rules>::Create(c, tx, clock_, ids_, depth);
        });
    add("GET", base + "/{id}", "Read " + label, false, res, Access::kRead, &Crud<Rules>::Get);
    add("PATCH", base + "/{id}", "Update " + label + " (If-Match required)", true, res,
        Access::kWrite, [this, depth](Ctx& c, store::Tx& tx) {
          return Crud<Rules>::Patch(c, tx, clock_, ids_, depth);
        });
    add("DELETE", base + "/{id}", "Delete " + label + " (If-Match required)", true, res,
        Access::kWrite,
        [this](Ctx& c, store::Tx& tx) { return Crud<Rules>::Delete(c, tx, clock_); });
  };
  crud(OrgRules{}, "organisations", Resource::kOrganisations, "organisations");
  crud(SystemRules{}, "systems", Resource::kSystems, "information systems");
  crud(AssetRules{}, "assets", Resource::kAssets, "assets");
  crud(ContactRules{}, "contacts", Resource::kContacts, "contacts");
  crud(MemberRules{}, "ir-team", Resource::kTeam, "IR team members");
  crud(TaskRules{}, "tasks", Resource::kTasks, "tasks");
  crud(EvidenceRules{}, "evidence", Resource::kEvidence, "compliance evidence");
  for (auto& r : ComplianceRoutes(ComplianceEnv{clock_, ids_, config_, rules_, depth})) {
    add(r.method, r.pattern, r.summary, r.write, r.resource, r.access, std::move(r.handler));
  }
  for (auto& r : ScanRoutes(ScanEnv{clock_, ids_, scans_, hunts_, config_.finding_sla, depth})) {
    add(r.method, r.pattern, r.summary, r.write, r.resource, r.access, std::move(r.handler));
  }

  add("GET", "/api/v1/systems/{id}/changes", "Change events of a system", false, Resource::kSystems,
      Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto sys, tx.Systems().Get(c.params["id"], c.scope));
        UCSC_ASSIGN_OR_RETURN(auto events, tx.Changes().ListForSystem(sys.id, 500));
        Json items = Json::array();
        for (const auto& e : events) items.push_back(codec::ToJson(e));
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });

  // ---- Sessions and identity ----
  add(
      "POST", "/api/v1/auth/login", "Sign in; sets the session cookie, returns the CSRF token",
      true, std::nullopt, Access::kWrite,
      [this, depth](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
        std::string username, password, totp;
        codec::ObjectReader r(body, "");
        UCSC_RETURN_IF_ERROR(r.String("username", username, codec::Need::kRequired, 64));
        UCSC_RETURN_IF_ERROR(r.String("password", password, codec::Need::kRequired, 1024));
        UCSC_RETURN_IF_ERROR(r.String("totp_code", totp, codec::Need::kOptional, 16));
        UCSC_RETURN_IF_ERROR(r.Finish());
        const std::string ip = c.req.remote_ip;
        // Locks are per (account, address): a stranger cannot lock the coordinator out during an
        // incident by failing from elsewhere; each address is also limited on its own.
        const std::string throttle_key = username + "\n" + ip;
        if (auto locked = throttle_.Check(throttle_key, ip); !locked) {
          // Retry-After says when the lock really ends (not a fixed guess).
          c.res = Problem(locked.error(), c.req.Header("accept-language"));
          c.res.SetHeader("Retry-After", std::to_string(std::max<int64_t>(
                                             1, throttle_.RetryAfter(throttle_key, ip).count())));
          return core::Ok();
        }
        auto user = tx.Users().GetByUsername(username);
        // An unknown name costs the same hashing work as a known one (no timing oracle).
        bool ok = auth::VerifyPassword(user ? user->password_hash : dummy_hash_, password) &&
                  user && !user->disabled;
        if (ok && !user->totp_secret.empty()) {
          // A code is good once: its time step must be later than the last one accepted.
          auto step = totp.empty() ? std::nullopt
                                   : auth::MatchTotpStep(user->totp_secret, totp, clock_.Now());
          ok = step && static_cast<int64_t>(*step) > user->totp_last_step;
          if (ok) {
            user->totp_last_step = static_cast<int64_t>(*step);
            user->version += 1;
            user->updated_at = clock_.Now();
            UCSC_RETURN_IF_ERROR(tx.Users().Update(*user));
            ForgetUser(user->id);
          }
        }
        if (!ok) {
          throttle_.RecordFailure(throttle_key, ip);
          // Committed on purpose: failed sign-ins are audited.
          c.principal.actor = "anonymous@" + ip;
          UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, clock_.Now(), "login_failed", "user",
                                           user ? user->id : "", "",
                                           Json{{"username", username}}.dump()));
          Response p = Problem(core::Error{ErrorCode::kUnauthenticated,
                                           "wrong username, password or code (accounts with "
                                           "two-factor sign-in also need totp_code)",
                                           ""},
                               c.req.Header("accept-language"));
          c.res = std::move(p);
          return core::Ok();
        }
        throttle_.RecordSuccess(throttle_key, ip);
        std::string token = auth::RandomToken(32);
        core::Session s{auth::Sha256Hex(token), user->id, auth::NewCsrfToken(), clock_.Now(),
                        clock_.Now() + config_.session_ttl};
        UCSC_RETURN_IF_ERROR(tx.Sessions().Insert(s));
        c.principal.actor = "user:" + user->username;
        UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, clock_.Now(), "login", "user", user->id, "", ""));
        std::string cookie =
            "ucsc_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(config_.session_ttl).count());
        if (c.req.tls) cookie += "; Secure";
        c.res.SetHeader("Set-Cookie", cookie);
        SetJson(c, 200,
                Json{{"user", MeJson(*user)},
                     {"csrf_token", s.csrf_token},
                     {"expires_at", core::FormatRfc3339Utc(s.expires_at)},
                     {"must_change_password", user->must_change_password}});
        return core::Ok();
      },
      /*needs_auth=*/false);

  add("POST", "/api/v1/auth/logout", "Sign out (ends the session)", true, std::nullopt,
      Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
        if (!c.principal.session_hash.empty()) {
          UCSC_RETURN_IF_ERROR(tx.Sessions().Delete(c.principal.session_hash));
          ForgetKey("s:" + c.principal.session_hash);
        }
        UCSC_RETURN_IF_ERROR(
            AppendAudit(tx, c, clock_.Now(), "logout", "user", c.principal.user.id, "", ""));
        c.res.status = 204;
        c.res.SetHeader("Set-Cookie",
                        "ucsc_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        return core::Ok();
      });

  add("GET", "/api/v1/me", "The signed-in user", false, std::nullopt, Access::kRead,
      [](Ctx& c, store::Tx&) -> Status {
        Json me = MeJson(c.principal.user);
        if (c.principal.via_cookie) me["csrf_token"] = c.principal.csrf_token;
        SetJson(c, 200, me);
        return core::Ok();
      });

  add("POST", "/api/v1/me/password", "Change one's password", true, std::nullopt, Access::kWrite,
      [this, depth](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
        std::string current, next;
        codec::ObjectReader r(body, "");
        UCSC_RETURN_IF_ERROR(r.String("current_password", current, codec::Need::kRequired, 1024));
        UCSC_RETURN_IF_ERROR(r.String("new_password", next, codec::Need::kRequired, 1024));
        UCSC_RETURN_IF_ERROR(r.Finish());
        UCSC_ASSIGN_OR_RETURN(auto u, tx.Users().GetById(c.principal.user.id));
        if (!auth::VerifyPassword(u.password_hash, current)) {
          return core::InvalidArgument("is wrong", "/current_password");
        }
        auto policy = auth::CheckPasswordPolicy(next);
        if (!policy) return core::InvalidArgument(policy.error().message, "/new_password");
        UCSC_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(next, config_.hash_strength));
        u.must_change_password = false;
        u.version += 1;
        u.updated_at = clock_.Now();
        UCSC_RETURN_IF_ERROR(tx.Users().Update(u));
        // Every other session of the user ends; the one that changed the password stays.
        std::optional<core::Session> current_session;
        if (!c.principal.session_hash.empty()) {
          UCSC_ASSIGN_OR_RETURN(current_session, tx.Sessions().Get(c.principal.session_hash));
        }
        UCSC_RETURN_IF_ERROR(tx.Sessions().DeleteForUser(u.id));
        if (current_session) UCSC_RETURN_IF_ERROR(tx.Sessions().Insert(*current_session));
        // API tokens made under the old password end too.
        UCSC_ASSIGN_OR_RETURN(auto tokens, tx.Tokens().ListForUser(u.id));
        for (const auto& t : tokens) UCSC_RETURN_IF_ERROR(tx.Tokens().Delete(t.id, u.id));
        ForgetUser(u.id);
        UCSC_RETURN_IF_ERROR(
            AppendAudit(tx, c, clock_.Now(), "password_change", "user", u.id, "", ""));
        c.res.status = 204;
        return core::Ok();
      });

  add("POST", "/api/v1/me/totp", "Start TOTP enrolment: a new secret to confirm", false,
      std::nullopt, Access::kRead, [](Ctx& c, store::Tx&) -> Status {
        std::string secret = auth::GenerateTotpSecret();
        SetJson(c, 200,
                Json{{"secret", secret},
                     {"otpauth_uri", auth::TotpUri("ucsc", c.principal.user.username, secret)}});
        return core::Ok();
      });
  // The enrolment above needs CSRF too; it is a POST served read-only (no state change).
  add("POST", "/api/v1/me/totp/confirm", "Turn TOTP on with the secret and a current code", true,
      std::nullopt, Access::kWrite, [this, depth](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
        std::string secret, code, password;
        codec::ObjectReader r(body, "");
        UCSC_RETURN_IF_ERROR(r.String("secret", secret, codec::Need::kRequired, 128));
        UCSC_RETURN_IF_ERROR(r.String("code", code, codec::Need::kRequired, 16));
        UCSC_RETURN_IF_ERROR(r.String("password", password, codec::Need::kRequired, 1024));
        UCSC_RETURN_IF_ERROR(r.Finish());
        auto key = auth::Base32Decode(secret);
        if (!key || key->size() < 16) {
          return core::InvalidArgument("must be base32 of at least 16 bytes", "/secret");
        }
        UCSC_ASSIGN_OR_RETURN(auto u, tx.Users().GetById(c.principal.user.id));
        // A stolen session alone cannot swap the second factor.
        if (!auth::VerifyPassword(u.password_hash, password)) {
          return core::InvalidArgument("is wrong", "/password");
        }
        auto step = auth::MatchTotpStep(secret, code, clock_.Now());
        if (!step) return core::InvalidArgument("does not match the secret now", "/code");
        u.totp_secret = secret;
        u.totp_last_step = static_cast<int64_t>(*step);  // the confirming code is spent
        u.version += 1;
        u.updated_at = clock_.Now();
        UCSC_RETURN_IF_ERROR(tx.Users().Update(u));
        ForgetUser(u.id);
        UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, clock_.Now(), "totp_enable", "user", u.id, "", ""));
        c.res.status = 204;
        return core::Ok();
      });

  // ---- API tokens ----
  add("GET", "/api/v1/tokens", "One's API tokens (never the secrets)", false, std::nullopt,
      Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto tokens, tx.Tokens().ListForUser(c.principal.user.id));
        Json items = Json::array();
        for (const auto& t : tokens) {
          items.push_back({{"id", t.id},
                           {"name", t.name},
                           {"scopes", t.scopes},
                           {"expires_at", core::FormatRfc3339Utc(t.expires_at)},
                           {"created_at", core::FormatRfc3339Utc(t.created_at)}});
        }
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });
  add("POST", "/api/v1/tokens", "Create an API token (shown once)", true, std::nullopt,
      Access::kWrite, [this, depth](Ctx& c, store::Tx& tx) -> Status {
        if (!c.principal.via_cookie) {
          return Denied("API tokens are created from a signed-in session, not with a token");
        }
        UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
        core::ApiToken t;
        int64_t days = 90;
        codec::ObjectReader r(body, "");
        UCSC_RETURN_IF_ERROR(r.String("name", t.name, codec::Need::kRequired, 100));
        UCSC_RETURN_IF_ERROR(r.StringList("scopes", t.scopes, codec::Need::kRequired, 2));
        UCSC_RETURN_IF_ERROR(r.Int("expires_in_days", days, codec::Need::kOptional));
        UCSC_RETURN_IF_ERROR(r.Finish());
        for (const auto& s : t.scopes) {
          if (s != "read" && s != "write") {
            return core::InvalidArgument("scopes are \"read\" and \"write\"", "/scopes");
          }
        }
        if (days < 1 || days > 366) {
          return core::InvalidArgument("must be 1–366", "/expires_in_days");
        }
        std::string secret = "ucsc_" + auth::RandomToken(32);
        t.id = ids_.Next();
        t.user_id = c.principal.user.id;
        t.token_hash = auth::Sha256Hex(secret);
        t.created_at = clock_.Now();
        t.expires_at = t.created_at + std::chrono::hours(24 * days);
        UCSC_RETURN_IF_ERROR(tx.Tokens().Insert(t));
        UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, t.created_at, "token_create", "api_token", t.id, "",
                                         Json{{"name", t.name}, {"scopes", t.scopes}}.dump()));
        SetJson(c, 201,
                Json{{"id", t.id},
                     {"token", secret},
                     {"scopes", t.scopes},
                     {"expires_at", core::FormatRfc3339Utc(t.expires_at)}});
        return core::Ok();
      });
  add("DELETE", "/api/v1/tokens/{id}", "Revoke an API token", true, std::nullopt, Access::kWrite,
      [this](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(tx.Tokens().Delete(c.params["id"], c.principal.user.id));
        ForgetUser(c.principal.user.id);
        UCSC_RETURN_IF_ERROR(
            AppendAudit(tx, c, clock_.Now(), "token_revoke", "api_token", c.params["id"], "", ""));
        c.res.status = 204;
        return core::Ok();
      });

  // ---- Users (admin) ----
  add("GET", "/api/v1/users", "List users", false, Resource::kUsers, Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto users, tx.Users().List(c.scope));
        Json items = Json::array();
        for (const auto& u : users) items.push_back(codec::ToJson(u));
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });
  add("POST", "/api/v1/users", "Create a user with a one-time password", true, Resource::kUsers,
      Access::kWrite, [this, depth](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth));
        std::string password;
        Json fields = body;
        if (body.is_object() && body.contains("password")) {
          if (!body["password"].is_string()) {
            return core::InvalidArgument("must be a string", "/password");
          }
          password = body["password"].get<std::string>();
          fields.erase("password");
        }
        core::User u;
        UCSC_RETURN_IF_ERROR(codec::Decode(fields, codec::Mode::kCreate, u));
        UCSC_RETURN_IF_ERROR(CheckOrgRef(tx, c, u.org_id, "/org_id"));
        if (password.empty()) password = auth::RandomToken(12);
        auto policy = auth::CheckPasswordPolicy(password);
        if (!policy) return core::InvalidArgument(policy.error().message, "/password");
        UCSC_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(password, config_.hash_strength));
        u.id = ids_.Next();
        u.must_change_password = true;
        u.version = 1;
        u.created_at = u.updated_at = clock_.Now();
        auto st = tx.Users().Insert(u);
        if (!st && st.error().code == ErrorCode::kAlreadyExists) {
          return core::MakeError(ErrorCode::kAlreadyExists, "username is taken", "/username");
        }
        UCSC_RETURN_IF_ERROR(st);
        UCSC_RETURN_IF_ERROR(
            AppendAudit(tx, c, u.created_at, "create", "user", u.id, "", codec::ToJson(u).dump()));
        Json out = codec::ToJson(u);
        out["one_time_password"] = password;
        SetJson(c, 201, out);
        return core::Ok();
      });

  // ---- Audit and jobs ----
  add("GET", "/api/v1/audit", "Audit log records (after=SEQ, limit)", false, Resource::kAudit,
      Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        int64_t after = 0;
        int limit = 100;
        for (const auto& [k, v] : c.req.query) {
          bool digits = !v.empty() && v.size() < 18 && std::all_of(v.begin(), v.end(), [](char ch) {
            return ch >= '0' && ch <= '9';
          });
          if (k == "after" && digits) {
            after = std::stoll(v);
          } else if (k == "limit" && digits && std::stoll(v) >= 1 && std::stoll(v) <= kMaxLimit) {
            limit = static_cast<int>(std::stoll(v));
          } else {
            return core::InvalidArgument("bad query parameter", "/" + k);
          }
        }
        UCSC_ASSIGN_OR_RETURN(auto records, tx.Audit().List(after, limit));
        Json items = Json::array();
        for (const auto& r : records) items.push_back(codec::ToJson(r));
        Json next = records.size() == static_cast<size_t>(limit)
                        ? Json(std::to_string(records.back().seq))
                        : Json(nullptr);
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", next}});
        return core::Ok();
      });
  add("GET", "/api/v1/audit/verify", "Verify the audit hash chain", false, Resource::kAudit,
      Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto report, tx.Audit().Verify());
        SetJson(
            c, 200,
            Json{{"ok", report.ok()}, {"records", report.records}, {"problems", report.problems}});
        return core::Ok();
      });
  add("GET", "/api/v1/jobs", "Recent background jobs", false, Resource::kJobs, Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto jobs, tx.Jobs().List(100));
        Json items = Json::array();
        for (const auto& j : jobs) items.push_back(codec::ToJson(j));
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });

  // ---- Operations ----
  add(
      "GET", "/healthz", "Liveness and database check", false, std::nullopt, Access::kRead,
      [this](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto n, tx.Orgs().Count(store::Scope::All()));
        (void)n;
        SetJson(c, 200, Json{{"status", "ok"}, {"store", std::string(store_.Backend())}});
        return core::Ok();
      },
      false);
  add(
      "GET", "/metrics", "Prometheus metrics (loopback only)", false, std::nullopt, Access::kRead,
      [this](Ctx& c, store::Tx&) -> Status {
        const auto& ip = c.req.remote_ip;
        if (ip != "127.0.0.1" && ip != "::1" && !ip.empty()) {
          return core::NotFound("no such endpoint");
        }
        c.res.status = 200;
        c.res.content_type = "text/plain; version=0.0.4";
        c.res.body = metrics_.Render();
        return core::Ok();
      },
      false);
  add(
      "GET", "/api/v1/openapi.json", "This API's OpenAPI 3.1 document", false, std::nullopt,
      Access::kRead,
      [this](Ctx& c, store::Tx&) -> Status {
        SetJson(c, 200, OpenApiDocument(route_info_));
        return core::Ok();
      },
      false);
}

Status OnlyParams(const Api::Ctx& ctx, std::initializer_list<std::string_view> allowed) {
  std::set<std::string> seen;
  for (const auto& [key, value] : ctx.req.query) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return core::InvalidArgument("unknown query parameter", "/" + key);
    }
    if (!seen.insert(key).second)
      return core::InvalidArgument("is given more than once", "/" + key);
  }
  return core::Ok();
}

std::string Param(const Api::Ctx& ctx, const std::string& key) {
  auto it = ctx.req.query.find(key);
  return it == ctx.req.query.end() ? std::string() : it->second;
}

Result<int> LimitParam(const Api::Ctx& ctx, int fallback, int max) {
  const std::string l = Param(ctx, "limit");
  if (l.empty()) return fallback;
  if (l.size() > 3 || !std::all_of(l.begin(), l.end(), ::isdigit) || std::stoi(l) < 1 ||
      std::stoi(l) > max) {
    return core::InvalidArgument("limit must be an integer 1–" + std::to_string(max), "/limit");
  }
  return std::stoi(l);
}

Status EnqueueOrgMail(store::Tx& tx, const core::IdGenerator& ids, const compliance::OrgMail& mail,
                      core::Instant now) {
  core::Job job;
  job.id = ids.Next();
  job.kind = "org_mail";
  job.payload = compliance::OrgMailToJson(mail).dump();
  job.max_attempts = 10;
  job.run_at = job.created_at = job.updated_at = now;
  return tx.Jobs().Enqueue(job);
}

Status AppendAudit(store::Tx& tx, const Api::Ctx& ctx, core::Instant at, std::string action,
                   std::string type, std::string id, std::string before, std::string after) {
  core::AuditRecord r;
  r.at = at;
  r.actor = ctx.principal.actor.empty() ? "anonymous" : ctx.principal.actor;
  r.action = std::move(action);
  r.object_type = std::move(type);
  r.object_id = std::move(id);
  r.before = std::move(before);
  r.after = std::move(after);
  UCSC_ASSIGN_OR_RETURN(auto appended, tx.Audit().Append(std::move(r)));
  (void)appended;
  return core::Ok();
}

}  // namespace ucsc::server
