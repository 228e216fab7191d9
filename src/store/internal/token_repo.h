// API tokens (table api_tokens), keyed by the hash of the token.
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class TokenRepoImpl final : public TokenRepo {
 public:
  explicit TokenRepoImpl(SqlConnection& conn) : conn_(conn) {}
  core::Status Insert(const core::ApiToken& t) override;
  core::Result<core::ApiToken> GetByHash(const std::string& token_hash) override;
  core::Result<std::vector<core::ApiToken>> ListForUser(const std::string& user_id) override;
  core::Status Delete(const std::string& id, const std::string& user_id) override;

 private:
  SqlConnection& conn_;
};

}  // namespace ucsc::store::internal
