// EVTX parser (evtx_parser.h). Structure offsets are from libyal's EVTX format document
// (file header, chunk header, event record) and [MS-EVEN6] 3.1.4.7 (BinXml tokens and value
// types); EVTX element start tokens carry a 2-byte dependency identifier that MS-EVEN6's wire
// form does not have.
#include "hunt/input/evtx_parser.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <vector>

#include "hunt/input/json_event.h"
#include "hunt/internal/civil.h"
#include "text/utf8.h"

namespace ucsc::hunt {
namespace {

constexpr std::uint32_t kChunkHeaderSize = 512;
constexpr std::uint32_t kRecordHeaderSize = 24;
constexpr std::uint32_t kMinRecordSize = 28;
constexpr int kMaxElementDepth = 64;  // open elements in one record
constexpr int kXmlPathDepth = 32;     // deeper elements give no fields (as xml_event.cc)
constexpr int kMaxNesting = 12;       // template instances / BinXML values inside each other
constexpr std::uint32_t kMaxTokens = 1u << 18;  // tokens per record (bounds nested re-walks)
// Text of one record (substitution values can be repeated by templates: a few KiB of record can
// expand a lot): an element or attribute text and the whole event are bounded.
constexpr std::size_t kMaxText = std::size_t{1} << 20;
constexpr std::size_t kMaxEventBytes = std::size_t{16} << 20;

// BinXML tokens ([MS-EVEN6] 3.1.4.7.1); 0x40 is the "more data" flag of some of them.
enum Token : std::uint8_t {
  kEof = 0x00,
  kOpenStart = 0x01,
  kCloseStart = 0x02,
  kCloseEmpty = 0x03,
  kEndElement = 0x04,
  kValue = 0x05,
  kAttribute = 0x06,
  kCData = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPiTarget = 0x0A,
  kPiData = 0x0B,
  kTemplateInstance = 0x0C,
  kNormalSubst = 0x0D,
  kOptionalSubst = 0x0E,
  kFragmentHeader = 0x0F,
};

// Value types ([MS-EVEN6] 3.1.4.7.3); 0x80 marks an array.
enum ValueType : std::uint8_t {
  kNull = 0x00,
  kString = 0x01,
  kAnsiString = 0x02,
  kInt8 = 0x03,
  kUInt8 = 0x04,
  kInt16 = 0x05,
  kUInt16 = 0x06,
  kInt32 = 0x07,
  kUInt32 = 0x08,
  kInt64 = 0x09,
  kUInt64 = 0x0A,
  kReal32 = 0x0B,
  kReal64 = 0x0C,
  kBool = 0x0D,
  kBinary = 0x0E,
  kGuid = 0x0F,
  kSizeT = 0x10,
  kFileTime = 0x11,
  kSysTime = 0x12,
  kSid = 0x13,
  kHexInt32 = 0x14,
  kHexInt64 = 0x15,
  kEvtHandle = 0x20,
  kBinXml = 0x21,
  kEvtXml = 0x23,
  kArrayFlag = 0x80,
};

std::uint16_t Le16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t Le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
std::uint64_t Le64(const unsigned char* p) {
  return static_cast<std::uint64_t>(Le32(p)) | static_cast<std::uint64_t>(Le32(p + 4)) << 32;
}
const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::uint32_t Crc32(const unsigned char* p, std::size_t n, std::uint32_t crc = 0) {
  return static_cast<std::uint32_t>(::crc32(crc, p, static_cast<uInt>(n)));
}

// UTF-16LE code units -> UTF-8; unpaired surrogates become U+FFFD.
void AppendUtf16(const unsigned char* p, std::size_t units, std::string* out) {
  for (std::size_t i = 0; i < units; ++i) {
    std::uint32_t u = Le16(p + 2 * i);
    if (u < 0x80) {
      out->push_back(static_cast<char>(u));
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const std::uint32_t lo = Le16(p + 2 * (i + 1));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        text::AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out);
        ++i;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;
    text::AppendUtf8(u, out);
  }
}

template <class T>
void AppendNumber(T v, std::string* out) {
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out->append(buf.data(), r.ptr);
}

void AppendHex(std::uint64_t v, std::string* out) {
  std::array<char, 24> buf{'0', 'x'};
  const auto r = std::to_chars(buf.data() + 2, buf.data() + buf.size(), v, 16);
  out->append(buf.data(), r.ptr);
}

void AppendDigits(std::uint64_t v, int width, std::string* out) {
  std::array<char, 24> buf{};
  std::size_t n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 || n < static_cast<std::size_t>(width));
  while (n > 0) out->push_back(buf[--n]);
}

void AppendDateTime(std::int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
                    std::string* out) {
  if (y < 0) {
    out->push_back('-');
    y = -y;
  }
  AppendDigits(static_cast<std::uint64_t>(y), 4, out);
  out->push_back('-');
  AppendDigits(mo, 2, out);
  out->push_back('-');
  AppendDigits(d, 2, out);
  out->push_back('T');
  AppendDigits(h, 2, out);
  out->push_back(':');
  AppendDigits(mi, 2, out);
  out->push_back(':');
  AppendDigits(s, 2, out);
}

// FILETIME (100 ns since 1601-01-01 UTC) as evtx_dump writes it: microseconds, 'Z'.
void AppendFileTime(std::uint64_t ft, std::string* out) {
  const std::uint64_t secs = ft / 10000000;
  const std::uint64_t micros = (ft % 10000000) / 10;
  const std::int64_t days = static_cast<std::int64_t>(secs / 86400) - 134774;  // 1601 -> 1970
  const std::uint64_t sod = secs % 86400;
  std::int64_t y = 0;
  unsigned mo = 0, d = 0;
  internal::CivilFromDays(days, &y, &mo, &d);
  AppendDateTime(y, mo, d, static_cast<unsigned>(sod / 3600), static_cast<unsigned>(sod / 60 % 60),
                 static_cast<unsigned>(sod % 60), out);
  out->push_back('.');
  AppendDigits(micros, 6, out);
  out->push_back('Z');
}

// SYSTEMTIME (eight 16-bit fields: year, month, weekday, day, hour, minute, second, ms).
void AppendSystemTime(const unsigned char* p, std::string* out) {
  AppendDateTime(Le16(p), Le16(p + 2), Le16(p + 6), Le16(p + 8), Le16(p + 10), Le16(p + 12), out);
  out->push_back('.');
  AppendDigits(Le16(p + 14), 3, out);
  out->push_back('Z');
}

void AppendGuid(const unsigned char* p, std::string* out) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  auto hex = [out](std::uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i) out->push_back(kHex[(v >> (4 * i)) & 0xF]);
  };
  hex(Le32(p), 8);
  out->push_back('-');
  hex(Le16(p + 4), 4);
  out->push_back('-');
  hex(Le16(p + 6), 4);
  out->push_back('-');
  hex(p[8], 2);
  hex(p[9], 2);
  out->push_back('-');
  for (int i = 10; i < 16; ++i) hex(p[i], 2);
}

// A SID of at most `n` bytes at `p`; returns its size, or 0 when even its header is cut off.
// Sub-authorities cut off by the end of the value are left out.
std::size_t AppendSid(const unsigned char* p, std::size_t n, std::string* out) {
  if (n < 8) return 0;
  const unsigned revision = p[0];
  const unsigned count = p[1];
  std::uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = authority << 8 | p[i];
  out->append("S-");
  AppendNumber(revision, out);
  out->push_back('-');
  if (authority >> 32 != 0) {
    AppendHex(authority, out);
  } else {
    AppendNumber(authority, out);
  }
  std::size_t size = 8;
  for (unsigned i = 0; i < count && size + 4 <= n; ++i, size += 4) {
    out->push_back('-');
    AppendNumber(Le32(p + size), out);
  }
  return size;
}

void AppendBinaryHex(const unsigned char* p, std::size_t n, std::string* out) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  for (std::size_t i = 0; i < n; ++i) {
    out->push_back(kHex[p[i] >> 4]);
    out->push_back(kHex[p[i] & 0xF]);
  }
}

// Size of one element of a fixed-size value type, 0 for variable-size types.
std::size_t FixedSize(std::uint8_t type, std::size_t total) {
  switch (type) {
    case kInt8:
    case kUInt8:
      return 1;
    case kInt16:
    case kUInt16:
      return 2;
    case kInt32:
    case kUInt32:
    case kReal32:
    case kBool:
    case kHexInt32:
      return 4;
    case kInt64:
    case kUInt64:
    case kReal64:
    case kFileTime:
    case kHexInt64:
      return 8;
    case kGuid:
    case kSysTime:
      return 16;
    case kSizeT:
    case kEvtHandle:
      return total % 8 == 0 ? 8 : 4;
    default:
      return 0;
  }
}

// One fixed-size element (size FixedSize(type)) at `p`.
void AppendFixed(std::uint8_t type, const unsigned char* p, std::size_t size, std::string* out) {
  switch (type) {
    case kInt8:
      AppendNumber(static_cast<int>(static_cast<std::int8_t>(p[0])), out);
      break;
    case kUInt8:
      AppendNumber(static_cast<unsigned>(p[0]), out);
      break;
    case kInt16:
      AppendNumber(static_cast<std::int16_t>(Le16(p)), out);
      break;
    case kUInt16:
      AppendNumber(Le16(p), out);
      break;
    case kInt32:
      AppendNumber(static_cast<std::int32_t>(Le32(p)), out);
      break;
    case kUInt32:
      AppendNumber(Le32(p), out);
      break;
    case kInt64:
      AppendNumber(static_cast<std::int64_t>(Le64(p)), out);
      break;
    case kUInt64:
      AppendNumber(Le64(p), out);
      break;
    case kReal32: {
      float f = 0;
      std::memcpy(&f, p, 4);
      AppendNumber(f, out);
      break;
    }
    case kReal64: {
      double f = 0;
      std::memcpy(&f, p, 8);
      AppendNumber(f, out);
      break;
    }
    case kBool:
      out->append(Le32(p) != 0 ? "true" : "false");
      break;
    case kGuid:
      AppendGuid(p, out);
      break;
    case kSizeT:
    case kHexInt32:
    case kHexInt64:
      AppendHex(size == 8 ? Le64(p) : Le32(p), out);
      break;
    case kEvtHandle:
      AppendNumber(size == 8 ? Le64(p) : Le32(p), out);
      break;
    case kFileTime:
      AppendFileTime(Le64(p), out);
      break;
    case kSysTime:
      AppendSystemTime(p, out);
      break;
    default:
      break;
  }
}

// Where the items of a rendered value start in the text buffer (arrays give several).
using Splits = std::vector<std::uint32_t>;

// Appends the rendering of a (non-BinXML) value to `*out`; for arrays, the offset of every
// item after the first is pushed to `*splits`. False when the value does not fit its type.
bool AppendValue(std::uint8_t type, const unsigned char* p, std::size_t n, std::string* out,
                 Splits* splits) {
  const bool array = (type & kArrayFlag) != 0;
  const std::uint8_t base = type & 0x7F;
  auto next_item = [&](bool first) {
    if (!first) splits->push_back(static_cast<std::uint32_t>(out->size()));
  };
  switch (base) {
    case kNull:
      return true;
    case kString:
    case kEvtXml: {
      std::size_t units = n / 2;
      if (!array) {
        while (units > 0 && Le16(p + 2 * (units - 1)) == 0) --units;
        AppendUtf16(p, units, out);
        return n % 2 == 0;
      }
      // NUL-separated strings; a trailing NUL ends the last one.
      std::size_t start = 0;
      bool first = true;
      for (std::size_t i = 0; i <= units; ++i) {
        if (i == units || Le16(p + 2 * i) == 0) {
          if (i == units && start == units) break;
          next_item(first);
          first = false;
          AppendUtf16(p + 2 * start, i - start, out);
          start = i + 1;
        }
      }
      return n % 2 == 0;
    }
    case kAnsiString: {
      // Code page unknown: bytes >= 0x80 are taken as Latin-1 so that the text stays UTF-8.
      std::size_t start = 0;
      bool first = true;
      std::size_t end = n;
      if (!array) {
        while (end > 0 && p[end - 1] == 0) --end;
      }
      for (std::size_t i = 0; i <= end; ++i) {
        if (i == end || p[i] == 0) {
          if (array && i == end && start == end) break;
          next_item(first);
          first = false;
          for (std::size_t k = start; k < i; ++k) text::AppendUtf8(p[k], out);
          start = i + 1;
          if (!array) break;
        }
      }
      return true;
    }
    case kBinary:
      AppendBinaryHex(p, n, out);
      return true;
    case kSid: {
      std::size_t pos = 0;
      bool first = true;
      while (pos < n) {
        next_item(first);
        first = false;
        const std::size_t used = AppendSid(p + pos, n - pos, out);
        if (used == 0) return false;
        pos += used;
        if (!array) break;
      }
      return true;
    }
    default:
      break;
  }
  std::size_t size = FixedSize(base, n);
  if (base == kSizeT || base == kEvtHandle) {
    if (!array) size = n == 8 ? 8 : 4;
  }
  if (size == 0) {  // unknown type: its bytes in hex
    AppendBinaryHex(p, n, out);
    return false;
  }
  if (!array) {
    if (n < size) return false;
    AppendFixed(base, p, size, out);
    return n == size;
  }
  for (std::size_t pos = 0; pos + size <= n; pos += size) {
    next_item(pos == 0);
    AppendFixed(base, p + pos, size, out);
  }
  return n % size == 0;
}

bool AllZero(const unsigned char* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool Blank(std::string_view s) {
  for (char c : s) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

std::string_view LocalName(std::string_view n) {
  const std::size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// XML entity name -> its character(s), as an XML parser would give them.
std::string_view EntityText(std::string_view name) {
  if (name == "amp") return "&";
  if (name == "lt") return "<";
  if (name == "gt") return ">";
  if (name == "quot") return "\"";
  if (name == "apos") return "'";
  return {};
}

struct Value {
  std::uint8_t type;
  std::uint32_t off;  // chunk offset of the value data
  std::uint32_t size;
};

// Why a record could not be read.
struct Failure {
  const char* what = nullptr;
  std::uint32_t at = 0;  // chunk offset
};

}  // namespace

struct EvtxChunkParser::Impl {
  // The chunk being parsed.
  const unsigned char* c = nullptr;
  std::uint32_t len = 0;

  // Decoded names by chunk offset, valid for the chunk whose generation `name_gen` holds
  // (a direct-mapped table: no clearing and no allocation per chunk once warm).
  std::vector<std::uint32_t> name_gen = std::vector<std::uint32_t>(kEvtxChunkSize, 0);
  std::vector<std::uint64_t> name_at = std::vector<std::uint64_t>(kEvtxChunkSize, 0);
  std::uint32_t generation = 0;
  std::string names;

  // Field names by element path (NormaliseFieldName is costly for the paths of EVTX events,
  // which repeat from record to record); bounded, cleared when full.
  struct PathHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::string, PathHash, std::equal_to<>> field_names;

  // The record being parsed.
  Event* ev = nullptr;
  std::uint32_t record_pos = 0;  // chunk offset of the record's BinXML
  Failure fail;
  std::uint32_t tokens = 0;
  std::vector<Value> values;  // substitution values of the open template instances (a stack)

  struct Level {
    std::uint32_t path_len = 0;  // length of `path` for this element
    bool had_child = false;
    bool has_attrs = false;
    bool quiet = false;  // gives no fields (inside <Data>, too deep)
    bool data = false;   // <Data> directly under Event/EventData
    bool data_named = false;
    bool event_data = false;  // Event/EventData
    std::string data_name;
    std::string text;
    Splits splits;
  };
  std::array<Level, kMaxElementDepth> levels;
  int depth = 0;  // open elements

  std::string path;
  std::string scratch;
  std::string value;  // emitted value after line-end normalisation

  // The attribute being read.
  bool in_attr = false;
  bool attr_quiet = false;
  bool attr_is_data_name = false;
  bool attr_nonnull = false;    // a text token or a non-null substitution was seen
  bool attr_any_subst = false;  // only optional null substitutions: the attribute is left out
  std::string attr_name;
  std::string attr_text;
  Splits attr_splits;

  bool Fail(const char* what, std::uint32_t at) {
    if (fail.what == nullptr) fail = {what, at};
    return false;
  }

  // A name structure at chunk offset `off`: next offset u32, hash u16, count u16, UTF-16, NUL.
  // Returns its size in bytes (0 on error) and the decoded name in `*out`.
  std::uint32_t Name(std::uint32_t off, std::string_view* out) {
    if (off > len || len - off < 8) return Fail("name outside the chunk", off), 0;
    const std::uint32_t count = Le16(c + off + 6);
    const std::uint32_t size = 8 + 2 * count + 2;
    if (len - off < size) return Fail("name outside the chunk", off), 0;
    if (name_gen[off] != generation) {
      const auto start = static_cast<std::uint32_t>(names.size());
      AppendUtf16(c + off + 8, count, &names);
      name_at[off] = static_cast<std::uint64_t>(start) << 32 | (names.size() - start);
      name_gen[off] = generation;
    }
    *out = std::string_view(names).substr(name_at[off] >> 32, name_at[off] & 0xFFFFFFFF);
    return size;
  }

  // Reads a name reference at `*pos` (u32 chunk offset); an inline name structure that
  // follows directly is skipped.
  bool NameRef(std::uint32_t* pos, std::uint32_t end, std::string_view* out) {
    if (end - *pos < 4) return Fail("BinXML cut off in a name reference", *pos);
    const std::uint32_t off = Le32(c + *pos);
    *pos += 4;
    const std::uint32_t size = Name(off, out);
    if (size == 0) return false;
    if (off == *pos) {
      if (end - *pos < size) return Fail("inline name beyond the BinXML", *pos);
      *pos += size;
    }
    return true;
  }

  // ---- Event fields (the walk of xml_event.cc, streamed) ----

  std::string_view FieldName() {
    auto it = field_names.find(std::string_view(path));
    if (it == field_names.end()) {
      if (field_names.size() >= 4096) field_names.clear();
      it = field_names.emplace(path, std::string(NormaliseFieldName(path, &scratch))).first;
    }
    return it->second;
  }

  void Emit(std::string_view v, bool attribute) {
    if (ev->bytes() + v.size() > kMaxEventBytes) {
      Fail("the record expands to more than 16 MiB of text", record_pos);
      return;
    }
    const std::string_view field = FieldName();
    // An XML parser would normalise line ends (and, in attribute values, white space).
    if (v.find('\r') != std::string_view::npos ||
        (attribute && v.find_first_of("\n\t") != std::string_view::npos)) {
      value.clear();
      for (std::size_t i = 0; i < v.size(); ++i) {
        char ch = v[i];
        if (ch == '\r') {
          if (i + 1 < v.size() && v[i + 1] == '\n') ++i;
          ch = '\n';
        }
        if (attribute && (ch == '\n' || ch == '\t')) ch = ' ';
        value.push_back(ch);
      }
      ev->Add(field, value);
      return;
    }
    ev->Add(field, v);
  }

  void EmitItems(std::string_view text, const Splits& splits, bool attribute) {
    if (splits.empty()) {
      Emit(text, attribute);
      return;
    }
    std::size_t start = 0;
    for (std::size_t i = 0; i <= splits.size(); ++i) {
      const std::size_t end = i < splits.size() ? splits[i] : text.size();
      Emit(text.substr(start, end - start), attribute);
      start = end;
    }
  }

  void FinishAttribute() {
    if (!in_attr) return;
    in_attr = false;
    Level& el = levels[static_cast<std::size_t>(depth - 1)];
    if (attr_is_data_name) {
      el.data_named = true;
      el.data_name = attr_text;
      return;
    }
    if (attr_quiet) return;
    if (attr_any_subst && !attr_nonnull) return;  // evtx_dump leaves such attributes out
    el.has_attrs = true;
    path.resize(el.path_len);
    path += ".#attributes.";
    path += LocalName(attr_name);
    EmitItems(attr_text, attr_splits, true);
    path.resize(el.path_len);
  }

  bool OpenElement(std::string_view name, std::uint32_t at) {
    if (depth >= kMaxElementDepth) return Fail("elements nested too deeply", at);
    const std::string_view local = LocalName(name);
    Level* parent = depth > 0 ? &levels[static_cast<std::size_t>(depth - 1)] : nullptr;
    Level& el = levels[static_cast<std::size_t>(depth)];
    el.had_child = el.has_attrs = el.data = el.data_named = el.event_data = false;
    el.text.clear();
    el.splits.clear();
    if (parent == nullptr) {
      if (local != "Event") return Fail("the root element is not <Event>", at);
      path.assign("Event");
      el.quiet = false;
    } else {
      parent->had_child = true;
      el.quiet = parent->quiet || parent->data || depth >= kXmlPathDepth;
      path.resize(parent->path_len);
      path.push_back('.');
      path.append(local);
      el.data = !el.quiet && parent->event_data && local == "Data";
      el.event_data = depth == 1 && local == "EventData";
    }
    el.path_len = static_cast<std::uint32_t>(path.size());
    ++depth;
    return true;
  }

  bool CloseElement(std::uint32_t at) {
    FinishAttribute();
    if (depth == 0) return Fail("end of an element that is not open", at);
    Level& el = levels[static_cast<std::size_t>(--depth)];
    if (el.quiet) return true;
    if (el.data) {
      // <Data Name="X">v</Data> -> X = v; unnamed <Data> -> Data = v (also when empty).
      const std::uint32_t parent_len = levels[static_cast<std::size_t>(depth - 1)].path_len;
      path.resize(parent_len);
      path.push_back('.');
      path.append(el.data_named ? std::string_view(el.data_name) : std::string_view("Data"));
      if (Blank(el.text)) {
        Emit({}, false);
      } else {
        EmitItems(el.text, el.splits, false);
      }
      return true;
    }
    if (!el.had_child && !el.text.empty() && !(Blank(el.text) && el.has_attrs)) {
      path.resize(el.path_len);
      if (!Blank(el.text)) EmitItems(el.text, el.splits, false);
    }
    return true;
  }

  // Text for the current attribute or element.
  std::string* TextTarget(Splits** splits) {
    if (in_attr) {
      *splits = &attr_splits;
      return &attr_text;
    }
    if (depth == 0) return nullptr;
    Level& el = levels[static_cast<std::size_t>(depth - 1)];
    *splits = &el.splits;
    return &el.text;
  }

  // ---- BinXML ----

  // Walks the tokens in [pos, end) until an end-of-fragment token (or `end`). `vals` is the
  // first substitution value of the innermost template instance in `values` (count `nvals`).
  // `in_template`: a template definition, whose element starts carry a dependency identifier
  // (BinXML outside templates, in records and in BinXML values, has none).
  bool Walk(std::uint32_t pos, std::uint32_t end, std::size_t vals, std::size_t nvals, int nest,
            bool in_template, std::uint32_t* stop) {
    if (nest > kMaxNesting) return Fail("BinXML nested too deeply", pos);
    while (pos < end) {
      if (++tokens > kMaxTokens) return Fail("BinXML too large", pos);
      if (fail.what != nullptr) return false;  // set while emitting a field
      const std::uint32_t at = pos;
      const std::uint8_t tok = c[pos++];
      switch (tok & 0xBF) {  // without the 0x40 flag
        case kEof:
          if (stop) *stop = pos;
          return true;
        case kOpenStart: {
          FinishAttribute();
          // [dependency id u16,] data size u32, name offset u32
          const std::uint32_t skip = in_template ? 6 : 4;
          if (end - pos < skip) return Fail("BinXML cut off in an element", at);
          pos += skip;
          std::string_view name;
          if (!NameRef(&pos, end, &name) || !OpenElement(name, at)) return false;
          if (tok & 0x40) {
            if (end - pos < 4) return Fail("BinXML cut off in an attribute list", at);
            pos += 4;
          }
          break;
        }
        case kCloseStart:
          FinishAttribute();
          break;
        case kCloseEmpty:
        case kEndElement:
          if (!CloseElement(at)) return false;
          break;
        case kAttribute: {
          FinishAttribute();
          std::string_view name;
          if (!NameRef(&pos, end, &name)) return false;
          if (depth == 0) return Fail("attribute outside an element", at);
          const Level& el = levels[static_cast<std::size_t>(depth - 1)];
          in_attr = true;
          attr_is_data_name = el.data && name == "Name";
          attr_quiet = el.quiet || el.data;
          attr_nonnull = attr_any_subst = false;
          attr_name.assign(name);
          attr_text.clear();
          attr_splits.clear();
          break;
        }
        case kValue: {
          if (end - pos < 3) return Fail("BinXML cut off in a value", at);
          const std::uint32_t units = Le16(c + pos + 1);
          pos += 3;
          if ((end - pos) / 2 < units) return Fail("BinXML cut off in a value", at);
          Splits* splits = nullptr;
          if (std::string* t = TextTarget(&splits)) {
            if (t->size() + std::size_t{3} * units > kMaxText) {
              return Fail("a text of the record expands to more than 1 MiB", at);
            }
            AppendUtf16(c + pos, units, t);
          }
          attr_nonnull = true;
          pos += 2 * units;
          break;
        }
        case kCData:
        case kPiData: {
          if (end - pos < 2) return Fail("BinXML cut off in text", at);
          const std::uint32_t units = Le16(c + pos);
          pos += 2;
          if ((end - pos) / 2 < units) return Fail("BinXML cut off in text", at);
          Splits* splits = nullptr;
          std::string* t = TextTarget(&splits);
          if ((tok & 0xBF) == kCData && t) {
            if (t->size() + std::size_t{3} * units > kMaxText) {
              return Fail("a text of the record expands to more than 1 MiB", at);
            }
            AppendUtf16(c + pos, units, t);
          }
          attr_nonnull = true;
          pos += 2 * units;
          break;
        }
        case kCharRef: {
          if (end - pos < 2) return Fail("BinXML cut off in a character reference", at);
          Splits* splits = nullptr;
          if (std::string* t = TextTarget(&splits)) text::AppendUtf8(Le16(c + pos), t);
          attr_nonnull = true;
          pos += 2;
          break;
        }
        case kEntityRef: {
          std::string_view name;
          if (!NameRef(&pos, end, &name)) return false;
          Splits* splits = nullptr;
          if (std::string* t = TextTarget(&splits)) {
            const std::string_view e = EntityText(name);
            if (e.empty()) {
              t->push_back('&');
              t->append(name);
              t->push_back(';');
            } else {
              t->append(e);
            }
          }
          attr_nonnull = true;
          break;
        }
        case kPiTarget: {
          std::string_view name;
          if (!NameRef(&pos, end, &name)) return false;
          break;
        }
        case kFragmentHeader:
          if (end - pos < 3) return Fail("BinXML cut off in a fragment header", at);
          pos += 3;
          break;
        case kTemplateInstance:
          if (!TemplateInstance(&pos, end, nest)) return false;
          break;
        case kNormalSubst:
        case kOptionalSubst: {
          if (end - pos < 3) return Fail("BinXML cut off in a substitution", at);
          const std::uint16_t id = Le16(c + pos);
          pos += 3;
          if (!Substitute(id, vals, nvals, (tok & 0xBF) == kOptionalSubst, nest, at)) {
            return false;
          }
          break;
        }
        default:
          return Fail("unknown BinXML token", at);
      }
    }
    if (stop) *stop = pos;
    return true;
  }

  bool Substitute(std::uint16_t id, std::size_t vals, std::size_t nvals, bool optional, int nest,
                  std::uint32_t at) {
    if (in_attr) attr_any_subst = true;
    // A substitution without a value (damaged template instance) counts as null.
    if (id >= nvals) return true;
    const Value v = values[vals + id];
    if (v.type == kNull || v.size == 0) {
      if (!optional && in_attr) attr_nonnull = true;
      return true;
    }
    if (v.type == kBinXml) {
      if (in_attr) return true;  // not meaningful in an attribute value
      const std::size_t mark = values.size();
      const bool ok = Walk(v.off, v.off + v.size, 0, 0, nest + 1, false, nullptr);
      values.resize(mark);
      return ok;
    }
    Splits* splits = nullptr;
    std::string* t = TextTarget(&splits);
    if (in_attr) attr_nonnull = true;
    if (t == nullptr) return true;
    if (t->size() + std::size_t{3} * v.size > kMaxText) {
      return Fail("a text of the record expands to more than 1 MiB", at);
    }
    const std::size_t before = t->size();
    if (!t->empty() && (v.type & kArrayFlag)) splits->push_back(static_cast<std::uint32_t>(before));
    if (!AppendValue(v.type, c + v.off, v.size, t, splits) && (v.type & 0x7F) == kSid &&
        t->size() == before) {
      return Fail("damaged SID value", at);
    }
    return true;
  }

  // Template instance at `*pos` (after its token): unknown u8, template id u32, definition
  // offset u32; an inline definition (next offset u32, GUID, data size u32, BinXML) follows when
  // the definition offset is the current one; then the value count u32, the value descriptors
  // (size u16, type u8, unused u8) and the value data.
  bool TemplateInstance(std::uint32_t* pos, std::uint32_t end, int nest) {
    const std::uint32_t at = *pos - 1;
    if (end - *pos < 9) return Fail("BinXML cut off in a template instance", at);
    const std::uint32_t def = Le32(c + *pos + 5);
    *pos += 9;
    if (def > len || len - def < 24) return Fail("template definition outside the chunk", at);
    const std::uint32_t def_size = Le32(c + def + 20);
    if (len - def - 24 < def_size) return Fail("template definition beyond the chunk", at);
    if (def == *pos) {
      if (end - *pos < 24 + def_size) return Fail("inline template beyond the BinXML", at);
      *pos += 24 + def_size;
    }
    if (end - *pos < 4) return Fail("BinXML cut off before the template values", at);
    const std::uint32_t count = Le32(c + *pos);
    *pos += 4;
    if ((end - *pos) / 4 < count) return Fail("template value descriptors cut off", at);
    const std::size_t base = values.size();
    std::uint32_t data = *pos + 4 * count;
    for (std::uint32_t i = 0; i < count; ++i) {
      const unsigned char* descriptor = c + *pos + std::size_t{4} * i;
      const std::uint32_t size = Le16(descriptor);
      const std::uint8_t type = descriptor[2];
      if (end - data < size) {
        values.resize(base);
        return Fail("template values beyond the record", at);
      }
      values.push_back({type, data, size});
      data += size;
    }
    *pos = data;
    const bool ok = Walk(def + 24, def + 24 + def_size, base, count, nest + 1, true, nullptr);
    values.resize(base);
    return ok;
  }

  void StartRecord(Event* event) {
    ev = event;
    ev->Clear();
    fail = {};
    tokens = 0;
    depth = 0;
    in_attr = false;
    values.clear();
  }

  // Parses the BinXML of a record in [pos, end).
  bool Record(std::uint32_t pos, std::uint32_t end) {
    record_pos = pos;
    if (!Walk(pos, end, 0, 0, 0, false, nullptr) || fail.what != nullptr) return false;
    if (depth != 0) return Fail("BinXML ends inside an element", end);
    if (ev->size() == 0) return Fail("no <Event> element", pos);
    return true;
  }

  void NewChunk(std::string_view chunk) {
    c = Bytes(chunk);
    len = static_cast<std::uint32_t>(chunk.size());
    if (++generation == 0) {  // wrapped: forget every entry
      std::fill(name_gen.begin(), name_gen.end(), 0);
      generation = 1;
    }
    names.clear();
  }
};

EvtxChunkParser::EvtxChunkParser() : impl_(std::make_unique<Impl>()) {
  impl_->path.reserve(256);
  impl_->names.reserve(1 << 14);
}

EvtxChunkParser::~EvtxChunkParser() = default;

namespace {

void AppendHexOffset(std::uint64_t v, std::string* out) { AppendHex(v, out); }

void ChunkPrefix(std::uint64_t index, std::string* out) {
  out->append("chunk ");
  AppendNumber(index, out);
  out->append(" (file offset ");
  AppendHexOffset(kEvtxFileHeaderSize + index * kEvtxChunkSize, out);
  out->append("): ");
}

void RecordPrefix(std::uint64_t index, std::uint64_t id, std::uint32_t off, std::string* out) {
  out->append("chunk ");
  AppendNumber(index, out);
  if (id != 0) {
    out->append(", record ");
    AppendNumber(id, out);
  }
  out->append(" (file offset ");
  AppendHexOffset(kEvtxFileHeaderSize + index * kEvtxChunkSize + off, out);
  out->append("): ");
}

}  // namespace

EvtxChunkResult EvtxChunkParser::Parse(std::string_view chunk, std::uint64_t index,
                                       bool verify_crc32, Event* event,
                                       const std::function<void(Event&)>& on_event,
                                       std::string* errors) {
  EvtxChunkResult result;
  if (chunk.size() != kEvtxChunkSize || !HasEvtxChunkMagic(chunk)) {
    ChunkPrefix(index, errors);
    errors->append("no chunk magic (\"ElfChnk\"); chunk skipped\n");
    ++result.bad;
    return result;
  }
  Impl& m = *impl_;
  m.NewChunk(chunk);
  const unsigned char* c = m.c;
  std::uint32_t free_off = Le32(c + 48);
  if (free_off < kChunkHeaderSize || free_off > kEvtxChunkSize) {
    ChunkPrefix(index, errors);
    errors->append("free space offset ");
    AppendNumber(free_off, errors);
    errors->append(" outside the chunk; records read up to the first gap\n");
    free_off = kEvtxChunkSize;
  } else if (verify_crc32) {
    const std::uint32_t data_crc = Crc32(c + kChunkHeaderSize, free_off - kChunkHeaderSize);
    if (data_crc != Le32(c + 52)) {
      ChunkPrefix(index, errors);
      errors->append("record data CRC32 mismatch; records read anyway\n");
    }
  }
  if (verify_crc32) {
    const std::uint32_t head_crc = Crc32(c + 128, kChunkHeaderSize - 128, Crc32(c, 120));
    if (head_crc != Le32(c + 124)) {
      ChunkPrefix(index, errors);
      errors->append("chunk header CRC32 mismatch; records read anyway\n");
    }
  }
  std::uint32_t pos = kChunkHeaderSize;
  while (pos < free_off && free_off - pos >= kRecordHeaderSize) {
    if (std::memcmp(c + pos, "**\0\0", 4) != 0) {
      // Zeros up to the free space offset: the end of the records (the offset is stale).
      if (free_off == kEvtxChunkSize || AllZero(c + pos, free_off - pos)) break;
      RecordPrefix(index, 0, pos, errors);
      errors->append("no record magic; rest of the chunk skipped\n");
      ++result.bad;
      break;
    }
    const std::uint32_t size = Le32(c + pos + 4);
    const std::uint64_t id = Le64(c + pos + 8);
    if (size < kMinRecordSize || size > free_off - pos) {
      RecordPrefix(index, id, pos, errors);
      errors->append("invalid record size ");
      AppendNumber(size, errors);
      errors->append("; rest of the chunk skipped\n");
      ++result.bad;
      break;
    }
    const std::uint32_t next = pos + size;
    // A record whose size copy differs (a record being written when the copy was taken) is
    // still read when its BinXML is complete.
    const bool size_copy_differs = Le32(c + next - 4) != size;
    m.StartRecord(event);
    if (!m.Record(pos + kRecordHeaderSize, next - 4)) {
      RecordPrefix(index, id, pos, errors);
      errors->append(m.fail.what ? m.fail.what : "unreadable BinXML");
      errors->append(" at file offset ");
      AppendHexOffset(kEvtxFileHeaderSize + index * kEvtxChunkSize + m.fail.at, errors);
      errors->append(size_copy_differs ? "; record skipped (its size copy differs too)\n"
                                       : "; record skipped\n");
      ++result.bad;
    } else {
      if (size_copy_differs) {
        RecordPrefix(index, id, pos, errors);
        errors->append("the copy of the record size at its end differs; record read\n");
      }
      event->record = id;
      ++result.records;
      on_event(*event);
    }
    pos = next;
  }
  return result;
}

core::Status EvtxChunkParser::ParseBinXml(std::string_view binxml, Event* event) {
  if (binxml.size() > kEvtxChunkSize - kChunkHeaderSize) {
    return core::InvalidArgument("BinXML larger than a chunk");
  }
  std::string chunk(kEvtxChunkSize, '\0');
  chunk.replace(kChunkHeaderSize, binxml.size(), binxml);
  Impl& m = *impl_;
  m.NewChunk(chunk);
  m.StartRecord(event);
  const bool ok = m.Record(kChunkHeaderSize, kChunkHeaderSize + binxml.size());
  m.c = nullptr;
  if (!ok) {
    return core::InvalidArgument(std::string(m.fail.what ? m.fail.what : "unreadable BinXML") +
                                 " at byte " + std::to_string(m.fail.at - kChunkHeaderSize));
  }
  return core::Ok();
}

bool HasEvtxChunkMagic(std::string_view block) {
  return block.size() >= 8 && std::memcmp(block.data(), "ElfChnk\0", 8) == 0;
}

core::Result<EvtxFileInfo> ParseEvtxFileHeader(std::string_view head, std::string* warnings) {
  if (head.size() < 128 || std::memcmp(head.data(), "ElfFile\0", 8) != 0) {
    return core::InvalidArgument("not an EVTX file (no \"ElfFile\" header)");
  }
  const unsigned char* p = Bytes(head);
  EvtxFileInfo info;
  info.next_record_id = Le64(p + 24);
  info.minor_version = Le16(p + 36);
  info.major_version = Le16(p + 38);
  info.chunk_count = Le16(p + 42);
  info.flags = Le32(p + 120);
  if (info.major_version != 3 || info.minor_version > 2) {
    warnings->append("file header: unknown format version ");
    AppendNumber(info.major_version, warnings);
    warnings->push_back('.');
    AppendNumber(info.minor_version, warnings);
    warnings->append("; read as 3.x\n");
  }
  if (Le32(p + 32) != 128 || Le16(p + 40) != kEvtxFileHeaderSize) {
    warnings->append("file header: header size ");
    AppendNumber(Le32(p + 32), warnings);
    warnings->append(" / block size ");
    AppendNumber(Le16(p + 40), warnings);
    warnings->append(" instead of 128 / 4096; chunks read from offset 4096\n");
  }
  if ((info.flags & ~std::uint32_t{0x7}) != 0) {
    warnings->append("file header: unknown flags ");
    AppendHex(info.flags, warnings);
    warnings->append("; ignored\n");
    info.flags &= 0x7;
  }
  if (!info.no_crc32() && Crc32(p, 120) != Le32(p + 124)) {
    warnings->append("file header: CRC32 mismatch; chunks read anyway\n");
  }
  return info;
}

bool RenderEvtxValue(std::uint8_t type, std::string_view data, std::vector<std::string>* items) {
  std::string text;
  Splits splits;
  const bool ok = AppendValue(type, Bytes(data), data.size(), &text, &splits);
  std::size_t start = 0;
  if (text.empty() && splits.empty()) return ok;
  for (std::size_t i = 0; i <= splits.size(); ++i) {
    const std::size_t end = i < splits.size() ? splits[i] : text.size();
    items->push_back(text.substr(start, end - start));
    start = end;
  }
  return ok;
}

}  // namespace ucsc::hunt
