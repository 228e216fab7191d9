#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace ucsc::store {

core::Result<std::unique_ptr<Store>> Open(const std::string& url, const core::Clock& clock,
                                          std::vector<SchemaPart> parts) {
  (void)clock;
  core::Result<std::unique_ptr<Store>> store;
  if (url.rfind("sqlite:", 0) == 0) {
    store = sqlite::OpenSqlite(url.substr(7));
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    store = postgres::OpenPostgres(url);
  } else {
    return core::InvalidArgument("unknown database URL '" + url +
                                 "': use sqlite:PATH or postgresql://…");
  }
  if (store && !parts.empty()) UCSC_RETURN_IF_ERROR((*store)->Attach(std::move(parts)));
  return store;
}

}  // namespace ucsc::store
