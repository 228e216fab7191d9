// Scan authorisations, scan runs, hunt runs, findings and advisories: key columns beside the
// server's JSON document, one table each.
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class ScanRepoImpl final : public ScanRepo {
 public:
  ScanRepoImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}
  core::Status Insert(ScanTable table, const ScanRecord& r) override;
  core::Status Update(ScanTable table, const ScanRecord& r) override;
  core::Result<ScanRecord> Get(ScanTable table, const std::string& id, const Scope& scope) override;
  core::Result<std::vector<ScanRecord>> List(ScanTable table, const Scope& scope,
                                             const std::string& system_id, const std::string& state,
                                             const std::string& before_id, int limit) override;

 private:
  SqlConnection& conn_;
  const Dialect& d_;
};

}  // namespace ucsc::store::internal
