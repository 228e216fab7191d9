// Change events of information systems (table change_events; R3 reads them).
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class ChangeRepoImpl final : public ChangeRepo {
 public:
  explicit ChangeRepoImpl(SqlConnection& conn) : conn_(conn) {}
  core::Status Append(const core::ChangeEvent& e) override;
  core::Result<std::vector<core::ChangeEvent>> ListForSystem(const std::string& system_id,
                                                             int limit) override;

 private:
  SqlConnection& conn_;
};

}  // namespace ucsc::store::internal
