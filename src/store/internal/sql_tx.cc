#include "store/internal/sql_tx.h"

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kSelectOrgParents = "SELECT id, parent_id FROM organisations";

}  // namespace

core::Result<std::vector<std::pair<std::string, std::string>>> SqlTx::OrgParentLinks() {
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectOrgParents, {}));
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.emplace_back(CellText(r[0]), CellText(r[1]));
  return out;
}

std::optional<uint64_t> SqlTx::DataVersion(std::span<const std::string_view> tables) {
  if (log_ == nullptr) return std::nullopt;
  const uint64_t last = log_->LastWrite(tables);
  // A later commit to one of the tables may or may not be in this transaction's view.
  if (last > begin_seq_) return std::nullopt;
  return last;
}

}  // namespace ucsc::store::internal
