// Driver for bench/hunt/run.sh: the same code path as `ucsc hunt`, minus the CLI.
//   ucsc_hunt_bench RULES_DIR INPUT THREADS [parse-only|compile-only]
// Prints one line: load_compile_s=... hunt_s=... events=... events_per_s=... detections=...
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <streambuf>
#include <string>

#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace {
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Discards detections, as `ucsc hunt > /dev/null` would (formatting still happens).
class NullBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};
}  // namespace

int main(int argc, char** argv) {
  using namespace ucsc::hunt;
  if (argc < 4) {
    std::cerr << "usage: ucsc_hunt_bench RULES_DIR INPUT THREADS [parse-only|compile-only]\n";
    return 2;
  }
  const std::string mode = argc > 4 ? argv[4] : "";
  const auto t0 = std::chrono::steady_clock::now();
  auto map = LogSourceMap::Parse(LogSourceMap::DefaultText());
  if (!map) return 1;
  LoadOptions lo;
  lo.placeholders = &map->placeholders();
  ParseOutcome loaded;
  if (mode != "parse-only") loaded = LoadRulePaths({argv[1]}, lo);
  CompileOptions co;
  if (const char* d = std::getenv("UCSC_HUNT_CACHE_DIR")) co.cache_dir = d;
  auto plan = Plan::Compile(loaded.rules, *map, co);
  if (!plan) {
    std::cerr << plan.error().message << "\n";
    return 1;
  }
  const auto t1 = std::chrono::steady_clock::now();
  const double compile_s = std::chrono::duration<double>(t1 - t0).count();
  if (mode == "compile-only") {
    std::printf(
        "rules=%zu rejected=%zu load_compile_s=%.3f literals=%zu always_run=%zu cache_hit=%d\n",
        loaded.rules.size(), loaded.errors.size(), compile_s, (*plan)->stats().literals,
        (*plan)->stats().always_run, (*plan)->stats().cache_hit ? 1 : 0);
    return 0;
  }
  HuntOptions ho;
  ho.inputs = {argv[2]};
  ho.threads = std::atoi(argv[3]);
  ho.parse_only = mode == "parse-only";
  NullBuf null_buf;
  std::ostream out(&null_buf);
  std::ostream sink_err(&null_buf);
  const double cpu0 = ProcessCpuSeconds();
  const HuntStats st = RunHunt(loaded.rules, **plan, ho, out, sink_err);
  const double hunt_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const double hunt_cpu_s = ProcessCpuSeconds() - cpu0;
  std::printf(
      "rules=%zu load_compile_s=%.3f hunt_s=%.3f hunt_cpu_s=%.3f events=%llu events_per_s=%.0f "
      "detections=%llu bad=%llu\n",
      loaded.rules.size(), compile_s, hunt_s, hunt_cpu_s,
      static_cast<unsigned long long>(st.events),
      hunt_s > 0 ? static_cast<double>(st.events) / hunt_s : 0.0,
      static_cast<unsigned long long>(st.detections),
      static_cast<unsigned long long>(st.bad_records));
  return 0;
}
