// The shape of a capability (DESIGN.md "Architecture"): inventory, compliance, vulnerability
// management, hunting, incidents, plans … each is a directory src/<capability>/ with a small
// public header that makes its Module. A module supplies, through one Registry, everything the
// host needs of it:
//   - its tables (migrations per back end, backup list)      AddTables
//   - its policy rows (role × resource × access)              AddPolicy
//   - its routes                                              AddRoute
//   - its OpenAPI component schemas                           AddSchema
//   - its background jobs and their cron schedules            AddJob / AddSchedule
//   - its command group of the `ucsc` binary                  AddCommands
//   - its part of the demo province (`ucsc demo init`)         AddDemo
// The host (cli/modules.cc) lists the modules explicitly, calls Register on each into one
// Registry value, and hands the Registry to the store, the Api, the worker pool and the command
// line. There is no static registry: what a process runs is what its module list says.
//
// Thread-safety: Register runs once, on the main thread, before anything is served. Handlers,
// jobs and commands a module registers run later, on any thread; they may capture state owned by
// the module, which lives as long as the host's module list.
//
// Example (a capability's public header):
//   namespace ucsc::vuln {
//   // The vulnerability-management capability: findings, advisories, scans.
//   std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "capability/policy.h"
#include "capability/route.h"
#include "codec/json_reader.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/model.h"
#include "core/result.h"
#include "store/schema.h"

namespace CLI {
class App;
}
namespace ucsc::notify {
class Notifier;
}
namespace ucsc::store {
class Store;
}

namespace ucsc::capability {

// What every module is given when it is made. The settings are the serve configuration as one
// JSON object (config file, then environment, then flags); each module reads its own keys with
// Setting() and documents them in its header.
struct Env {
  const core::Clock& clock;
  const core::IdGenerator& ids;
  const Json& settings;
  int max_json_depth = 32;
  // The host's e-mail sender (compliance reminders, urging, incident notices), asked for when a
  // message is to go out: it is configured after the modules are made. Empty, or returning
  // null: no e-mail is sent.
  std::function<notify::Notifier*()> notifier;
};

// A JSON Schema describing the shape of `example` (types only; the strict decoder is the
// authority on what is accepted), for Registry::AddSchema.
Json SchemaOf(const Json& example);

// settings[key] as a string, or `fallback` when absent or not a string.
std::string Setting(const Env& env, std::string_view key, std::string fallback);

using JobFn = std::function<core::Status(const core::Job&, store::Store&)>;

struct JobSpec {
  std::string kind;  // unique across modules: "scan_run"
  JobFn run;
  bool at_start = false;  // enqueued once each time the server starts (a cache warm-up)
};

// A cron schedule (Vietnam time) that enqueues a job of `kind`.
struct ScheduleSpec {
  std::string name;
  std::string cron;  // "30 6 * * *", "@hourly"
  std::string kind;
  std::string payload = "{}";
};

// A command of the `ucsc` binary: when `sub` was parsed, `run` gives the exit code.
struct Command {
  CLI::App* sub = nullptr;
  std::function<int()> run;
};

// What a command group is given by the host (capability/cli.h has the helpers).
struct CliEnv {
  // Every module's tables, attached whenever a command opens the store; owned by the host.
  const std::vector<store::SchemaPart>* tables = nullptr;
};

// Adds a command group to `app` (or extends an existing one, e.g. app.get_subcommand("import"));
// appends the commands it defines to `out`.
using CommandsFn = std::function<void(CLI::App& app, const CliEnv& env, std::vector<Command>& out)>;

// What a module's demo seed is given by `ucsc demo init`, after the demo inventory (organisations,
// systems, users of data/demo) is stored: the store, the host's clock and ids, and the demo's
// organisations, systems and users as stored (in the store's order; a seed that needs a stable
// order sorts them itself).
struct DemoEnv {
  store::Store& store;
  const core::Clock& clock;
  const core::IdGenerator& ids;
  std::vector<core::Organisation> orgs;
  std::vector<core::InformationSystem> systems;
  std::vector<core::User> users;
};

// A module's contribution to the demo province: `seed` writes its records (through the module's
// own operations, so that audit trail and evidence are real). `evidence_types` are the compliance
// evidence types the seed records itself; the synthetic evidence history of the demo leaves them
// out, so that uploaded-file evidence does not mask the module's records.
struct DemoSpec {
  std::string name;  // "plan": for messages
  std::vector<std::string> evidence_types;
  std::function<core::Status(const DemoEnv&)> seed;
};

class Registry {
 public:
  void AddTables(store::SchemaPart part) { tables_.push_back(std::move(part)); }
  void AddPolicy(PolicyRow row) { policy_.push_back(row); }
  void AddRoute(RouteSpec route) { routes_.push_back(std::move(route)); }
  void AddSchema(std::string name, Json schema) {
    schemas_.emplace_back(std::move(name), std::move(schema));
  }
  void AddJob(JobSpec job) { jobs_.push_back(std::move(job)); }
  void AddSchedule(ScheduleSpec schedule) { schedules_.push_back(std::move(schedule)); }
  void AddCommands(CommandsFn fn) { commands_.push_back(std::move(fn)); }
  void AddDemo(DemoSpec demo) { demos_.push_back(std::move(demo)); }

  const std::vector<store::SchemaPart>& tables() const { return tables_; }
  const std::vector<PolicyRow>& policy() const { return policy_; }
  const std::vector<RouteSpec>& routes() const { return routes_; }
  const std::vector<std::pair<std::string, Json>>& schemas() const { return schemas_; }
  const std::vector<JobSpec>& jobs() const { return jobs_; }
  const std::vector<ScheduleSpec>& schedules() const { return schedules_; }
  const std::vector<CommandsFn>& commands() const { return commands_; }
  const std::vector<DemoSpec>& demos() const { return demos_; }

 private:
  std::vector<store::SchemaPart> tables_;
  std::vector<PolicyRow> policy_;
  std::vector<RouteSpec> routes_;
  std::vector<std::pair<std::string, Json>> schemas_;
  std::vector<JobSpec> jobs_;
  std::vector<ScheduleSpec> schedules_;
  std::vector<CommandsFn> commands_;
  std::vector<DemoSpec> demos_;
};

class Module {
 public:
  virtual ~Module() = default;
  // "vuln", "compliance": names its tables' owner and its log lines.
  virtual std::string_view Name() const = 0;
  // Adds the module's tables, policy rows, routes, schemas, jobs, schedules, commands and demo.
  // Called once per process, before the store is opened.
  virtual void Register(Registry& registry) = 0;
};

using ModuleList = std::vector<std::unique_ptr<Module>>;

// Calls Register of every module, in order, into one Registry.
Registry RegisterAll(const ModuleList& modules);

}  // namespace ucsc::capability
