// FUZZ_LIBS: ucsc_scan ucsc_core
// Fuzz target for scan::Version (STYLE.md "Benchmarks and fuzzing").
//
// Input: two version strings separated by the first newline. Oracle: comparison is reflexive and
// antisymmetric (Compare(a, b) == -Compare(b, a)), and parsing is deterministic.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "scan/version.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "version_fuzz oracle failed: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string_view a_text = text.substr(0, nl);
  std::string_view b_text = nl == std::string_view::npos ? text : text.substr(nl + 1);
  using ucsc::scan::Version;
  auto a = Version::Parse(a_text);
  auto b = Version::Parse(b_text);
  if (a) {
    if (Version::Compare(*a, *a) != 0) Fail("a != a");
    auto a2 = Version::Parse(a_text);
    if (!a2 || Version::Compare(*a, *a2) != 0) Fail("parse is not deterministic");
  }
  if (a && b) {
    int ab = Version::Compare(*a, *b);
    int ba = Version::Compare(*b, *a);
    if (ab != -ba) Fail("not antisymmetric");
  }
  return 0;
}
