// FUZZ_LIBS: ucsc_hunt ucsc_core
// Sigma rule loader: any bytes must give rules or errors with a reason, never a crash; a loaded
// rule must evaluate on a small event without crashing (oracle: the AST is well formed).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hunt/reference_evaluator.h"
#include "hunt/sigma_rule.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16384) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ucsc::hunt::ParseOutcome out = ucsc::hunt::ParseRuleText(text, "fuzz.yml");
  for (const auto& e : out.errors) {
    if (e.reason.empty()) __builtin_trap();
  }
  ucsc::hunt::Event ev;
  ev.Add("Image", "C:\\Windows\\System32\\cmd.exe");
  ev.Add("CommandLine", "cmd /c whoami -all");
  ev.Add("EventID", "1");
  for (const auto& r : out.rules) {
    if (!r.correlation) (void)ucsc::hunt::EvaluateRule(r, ev, nullptr, -1);
  }
  return 0;
}
