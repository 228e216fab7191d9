#include "store/internal/change_repo.h"

#include <algorithm>

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kInsertChange =
    "INSERT INTO change_events (id, system_id, field, before_json, after_json, actor, at) VALUES "
    "($1, $2, $3, $4, $5, $6, $7)";
constexpr std::string_view kSelectSystemChanges =
    "SELECT id, system_id, field, before_json, after_json, actor, at FROM change_events WHERE "
    "system_id = $1 ORDER BY at DESC, id DESC LIMIT $2";

}  // namespace

core::Status ChangeRepoImpl::Append(const core::ChangeEvent& e) {
  std::vector<SqlParam> params{
      e.id, e.system_id, e.field, e.before, e.after, e.actor, core::ToUnixMillis(e.at)};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertChange, params));
  (void)n;
  return core::Ok();
}

core::Result<std::vector<core::ChangeEvent>> ChangeRepoImpl::ListForSystem(
    const std::string& system_id, int limit) {
  std::vector<SqlParam> params{system_id, int64_t{std::clamp(limit, 1, 10000)}};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectSystemChanges, params));
  std::vector<core::ChangeEvent> out;
  for (const auto& r : rows) {
    out.push_back(core::ChangeEvent{CellText(r[0]), CellText(r[1]), CellText(r[2]), CellText(r[3]),
                                    CellText(r[4]), CellText(r[5]),
                                    core::FromUnixMillis(CellInt(r[6]))});
  }
  return out;
}

}  // namespace ucsc::store::internal
