#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace ucsc::store {

core::Result<std::unique_ptr<Store>> Open(const std::string& url, const core::Clock& clock) {
  (void)clock;
  if (url.rfind("sqlite:", 0) == 0) return sqlite::OpenSqlite(url.substr(7));
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return postgres::OpenPostgres(url);
  }
  return core::InvalidArgument("unknown database URL '" + url +
                               "': use sqlite:PATH or postgresql://…");
}

}  // namespace ucsc::store
