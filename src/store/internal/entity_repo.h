// The inventory repository (organisations, systems, assets, contacts, IR team, tasks, evidence),
// written once over EntityTraits: the key columns beside the JSON document, keyset pages in
// Vietnamese name order. Its SQL is assembled from the traits' table and column names, never
// from values (those are always bound).
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "codec/entities.h"
#include "store/internal/entity_traits.h"
#include "store/internal/sql_util.h"
#include "text/vietnamese.h"

namespace ucsc::store::internal {

// Filter columns bound as integers (flags and levels).
inline bool IsIntColumn(std::string_view c) {
  return c == "level" || c == "network_member" || c == "national_important" || c == "outsourced";
}

template <class T>
class EntityRepoImpl final : public EntityRepo<T> {
  using Traits = EntityTraits<T>;

 public:
  EntityRepoImpl(SqlConnection& conn, const Dialect& d) : conn_(conn), d_(d) {
    filters_ = Traits::FilterColumns();
  }

  core::Result<T> Get(const std::string& id, const Scope& scope) override {
    std::string sql = "SELECT doc FROM " + std::string(Traits::kTable) + " WHERE id = $1";
    std::vector<SqlParam> params{id};
    AppendScope(d_, scope, Traits::ScopeColumns(), sql, params);
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    if (rows.empty()) return core::NotFound(std::string(Traits::kType) + " not found");
    return DecodeDoc<T>(rows[0][0]);
  }

  core::Result<Page<T>> List(const ListQuery& q) override {
    UCSC_ASSIGN_OR_RETURN(auto raw, ListJson(q));
    Page<T> page;
    page.more = raw.more;
    page.last_key = std::move(raw.last_key);
    page.last_id = std::move(raw.last_id);
    page.items.reserve(raw.items.size());
    for (auto& doc : raw.items) {
      UCSC_ASSIGN_OR_RETURN(auto v, DecodeDoc<T>(doc));
      page.items.push_back(std::move(v));
    }
    return page;
  }

  core::Result<Page<std::string>> ListJson(const ListQuery& q) override {
    std::string sql =
        "SELECT doc, name_key, id FROM " + std::string(Traits::kTable) + " WHERE 1 = 1";
    std::vector<SqlParam> params;
    AppendScope(d_, q.scope, Traits::ScopeColumns(), sql, params);
    for (const auto& [column, value] : q.filters) {
      auto it = std::find(filters_.begin(), filters_.end(), column);
      if (it == filters_.end()) {
        return core::InvalidArgument("unknown filter '" + column + "'", "/" + column);
      }
      if (IsIntColumn(column)) {
        int64_t v = 0;
        auto r = std::from_chars(value.data(), value.data() + value.size(), v);
        if (r.ec != std::errc() || r.ptr != value.data() + value.size()) {
          if (value == "true" || value == "false") {
            v = value == "true";
          } else {
            return core::InvalidArgument("must be an integer", "/" + column);
          }
        }
        params.emplace_back(v);
      } else {
        params.emplace_back(value);
      }
      sql += " AND " + std::string(*it) + " = " + Placeholder(static_cast<int>(params.size()));
    }
    if (!q.search.empty()) {
      params.emplace_back(LikeContains(text::FoldForSearch(q.search)));
      sql += " AND name_fold LIKE " + Placeholder(static_cast<int>(params.size())) + " ESCAPE '!'";
    }
    if (!q.after_id.empty()) {
      params.emplace_back(q.after_key);
      int k = static_cast<int>(params.size());
      params.emplace_back(q.after_id);
      int i = k + 1;
      sql += " AND (name_key > " + Placeholder(k) + " OR (name_key = " + Placeholder(k) +
             " AND id > " + Placeholder(i) + "))";
    }
    int limit = std::clamp(q.limit, 1, 1000);
    params.emplace_back(int64_t{limit + 1});
    sql += " ORDER BY name_key, id LIMIT " + Placeholder(static_cast<int>(params.size()));
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    Page<std::string> page;
    page.more = static_cast<int>(rows.size()) > limit;
    if (page.more) rows.pop_back();
    page.items.reserve(rows.size());
    for (auto& row : rows) page.items.push_back(std::move(row[0]).value_or(std::string()));
    if (!rows.empty()) {
      page.last_key = CellText(rows.back()[1]);
      page.last_id = CellText(rows.back()[2]);
    }
    return page;
  }

  core::Result<int64_t> Count(const Scope& scope) override {
    std::string sql = "SELECT COUNT(*) FROM " + std::string(Traits::kTable) + " WHERE 1 = 1";
    std::vector<SqlParam> params;
    AppendScope(d_, scope, Traits::ScopeColumns(), sql, params);
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
    return rows.empty() ? 0 : CellInt(rows[0][0]);
  }

  core::Status Insert(const T& v) override {
    std::string cols = "id";
    std::string vals = "$1";
    std::vector<SqlParam> params{v.id};
    for (auto& [column, value] : Traits::Keys(v)) {
      params.push_back(value);
      cols += ", " + std::string(column);
      vals += ", " + Placeholder(static_cast<int>(params.size()));
    }
    AddCommon(v, params, cols, vals);
    std::string sql =
        "INSERT INTO " + std::string(Traits::kTable) + " (" + cols + ") VALUES (" + vals + ")";
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(sql, params));
    (void)n;
    return core::Ok();
  }

  core::Status Update(const T& v) override {
    std::string set;
    std::vector<SqlParam> params;
    for (auto& [column, value] : Traits::Keys(v)) {
      params.push_back(value);
      set += std::string(column) + " = " + Placeholder(static_cast<int>(params.size())) + ", ";
    }
    auto add = [&](std::string_view column, SqlParam p) {
      params.push_back(std::move(p));
      set += std::string(column) + " = " + Placeholder(static_cast<int>(params.size())) + ", ";
    };
    add("name_key", text::CollationKey(Traits::Name(v)));
    add("name_fold", text::FoldForSearch(Traits::Name(v)));
    add("doc", codec::ToJson(v).dump());
    add("updated_at", core::ToUnixMillis(v.updated_at));
    params.emplace_back(v.version);
    set += "version = " + Placeholder(static_cast<int>(params.size()));
    params.emplace_back(v.id);
    int id_param = static_cast<int>(params.size());
    params.emplace_back(v.version - 1);
    std::string sql = "UPDATE " + std::string(Traits::kTable) + " SET " + set +
                      " WHERE id = " + Placeholder(id_param) +
                      " AND version = " + Placeholder(id_param + 1);
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(sql, params));
    if (n == 1) return core::Ok();
    return MissingOrStale(v.id);
  }

  core::Status Delete(const std::string& id, int64_t expected_version) override {
    std::vector<SqlParam> params{id, expected_version};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec("DELETE FROM " + std::string(Traits::kTable) +
                                                 " WHERE id = $1 AND version = $2",
                                             params));
    if (n == 1) return core::Ok();
    return MissingOrStale(id);
  }

  const std::vector<std::string_view>& FilterColumns() const override { return filters_; }

 private:
  void AddCommon(const T& v, std::vector<SqlParam>& params, std::string& cols, std::string& vals) {
    auto add = [&](std::string_view column, SqlParam p) {
      params.push_back(std::move(p));
      cols += ", " + std::string(column);
      vals += ", " + Placeholder(static_cast<int>(params.size()));
    };
    add("name_key", text::CollationKey(Traits::Name(v)));
    add("name_fold", text::FoldForSearch(Traits::Name(v)));
    add("version", v.version);
    add("doc", codec::ToJson(v).dump());
    add("created_at", core::ToUnixMillis(v.created_at));
    add("updated_at", core::ToUnixMillis(v.updated_at));
  }

  core::Status MissingOrStale(const std::string& id) {
    std::vector<SqlParam> params{id};
    UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query("SELECT version FROM " +
                                                     std::string(Traits::kTable) + " WHERE id = $1",
                                                 params));
    if (rows.empty()) return core::NotFound(std::string(Traits::kType) + " not found");
    return core::MakeError(core::ErrorCode::kConflict,
                           std::string(Traits::kType) + " was changed by someone else (version " +
                               CellText(rows[0][0]) + ")");
  }

  SqlConnection& conn_;
  const Dialect& d_;
  std::vector<std::string_view> filters_;
};

}  // namespace ucsc::store::internal
