#include "store/internal/session_repo.h"

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, "
    "$2, $3, $4, $5)";
constexpr std::string_view kSelectSession =
    "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions WHERE "
    "token_hash = $1";
constexpr std::string_view kDeleteSession = "DELETE FROM sessions WHERE token_hash = $1";
constexpr std::string_view kDeleteUserSessions = "DELETE FROM sessions WHERE user_id = $1";
constexpr std::string_view kDeleteExpiredSessions = "DELETE FROM sessions WHERE expires_at <= $1";

}  // namespace

core::Status SessionRepoImpl::Insert(const core::Session& s) {
  std::vector<SqlParam> params{s.token_hash, s.user_id, s.csrf_token,
                               core::ToUnixMillis(s.created_at), core::ToUnixMillis(s.expires_at)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertSession, params));
  (void)n;
  return core::Ok();
}

core::Result<core::Session> SessionRepoImpl::Get(const std::string& token_hash) {
  std::vector<SqlParam> params{token_hash};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectSession, params));
  if (rows.empty()) return core::NotFound("session not found");
  const auto& r = rows[0];
  return core::Session{CellText(r[0]), CellText(r[1]), CellText(r[2]),
                       core::FromUnixMillis(CellInt(r[3])), core::FromUnixMillis(CellInt(r[4]))};
}

core::Status SessionRepoImpl::Delete(const std::string& token_hash) {
  std::vector<SqlParam> params{token_hash};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kDeleteSession, params));
  (void)n;
  return core::Ok();
}

core::Status SessionRepoImpl::DeleteForUser(const std::string& user_id) {
  std::vector<SqlParam> params{user_id};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kDeleteUserSessions, params));
  (void)n;
  return core::Ok();
}

core::Result<int64_t> SessionRepoImpl::DeleteExpired(core::Instant now) {
  std::vector<SqlParam> params{core::ToUnixMillis(now)};
  return conn_.Exec(kDeleteExpiredSessions, params);
}

}  // namespace ucsc::store::internal
