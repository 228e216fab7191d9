// Accounts (table users): key columns beside the stored JSON document.
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class UserRepoImpl final : public UserRepo {
 public:
  UserRepoImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}
  core::Result<core::User> GetById(const std::string& id) override;
  core::Result<core::User> GetByUsername(const std::string& username) override;
  core::Result<std::vector<core::User>> List(const Scope& scope) override;
  core::Status Insert(const core::User& u) override;
  core::Status Update(const core::User& u) override;

 private:
  core::Result<core::User> One(std::string_view sql, const std::string& arg);
  SqlConnection& conn_;
  const Dialect& d_;
};

}  // namespace ucsc::store::internal
