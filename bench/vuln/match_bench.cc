// Driver for profiling CVE matching: the library path of `ucsc vuln match --inventory`, minus
// the CLI, on one thread, repeated.
//   ucsc_match_bench NVD KEV INVENTORY [RUNS]
// INVENTORY has one system per line, its CPEs separated by spaces (bench/vuln/gen_inventory.py).
// Prints the load+index time and the Matcher construction time, one line per run:
// match_s=... results=... confirmed=... possible=... kev=...; then the median.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "scan/cpe.h"
#include "scan/kev.h"
#include "scan/match.h"
#include "scan/nvd.h"

int main(int argc, char** argv) {
  using namespace ucsc::scan;
  if (argc < 4) {
    std::cerr << "usage: ucsc_match_bench NVD KEV INVENTORY [RUNS]\n";
    return 2;
  }
  const int runs = argc > 4 ? std::max(1, std::atoi(argv[4])) : 5;
  auto t0 = std::chrono::steady_clock::now();
  auto nvd = LoadNvdFile(argv[1]);
  if (!nvd) {
    std::cerr << nvd.error().ToString() << "\n";
    return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  auto kev = LoadKevFile(argv[2]);
  if (!kev) {
    std::cerr << kev.error().ToString() << "\n";
    return 1;
  }
  std::vector<std::vector<Cpe>> systems;
  std::ifstream in(argv[3]);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<Cpe> system;
    std::string word;
    while (words >> word) {
      auto cpe = ParseAnyCpe(word);
      if (!cpe) {
        std::cerr << word << ": " << cpe.error().ToString() << "\n";
        return 1;
      }
      system.push_back(std::move(*cpe));
    }
    if (!system.empty()) systems.push_back(std::move(system));
  }
  auto t2 = std::chrono::steady_clock::now();
  Matcher matcher(*nvd, &*kev);
  auto t3 = std::chrono::steady_clock::now();
  std::printf("index_s=%.3f matcher_s=%.3f systems=%zu\n",
              std::chrono::duration<double>(t1 - t0).count(),
              std::chrono::duration<double>(t3 - t2).count(), systems.size());
  std::vector<double> times;
  for (int run = 0; run < runs; ++run) {
    size_t results = 0, confirmed = 0, possible = 0, in_kev = 0;
    auto s = std::chrono::steady_clock::now();
    for (const auto& system : systems) {
      std::vector<VulnMatch> matches = matcher.Match(system);
      results += matches.size();
      for (const auto& m : matches) {
        (m.tier == Tier::kConfirmed ? confirmed : possible)++;
        if (m.kev != nullptr) ++in_kev;
      }
    }
    auto e = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double>(e - s).count());
    std::printf("match_s=%.3f results=%zu confirmed=%zu possible=%zu kev=%zu\n", times.back(),
                results, confirmed, possible, in_kev);
  }
  std::sort(times.begin(), times.end());
  std::printf("median_match_s=%.3f\n", times[times.size() / 2]);
  return 0;
}
