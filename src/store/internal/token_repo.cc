#include "store/internal/token_repo.h"

#include "store/internal/sql_util.h"

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kInsertToken =
    "INSERT INTO api_tokens (id, user_id, name, token_hash, scopes, expires_at, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectTokens =
    "SELECT id, user_id, name, token_hash, scopes, expires_at, created_at FROM api_tokens";
constexpr std::string_view kDeleteToken = "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2";

core::Result<core::ApiToken> TokenFromRow(const SqlRow& r) {
  core::ApiToken t{CellText(r[0]),
                   CellText(r[1]),
                   CellText(r[2]),
                   CellText(r[3]),
                   {},
                   core::FromUnixMillis(CellInt(r[5])),
                   core::FromUnixMillis(CellInt(r[6]))};
  UCSC_ASSIGN_OR_RETURN(auto scopes, codec::ParseJson(CellText(r[4])));
  if (!scopes.is_array()) return core::Internal("corrupt token scopes");
  for (const auto& s : scopes) {
    if (s.is_string()) t.scopes.push_back(s.get<std::string>());
  }
  return t;
}

}  // namespace

core::Status TokenRepoImpl::Insert(const core::ApiToken& t) {
  std::vector<SqlParam> params{t.id,
                               t.user_id,
                               t.name,
                               t.token_hash,
                               JsonArray(t.scopes),
                               core::ToUnixMillis(t.expires_at),
                               core::ToUnixMillis(t.created_at)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertToken, params));
  (void)n;
  return core::Ok();
}

core::Result<core::ApiToken> TokenRepoImpl::GetByHash(const std::string& token_hash) {
  std::vector<SqlParam> params{token_hash};
  UCSC_ASSIGN_OR_RETURN(auto rows,
                        conn_.Query(std::string(kSelectTokens) + " WHERE token_hash = $1", params));
  if (rows.empty()) return core::NotFound("token not found");
  return TokenFromRow(rows[0]);
}

core::Result<std::vector<core::ApiToken>> TokenRepoImpl::ListForUser(const std::string& user_id) {
  std::vector<SqlParam> params{user_id};
  UCSC_ASSIGN_OR_RETURN(
      auto rows,
      conn_.Query(std::string(kSelectTokens) + " WHERE user_id = $1 ORDER BY created_at", params));
  std::vector<core::ApiToken> out;
  for (const auto& r : rows) {
    UCSC_ASSIGN_OR_RETURN(auto t, TokenFromRow(r));
    out.push_back(std::move(t));
  }
  return out;
}

core::Status TokenRepoImpl::Delete(const std::string& id, const std::string& user_id) {
  std::vector<SqlParam> params{id, user_id};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kDeleteToken, params));
  if (n == 0) return core::NotFound("token not found");
  return core::Ok();
}

}  // namespace ucsc::store::internal
