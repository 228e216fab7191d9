// The platform's routes for signing in and the caller's own account: sessions (login, logout,
// CSRF), password change, TOTP enrolment, and the caller's API tokens.
#include <algorithm>

#include "auth/password.h"
#include "auth/random.h"
#include "auth/totp.h"
#include "core/legal_time.h"
#include "server/api.h"
#include "server/internal/api_internal.h"

namespace ucsc::server {
namespace {

Json MeJson(const core::User& u) { return codec::ToJson(u); }

}  // namespace

void Api::RegisterAccountRoutes() {
  const int depth = config_.max_json_depth;
  // ---- Sessions and identity ----
  Add(
      "POST", "/api/v1/auth/login", "Sign in; sets the session cookie, returns the CSRF token",
      true, "", Access::kWrite,
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

  Add("POST", "/api/v1/auth/logout", "Sign out (ends the session)", true, "", Access::kWrite,
      [this](Ctx& c, store::Tx& tx) -> Status {
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

  Add("GET", "/api/v1/me", "The signed-in user", false, "", Access::kRead,
      [](Ctx& c, store::Tx&) -> Status {
        Json me = MeJson(c.principal.user);
        if (c.principal.via_cookie) me["csrf_token"] = c.principal.csrf_token;
        SetJson(c, 200, me);
        return core::Ok();
      });

  Add("POST", "/api/v1/me/password", "Change one's password", true, "", Access::kWrite,
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

  Add("POST", "/api/v1/me/totp", "Start TOTP enrolment: a new secret to confirm", false, "",
      Access::kRead, [](Ctx& c, store::Tx&) -> Status {
        std::string secret = auth::GenerateTotpSecret();
        SetJson(c, 200,
                Json{{"secret", secret},
                     {"otpauth_uri", auth::TotpUri("ucsc", c.principal.user.username, secret)}});
        return core::Ok();
      });
  // The enrolment above needs CSRF too; it is a POST served read-only (no state change).
  Add("POST", "/api/v1/me/totp/confirm", "Turn TOTP on with the secret and a current code", true,
      "", Access::kWrite, [this, depth](Ctx& c, store::Tx& tx) -> Status {
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
  Add("GET", "/api/v1/tokens", "One's API tokens (never the secrets)", false, "", Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
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
  Add("POST", "/api/v1/tokens", "Create an API token (shown once)", true, "", Access::kWrite,
      [this, depth](Ctx& c, store::Tx& tx) -> Status {
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
            return core::InvalidArgument(R"(scopes are "read" and "write")", "/scopes");
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
  Add("DELETE", "/api/v1/tokens/{id}", "Revoke an API token", true, "", Access::kWrite,
      [this](Ctx& c, store::Tx& tx) -> Status {
        UCSC_RETURN_IF_ERROR(tx.Tokens().Delete(c.params["id"], c.principal.user.id));
        ForgetUser(c.principal.user.id);
        UCSC_RETURN_IF_ERROR(
            AppendAudit(tx, c, clock_.Now(), "token_revoke", "api_token", c.params["id"], "", ""));
        c.res.status = 204;
        return core::Ok();
      });
}

}  // namespace ucsc::server
