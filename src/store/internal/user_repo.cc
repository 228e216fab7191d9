#include "store/internal/user_repo.h"

#include "store/internal/sql_util.h"

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kSelectUserById = "SELECT doc FROM users WHERE id = $1";
constexpr std::string_view kSelectUserByName = "SELECT doc FROM users WHERE username = $1";
constexpr std::string_view kSelectUsers = "SELECT doc FROM users WHERE 1 = 1";
constexpr std::string_view kInsertUser =
    "INSERT INTO users (id, username, org_id, role, version, doc, created_at, updated_at) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8)";
constexpr std::string_view kUpdateUser =
    "UPDATE users SET username = $1, org_id = $2, role = $3, version = $4, doc = $5, updated_at "
    "= $6 WHERE id = $7 AND version = $8";

}  // namespace

core::Result<core::User> UserRepoImpl::GetById(const std::string& id) {
  return One(kSelectUserById, id);
}

core::Result<core::User> UserRepoImpl::GetByUsername(const std::string& username) {
  return One(kSelectUserByName, username);
}

core::Result<std::vector<core::User>> UserRepoImpl::List(const Scope& scope) {
  std::string sql(kSelectUsers);
  std::vector<SqlParam> params;
  AppendScope(d_, scope, {"org_id"}, sql, params);
  sql += " ORDER BY username";
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
  std::vector<core::User> out;
  for (const auto& row : rows) {
    UCSC_ASSIGN_OR_RETURN(auto u, DecodeDoc<core::User>(row[0]));
    out.push_back(std::move(u));
  }
  return out;
}

core::Status UserRepoImpl::Insert(const core::User& u) {
  std::vector<SqlParam> params{u.id,
                               u.username,
                               u.org_id,
                               std::string(core::RoleName(u.role)),
                               u.version,
                               codec::ToStoredJson(u).dump(),
                               core::ToUnixMillis(u.created_at),
                               core::ToUnixMillis(u.updated_at)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertUser, params));
  (void)n;
  return core::Ok();
}

core::Status UserRepoImpl::Update(const core::User& u) {
  std::vector<SqlParam> params{u.username,
                               u.org_id,
                               std::string(core::RoleName(u.role)),
                               u.version,
                               codec::ToStoredJson(u).dump(),
                               core::ToUnixMillis(u.updated_at),
                               u.id,
                               u.version - 1};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kUpdateUser, params));
  if (n == 1) return core::Ok();
  auto existing = GetById(u.id);
  if (!existing) return tl::unexpected(existing.error());
  return core::MakeError(core::ErrorCode::kConflict, "user was changed by someone else");
}

core::Result<core::User> UserRepoImpl::One(std::string_view sql, const std::string& arg) {
  std::vector<SqlParam> params{arg};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
  if (rows.empty()) return core::NotFound("user not found");
  return DecodeDoc<core::User>(rows[0][0]);
}

}  // namespace ucsc::store::internal
