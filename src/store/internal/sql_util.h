// Small helpers the store's repositories share: bound-parameter placeholders, LIKE escaping,
// organisation scoping and decoding a stored JSON document.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/entities.h"
#include "core/result.h"
#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

// The JSON array text of `items` (bound where a dialect tests membership in a list).
std::string JsonArray(const std::vector<std::string>& items);

// "$n".
std::string Placeholder(int n);

// `folded` as a LIKE pattern matching it anywhere, wildcards escaped; the statement uses
// ESCAPE '!'.
std::string LikeContains(std::string_view folded);

// Appends the scope test for `columns` (any of them in scope) to `sql`.
void AppendScope(const Dialect& d, const Scope& scope, const std::vector<std::string_view>& columns,
                 std::string& sql, std::vector<SqlParam>& params);

// Decodes a stored document. Errors: kInternal when it is corrupt.
template <class T>
core::Result<T> DecodeDoc(const std::optional<std::string>& doc) {
  UCSC_ASSIGN_OR_RETURN(auto j, codec::ParseJson(CellText(doc), 64));
  T out;
  auto st = codec::Decode(j, codec::Mode::kStored, out);
  if (!st) return core::Internal("stored document is corrupt: " + st.error().ToString());
  return out;
}

}  // namespace ucsc::store::internal
