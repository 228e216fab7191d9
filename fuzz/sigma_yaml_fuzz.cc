// FUZZ_LIBS: ucsc_hunt ucsc_core
// Sigma rule loader: any bytes must give rules or errors with a reason, never a crash; a loaded
// rule must evaluate on a small event without crashing (oracle: the AST is well formed). Loaded
// correlations and filters are resolved and fed a few detections of every rule they reference
// (oracle: every correlation detection names a correlation rule and has records).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/sigma/correlation.h"
#include "hunt/sigma/filter.h"
#include "hunt/sigma/reference_evaluator.h"
#include "hunt/sigma/sigma_rule.h"

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
  const ucsc::hunt::FilterSet filters(out.rules, nullptr);
  const auto plan = ucsc::hunt::CorrelationPlan::Build(out.rules);
  ucsc::hunt::CorrelationEvaluator eval(plan);
  std::vector<ucsc::hunt::CorrelationDetection> fired;
  for (int t = 0; t < 4; ++t) {
    for (std::size_t r = 0; r < out.rules.size(); ++r) {
      const int ri = static_cast<int>(r);
      (void)filters.Keeps(ri, ev);
      if (!plan.Feeds(ri) || out.rules[r].correlation) continue;
      ucsc::hunt::BaseDetection d;
      d.rule = ri;
      d.record = static_cast<std::uint64_t>(t);
      d.timestamp = "2026-01-01T00:00:0" + std::to_string(t * 2) + "Z";
      plan.ExtractValues(ev, nullptr, -1, &d);
      eval.Add(d, &fired);
    }
  }
  eval.Flush(&fired);
  for (const auto& d : fired) {
    if (!out.rules[static_cast<std::size_t>(d.rule)].correlation || d.records.empty()) {
      __builtin_trap();
    }
    (void)ucsc::hunt::CorrelationDetectionJson(out.rules, d);
  }
  return 0;
}
