// Logical backup: Dump writes every table of AllTables() as JSON lines, Load reads them back into
// an empty store.
#include <functional>
#include <map>
#include <set>

#include "codec/json_reader.h"
#include "store/internal/sql_store.h"
#include "store/internal/sql_util.h"

namespace ucsc::store::internal {
namespace {

using core::Result;
using core::Status;

// Orders organisation rows so that every parent precedes its children.
void SortParentsFirst(std::vector<SqlRow>& rows) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) index[CellText(rows[i][0])] = i;
  std::vector<SqlRow> out;
  std::set<std::string> placed;
  std::function<void(size_t, int)> place = [&](size_t i, int depth) {
    const std::string id = CellText(rows[i][0]);
    if (placed.contains(id) || depth > 1000) return;
    auto parent = rows[i][1];
    if (parent && index.contains(*parent)) place(index[*parent], depth + 1);
    if (placed.insert(id).second) out.push_back(rows[i]);
  };
  for (size_t i = 0; i < rows.size(); ++i) place(i, 0);
  rows = std::move(out);
}

}  // namespace

Status SqlStore::Dump(const std::function<Status(std::string_view)>& sink) {
  {
    UCSC_ASSIGN_OR_RETURN(auto conn, Acquire());
    Status st = conn->Begin(false);
    for (const TableDef* tp : AllTables()) {
      const TableDef& t = *tp;
      if (!st) break;
      std::string cols;
      for (const auto& c : t.columns) cols += (cols.empty() ? "" : ", ") + c;
      auto rows =
          conn->Query("SELECT " + cols + " FROM " + t.name + " ORDER BY " + t.columns[0], {});
      if (!rows) {
        st = tl::unexpected(rows.error());
        break;
      }
      if (t.name == "organisations") SortParentsFirst(*rows);
      for (const auto& row : *rows) {
        codec::Json obj = codec::Json::object();
        for (size_t i = 0; i < t.columns.size(); ++i) {
          obj[t.columns[i]] = row[i] ? codec::Json(*row[i]) : codec::Json(nullptr);
        }
        codec::Json line{{"table", t.name}, {"row", obj}};
        st = sink(line.dump());
        if (!st) break;
      }
    }
    conn->Rollback();
    Release(std::move(conn));
    log_.Committed({"*"});  // every table may have new rows
    return st;
  }
}

Status SqlStore::Load(const std::function<Result<bool>(std::string&)>& next_line) {
  {
    UCSC_ASSIGN_OR_RETURN(auto conn, Acquire());
    Status st = conn->Begin(true);
    std::map<std::string, const TableDef*, std::less<>> by_name;
    for (const TableDef* t : AllTables()) by_name[t->name] = t;
    std::string line;
    int64_t line_no = 0;
    while (st) {
      auto more = next_line(line);
      if (!more) {
        st = tl::unexpected(more.error());
        break;
      }
      if (!*more) break;
      ++line_no;
      if (line.empty()) continue;
      auto j = codec::ParseJson(line);
      if (!j || !j->is_object() || !(*j)["table"].is_string() || !(*j)["row"].is_object()) {
        st = core::InvalidArgument("backup line " + std::to_string(line_no) + " is malformed");
        break;
      }
      auto it = by_name.find((*j)["table"].get<std::string>());
      if (it == by_name.end()) {
        st = core::InvalidArgument("backup line " + std::to_string(line_no) +
                                   " names an unknown table");
        break;
      }
      const auto& t = *it->second;
      std::string cols, vals;
      std::vector<SqlParam> params;
      for (const auto& c : t.columns) {
        const auto& v = (*j)["row"][c];
        params.push_back(v.is_string() ? SqlParam(v.get<std::string>()) : SqlParam(nullptr));
        cols += (cols.empty() ? "" : ", ") + c;
        vals += (vals.empty() ? "" : ", ") + Placeholder(static_cast<int>(params.size()));
      }
      auto n =
          conn->Exec("INSERT INTO " + t.name + " (" + cols + ") VALUES (" + vals + ")", params);
      if (!n) {
        st = core::MakeError(n.error().code,
                             "backup line " + std::to_string(line_no) + ": " + n.error().message);
      }
    }
    if (st) {
      st = conn->Commit();
    } else {
      conn->Rollback();
    }
    Release(std::move(conn));
    return st;
  }
}

}  // namespace ucsc::store::internal
