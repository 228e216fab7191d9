// FUZZ_LIBS: ucsc_codec ucsc_inventory
// Fuzzes the API body path: JSON parsing with the depth limit, then the strict decoders of
// every entity in create and patch mode, then validation. Oracle: whatever decodes survives a
// round trip through the stored form unchanged once it validates.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "codec/entities.h"
#include "inventory/validate.h"

namespace {

using ucsc::codec::Json;
using ucsc::codec::Mode;

template <class T, class Validate>
void Exercise(const Json& body, Validate validate) {
  for (Mode mode : {Mode::kCreate, Mode::kPatch}) {
    T value;
    if (!ucsc::codec::Decode(body, mode, value)) continue;
    // Only a valid entity is ever stored: a patch applied to an empty value may lack required
    // fields (regression seed crash-e9afaf04: a task patch without a title).
    if (!validate(value)) continue;
    value.id = "00000000-0000-7000-8000-000000000000";
    Json stored = ucsc::codec::ToJson(value);
    T again;
    if (!ucsc::codec::Decode(stored, Mode::kStored, again)) __builtin_trap();
    if (ucsc::codec::ToJson(again) != stored) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  auto parsed =
      ucsc::codec::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), 32);
  if (!parsed) return 0;
  const Json& body = *parsed;
  Exercise<ucsc::core::Organisation>(body, ucsc::inventory::ValidateOrganisation);
  Exercise<ucsc::core::InformationSystem>(body, ucsc::inventory::ValidateSystem);
  Exercise<ucsc::core::Asset>(body, ucsc::inventory::ValidateAsset);
  Exercise<ucsc::core::Contact>(body, ucsc::inventory::ValidateContact);
  Exercise<ucsc::core::IrTeamMember>(body, ucsc::inventory::ValidateMember);
  Exercise<ucsc::core::Task>(body, ucsc::inventory::ValidateTask);
  return 0;
}
