// The plan module's tables and their repositories (store/schema.h): plans (one row per plan, its
// latest version and the ETag counter), plan_versions (each version's JSON document, plan_json.h)
// and drills (each drill's JSON document, drill_json.h). The repositories run on Tx::Sql() with
// their SQL as named constants and bound parameters, on SQLite and PostgreSQL alike.
//
// Concurrency (DESIGN.md "Contracts": If-Match): every plan and drill row carries an `etag`
// counter starting at 1; Save* succeeds only when the caller's expected value is still stored
// and bumps it, so of two concurrent edits of one plan the second gets kConflict (412) and the
// first one's text is kept.
//
// Thread-safety: a repository belongs to its transaction's thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "plan/drill.h"
#include "plan/plan.h"
#include "store/schema.h"

namespace ucsc::plan {

// The migrations of the plan module (owner "plan") and its tables in backup order.
store::SchemaPart PlanTables();

struct StoredPlan {
  IrPlan plan;  // the latest version
  int64_t etag = 1;
};

class PlanRepo {
 public:
  // REQUIRES: `sql` outlives the repository.
  explicit PlanRepo(store::SqlSession& sql) : sql_(sql) {}

  // Inserts a new plan with its first version (etag 1). Errors: kAlreadyExists (same id, or a
  // second plan for one system); kFailedPrecondition for an unknown organisation or system.
  [[nodiscard]] core::Status Create(const IrPlan& plan);
  // The latest version of plan `plan_id`. Errors: kNotFound; kInternal for a corrupt document.
  [[nodiscard]] core::Result<StoredPlan> Latest(const std::string& plan_id);
  // Every version of the plan, ascending. Errors: kNotFound for an unknown plan.
  [[nodiscard]] core::Result<std::vector<IrPlan>> Versions(const std::string& plan_id);
  // The id of the plan of system `system_id`, or nullopt.
  [[nodiscard]] core::Result<std::optional<std::string>> PlanOfSystem(const std::string& system_id);
  // The latest version of every plan, by id.
  [[nodiscard]] core::Result<std::vector<StoredPlan>> ListLatest();
  // Every version of every plan (for evaluation and the calendar).
  [[nodiscard]] core::Result<std::vector<IrPlan>> AllVersions();
  // Stores `plan` as its plan's latest version (a new version number inserts a row, the same one
  // replaces it) when the stored etag is `expected_etag`; returns the new etag.
  // Errors: kNotFound; kConflict when the etag is stale (nothing is written).
  [[nodiscard]] core::Result<int64_t> Save(const IrPlan& plan, int64_t expected_etag);

 private:
  store::SqlSession& sql_;
};

struct StoredDrill {
  Drill drill;
  int64_t etag = 1;
};

class DrillRepo {
 public:
  explicit DrillRepo(store::SqlSession& sql) : sql_(sql) {}
  // Errors: kAlreadyExists; kFailedPrecondition for an unknown organisation.
  [[nodiscard]] core::Status Create(const Drill& drill);
  // Errors: kNotFound; kInternal for a corrupt document.
  [[nodiscard]] core::Result<StoredDrill> Get(const std::string& id);
  // Every drill, by planned start then id.
  [[nodiscard]] core::Result<std::vector<StoredDrill>> List();
  // As PlanRepo::Save. Errors: kNotFound; kConflict.
  [[nodiscard]] core::Result<int64_t> Save(const Drill& drill, int64_t expected_etag);

 private:
  store::SqlSession& sql_;
};

}  // namespace ucsc::plan
