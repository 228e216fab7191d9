// FUZZ_LIBS: ucsc_scan ucsc_codec ucsc_core
// Fuzz target for scan::ParseNucleiJsonl (STYLE.md "Benchmarks and fuzzing").
//
// Oracle: never a crash; a parsed report is well-formed (every finding names a host and a
// severity or an id, every CVE id is upper-case "CVE-"), and parsing twice gives the same counts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "scan/import_report.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "nuclei_jsonl_fuzz oracle failed: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 20)) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = ucsc::scan::ParseNucleiJsonl(text, "fuzz");
  if (!r) {
    if (r.error().message.rfind("fuzz", 0) != 0) Fail("error does not name the input");
    return 0;
  }
  for (const auto& f : r->findings) {
    for (const auto& cve : f.cves) {
      if (cve.rfind("CVE-", 0) != 0) Fail("CVE id not normalised");
    }
  }
  auto again = ucsc::scan::ParseNucleiJsonl(text, "fuzz");
  if (!again || again->findings.size() != r->findings.size() ||
      again->services.size() != r->services.size()) {
    Fail("parse is not deterministic");
  }
  return 0;
}
