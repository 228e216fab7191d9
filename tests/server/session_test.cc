// Sessions and security: cookies, failed and throttled sign-ins, TOTP, session expiry, CSRF,
// API tokens and the security headers.
#include <gtest/gtest.h>

#include "auth/totp.h"
#include "server/api_test_util.h"

namespace ucsc::server::testing {
namespace {

using core::Role;

class ApiSession : public ::testing::TestWithParam<std::string> {
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
  }

  Response Login(const std::string& username, const std::string& password,
                 const std::string& totp = "", bool tls = false) {
    Client c = h_.Anonymous();
    c.tls = tls;
    Json body{{"username", username}, {"password", password}};
    if (!totp.empty()) body["totp_code"] = totp;
    return c.Post("/api/v1/auth/login", body);
  }
  Json NewSystem(const std::string& name) {
    return Json{{"name", name}, {"owner_org_id", syt_}, {"level", 2}};
  }
  int64_t Count(const std::string& action) {
    int64_t n = 0;
    for (const auto& r : h_.AuditRecords()) n += r.action == action;
    return n;
  }

  ApiHarness h_;
  std::string syt_;
};

TEST_P(ApiSession, LoginSetsAnHttpOnlySameSiteStrictCookie) {
  const auto& cred = h_.Credential(Role::kOrgStaff);
  Response r = Login(cred.username, cred.password);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.Header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("ucsc_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "no Secure without TLS: " << cookie;
  Json body = Body(r);
  EXPECT_FALSE(body["csrf_token"].get<std::string>().empty());
  EXPECT_EQ(body["must_change_password"], true);
  EXPECT_EQ(body["user"]["username"], cred.username);
  EXPECT_FALSE(body["user"].contains("password_hash"));
  EXPECT_FALSE(body["user"].contains("totp_secret"));
  EXPECT_EQ(Count("login"), 1);
}

TEST_P(ApiSession, LoginOverTlsSetsASecureCookie) {
  const auto& cred = h_.Credential(Role::kOrgStaff);
  Response r = Login(cred.username, cred.password, "", /*tls=*/true);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.Header("Set-Cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
}

TEST_P(ApiSession, WrongPasswordIs401AndAuditedAsLoginFailed) {
  const auto& cred = h_.Credential(Role::kOrgStaff);
  Response r = Login(cred.username, cred.password + "x");
  EXPECT_TRUE(IsProblem(r, 401));
  EXPECT_TRUE(r.Header("Set-Cookie").empty());
  auto records = h_.AuditRecords();
  ASSERT_FALSE(records.empty());
  const auto& last = records.back();
  EXPECT_EQ(last.action, "login_failed");
  EXPECT_EQ(last.object_id, h_.User(cred.username).id);
  EXPECT_NE(last.after.find(cred.username), std::string::npos);
  // An unknown user reads the same and is audited too.
  Response unknown = Login("khong.ton.tai", "Mat-khau-bat-ky-1");
  EXPECT_TRUE(IsProblem(unknown, 401));
  EXPECT_EQ(Body(unknown)["detail"], Body(r)["detail"]);
  EXPECT_EQ(Count("login_failed"), 2);
}

TEST_P(ApiSession, FiveFailuresLockTheAccountWith429AndRetryAfter) {
  const auto& cred = h_.Credential(Role::kOrgManager);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(IsProblem(Login(cred.username, "sai-mat-khau-" + std::to_string(i)), 401));
  }
  // Locked: even the right password is refused for now.
  Response locked = Login(cred.username, cred.password);
  EXPECT_TRUE(IsProblem(locked, 429));
  const std::string retry = locked.Header("Retry-After");
  ASSERT_FALSE(retry.empty());
  const int seconds = std::stoi(retry);
  EXPECT_GT(seconds, 0);
  EXPECT_LE(seconds, 15 * 60);
  EXPECT_TRUE(locked.Header("Set-Cookie").empty());
  // Other accounts are not locked by it.
  const auto& other = h_.Credential(Role::kOrgStaff);
  EXPECT_EQ(Login(other.username, other.password).status, 200);
  // Retry-After tells the truth: just before it the account is still locked, at it the lock ends.
  h_.clock().Advance(std::chrono::seconds(seconds - 2));
  EXPECT_TRUE(IsProblem(Login(cred.username, cred.password), 429));
  h_.clock().Advance(std::chrono::seconds(2));
  EXPECT_EQ(Login(cred.username, cred.password).status, 200);
}

TEST_P(ApiSession, TotpEnrolmentThenLoginNeedsTheCode) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response start = staff.Post("/api/v1/me/totp", Json::object());
  ASSERT_EQ(start.status, 200) << start.body;
  const std::string secret = Body(start)["secret"];
  EXPECT_EQ(Body(start)["otpauth_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u);
  auto key = auth::Base32Decode(secret);
  ASSERT_TRUE(key);
  // Starting the enrolment changes nothing yet.
  EXPECT_EQ(Body(staff.Get("/api/v1/me"))["totp_enabled"], false);
  // A wrong code does not turn it on.
  std::string code = auth::TotpCode(*key, h_.clock().Now());
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_TRUE(
      IsProblem(staff.Post("/api/v1/me/totp/confirm",
                           Json{{"secret", secret}, {"code", wrong}, {"password", kNewPassword}}),
                400, "/code"));
  Response confirm =
      staff.Post("/api/v1/me/totp/confirm",
                 Json{{"secret", secret}, {"code", code}, {"password", kNewPassword}});
  ASSERT_EQ(confirm.status, 204) << confirm.body;
  EXPECT_EQ(Body(staff.Get("/api/v1/me"))["totp_enabled"], true);

  h_.clock().Advance(std::chrono::seconds(90));
  Response without = Login(staff.username, kNewPassword);
  EXPECT_TRUE(IsProblem(without, 401));
  // The answer does not say whether the account has a second factor.
  EXPECT_EQ(Body(without)["detail"], Body(Login(staff.username, "Sai-mat-khau-9!"))["detail"]);
  EXPECT_TRUE(IsProblem(Login(staff.username, kNewPassword, wrong), 401));
  // A code from long ago is refused.
  const std::string old = auth::TotpCode(*key, h_.clock().Now() - std::chrono::minutes(10));
  EXPECT_TRUE(IsProblem(Login(staff.username, kNewPassword, old), 401));
  Response with = Login(staff.username, kNewPassword, auth::TotpCode(*key, h_.clock().Now()));
  EXPECT_EQ(with.status, 200) << with.body;
  // The right code with the wrong password is still refused.
  EXPECT_TRUE(IsProblem(
      Login(staff.username, "Sai-mat-khau-9!", auth::TotpCode(*key, h_.clock().Now())), 401));
}

TEST_P(ApiSession, TotpCodeIsAcceptedOnlyOnce) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  const std::string secret = Body(staff.Post("/api/v1/me/totp", Json::object()))["secret"];
  auto key = auth::Base32Decode(secret);
  ASSERT_TRUE(key);
  const std::string confirm_code = auth::TotpCode(*key, h_.clock().Now());
  ASSERT_EQ(staff
                .Post("/api/v1/me/totp/confirm",
                      Json{{"secret", secret}, {"code", confirm_code}, {"password", kNewPassword}})
                .status,
            204);
  // The code that confirmed the enrolment cannot sign in.
  EXPECT_TRUE(IsProblem(Login(staff.username, kNewPassword, confirm_code), 401));
  h_.clock().Advance(std::chrono::seconds(30));
  const std::string code = auth::TotpCode(*key, h_.clock().Now());
  EXPECT_EQ(Login(staff.username, kNewPassword, code).status, 200);
  // Replaying the same code within its window is refused.
  EXPECT_TRUE(IsProblem(Login(staff.username, kNewPassword, code), 401));
  h_.clock().Advance(std::chrono::seconds(30));
  EXPECT_EQ(Login(staff.username, kNewPassword, auth::TotpCode(*key, h_.clock().Now())).status,
            200);
}

TEST_P(ApiSession, PasswordChangeEndsTheOtherSessions) {
  Client first = h_.SignIn(Role::kOrgStaff);
  Client second = h_.SignInAs(first.username, kNewPassword);
  ASSERT_EQ(second.Get("/api/v1/me").status, 200);
  const std::string newer = "Mat-khau-moi-hon-2027!";
  ASSERT_EQ(first
                .Post("/api/v1/me/password",
                      Json{{"current_password", kNewPassword}, {"new_password", newer}})
                .status,
            204);
  EXPECT_EQ(first.Get("/api/v1/me").status, 200);  // the session that changed it stays
  EXPECT_TRUE(IsProblem(second.Get("/api/v1/me"), 401));
  EXPECT_EQ(Login(first.username, newer).status, 200);
  EXPECT_TRUE(IsProblem(Login(first.username, kNewPassword), 401));
}

TEST_P(ApiSession, PasswordChangeRevokesApiTokensAndTokensCannotMintTokens) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response created =
      staff.Post("/api/v1/tokens", Json{{"name", "may-tinh"}, {"scopes", {"read", "write"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client bot = h_.Anonymous();
  bot.bearer = Body(created)["token"];
  EXPECT_EQ(bot.Get("/api/v1/me").status, 200);
  EXPECT_TRUE(
      IsProblem(bot.Post("/api/v1/tokens", Json{{"name", "con"}, {"scopes", {"read"}}}), 403));
  const std::string newer = "Mat-khau-moi-hon-2027!";
  ASSERT_EQ(staff
                .Post("/api/v1/me/password",
                      Json{{"current_password", kNewPassword}, {"new_password", newer}})
                .status,
            204);
  EXPECT_TRUE(IsProblem(bot.Get("/api/v1/me"), 401));
}

TEST_P(ApiSession, SessionExpiresAfterEightHours) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  h_.clock().Advance(std::chrono::hours(8) - std::chrono::minutes(1));
  EXPECT_EQ(staff.Get("/api/v1/me").status, 200);
  h_.clock().Advance(std::chrono::minutes(1));
  EXPECT_TRUE(IsProblem(staff.Get("/api/v1/me"), 401));
  EXPECT_TRUE(IsProblem(
      staff.Post("/api/v1/tasks", Json{{"title", "Sau giờ"}, {"org_id", syt_}, {"kind", "other"}}),
      401));
}

TEST_P(ApiSession, ForgedOrMissingCookieIs401) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client forged = staff;
  forged.cookie = "gia-mao-" + staff.cookie.substr(0, 10);
  EXPECT_TRUE(IsProblem(forged.Get("/api/v1/me"), 401));
  forged.cookie = staff.csrf;  // the CSRF token is not a session
  EXPECT_TRUE(IsProblem(forged.Get("/api/v1/me"), 401));
  Client none = staff;
  none.cookie.clear();
  EXPECT_TRUE(IsProblem(none.Get("/api/v1/me"), 401));
  EXPECT_EQ(staff.Get("/api/v1/me").status, 200);
}

TEST_P(ApiSession, LogoutEndsTheSession) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Response out = staff.Post("/api/v1/auth/logout", Json::object());
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_TRUE(IsProblem(staff.Get("/api/v1/me"), 401));
}

TEST_P(ApiSession, MustChangePasswordBlocksWritesUntilChanged) {
  const auto& cred = h_.Credential(Role::kOrgManager);
  Client manager = h_.SignInAs(cred.username, cred.password);
  const std::string before = h_.Dump();
  EXPECT_TRUE(IsProblem(manager.Post("/api/v1/systems", NewSystem("Hệ thống chờ")), 403));
  EXPECT_EQ(h_.Dump(), before);
  EXPECT_EQ(manager.Get("/api/v1/systems").status, 200);  // reading is fine
  // A weak new password is refused, naming the field.
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/me/password",
                             Json{{"current_password", cred.password}, {"new_password", "ngan"}}),
                400, "/new_password"));
  EXPECT_TRUE(IsProblem(manager.Post("/api/v1/me/password", Json{{"current_password", "sai"},
                                                                 {"new_password", kNewPassword}}),
                        400, "/current_password"));
  ASSERT_EQ(manager
                .Post("/api/v1/me/password",
                      Json{{"current_password", cred.password}, {"new_password", kNewPassword}})
                .status,
            204);
  EXPECT_EQ(manager.Post("/api/v1/systems", NewSystem("Hệ thống sau đổi mật khẩu")).status, 201);
  // The old password no longer signs in; the new one does.
  EXPECT_TRUE(IsProblem(Login(cred.username, cred.password), 401));
  EXPECT_EQ(Login(cred.username, kNewPassword).status, 200);
}

TEST_P(ApiSession, DisabledUserIsSignedOut) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  ASSERT_TRUE(h_.store().Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto u, tx.Users().GetByUsername(staff.username));
    u.disabled = true;
    u.version += 1;
    return tx.Users().Update(u);
  }));
  // Servers may reuse a resolved session for a short while (ApiConfig::principal_cache_ttl).
  h_.clock().Advance(ApiConfig{}.principal_cache_ttl + std::chrono::milliseconds(1));
  EXPECT_TRUE(IsProblem(staff.Get("/api/v1/me"), 401));
  EXPECT_TRUE(IsProblem(Login(staff.username, kNewPassword), 401));
}

// ---- CSRF ----------------------------------------------------------------------------------

TEST_P(ApiSession, MissingOrWrongCsrfTokenIs403AndWritesNothing) {
  Client manager = h_.SignIn(Role::kOrgManager);
  auto sys = h_.InsertSystem("Hệ thống quản lý bệnh viện", syt_);
  const std::string before = h_.Dump();
  for (const std::string& token :
       {std::string(), std::string("sai-token"), manager.csrf.substr(0, manager.csrf.size() - 1)}) {
    SCOPED_TRACE("X-CSRF-Token: '" + token + "'");
    Client c = manager;
    c.send_csrf = false;
    Request post;
    post.method = "POST";
    post.path = "/api/v1/systems";
    post.body = NewSystem("Hệ thống giả mạo").dump();
    post.headers["content-type"] = "application/json";
    if (!token.empty()) post.headers["x-csrf-token"] = token;
    EXPECT_TRUE(IsProblem(c.Send(post), 403));

    Request patch = post;
    patch.method = "PATCH";
    patch.path = "/api/v1/systems/" + sys.id;
    patch.body = Json{{"level", 5}}.dump();
    patch.headers["if-match"] = "\"1\"";
    EXPECT_TRUE(IsProblem(c.Send(patch), 403));

    Request del;
    del.method = "DELETE";
    del.path = "/api/v1/systems/" + sys.id;
    del.headers["if-match"] = "\"1\"";
    if (!token.empty()) del.headers["x-csrf-token"] = token;
    EXPECT_TRUE(IsProblem(c.Send(del), 403));

    Request logout;
    logout.method = "POST";
    logout.path = "/api/v1/auth/logout";
    if (!token.empty()) logout.headers["x-csrf-token"] = token;
    EXPECT_TRUE(IsProblem(c.Send(logout), 403));
  }
  EXPECT_EQ(h_.Dump(), before);
  // Another session's token does not fit this session.
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client mixed = manager;
  mixed.csrf = staff.csrf;
  const std::string before2 = h_.Dump();
  EXPECT_TRUE(IsProblem(mixed.Post("/api/v1/systems", NewSystem("Hệ thống trộn")), 403));
  EXPECT_EQ(h_.Dump(), before2);
  // Reads need no token, and with the right token the write goes through.
  Client reader = manager;
  reader.send_csrf = false;
  EXPECT_EQ(reader.Get("/api/v1/systems/" + sys.id).status, 200);
  EXPECT_EQ(manager.Post("/api/v1/systems", NewSystem("Hệ thống hợp lệ")).status, 201);
}

// ---- API tokens ----------------------------------------------------------------------------

TEST_P(ApiSession, WriteTokenWorksWithoutCookieOrCsrf) {
  Client manager = h_.SignIn(Role::kOrgManager);
  Response created =
      manager.Post("/api/v1/tokens", Json{{"name", "Đồng bộ CMDB"}, {"scopes", {"read", "write"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json t = Body(created);
  const std::string secret = t["token"];
  EXPECT_EQ(secret.rfind("ucsc_", 0), 0u);
  // The secret is shown once: the list never has it.
  Response list = manager.Get("/api/v1/tokens");
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(Body(list)["items"][0]["name"], "Đồng bộ CMDB");

  Client bot = h_.Anonymous();
  bot.bearer = secret;
  Response made = bot.Post("/api/v1/systems", NewSystem("Hệ thống từ CMDB"));
  EXPECT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(bot.Get("/api/v1/me").status, 200);
  // The audit names the token.
  auto records = h_.AuditRecords();
  EXPECT_NE(records.back().actor.find("Đồng bộ CMDB"), std::string::npos) << records.back().actor;
  // The token keeps the user's role limits: a manager's token cannot read the audit log.
  EXPECT_TRUE(IsProblem(bot.Get("/api/v1/audit"), 403));
  // A wrong secret is no token.
  bot.bearer = secret + "x";
  EXPECT_TRUE(IsProblem(bot.Get("/api/v1/me"), 401));
}

TEST_P(ApiSession, ReadOnlyTokenIsRefusedOnWrites) {
  Client manager = h_.SignIn(Role::kOrgManager);
  Response created =
      manager.Post("/api/v1/tokens", Json{{"name", "Báo cáo"}, {"scopes", {"read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client bot = h_.Anonymous();
  bot.bearer = Body(created)["token"];
  EXPECT_EQ(bot.Get("/api/v1/systems").status, 200);
  const std::string before = h_.Dump();
  EXPECT_TRUE(IsProblem(bot.Post("/api/v1/systems", NewSystem("Không được tạo")), 403));
  EXPECT_TRUE(IsProblem(
      bot.Post("/api/v1/tokens", Json{{"name", "leo thang"}, {"scopes", {"write"}}}), 403));
  EXPECT_EQ(h_.Dump(), before);
  // Scopes are "read" and "write" only.
  EXPECT_TRUE(IsProblem(manager.Post("/api/v1/tokens", Json{{"name", "x"}, {"scopes", {"admin"}}}),
                        400, "/scopes"));
  EXPECT_TRUE(
      IsProblem(manager.Post("/api/v1/tokens",
                             Json{{"name", "x"}, {"scopes", {"read"}}, {"expires_in_days", 0}}),
                400, "/expires_in_days"));
}

TEST_P(ApiSession, ExpiredTokenIs401) {
  Client manager = h_.SignIn(Role::kOrgManager);
  Response created = manager.Post(
      "/api/v1/tokens", Json{{"name", "Ngắn hạn"}, {"scopes", {"read"}}, {"expires_in_days", 1}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client bot = h_.Anonymous();
  bot.bearer = Body(created)["token"];
  EXPECT_EQ(bot.Get("/api/v1/me").status, 200);
  h_.clock().Advance(std::chrono::hours(24));
  EXPECT_TRUE(IsProblem(bot.Get("/api/v1/me"), 401));
}

TEST_P(ApiSession, RevokedTokenIs401) {
  Client manager = h_.SignIn(Role::kOrgManager);
  Response created =
      manager.Post("/api/v1/tokens", Json{{"name", "Sẽ thu hồi"}, {"scopes", {"write"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client bot = h_.Anonymous();
  bot.bearer = Body(created)["token"];
  EXPECT_EQ(bot.Get("/api/v1/me").status, 200);
  Response revoked =
      manager.Delete("/api/v1/tokens/" + Body(created)["id"].get<std::string>(), std::nullopt);
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_TRUE(IsProblem(bot.Get("/api/v1/me"), 401));
  EXPECT_TRUE(IsProblem(bot.Post("/api/v1/systems", NewSystem("Sau thu hồi")), 401));
  EXPECT_TRUE(Body(manager.Get("/api/v1/tokens"))["items"].empty());
  EXPECT_EQ(Count("token_revoke"), 1);
}

// ---- Security headers ----------------------------------------------------------------------

TEST_P(ApiSession, SecurityHeadersOnEveryAnswer) {
  Client staff = h_.SignIn(Role::kOrgStaff);
  Client anonymous = h_.Anonymous();
  std::vector<Response> answers = {
      staff.Get("/api/v1/me"),                                             // 200
      anonymous.Get("/api/v1/me"),                                         // 401
      staff.Get("/api/v1/users"),                                          // 403
      staff.Get("/api/v1/khong-co"),                                       // 404
      anonymous.PostRaw("/api/v1/auth/login", std::string(2 << 20, 'x')),  // 413
  };
  for (const auto& r : answers) {
    SCOPED_TRACE(std::to_string(r.status));
    const std::string csp = r.Header("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    EXPECT_TRUE(r.Header("Strict-Transport-Security").empty()) << "HSTS only over TLS";
  }
  Client secure = staff;
  secure.tls = true;
  for (const auto& r : {secure.Get("/api/v1/me"), secure.Get("/api/v1/khong-co")}) {
    EXPECT_NE(r.Header("Strict-Transport-Security").find("max-age="), std::string::npos);
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiSession, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ucsc::server::testing
