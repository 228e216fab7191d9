// Login sessions (table sessions), keyed by the hash of the session token.
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class SessionRepoImpl final : public SessionRepo {
 public:
  explicit SessionRepoImpl(SqlConnection& conn) : conn_(conn) {}
  core::Status Insert(const core::Session& s) override;
  core::Result<core::Session> Get(const std::string& token_hash) override;
  core::Status Delete(const std::string& token_hash) override;
  core::Status DeleteForUser(const std::string& user_id) override;
  core::Result<int64_t> DeleteExpired(core::Instant now) override;

 private:
  SqlConnection& conn_;
};

}  // namespace ucsc::store::internal
