// PostgreSQL back end (libpq): the scale-out store; several server processes may share one
// database. Job claims use FOR UPDATE SKIP LOCKED; audit appends take an advisory lock.
// Thread-safety: as Store.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace ucsc::store::postgres {

// Connects with a libpq URL ("postgresql://user@host:port/db"). kUnavailable when the server
// cannot be reached.
[[nodiscard]] core::Result<std::unique_ptr<Store>> OpenPostgres(const std::string& url,
                                                                int max_connections = 8);

}  // namespace ucsc::store::postgres
