// FUZZ_LIBS: ucsc_hunt ucsc_core
// Sigma condition parser: any text gives a tree or an error, never a crash or unbounded
// recursion; every reference in the tree points at a known identifier.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/sigma/sigma_rule.h"

namespace {
void Check(const ucsc::hunt::Condition& c, std::size_t names) {
  if (c.kind == ucsc::hunt::Condition::Kind::kRef &&
      (c.selection < 0 || static_cast<std::size_t>(c.selection) >= names)) {
    __builtin_trap();
  }
  if (c.kind == ucsc::hunt::Condition::Kind::kNot && c.children.size() != 1) __builtin_trap();
  for (const auto& ch : c.children) Check(ch, names);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  static const std::vector<std::string> kNames = {"selection", "sel_a",   "sel_b",
                                                  "filter",    "_hidden", "keywords"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = ucsc::hunt::ParseCondition(text, kNames);
  if (c) Check(*c, kNames.size());
  return 0;
}
