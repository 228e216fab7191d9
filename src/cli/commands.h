// Command groups that components add to the `ucsc` binary without editing main.cc.
//
// A component's src/cli/<name>_cmd.cc registers an Adder from a static initializer:
//
//   namespace ucsc::cli {
//   namespace {
//   const bool kRegistered = RegisterCommands([](CLI::App& app, std::vector<Command>& out) {
//     auto* hunt = app.add_subcommand("hunt", "...");
//     auto opts = std::make_shared<HuntOptions>();
//     hunt->add_option("--rules", opts->rules, "...");
//     out.push_back({hunt, [opts] { return RunHunt(*opts); }});
//   });
//   }  // namespace
//   }  // namespace ucsc::cli
//
// main.cc runs every Adder after its own commands are defined (so an Adder may extend an existing
// group, e.g. app.get_subcommand("import")), parses, and runs the Command whose subcommand was
// parsed. The runner returns the process exit code. src/cli/CMakeLists.txt picks up every
// *_cmd.cc and links the component libraries that exist.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/schema.h"

namespace ucsc::store {
class Store;
}

namespace ucsc::cli {

struct Command {
  CLI::App* sub = nullptr;
  std::function<int()> run;
};

using Adder = std::function<void(CLI::App& app, std::vector<Command>& out)>;

// Call from a static initializer; returns true so it can initialise a const bool.
bool RegisterCommands(Adder adder);
std::vector<Adder>& CommandAdders();

// Options every store-backed command takes: --db (env UCSC_DB) and --lang.
struct Common {
  std::string db;
  std::string lang;
  // The tables of the capability modules (cli/modules.h), attached when the store opens.
  std::vector<store::SchemaPart> tables;
};
// Adds --db and --lang to `sub`, bound to `common` (which keeps its env defaults).
void AddStoreOptions(CLI::App* sub, Common& common);
Common DefaultCommon();

core::Result<std::unique_ptr<store::Store>> OpenStore(const Common& c, const core::Clock& clock,
                                                      bool migrate = true);
// Prints "ucsc: <error>" to stderr and returns exit code 1.
int Fail(const core::Error& e);
std::string Env(const char* name, std::string fallback);
// Name of the OS user running the command, for audit records ("cli:<user>").
std::string OsUser();

}  // namespace ucsc::cli
