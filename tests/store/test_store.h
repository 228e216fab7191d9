// Opens a fresh, empty store of each back end for the conformance suite.
// SQLite: a file in a temp dir. PostgreSQL: a new schema in the database named by UCSC_TEST_PG
// (started by scripts/pg-test); without it the test is skipped only when UCSC_SKIP_PG=1, and
// fails otherwise (in CI a skipped PostgreSQL test is a failure).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace ucsc::store::testing {

struct TestStore {
  std::unique_ptr<Store> store;
  std::string url;
  std::string cleanup;  // schema to drop or directory to remove
  std::string backend;
  ~TestStore();
};

// Returns nullptr with `skip_reason` set when the back end is unavailable and may be skipped.
std::unique_ptr<TestStore> MakeTestStore(const std::string& backend, const core::Clock& clock,
                                         std::string& skip_reason);

}  // namespace ucsc::store::testing
