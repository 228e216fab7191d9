// The hunting capability as a module: logs uploaded for a system and hunted by the job
// "hunt_run" with the server's Sigma rule set (R1 evidence); the engine is hunt/, a library
// without a store.
#include "hunting/module.h"

#include "capability/records.h"
#include "compliance/run_evidence.h"
#include "hunting/hunt_service.h"

namespace ucsc::hunting {
namespace {

using capability::Ctx;
using capability::Grant;
using capability::Json;
using capability::ListRoute;
using capability::RecordJson;
using Access = capability::Access;
using capability::OnlyParams;
using capability::Param;
using capability::QueueRun;
using capability::SetJson;
using core::Status;
using store::ScanRecord;
using store::ScanTable;

// clang-format off
// Hunts: the organisation and the IR team upload logs; inspectors read the runs.
constexpr capability::PolicyRow kPolicy{
    .resource = "hunts", .admin = Grant::kWrite, .coordinator = Grant::kWrite,
    .responder = Grant::kWrite, .org_manager = Grant::kWrite, .org_staff = Grant::kWrite,
    .liaison = Grant::kNone, .auditor = Grant::kRead};
// clang-format on

}  // namespace

HuntingModule::HuntingModule(const capability::Env& env)
    : clock_(env.clock),
      ids_(env.ids),
      hunts_(std::make_shared<HuntService>(
          env.clock, env.ids,
          HuntServiceConfig{capability::Setting(env, "sigma_rules_dir", "data/sigma/rules"),
                            capability::Setting(env, "hunt_dir", "var/hunt"),
                            capability::Setting(env, "evidence_dir", "var/evidence")})) {}

// `ucsc hunt`, `ucsc sigma check|bundle` (cli.cc): the engine from the command line.
void AddCommands(CLI::App& app, const capability::CliEnv& env,
                 std::vector<capability::Command>& out);

void HuntingModule::Register(capability::Registry& r) {
  r.AddCommands(&AddCommands);
  r.AddPolicy(kPolicy);
  const core::Clock* clock = &clock_;
  const core::IdGenerator* ids = &ids_;
  std::shared_ptr<HuntService> hunts = hunts_;
  // ---- Hunts: logs uploaded for a system, hunted by the job "hunt_run" (R1 evidence) --------
  r.AddRoute(
      {"POST", "/api/v1/hunts/file",
       "Hunt a system's logs: the body is the log file (EVTX, JSON lines, XML, CSV, syslog; gzip "
       "or zstd), ?system_id= [&format=auto|evtx|jsonl|xml|csv|syslog], X-File-Name; answers 202 "
       "with the queued run",
       true, "hunts", Access::kWrite, [clock, ids, hunts](Ctx& c, store::Tx& tx) -> Status {
         UCSC_RETURN_IF_ERROR(OnlyParams(c, {"system_id", "format"}));
         const std::string system_id = Param(c, "system_id");
         std::string format = Param(c, "format");
         if (format.empty()) format = "auto";
         if (format != "auto" && format != "evtx" && format != "jsonl" && format != "xml" &&
             format != "csv" && format != "syslog") {
           return core::InvalidArgument("must be auto, evtx, jsonl, xml, csv or syslog", "/format");
         }
         if (system_id.empty()) return core::InvalidArgument("is required", "/system_id");
         auto system = tx.Systems().Get(system_id, c.scope);
         if (!system) return core::InvalidArgument("matches no system you can see", "/system_id");
         UCSC_ASSIGN_OR_RETURN(std::string name,
                               compliance::CheckEvidenceFileName(c.req.Header("x-file-name")));
         if (c.req.body.empty()) return core::InvalidArgument("the log file is empty", "/file");
         UCSC_ASSIGN_OR_RETURN(std::string sha, hunts->KeepInput(c.req.body));
         const core::Instant now = clock->Now();
         ScanRecord run;
         run.id = ids->Next();
         run.org_id = system->owner_org_id;
         run.system_id = system_id;
         run.state = "queued";
         run.version = 1;
         run.created_at = run.updated_at = now;
         run.doc = Json{{"file_name", name},
                        {"input_sha256", sha},
                        {"size", static_cast<int64_t>(c.req.body.size())},
                        {"format", format},
                        {"requested_by", c.principal.actor}}
                       .dump();
         return QueueRun(c, tx, *ids, ScanTable::kHuntRuns, run, "hunt_run", "hunt_run");
       }});
  r.AddRoute({"GET", "/api/v1/hunts/runs",
              "Hunt runs in your scope, newest first: ?state= ?before= ?limit=", false, "hunts",
              Access::kRead,
              [](Ctx& c, store::Tx& tx) { return ListRoute(c, tx, ScanTable::kHuntRuns); }});
  r.AddRoute({"GET", "/api/v1/hunts/runs/{id}", "One hunt run, with its statistics", false, "hunts",
              Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
                UCSC_ASSIGN_OR_RETURN(
                    auto run, tx.Scans().Get(ScanTable::kHuntRuns, c.params["id"], c.scope));
                SetJson(c, 200, RecordJson(run));
                return core::Ok();
              }});

  r.AddJob({"hunt_run",
            [hunts](const core::Job& job, store::Store& s) { return hunts->RunJob(job, s); }});
}

std::unique_ptr<HuntingModule> MakeModule(const capability::Env& env) {
  return std::make_unique<HuntingModule>(env);
}

}  // namespace ucsc::hunting
