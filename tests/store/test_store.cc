#include "test_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

namespace ucsc::store::testing {
namespace {

std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  return std::to_string(getpid()) + "_" + std::to_string(gen() % 1000000000);
}

bool PgExec(const std::string& url, const std::string& sql, std::string& error) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
    PQfinish(conn);
    return false;
  }
  PGresult* res = PQexec(conn, sql.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) error = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  return ok;
}

}  // namespace

TestStore::~TestStore() {
  store.reset();
  if (backend == "sqlite") {
    std::error_code ec;
    std::filesystem::remove_all(cleanup, ec);
  } else if (backend == "postgresql" && !cleanup.empty()) {
    std::string error;
    PgExec(std::getenv("UCSC_TEST_PG"), "DROP SCHEMA IF EXISTS " + cleanup + " CASCADE", error);
  }
}

std::unique_ptr<TestStore> MakeTestStore(const std::string& backend, const core::Clock& clock,
                                         std::string& skip_reason) {
  auto ts = std::make_unique<TestStore>();
  ts->backend = backend;
  if (backend == "sqlite") {
    auto dir = std::filesystem::temp_directory_path() / ("ucsc_store_test_" + RandomSuffix());
    std::filesystem::create_directories(dir);
    ts->cleanup = dir.string();
    ts->url = "sqlite:" + (dir / "test.db").string();
  } else {
    const char* pg = std::getenv("UCSC_TEST_PG");
    if (pg == nullptr || *pg == '\0') {
      const char* skip = std::getenv("UCSC_SKIP_PG");
      if (skip != nullptr && std::string(skip) == "1") {
        skip_reason = "UCSC_SKIP_PG=1: PostgreSQL tests skipped by hand";
        return nullptr;
      }
      ADD_FAILURE() << "UCSC_TEST_PG is not set: run the tests through `make test` "
                       "(scripts/pg-test starts a throw-away PostgreSQL), or set UCSC_SKIP_PG=1";
      return nullptr;
    }
    std::string schema = "t_" + RandomSuffix();
    std::string error;
    if (!PgExec(pg, "CREATE SCHEMA " + schema, error)) {
      ADD_FAILURE() << "cannot create schema in " << pg << ": " << error;
      return nullptr;
    }
    ts->cleanup = schema;
    std::string base(pg);
    ts->url = base + (base.find('?') == std::string::npos ? "?" : "&") +
              "options=-csearch_path%3D" + schema;
  }
  auto opened = Open(ts->url, clock);
  if (!opened) {
    ADD_FAILURE() << "cannot open " << ts->url << ": " << opened.error().ToString();
    return nullptr;
  }
  ts->store = std::move(*opened);
  auto migrated = ts->store->Migrate();
  if (!migrated) {
    ADD_FAILURE() << "migration failed: " << migrated.error().ToString();
    return nullptr;
  }
  return ts;
}

}  // namespace ucsc::store::testing
