// What a capability's command group (Registry::AddCommands) shares with the host's own
// commands: the --db/--lang options, opening the store with every module's tables, errors on
// stderr. Included only by the translation units that define commands (CLI11 is a heavy header).
//
// Thread-safety: for the main thread, while the command line is parsed and one command runs.
//
// Example (in a module's Register):
//   registry.AddCommands([](CLI::App& app, const CliEnv& env, std::vector<Command>& out) {
//     auto o = std::make_shared<Options>();
//     auto* sub = app.add_subcommand("thing", "…");
//     AddStoreOptions(sub, o->common, env);
//     out.push_back({sub, [o] { return RunThing(*o); }});
//   });
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "capability/module.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace ucsc::capability {

// Options every store-backed command takes: --db (env UCSC_DB) and --lang.
struct Common {
  std::string db;
  std::string lang;
  // The capability modules' tables, attached when the store opens (CliEnv::tables).
  std::vector<store::SchemaPart> tables;
};
// db from UCSC_DB (default sqlite:./var/ucsc.db), lang from LANG (en… → "en", else "vi").
Common DefaultCommon();
// Adds --db and --lang to `sub`, bound to `common` (which keeps its env defaults), and gives
// `common` the modules' tables of `env`.
void AddStoreOptions(CLI::App* sub, Common& common, const CliEnv& env);
// Opens the store named by c.db with c.tables attached, migrated unless `migrate` is false.
[[nodiscard]] core::Result<std::unique_ptr<store::Store>> OpenStore(const Common& c,
                                                                    const core::Clock& clock,
                                                                    bool migrate = true);
// Prints "ucsc: <error>" to stderr and returns exit code 1.
int Fail(const core::Error& e);
// The environment variable `name`, or `fallback` when it is unset or empty.
std::string EnvVar(const char* name, std::string fallback);
// Name of the OS user running the command, for audit records ("cli:<user>").
std::string OsUser();

}  // namespace ucsc::capability
