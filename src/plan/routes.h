// The plan module's HTTP routes (routes.cc). Private to the module and its tests.
// Thread-safety: the routes' handlers share only immutable state (the loaded outlines).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "capability/route.h"
#include "core/clock.h"
#include "core/ids.h"
#include "plan/outline.h"

namespace ucsc::plan {

struct RoutesEnv {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  // The outlines of data/plans; null or empty when they did not load (routes answer 503 with
  // `load_error`).
  std::shared_ptr<const std::vector<Outline>> outlines;
  std::string load_error;
  int depth = 32;
};

// Plans: create, list, read, edit, submit, approve (routes.cc).
std::vector<capability::RouteSpec> PlanRoutes(const RoutesEnv& env);
// Drills: plan, start, timeline, findings, close (drill_routes.cc).
std::vector<capability::RouteSpec> DrillRoutes(const RoutesEnv& env);
// Plan versions and their diff, and the official documents: a plan version, a drill report
// (export_routes.cc).
std::vector<capability::RouteSpec> ExportRoutes(const RoutesEnv& env);

}  // namespace ucsc::plan
