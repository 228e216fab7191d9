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

}  // namespace ucsc::store::internal
