// FUZZ_LIBS: ucsc_hunt ucsc_core
// Signed rule bundles (hunt/bundle.h). The raw input is verified as a bundle (it carries no valid
// signature: refused, never a crash). Then its first line becomes a path prefix and the rest is
// cut into files; CreateBundle signs them with a test key (or refuses a path that would leave the
// directory) and VerifyBundle must give back exactly those files; one changed byte must be
// refused. Oracles: no crash; round trip; no ".." segment in a verified path.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hunt/bundle.h"

namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

const ucsc::hunt::BundleKeys& Keys() {
  static const ucsc::hunt::BundleKeys keys = ucsc::hunt::GenerateBundleKeys();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ucsc::hunt;
  if (size > 65536) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  if (nl == std::string_view::npos) {
    (void)VerifyBundle(input, Keys().public_key);  // unsigned bytes: refused, never a crash
    return 0;
  }
  (void)VerifyBundle(input, Keys().public_key);
  std::vector<BundleFile> files;
  const std::string body(input.substr(nl + 1));
  size_t pos = 0;
  int index = 0;
  while (pos < body.size() && files.size() < 64) {
    const size_t len =
        std::min<size_t>(body.size() - pos, static_cast<unsigned char>(body[pos]) + 1);
    files.push_back({std::string(input.substr(0, std::min<size_t>(nl, 40))) + "/" +
                         std::to_string(index++) + ".yml",
                     body.substr(pos, len)});
    pos += len;
  }
  auto bundle = CreateBundle(files, Keys().secret_key, "fuzz");
  if (!bundle) return 0;  // a path the checks refuse
  auto verified = VerifyBundle(*bundle, Keys().public_key);
  Check(verified.has_value());
  Check(verified->size() == files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    Check((*verified)[i].path == files[i].path);
    Check((*verified)[i].bytes == files[i].bytes);
    Check(("/" + (*verified)[i].path + "/").find("/../") == std::string::npos);
  }
  // One changed byte at the end (a file's last byte, or the signature line's newline) is caught.
  std::string tampered = *bundle;
  tampered.back() ^= 0x01;
  Check(!VerifyBundle(tampered, Keys().public_key).has_value());
  return 0;
}
