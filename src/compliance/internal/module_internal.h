// Pieces shared by the compliance module's translation units.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "capability/module.h"
#include "capability/route.h"
#include "compliance/rulepack.h"

namespace ucsc::compliance::internal {

class EvaluationCache;

using capability::AppendAudit;
using capability::Ctx;
using capability::Denied;
using capability::ETag;
using capability::InScope;
using capability::Json;
using capability::LimitParam;
using capability::OnlyParams;
using capability::Param;
using capability::ParseBody;
using capability::RequireIfMatch;
using capability::RouteSpec;
using capability::SetJson;
using core::ErrorCode;
using core::Result;
using Status = core::Status;  // compliance::Status is a row of the evaluation
using Access = capability::Access;

struct ComplianceEnv {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  std::string rulepacks_dir;
  std::string evidence_dir;
  size_t max_upload_bytes = 10 << 20;
  std::shared_ptr<RulePackHolder> rules;
  int depth = 32;
  // Today's evaluation between requests (evaluation_cache.h); null evaluates every time.
  std::shared_ptr<EvaluationCache> cache;
};

// `ucsc compliance status|report|level-report|check-packs` (cli.cc).
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out);
// The routes of the compliance engine (routes.cc).
std::vector<RouteSpec> ComplianceRoutes(const ComplianceEnv& env);

}  // namespace ucsc::compliance::internal
