// CPE 2.3 names: parsing of the formatted-string binding ("cpe:2.3:a:openbsd:openssh:8.9:p1:...")
// with its backslash escapes, of the older URI binding ("cpe:/a:openbsd:openssh:8.9p1", what Nmap
// prints) and formatting back. A name is kept in WFN form: eleven attributes, each ANY, NA or a
// value. Values are lower-cased (CPE matching is case-insensitive) and unescaped.
// Thread-safety: plain values; the functions are pure and safe to call from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace ucsc::scan {

// The eleven WFN attributes, in formatted-string order.
enum class CpeAttr : int {
  kPart = 0,
  kVendor,
  kProduct,
  kVersion,
  kUpdate,
  kEdition,
  kLanguage,
  kSwEdition,
  kTargetSw,
  kTargetHw,
  kOther,
};
inline constexpr size_t kCpeAttrCount = 11;
std::string_view CpeAttrName(CpeAttr attr);

// One attribute: ANY ("*"), NA ("-") or a literal value (unescaped, lower-case, never empty).
struct CpeValue {
  enum class Kind : unsigned char { kAny, kNa, kValue };
  Kind kind = Kind::kAny;
  std::string value;

  static CpeValue Any() { return {}; }
  static CpeValue Na() { return {Kind::kNa, {}}; }
  static CpeValue Of(std::string v) { return {Kind::kValue, std::move(v)}; }
  bool IsAny() const { return kind == Kind::kAny; }
  bool IsNa() const { return kind == Kind::kNa; }
  bool IsValue() const { return kind == Kind::kValue; }
  bool operator==(const CpeValue&) const = default;
};

class Cpe {
 public:
  Cpe() = default;
  const CpeValue& Get(CpeAttr attr) const { return attrs_[static_cast<int>(attr)]; }
  CpeValue& Mutable(CpeAttr attr) { return attrs_[static_cast<int>(attr)]; }
  const CpeValue& part() const { return Get(CpeAttr::kPart); }
  const CpeValue& vendor() const { return Get(CpeAttr::kVendor); }
  const CpeValue& product() const { return Get(CpeAttr::kProduct); }
  const CpeValue& version() const { return Get(CpeAttr::kVersion); }
  const CpeValue& update() const { return Get(CpeAttr::kUpdate); }

  // "vendor:product" (values as stored); empty parts when ANY/NA. The NVD index key.
  std::string Key() const;
  // The formatted-string binding, with the characters that need it escaped.
  std::string ToString() const;
  bool operator==(const Cpe&) const = default;

 private:
  std::array<CpeValue, kCpeAttrCount> attrs_;
};

enum class CpeForm {
  kStrict,      // all eleven attributes must be present (the CPE 2.3 specification)
  kAllowShort,  // trailing attributes may be left out and count as ANY (command lines, inventories)
};

// Longest CPE string accepted; longer input is refused rather than parsed.
inline constexpr size_t kMaxCpeLength = 1024;

// Parses a formatted string "cpe:2.3:<part>:<vendor>:...". A backslash quotes the next character
// ("joomla\!", "pl\/php", "12.1\(19\)e1"); an unquoted "*" or "-" alone is ANY or NA. Unquoted
// "*"/"?" wildcards inside a value are not supported and refused.
// Returns kInvalidArgument naming the attribute, the byte offset and the reason: wrong prefix,
// too few/many attributes, part not a/o/h/*, empty attribute, a dangling backslash, a character
// outside printable ASCII, an unquoted special character, or input over kMaxCpeLength.
[[nodiscard]] core::Result<Cpe> ParseCpe(std::string_view text, CpeForm form = CpeForm::kStrict);

// Parses the CPE 2.2 URI binding "cpe:/a:vendor:product:version:update:edition:language"
// (percent-encoding decoded; an empty or missing component is ANY, "-" is NA). Nmap prints this.
[[nodiscard]] core::Result<Cpe> ParseCpeUri(std::string_view text);

// ParseCpe for "cpe:2.3:" strings, ParseCpeUri for "cpe:/" strings (short forms allowed).
[[nodiscard]] core::Result<Cpe> ParseAnyCpe(std::string_view text);

}  // namespace ucsc::scan
