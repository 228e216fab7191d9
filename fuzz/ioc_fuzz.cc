// FUZZ_LIBS: ucsc_hunt ucsc_core
// IOC files (hunt/ioc.h): the input is parsed as an IOC file (a STIX bundle when it starts with
// `{`, else one indicator per line) and as one STIX pattern; the indicators become rules and are
// compiled and run on an event made of the input's lines. Oracles: no crash or leak; every kept
// equality term is already normal (normalising it again gives the same value); every rejection
// has a reason; a detection of an IOC rule is always described.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/engine.h"
#include "hunt/event.h"
#include "hunt/ioc.h"
#include "hunt/sigma/logsource.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckTerms(const std::vector<ucsc::hunt::IocTerm>& terms) {
  using ucsc::hunt::IocOp;
  for (const auto& t : terms) {
    if (t.op != IocOp::kEquals) continue;
    auto again = ucsc::hunt::NormalizeIoc(t.type, t.value);
    Check(again.has_value() && again->value == t.value && again->type == t.type);
  }
}

const ucsc::hunt::LogSourceMap& BaseMap() {
  static const ucsc::hunt::LogSourceMap map =
      *ucsc::hunt::LogSourceMap::Parse(ucsc::hunt::LogSourceMap::DefaultText());
  return map;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ucsc::hunt;
  if (size > 16384) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  IocSet set;
  ParseIocText(text, "fuzz", {}, &set);
  for (const auto& r : set.rejected) Check(!r.reason.empty() && !r.where.empty());
  for (const auto& ind : set.indicators) {
    Check(!ind.terms.empty());
    CheckTerms(ind.terms);
  }
  if (auto dnf = ParseStixPattern(text)) {
    for (const auto& conj : *dnf) CheckTerms(conj);
  }
  (void)Refang(text);

  // Rules on the engine, one event: field names the IOC rules read, values from the input.
  LogSourceMap map = BaseMap();
  std::vector<Rule> rules;
  const IocSweep sweep = IocSweep::Add(std::move(set.indicators), &rules, &map);
  auto plan = Plan::Compile(rules, map);
  Check(plan.has_value());
  static constexpr std::array<std::string_view, 8> kFields = {
      "DestinationIp", "QueryName",    "CommandLine", "Hashes",
      "Image",         "TargetObject", "url",         "Sender"};
  Event e;
  std::size_t pos = 0, field = 0;
  while (pos <= text.size() && field < 32) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    e.Add(kFields[field % 8], text.substr(pos, nl - pos));
    ++field;
    pos = nl + 1;
  }
  Matcher matcher(**plan);
  std::vector<int> hits;
  matcher.Match(e, &hits);
  for (int r : hits) Check(!sweep.Describe(static_cast<std::size_t>(r), e).empty());
  return 0;
}
