// SQLite back end: WAL, foreign keys on, busy timeout; one connection per concurrent user.
// Thread-safety: as Store.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace ucsc::store::sqlite {

// Opens (creating if needed) the database file at `path`. ":memory:" is refused because each
// pooled connection would see its own database.
[[nodiscard]] core::Result<std::unique_ptr<Store>> OpenSqlite(const std::string& path,
                                                              int max_connections = 8);

}  // namespace ucsc::store::sqlite
