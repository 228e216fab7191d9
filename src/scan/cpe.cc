#include "scan/cpe.h"

#include <string>

namespace ucsc::scan {
namespace {

constexpr std::array<std::string_view, kCpeAttrCount> kAttrNames = {
    "part",     "vendor",     "product",   "version",   "update", "edition",
    "language", "sw_edition", "target_sw", "target_hw", "other"};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
// Characters a formatted-string value may hold without a backslash.
bool IsUnquotedOk(char c) { return IsAlnum(c) || c == '_' || c == '-' || c == '.'; }

std::string Printable(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("byte 0x") + kHex[u >> 4] + kHex[u & 15];
}

core::Status CheckPart(const CpeValue& v, size_t offset) {
  if (v.IsAny()) return core::Ok();
  if (v.IsValue() && (v.value == "a" || v.value == "o" || v.value == "h")) return core::Ok();
  return core::InvalidArgument("CPE part at offset " + std::to_string(offset) +
                               " must be a, o, h or *, not '" + (v.IsNa() ? "-" : v.value) + "'");
}

void AppendEscaped(std::string& out, const CpeValue& v) {
  if (v.IsAny()) {
    out += '*';
    return;
  }
  if (v.IsNa()) {
    out += '-';
    return;
  }
  for (size_t i = 0; i < v.value.size(); ++i) {
    char c = v.value[i];
    // A lone "-" value would read back as NA, so quote it; '.', '_', '-' inside are fine.
    bool quote = !IsUnquotedOk(c) || (c == '-' && v.value.size() == 1);
    if (quote) out += '\\';
    out += c;
  }
}

}  // namespace

std::string_view CpeAttrName(CpeAttr attr) { return kAttrNames[static_cast<int>(attr)]; }

std::string Cpe::Key() const {
  std::string key;
  if (vendor().IsValue()) key = vendor().value;
  key += ':';
  if (product().IsValue()) key += product().value;
  return key;
}

std::string Cpe::ToString() const {
  std::string out = "cpe:2.3";
  for (const auto& v : attrs_) {
    out += ':';
    AppendEscaped(out, v);
  }
  return out;
}

core::Result<Cpe> ParseCpe(std::string_view text, CpeForm form) {
  if (text.size() > kMaxCpeLength) {
    return core::InvalidArgument("CPE longer than " + std::to_string(kMaxCpeLength) + " bytes (" +
                                 std::to_string(text.size()) + ")");
  }
  constexpr std::string_view kPrefix = "cpe:2.3:";
  if (text.size() < kPrefix.size() || !(Lower(text[0]) == 'c' && Lower(text[1]) == 'p' &&
                                        Lower(text[2]) == 'e' && text.substr(3, 5) == ":2.3:")) {
    return core::InvalidArgument("CPE must start with \"cpe:2.3:\": \"" +
                                 std::string(text.substr(0, 40)) + "\"");
  }
  Cpe cpe;
  size_t attr = 0;
  size_t pos = kPrefix.size();
  while (true) {
    if (attr >= kCpeAttrCount) {
      return core::InvalidArgument("CPE has more than 11 attributes (extra ':' at offset " +
                                   std::to_string(pos - 1) + ")");
    }
    const size_t start = pos;
    const auto name = std::string(kAttrNames[attr]);
    std::string value;
    bool quoted_any = false;  // a backslash was used, so "*" / "-" are literal
    while (pos < text.size() && text[pos] != ':') {
      char c = text[pos];
      auto u = static_cast<unsigned char>(c);
      if (u < 0x21 || u >= 0x7f) {
        return core::InvalidArgument("CPE " + name + ": " + Printable(c) + " at offset " +
                                     std::to_string(pos) + " is not printable ASCII");
      }
      if (c == '\\') {
        if (pos + 1 >= text.size()) {
          return core::InvalidArgument("CPE " + name + ": dangling backslash at offset " +
                                       std::to_string(pos));
        }
        char q = text[pos + 1];
        auto uq = static_cast<unsigned char>(q);
        if (uq < 0x21 || uq >= 0x7f) {
          return core::InvalidArgument("CPE " + name + ": backslash before " + Printable(q) +
                                       " at offset " + std::to_string(pos + 1));
        }
        value += Lower(q);
        quoted_any = true;
        pos += 2;
        continue;
      }
      if (!IsUnquotedOk(c) && c != '*') {
        return core::InvalidArgument("CPE " + name + ": unquoted " + Printable(c) + " at offset " +
                                     std::to_string(pos) + " (quote it with a backslash)");
      }
      value += Lower(c);
      ++pos;
    }
    CpeValue v;
    if (value.empty()) {
      return core::InvalidArgument("CPE " + name + " is empty at offset " + std::to_string(start) +
                                   " (use * for any, - for not applicable)");
    }
    if (!quoted_any && value == "*") {
      v = CpeValue::Any();
    } else if (!quoted_any && value == "-") {
      v = CpeValue::Na();
    } else {
      // An unquoted '*' inside a value would be a wildcard; only whole-attribute ANY is supported.
      for (size_t i = start; i < pos; ++i) {
        if (text[i] == '\\') {
          ++i;
          continue;
        }
        if (text[i] == '*') {
          return core::InvalidArgument("CPE " + name + ": wildcard '*' inside a value at offset " +
                                       std::to_string(i) + " is not supported (quote it as \\*)");
        }
      }
      v = CpeValue::Of(std::move(value));
    }
    if (attr == 0) UCSC_RETURN_IF_ERROR(CheckPart(v, start));
    cpe.Mutable(static_cast<CpeAttr>(attr)) = std::move(v);
    ++attr;
    if (pos >= text.size()) break;
    ++pos;  // the ':'
    if (pos >= text.size()) {
      return core::InvalidArgument("CPE ends with ':' (empty " +
                                   std::string(attr < kCpeAttrCount ? kAttrNames[attr] : "extra") +
                                   " attribute)");
    }
  }
  if (attr < kCpeAttrCount && form == CpeForm::kStrict) {
    return core::InvalidArgument("CPE has " + std::to_string(attr) +
                                 " attributes, 11 needed (missing from " +
                                 std::string(kAttrNames[attr]) + " on)");
  }
  if (attr < 3 && form == CpeForm::kAllowShort) {
    return core::InvalidArgument("CPE needs at least part, vendor and product");
  }
  return cpe;
}

core::Result<Cpe> ParseCpeUri(std::string_view text) {
  if (text.size() > kMaxCpeLength) {
    return core::InvalidArgument("CPE longer than " + std::to_string(kMaxCpeLength) + " bytes");
  }
  if (text.size() < 5 || Lower(text[0]) != 'c' || Lower(text[1]) != 'p' || Lower(text[2]) != 'e' ||
      text[3] != ':' || text[4] != '/') {
    return core::InvalidArgument("CPE URI must start with \"cpe:/\"");
  }
  Cpe cpe;
  size_t attr = 0;
  size_t pos = 5;
  while (true) {
    if (attr >= 7) {
      return core::InvalidArgument("CPE URI has more than 7 components (offset " +
                                   std::to_string(pos) + ")");
    }
    std::string value;
    const size_t start = pos;
    while (pos < text.size() && text[pos] != ':') {
      char c = text[pos];
      auto u = static_cast<unsigned char>(c);
      if (u < 0x21 || u >= 0x7f) {
        return core::InvalidArgument("CPE URI: " + Printable(c) + " at offset " +
                                     std::to_string(pos) + " is not printable ASCII");
      }
      if (c == '%') {
        auto hex = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          h = Lower(h);
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          return -1;
        };
        if (pos + 2 >= text.size() || hex(text[pos + 1]) < 0 || hex(text[pos + 2]) < 0) {
          return core::InvalidArgument("CPE URI: bad percent escape at offset " +
                                       std::to_string(pos));
        }
        char d = static_cast<char>(hex(text[pos + 1]) * 16 + hex(text[pos + 2]));
        auto ud = static_cast<unsigned char>(d);
        if (ud < 0x21 || ud >= 0x7f) {
          return core::InvalidArgument("CPE URI: percent escape at offset " + std::to_string(pos) +
                                       " is not printable ASCII");
        }
        value += Lower(d);
        pos += 3;
        continue;
      }
      value += Lower(c);
      ++pos;
    }
    CpeValue v;
    if (value.empty()) {
      v = CpeValue::Any();
    } else if (value == "-" && pos - start == 1) {
      v = CpeValue::Na();
    } else {
      v = CpeValue::Of(std::move(value));
    }
    if (attr == 0) UCSC_RETURN_IF_ERROR(CheckPart(v, start));
    cpe.Mutable(static_cast<CpeAttr>(attr)) = std::move(v);
    ++attr;
    if (pos >= text.size()) break;
    ++pos;
  }
  if (attr < 3 || !cpe.vendor().IsValue() || !cpe.product().IsValue()) {
    return core::InvalidArgument("CPE URI needs part, vendor and product");
  }
  // Characters a URI may leave bare are quoted in the formatted string, which can double the
  // length: keep every accepted CPE printable and parsable as a formatted string.
  if (cpe.ToString().size() > kMaxCpeLength) {
    return core::InvalidArgument("CPE URI is longer than " + std::to_string(kMaxCpeLength) +
                                 " bytes once written as a CPE 2.3 formatted string");
  }
  return cpe;
}

core::Result<Cpe> ParseAnyCpe(std::string_view text) {
  if (text.size() >= 5 && text[3] == ':' && text[4] == '/') return ParseCpeUri(text);
  return ParseCpe(text, CpeForm::kAllowShort);
}

}  // namespace ucsc::scan
