// Pieces shared by the vulnerability module's translation units.
#pragma once

#include <memory>
#include <vector>

#include "capability/records.h"
#include "capability/route.h"
#include "scan/sla.h"
#include "vuln/scan_service.h"

namespace ucsc::vuln::internal {

using capability::AppendAudit;
using capability::Ctx;
using capability::Denied;
using capability::ETag;
using capability::InScope;
using capability::Json;
using capability::LimitParam;
using capability::ListRoute;
using capability::OnlyParams;
using capability::Param;
using capability::ParseBody;
using capability::QueueRun;
using capability::RecordJson;
using capability::RouteSpec;
using capability::SetJson;
using core::ErrorCode;
using core::Result;
using core::Status;
using Access = capability::Access;

struct ScanEnv {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  std::shared_ptr<ScanService> service;
  scan::SlaPolicy sla;
  int depth = 32;
};

// Scan authorisations and runs, findings, advisories, the kill switch (routes.cc).
std::vector<RouteSpec> ScanRoutes(const ScanEnv& env);

}  // namespace ucsc::vuln::internal
