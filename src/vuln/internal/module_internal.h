// Pieces shared by the vulnerability module's translation units.
#pragma once

#include <memory>
#include <vector>

#include "capability/module.h"
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

// `ucsc vuln match|refresh`, `ucsc import nmap|openvas|nuclei` (cli.cc) and `ucsc scan` (the
// engine on its own, scan_cli.cc).
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out);
void AddScanCommands(CLI::App& app, const capability::CliEnv& env,
                     std::vector<capability::Command>& out);
// Scan authorisations and runs, findings, advisories, the kill switch (routes.cc).
std::vector<RouteSpec> ScanRoutes(const ScanEnv& env);

}  // namespace ucsc::vuln::internal
