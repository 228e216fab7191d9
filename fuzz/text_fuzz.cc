// FUZZ_LIBS: ucsc_text
// Fuzz target for text/vietnamese.h: FoldForSearch, CollationKey, NormalizeNfc and IsValidUtf8
// on arbitrary bytes, checked against these oracles:
// - NormalizeNfc never changes what search or collation see:
//   FoldForSearch(NormalizeNfc(x)) == FoldForSearch(x), CollationKey(NormalizeNfc(x)) ==
//   CollationKey(x);
// - NormalizeNfc and FoldForSearch are idempotent and return valid UTF-8;
// - ASCII input is valid UTF-8 and NormalizeNfc leaves it unchanged;
// - CollationKey is printable ASCII (0x21..0x7E).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "text/vietnamese.h"

namespace {

constexpr size_t kMaxInputSize = 4096;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

bool IsPrintableAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

bool IsAscii(std::string_view bytes) {
  for (char c : bytes) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInputSize) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using ucsc::text::CollationKey;
  using ucsc::text::FoldForSearch;
  using ucsc::text::IsValidUtf8;
  using ucsc::text::NormalizeNfc;

  const bool valid = IsValidUtf8(input);
  const std::string nfc = NormalizeNfc(input);
  Check(IsValidUtf8(nfc));
  Check(NormalizeNfc(nfc) == nfc);
  if (IsAscii(input)) Check(valid && nfc == input);

  const std::string folded = FoldForSearch(input);
  Check(IsValidUtf8(folded));
  Check(FoldForSearch(nfc) == folded);
  Check(FoldForSearch(folded) == folded);

  const std::string key = CollationKey(input);
  Check(IsPrintableAscii(key));
  Check(CollationKey(nfc) == key);
  return 0;
}
