// FUZZ_LIBS: ucsc_compliance
// The compliance facts reader of stored system documents (compliance/facts.h,
// SystemFactsFromDoc): any bytes give the facts or a kInvalidArgument error, never a crash.
// Oracles on success: the operator defaults to the owner; every date is a real calendar date.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "compliance/facts.h"
#include "core/legal_time.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 65536) return 0;
  static simdjson::dom::parser parser;
  const std::string doc(reinterpret_cast<const char*>(data), size);
  const auto facts = ucsc::compliance::SystemFactsFromDoc(parser, doc);
  if (!facts) {
    Check(facts.error().code == ucsc::core::ErrorCode::kInvalidArgument);
    return 0;
  }
  if (!facts->owner_org_id.empty()) Check(!facts->operator_org_id.empty());
  Check(ucsc::core::IsValidDate(facts->created));
  for (const auto& h : facts->level_history) Check(ucsc::core::IsValidDate(h.date));
  return 0;
}
