// FUZZ_LIBS: ucsc_scan ucsc_core
// Fuzz target for scan::LoadNvdText and the matcher (STYLE.md "Benchmarks and fuzzing").
//
// Oracle: never a crash; an index that loads has consistent cross references (configurations,
// nodes and matches in range), and matching each valid criterion's own CPE against the index
// terminates with results that name only inventory items that exist.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "scan/match.h"
#include "scan/nvd.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "nvd_json_fuzz oracle failed: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto idx = ucsc::scan::LoadNvdText(text, "fuzz", 10000);
  if (!idx) return 0;
  for (const auto& cve : idx->cves()) {
    if (cve.first_config + cve.config_count > idx->configs().size()) Fail("config range");
  }
  for (const auto& cfg : idx->configs()) {
    if (cfg.first_node + cfg.node_count > idx->nodes().size()) Fail("node range");
  }
  for (const auto& node : idx->nodes()) {
    if (node.first_match + node.match_count > idx->node_matches().size()) Fail("match range");
  }
  std::vector<ucsc::scan::Cpe> inventory;
  for (const auto& c : idx->criteria()) {
    if (c.valid && inventory.size() < 8) inventory.push_back(c.cpe);
  }
  ucsc::scan::Matcher matcher(*idx);
  for (const auto& m : matcher.Match(inventory)) {
    if (m.items.empty()) Fail("match without items");
    for (const auto& item : m.items) {
      if (item.item >= inventory.size()) Fail("item out of range");
    }
  }
  return 0;
}
