// `ucsc sigma check PATH...` and `ucsc hunt ...`: the CLI of the hunt component (src/hunt).
#include "capability/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "hunt/bundle.h"
#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/ioc.h"
#include "hunt/sigma/correlation.h"
#include "hunt/sigma/filter.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"
#include "sys/system_clock.h"

namespace ucsc::hunting {
namespace {

using capability::AddStoreOptions;
using capability::CliEnv;
using capability::Command;
using capability::Common;
using capability::DefaultCommon;
using capability::EnvVar;
using capability::Fail;
using capability::OpenStore;
using capability::OsUser;

struct SigmaCheckOptions {
  std::vector<std::string> paths;
};

int RunSigmaCheck(const SigmaCheckOptions& o) {
  const hunt::ParseOutcome outcome = hunt::LoadRulePaths(o.paths);
  for (const auto& e : outcome.errors) std::cout << "rejected " << e.ToString() << "\n";
  std::size_t correlations = 0, filters = 0;
  for (const auto& r : outcome.rules) {
    correlations += r.correlation ? 1 : 0;
    filters += r.is_filter ? 1 : 0;
  }
  // References of correlations and filters are resolved within the given rules only.
  std::vector<std::string> warnings;
  (void)hunt::CorrelationPlan::Build(outcome.rules, &warnings);
  (void)hunt::FilterSet(outcome.rules, nullptr, &warnings);
  for (const auto& w : warnings) std::cout << "warning " << w << "\n";
  const std::size_t total = outcome.rules.size() + outcome.errors.size();
  std::cerr << "sigma check: " << outcome.rules.size() << " rules loaded (" << correlations
            << " correlation, " << filters << " filter), " << outcome.errors.size()
            << " rejected, of " << total << "\n";
  return outcome.errors.empty() ? 0 : 1;
}

struct HuntCliOptions {
  std::vector<std::string> rules;
  std::vector<std::string> iocs;
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
  std::string correlation_lateness;
};

std::string DefaultCacheDir() {
  const std::string xdg = EnvVar("XDG_CACHE_HOME", "");
  if (!xdg.empty()) return xdg + "/ucsc";
  const std::string home = EnvVar("HOME", "");
  return home.empty() ? std::string() : home + "/.cache/ucsc";
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int RunHuntCommand(const HuntCliOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.rules.empty() && o.iocs.empty() && !o.parse_only) {
    return Fail(core::Error{core::ErrorCode::kInvalidArgument,
                            "hunt needs --rules PATH... and/or --ioc FILE", ""});
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
  if (!o.parse_only && !o.rules.empty()) loaded = hunt::LoadRulePaths(o.rules, load_opts);
  std::vector<hunt::Rule> rules;
  std::size_t below_level = 0;
  // Below --min-level: dropped unless a kept correlation needs the rule (then it still runs,
  // but its own detections are not printed) or it is a filter.
  const std::vector<bool> needed =
      min_level ? hunt::RulesNeededAtLevel(loaded.rules, *min_level) : std::vector<bool>();
  std::size_t correlations = 0, filters = 0;
  for (std::size_t i = 0; i < loaded.rules.size(); ++i) {
    hunt::Rule& r = loaded.rules[i];
    if (min_level && r.level < *min_level && !r.is_filter) ++below_level;
    if (min_level && !needed[i]) continue;
    correlations += r.correlation ? 1 : 0;
    filters += r.is_filter ? 1 : 0;
    rules.push_back(std::move(r));
  }
  std::optional<std::int64_t> lateness_ms;
  if (!o.correlation_lateness.empty()) {
    lateness_ms = hunt::ParseTimespan(o.correlation_lateness);
    if (!lateness_ms && o.correlation_lateness != "0") {
      return Fail(core::Error{
          core::ErrorCode::kInvalidArgument,
          "bad --correlation-lateness " + o.correlation_lateness + " (e.g. 30s, 10m, 2h, 1d)", ""});
    }
  }
  // IOC sweeps (hunt/ioc.h): synthetic rules appended after the Sigma rules.
  hunt::IocSet iocs;
  hunt::IocSweep sweep;
  if (!o.parse_only && !o.iocs.empty()) {
    hunt::IocParseOptions iopts;
    iopts.now = sys::SystemClock().Now();
    for (const auto& path : o.iocs) {
      if (auto st = hunt::LoadIocFile(path, iopts, &iocs); !st) return Fail(st.error());
    }
    sweep = hunt::IocSweep::Add(std::move(iocs.indicators), &rules, &*map);
    if (!iocs.rejected.empty()) {
      std::cerr << "ucsc hunt: " << iocs.rejected.size()
                << " IOC lines or indicators rejected (reasons with --stats)\n";
    }
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
  ho.map = &*map;
  ho.min_level = min_level;
  if (!o.correlation_lateness.empty()) ho.correlation_lateness_ms = lateness_ms.value_or(0);
  if (sweep.rules() > 0) {
    ho.detection_extra = [&sweep](std::size_t rule, const hunt::Event& e) {
      return sweep.Describe(rule, e);
    };
  }
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
  for (const auto& w : st.rule_warnings) std::cerr << "ucsc hunt: " << w << "\n";
  if (o.stats) {
    const auto& ps = (*plan)->stats();
    std::cerr << "stats: events " << st.events << ", bytes " << st.bytes << ", bad records "
              << st.bad_records << ", detections " << st.detections << ", correlation detections "
              << st.correlation_detections << ", filtered by Sigma filters " << st.filtered << "\n"
              << "stats: correlated detections without a time " << st.correlation_untimed
              << ", after their window closed " << st.correlation_late
              << ", group timelines restarted (time went back) " << st.correlation_restarts << "\n"
              << "stats: rules loaded " << loaded.rules.size() << ", rejected "
              << loaded.errors.size() << " (correlation " << correlations << ", filter " << filters
              << " in use), below --min-level " << below_level << ", without logsource mapping "
              << ps.unrouted << ", instances " << ps.instances << ", prefilter literals "
              << ps.literals << ", always-run " << ps.always_run
              << (ps.vectorscan ? " (vectorscan" : "")
              << (ps.vectorscan ? (ps.cache_hit ? ", cached)" : ", compiled)") : "") << "\n";
    for (const auto& e : loaded.errors) std::cerr << "stats: rejected " << e.ToString() << "\n";
    if (!o.iocs.empty()) {
      std::cerr << "stats: iocs loaded " << sweep.indicators() << " (in " << sweep.rules()
                << " rules), rejected " << iocs.rejected.size() << ", expired " << iocs.expired
                << ", revoked " << iocs.revoked << ", duplicates " << iocs.duplicates << "\n";
      for (const auto& e : iocs.rejected) {
        std::cerr << "stats: ioc rejected " << e.ToString() << "\n";
      }
    }
    std::cerr << "stats: load+compile " << compile_seconds << " s, hunt " << hunt_seconds << " s, "
              << (hunt_seconds > 0 ? static_cast<double>(st.events) / hunt_seconds : 0)
              << " events/s, threads " << o.threads << "\n";
  }
  return st.input_errors.empty() ? 0 : 1;
}

}  // namespace

void AddCommands(CLI::App& app, const capability::CliEnv& /*env*/,
                 std::vector<capability::Command>& out) {
  auto* sigma = app.add_subcommand("sigma", "Sigma rule tools");
  auto* check = sigma->add_subcommand("check", "Validate Sigma rules and print each rejection");
  auto copts = std::make_shared<SigmaCheckOptions>();
  check->add_option("paths", copts->paths, "Rule files or directories")->required();
  out.push_back({check, [copts] { return RunSigmaCheck(*copts); }});

  // Signed rule bundles for networks without Internet (hunt/bundle.h).
  auto* bundle = sigma->add_subcommand("bundle", "Signed (Ed25519) rule bundles");
  bundle->require_subcommand(1);
  auto* keygen = bundle->add_subcommand(
      "keygen", "Write a new key pair: PREFIX.pub (give to every installation) and PREFIX.key");
  auto kprefix = std::make_shared<std::string>();
  keygen->add_option("PREFIX", *kprefix, "Path prefix of the two key files")->required();
  out.push_back({keygen, [kprefix] {
                   const auto keys = hunt::GenerateBundleKeys();
                   { std::ofstream(*kprefix + ".pub") << keys.public_key << "\n"; }
                   const mode_t old = ::umask(077);
                   { std::ofstream(*kprefix + ".key") << keys.secret_key << "\n"; }
                   ::umask(old);
                   std::cout << "public key " << keys.public_key << "\n";
                   return 0;
                 }});
  struct BundleCreate {
    std::string key, out, created = core::FormatRfc3339Utc(sys::SystemClock().Now());
    std::vector<std::string> paths;
  };
  auto bc = std::make_shared<BundleCreate>();
  auto* create =
      bundle->add_subcommand("create", "Sign the .yml/.yaml rules under PATH… into a bundle");
  create->add_option("--key", bc->key, "Secret key file (from keygen)")->required();
  create->add_option("--out", bc->out, "Bundle file to write")->required();
  create->add_option("paths", bc->paths, "Rule directories")->required();
  out.push_back(
      {create, [bc] {
         std::vector<hunt::BundleFile> files;
         for (const auto& root : bc->paths) {
           std::error_code ec;
           for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
                !ec && it != std::filesystem::recursive_directory_iterator(); ++it) {
             const auto& p = it->path();
             if (!it->is_regular_file() || (p.extension() != ".yml" && p.extension() != ".yaml")) {
               continue;
             }
             std::ifstream in(p, std::ios::binary);
             std::stringstream bytes;
             bytes << in.rdbuf();
             files.push_back({std::filesystem::relative(p, root).generic_string(), bytes.str()});
           }
           if (ec) return Fail(core::Error{core::ErrorCode::kNotFound, "cannot read " + root, ""});
         }
         std::ifstream kin(bc->key);
         std::string key;
         kin >> key;
         auto b = hunt::CreateBundle(files, key, bc->created);
         if (!b) return Fail(b.error());
         std::ofstream(bc->out, std::ios::binary) << *b;
         std::cout << files.size() << " rules signed into " << bc->out << "\n";
         return 0;
       }});
  struct BundleInstall {
    std::string pub, bundle, dir;
  };
  auto bi = std::make_shared<BundleInstall>();
  auto* install = bundle->add_subcommand(
      "install", "Verify a bundle's signature and every rule's SHA-256, then replace DIR with it");
  install->add_option("--pubkey", bi->pub, "Public key file (from keygen)")->required();
  install->add_option("BUNDLE", bi->bundle, "Bundle file")->required();
  install->add_option("DIR", bi->dir, "Rule directory to replace")->required();
  out.push_back({install, [bi] {
                   std::ifstream kin(bi->pub);
                   std::string key;
                   kin >> key;
                   auto n = hunt::InstallBundle(bi->bundle, key, bi->dir);
                   if (!n) return Fail(n.error());
                   std::cout << *n << " rules installed in " << bi->dir << "\n";
                   return 0;
                 }});

  auto* h = app.add_subcommand("hunt", "Run Sigma rules over event logs (JSON lines out)");
  auto ho = std::make_shared<HuntCliOptions>();
  h->add_option("--rules", ho->rules, "Sigma rule files or directories");
  h->add_option("--ioc", ho->iocs,
                "IOC file (repeatable; with or without --rules): one indicator per line, type "
                "detected or given as type:value (ipv4 ipv6 cidr domain url md5 sha1 sha256 "
                "sha512 imphash email filename filepath registry commandline), # comments, "
                "defanged values refanged; or a STIX 2.1 bundle of indicators (pattern subset: "
                "= IN LIKE MATCHES ISSUBSET with AND/OR in one [...], OR between [...]; expired "
                "and revoked indicators skipped). Detections get an \"ioc\" member: type, value, "
                "field, source, stix_id, name");
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
  h->add_option("--correlation-lateness", ho->correlation_lateness,
                "How far (event time) a detection may arrive behind the newest of its correlation "
                "group and still join its windows (default 10m); further back starts a new "
                "timeline for the group");
  out.push_back({h, [ho] { return RunHuntCommand(*ho); }});
}

}  // namespace ucsc::hunting
