// FUZZ_LIBS: ucsc_scan ucsc_core
// Fuzz target for scan::ParseCpe / ParseCpeUri (STYLE.md "Benchmarks and fuzzing").
//
// Oracle: a CPE that parses is formatted with ToString() and parsed again; the result must be
// equal (escapes round-trip) and format to the same string.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "scan/cpe.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "cpe_fuzz oracle failed: %s\n", what);
  std::abort();
}

void RoundTrip(const ucsc::scan::Cpe& cpe) {
  const std::string text = cpe.ToString();
  auto again = ucsc::scan::ParseCpe(text);
  if (!again) Fail("formatted CPE does not parse");
  if (!(*again == cpe)) Fail("round trip changed the CPE");
  if (again->ToString() != text) Fail("formatting is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto form : {ucsc::scan::CpeForm::kStrict, ucsc::scan::CpeForm::kAllowShort}) {
    auto cpe = ucsc::scan::ParseCpe(text, form);
    if (cpe) RoundTrip(*cpe);
  }
  auto uri = ucsc::scan::ParseCpeUri(text);
  if (uri) RoundTrip(*uri);
  return 0;
}
