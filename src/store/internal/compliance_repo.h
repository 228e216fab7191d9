// Set-wise reads for compliance evaluation (evidence key columns, system changes), the daily
// snapshots (table compliance_snapshots) and the reminder log (table reminders).
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class ComplianceRepoImpl final : public ComplianceRepo {
 public:
  explicit ComplianceRepoImpl(SqlConnection& conn) : conn_(conn) {}
  core::Result<std::vector<EvidenceRow>> EvidenceRows(const std::string& since) override;
  core::Result<std::vector<std::pair<std::string, core::Instant>>> SystemChanges() override;
  core::Status PutSnapshots(const std::vector<ComplianceSnapshot>& snaps) override;
  core::Result<std::vector<ComplianceSnapshot>> Snapshots(const std::string& org_id,
                                                          const std::string& from,
                                                          const std::string& to) override;
  core::Result<std::vector<std::string>> ReminderKeys() override;
  core::Result<bool> RecordReminder(const std::string& key, const std::string& detail,
                                    core::Instant at) override;

 private:
  SqlConnection& conn_;
};

}  // namespace ucsc::store::internal
