#include "store/internal/sql_util.h"

namespace ucsc::store::internal {

std::string JsonArray(const std::vector<std::string>& items) { return codec::Json(items).dump(); }

std::string Placeholder(int n) { return "$" + std::to_string(n); }

std::string LikeContains(std::string_view folded) {
  std::string out = "%";
  for (char c : folded) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  out += '%';
  return out;
}

void AppendScope(const Dialect& d, const Scope& scope, const std::vector<std::string_view>& columns,
                 std::string& sql, std::vector<SqlParam>& params) {
  if (scope.all) return;
  params.emplace_back(JsonArray(scope.org_ids));
  int n = static_cast<int>(params.size());
  sql += " AND (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += " OR ";
    sql += d.in_json_list(columns[i], n);
  }
  sql += ")";
}

}  // namespace ucsc::store::internal
