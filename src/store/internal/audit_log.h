// The hash-chained audit log (table audit_log): appends serialised against each other, reads in
// sequence order, and verification of the chain.
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class AuditLogImpl final : public AuditLog {
 public:
  AuditLogImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {}
  core::Result<core::AuditRecord> Append(core::AuditRecord r) override;
  core::Result<std::vector<core::AuditRecord>> List(int64_t after_seq, int limit) override;
  core::Result<AuditVerifyReport> Verify() override;

 private:
  SqlConnection& conn_;
  const Dialect& d_;
};

// SHA-256 hex of the audit record's canonical text chained to `prev_hash`.
std::string AuditHash(const std::string& prev_hash, const core::AuditRecord& r);

}  // namespace ucsc::store::internal
