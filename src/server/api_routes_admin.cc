// The platform's administration routes: users (the administrator's), the audit log and the job
// queue.
#include <algorithm>

#include "auth/password.h"
#include "auth/random.h"
#include "capability/crud.h"
#include "server/api.h"
#include "server/internal/api_internal.h"

namespace ucsc::server {
namespace {

constexpr int kMaxLimit = 500;  // audit records in one page

}  // namespace

void Api::RegisterAdminRoutes() {
  const int depth = config_.max_json_depth;
  // ---- Users (admin) ----
  Add("GET", "/api/v1/users", "List users", false, "users", Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto users, tx.Users().List(c.scope));
        Json items = Json::array();
        for (const auto& u : users) items.push_back(codec::ToJson(u));
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });
  Add("POST", "/api/v1/users", "Create a user with a one-time password", true, "users",
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
        UCSC_RETURN_IF_ERROR(capability::CheckOrgRef(tx, c, u.org_id, "/org_id"));
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
  Add("GET", "/api/v1/audit", "Audit log records (after=SEQ, limit)", false, "audit", Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
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
  Add("GET", "/api/v1/audit/verify", "Verify the audit hash chain", false, "audit", Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto report, tx.Audit().Verify());
        SetJson(
            c, 200,
            Json{{"ok", report.ok()}, {"records", report.records}, {"problems", report.problems}});
        return core::Ok();
      });
  Add("GET", "/api/v1/jobs", "Recent background jobs", false, "jobs", Access::kRead,
      [](Ctx& c, store::Tx& tx) -> Status {
        UCSC_ASSIGN_OR_RETURN(auto jobs, tx.Jobs().List(100));
        Json items = Json::array();
        for (const auto& j : jobs) items.push_back(codec::ToJson(j));
        SetJson(c, 200, Json{{"items", items}, {"next_cursor", nullptr}});
        return core::Ok();
      });
}

}  // namespace ucsc::server
