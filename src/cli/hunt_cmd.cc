// `ucsc sigma check PATH...` and `ucsc hunt ...`: the CLI of the hunt component (src/hunt).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/logsource.h"
#include "hunt/sigma_rule.h"

namespace ucsc::cli {
namespace {

struct SigmaCheckOptions {
  std::vector<std::string> paths;
};

int RunSigmaCheck(const SigmaCheckOptions& o) {
  const hunt::ParseOutcome outcome = hunt::LoadRulePaths(o.paths);
  for (const auto& e : outcome.errors) std::cout << "rejected " << e.ToString() << "\n";
  std::size_t correlations = 0;
  for (const auto& r : outcome.rules) correlations += r.correlation ? 1 : 0;
  const std::size_t total = outcome.rules.size() + outcome.errors.size();
  std::cerr << "sigma check: " << outcome.rules.size() << " rules loaded (" << correlations
            << " correlation), " << outcome.errors.size() << " rejected, of " << total << "\n";
  return outcome.errors.empty() ? 0 : 1;
}

struct HuntCliOptions {
  std::vector<std::string> rules;
  std::vector<std::string> inputs;
  std::string format = "auto";
  std::string mapping;
  int threads = 1;
  std::string min_level;
  bool stats = false;
  bool progress = false;
  bool parse_only = false;
  std::string cache_dir;
  bool no_cache = false;
};

std::string DefaultCacheDir() {
  const std::string xdg = Env("XDG_CACHE_HOME", "");
  if (!xdg.empty()) return xdg + "/ucsc";
  const std::string home = Env("HOME", "");
  return home.empty() ? std::string() : home + "/.cache/ucsc";
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int RunHuntCommand(const HuntCliOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.rules.empty() && !o.parse_only) {
    return Fail(core::Error{core::ErrorCode::kInvalidArgument, "hunt needs --rules PATH...", ""});
  }
  auto format = hunt::ParseInputFormat(o.format);
  if (!format)
    return Fail(core::Error{core::ErrorCode::kInvalidArgument, "unknown --format " + o.format, ""});
  std::optional<hunt::Level> min_level;
  if (!o.min_level.empty()) {
    min_level = hunt::ParseLevel(o.min_level);
    if (!min_level) {
      return Fail(core::Error{
          core::ErrorCode::kInvalidArgument,
          "unknown --min-level " + o.min_level + " (informational, low, medium, high, critical)",
          ""});
    }
  }
  auto map = o.mapping.empty() ? hunt::LogSourceMap::Parse(hunt::LogSourceMap::DefaultText())
                               : hunt::LogSourceMap::Load(o.mapping);
  if (!map) return Fail(map.error());
  hunt::LoadOptions load_opts;
  load_opts.placeholders = &map->placeholders();
  hunt::ParseOutcome loaded;
  if (!o.parse_only) loaded = hunt::LoadRulePaths(o.rules, load_opts);
  std::vector<hunt::Rule> rules;
  std::size_t below_level = 0;
  for (auto& r : loaded.rules) {
    if (min_level && r.level < *min_level) {
      ++below_level;
      continue;
    }
    rules.push_back(std::move(r));
  }
  hunt::CompileOptions copts;
  if (!o.no_cache) copts.cache_dir = o.cache_dir.empty() ? DefaultCacheDir() : o.cache_dir;
  auto plan = hunt::Plan::Compile(rules, *map, copts);
  if (!plan) return Fail(plan.error());
  const double compile_seconds = SecondsSince(t0);

  hunt::HuntOptions ho;
  ho.inputs = o.inputs.empty() ? std::vector<std::string>{"-"} : o.inputs;
  ho.format = *format;
  ho.threads = o.threads;
  ho.parse_only = o.parse_only;
  const bool tty = isatty(fileno(stderr)) != 0;
  if (o.progress && tty) {
    ho.progress = [](std::uint64_t bytes) {
      std::fprintf(stderr, "\r%8.1f MB read", static_cast<double>(bytes) / 1e6);
    };
  }
  std::ios::sync_with_stdio(false);
  const auto t1 = std::chrono::steady_clock::now();
  const hunt::HuntStats st = hunt::RunHunt(rules, **plan, ho, std::cout, std::cerr);
  const double hunt_seconds = SecondsSince(t1);
  if (o.progress && tty) std::fprintf(stderr, "\n");
  for (const auto& e : st.input_errors) std::cerr << "ucsc hunt: " << e << "\n";
  if (o.stats) {
    const auto& ps = (*plan)->stats();
    std::cerr << "stats: events " << st.events << ", bytes " << st.bytes << ", bad records "
              << st.bad_records << ", detections " << st.detections << "\n"
              << "stats: rules loaded " << loaded.rules.size() << ", rejected "
              << loaded.errors.size() << ", below --min-level " << below_level
              << ", without logsource mapping " << ps.unrouted << ", instances " << ps.instances
              << ", prefilter literals " << ps.literals << ", always-run " << ps.always_run
              << (ps.vectorscan ? " (vectorscan" : "")
              << (ps.vectorscan ? (ps.cache_hit ? ", cached)" : ", compiled)") : "") << "\n";
    for (const auto& e : loaded.errors) std::cerr << "stats: rejected " << e.ToString() << "\n";
    std::cerr << "stats: load+compile " << compile_seconds << " s, hunt " << hunt_seconds << " s, "
              << (hunt_seconds > 0 ? static_cast<double>(st.events) / hunt_seconds : 0)
              << " events/s, threads " << o.threads << "\n";
  }
  return st.input_errors.empty() ? 0 : 1;
}

const bool kRegistered = RegisterCommands([](CLI::App& app, std::vector<Command>& out) {
  auto* sigma = app.add_subcommand("sigma", "Sigma rule tools");
  auto* check = sigma->add_subcommand("check", "Validate Sigma rules and print each rejection");
  auto copts = std::make_shared<SigmaCheckOptions>();
  check->add_option("paths", copts->paths, "Rule files or directories")->required();
  out.push_back({check, [copts] { return RunSigmaCheck(*copts); }});

  auto* h = app.add_subcommand("hunt", "Run Sigma rules over event logs (JSON lines out)");
  auto ho = std::make_shared<HuntCliOptions>();
  h->add_option("--rules", ho->rules, "Sigma rule files or directories");
  h->add_option("--input", ho->inputs, "Input files or directories ('-' = stdin, the default)");
  h->add_option("--format", ho->format,
                "auto|evtx|jsonl|xml|csv|syslog (auto: by extension .evtx .xml .csv .json[l] "
                ".log, else by content; stdin is JSON lines unless given)");
  h->add_option("--mapping", ho->mapping,
                "Logsource mapping YAML (default: data/hunt/logsources.yml)");
  h->add_option("--threads", ho->threads, "Worker threads")->check(CLI::Range(1, 256));
  h->add_option("--min-level", ho->min_level, "Only rules of this level or higher");
  h->add_flag("--stats", ho->stats, "Print statistics to stderr");
  h->add_flag("--progress", ho->progress, "Show progress on a terminal");
  h->add_flag("--parse-only", ho->parse_only, "Read and parse only, no rules (benchmark baseline)");
  h->add_option("--cache-dir", ho->cache_dir,
                "Cache of the compiled prefilter (default $XDG_CACHE_HOME/ucsc or ~/.cache/ucsc)");
  h->add_flag("--no-cache", ho->no_cache, "Do not read or write the prefilter cache");
  out.push_back({h, [ho] { return RunHuntCommand(*ho); }});
});

}  // namespace
}  // namespace ucsc::cli
