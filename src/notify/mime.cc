#include "notify/mime.h"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>

#include "core/legal_time.h"
#include "text/utf8.h"

namespace ucsc::notify {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";
constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool IsAlpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

// RFC 5322 atext.
bool IsAtext(unsigned char c) {
  if (IsAlpha(c) || IsDigit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

// Characters an RFC 2047 "Q" word may carry literally in any context (§5 rule 3).
bool IsQSafe(unsigned char c) {
  return IsAlpha(c) || IsDigit(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

void AppendHexByte(unsigned char c, std::string* out) {
  out->push_back('=');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

std::string Base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t(uint8_t(data[i])) << 16) | (uint32_t(uint8_t(data[i + 1])) << 8) |
                 uint8_t(data[i + 2]);
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(kBase64[(v >> 6) & 63]);
    out.push_back(kBase64[v & 63]);
  }
  if (size_t rest = data.size() - i; rest > 0) {
    uint32_t v = uint32_t(uint8_t(data[i])) << 16;
    if (rest == 2) v |= uint32_t(uint8_t(data[i + 1])) << 8;
    out.push_back(kBase64[(v >> 18) & 63]);
    out.push_back(kBase64[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// Checks UTF-8 validity and the absence of CR, LF and NUL (header text).
core::Status CheckHeaderText(std::string_view value, std::string_view field) {
  for (size_t i = 0; i < value.size();) {
    unsigned char c = value[i];
    if (c == '\r' || c == '\n') {
      return core::InvalidArgument("line break in a header value", std::string(field));
    }
    if (c == 0) return core::InvalidArgument("NUL in a header value", std::string(field));
    text::Decoded d = text::DecodeUtf8(value.substr(i));
    if (!d.valid) return core::InvalidArgument("invalid UTF-8", std::string(field));
    i += d.length;
  }
  return core::Ok();
}

// Lengths of the code points of valid UTF-8 `value`.
std::vector<std::string_view> CodePoints(std::string_view value) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < value.size();) {
    size_t n = text::DecodeUtf8(value.substr(i)).length;
    out.push_back(value.substr(i, n));
    i += n;
  }
  return out;
}

size_t QLength(std::string_view bytes) {
  size_t n = 0;
  for (unsigned char c : bytes) n += (IsQSafe(c) || c == ' ') ? 1 : 3;
  return n;
}

std::string QEncode(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c == ' ') {
      out.push_back('_');
    } else if (IsQSafe(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      AppendHexByte(c, &out);
    }
  }
  return out;
}

constexpr std::string_view kBPrefix = "=?UTF-8?B?";
constexpr std::string_view kQPrefix = "=?UTF-8?Q?";
constexpr size_t kWordOverhead = 12;  // "=?UTF-8?X?" + "?="

size_t EncodedWordLength(std::string_view bytes, bool base64) {
  return kWordOverhead + (base64 ? (bytes.size() + 2) / 3 * 4 : QLength(bytes));
}

std::string EncodedWord(std::string_view bytes, bool base64) {
  std::string out(base64 ? kBPrefix : kQPrefix);
  out += base64 ? Base64(bytes) : QEncode(bytes);
  out += "?=";
  return out;
}

// Lays out a header field: atoms separated by one space, folded (CRLF SP) before an atom that
// would pass kMaxLineLength. Encoded words are cut so that they fit the line they start on.
class FieldWriter {
 public:
  explicit FieldWriter(std::string_view name) {
    out_.append(name);
    out_.push_back(':');
    column_ = out_.size();
  }

  // Adds an atom that must not be split.
  void Atom(std::string_view atom) {
    if (column_ + 1 + atom.size() > kMaxLineLength && atoms_on_line_ > 0) Fold();
    out_.push_back(' ');
    out_.append(atom);
    column_ += 1 + atom.size();
    atoms_on_line_++;
  }

  // Adds `value` (valid UTF-8) as a run of encoded words, each as long as the line allows.
  void EncodedWords(std::string_view value, bool base64) {
    std::vector<std::string_view> cps = CodePoints(value);
    size_t cp_idx = 0;
    while (cp_idx < cps.size()) {
      size_t room = kMaxLineLength - std::min(kMaxLineLength, column_ + 1);
      size_t limit = std::min(kMaxEncodedWordLength, room);
      // A word must carry at least one code point (at most 4 bytes: 24 octets encoded).
      if (limit < kWordOverhead + 12 && atoms_on_line_ > 0) {
        Fold();
        continue;
      }
      size_t begin = cps[cp_idx].data() - value.data();
      size_t end = begin;
      while (cp_idx < cps.size()) {
        size_t next_end = end + cps[cp_idx].size();
        if (end > begin &&
            EncodedWordLength(value.substr(begin, next_end - begin), base64) > limit) {
          break;
        }
        end = next_end;
        cp_idx++;
      }
      Atom(EncodedWord(value.substr(begin, end - begin), base64));
    }
  }

  std::string Finish() && {
    out_ += "\r\n";
    return std::move(out_);
  }

 private:
  void Fold() {
    out_ += "\r\n";
    column_ = 0;
    atoms_on_line_ = 0;
  }

  std::string out_;
  size_t column_ = 0;
  int atoms_on_line_ = 0;
};

bool ChooseBase64(std::string_view value, WordEncoding encoding) {
  switch (encoding) {
    case WordEncoding::kBase64:
      return true;
    case WordEncoding::kQuoted:
      return false;
    case WordEncoding::kAuto:
      break;
  }
  return (value.size() + 2) / 3 * 4 < QLength(value);
}

// True when `value` can be written as plain atoms: printable ASCII words of at most 60 octets
// separated by single spaces, nothing that looks like an encoded word.
bool IsPlainText(std::string_view value, bool (*allowed)(unsigned char)) {
  if (value.empty() || value.front() == ' ' || value.back() == ' ') return false;
  if (value.find("=?") != std::string_view::npos) return false;
  if (value.find("  ") != std::string_view::npos) return false;
  size_t word = 0;
  for (unsigned char c : value) {
    if (c == ' ') {
      word = 0;
      continue;
    }
    if (!allowed(c) || ++word > 60) return false;
  }
  return true;
}

bool IsPrintableAscii(unsigned char c) { return c > 32 && c < 127; }

void AddWords(FieldWriter& w, std::string_view value) {
  size_t start = 0;
  while (start <= value.size()) {
    size_t sp = value.find(' ', start);
    if (sp == std::string_view::npos) sp = value.size();
    w.Atom(value.substr(start, sp - start));
    start = sp + 1;
  }
}

// Returns the display name as a quoted-string when it is printable ASCII and the quoted form
// (quotes and backslash escapes included) is at most kMaxQuotedName octets, else "": a longer
// name goes out as encoded words, which fold, so no line passes kMaxLineLength.
constexpr size_t kMaxQuotedName = 62;

std::string QuotedString(std::string_view name) {
  if (name.size() + 2 > kMaxQuotedName || name.find("=?") != std::string_view::npos) return {};
  std::string out = "\"";
  for (unsigned char c : name) {
    if (c < 32 || c >= 127) return {};
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(c));
  }
  out.push_back('"');
  if (out.size() > kMaxQuotedName) return {};
  return out;
}

bool IsLdh(unsigned char c) { return IsAlpha(c) || IsDigit(c) || c == '-'; }

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  std::string out;
  constexpr std::string_view kLowerHex = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kLowerHex[md[i] >> 4]);
    out.push_back(kLowerHex[md[i] & 0xF]);
  }
  return out;
}

// Line endings (CRLF, LF, lone CR) as CRLF, and a final CRLF unless `body` is empty: the form
// in which both encodings below carry a text body.
std::string NormaliseText(std::string_view body) {
  std::string out;
  out.reserve(body.size() + body.size() / 32 + 2);
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') {
      out += "\r\n";
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
    } else if (body[i] == '\n') {
      out += "\r\n";
    } else {
      out.push_back(body[i]);
    }
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

// A text part: its headers, a blank line and its content in whichever of quoted-printable and
// base64 is shorter. The content ends with CRLF (or is empty).
std::string TextPart(std::string_view subtype, std::string_view body) {
  std::string normalised = NormaliseText(body);
  std::string qp = EncodeQuotedPrintable(normalised);
  std::string b64 = EncodeBase64Lines(normalised);
  std::string out = "Content-Type: text/";
  out.append(subtype);
  out += "; charset=utf-8\r\n";
  if (b64.size() < qp.size()) {
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += b64;
  } else {
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += qp;
  }
  return out;
}

core::Status CheckBody(std::string_view body, std::string_view field) {
  if (body.size() > kMaxBodyBytes) {
    return core::InvalidArgument("body larger than " + std::to_string(kMaxBodyBytes) + " bytes",
                                 std::string(field));
  }
  return core::Ok();
}

}  // namespace

core::Status ValidateDomain(std::string_view domain) {
  if (domain.empty()) return core::InvalidArgument("empty domain");
  if (domain.size() > 253) return core::InvalidArgument("domain longer than 253 octets");
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty()) return core::InvalidArgument("empty label in domain");
    if (label.size() > 63) return core::InvalidArgument("domain label longer than 63 octets");
    for (unsigned char c : label) {
      if (!IsLdh(c)) {
        return core::InvalidArgument("domain may hold only ASCII letters, digits, '-' and '.'");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return core::InvalidArgument("domain label starts or ends with '-'");
    }
    start = dot + 1;
  }
  return core::Ok();
}

core::Status ValidateEmailAddress(std::string_view address) {
  if (address.empty()) return core::InvalidArgument("empty e-mail address");
  if (address.size() > 254) return core::InvalidArgument("e-mail address longer than 254 octets");
  size_t at = address.rfind('@');
  if (at == std::string_view::npos) return core::InvalidArgument("e-mail address without '@'");
  std::string_view local = address.substr(0, at);
  std::string_view domain = address.substr(at + 1);
  if (local.empty()) return core::InvalidArgument("e-mail address with an empty local part");
  if (local.size() > 64) return core::InvalidArgument("local part longer than 64 octets");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return core::InvalidArgument("misplaced '.' in the local part");
  }
  for (unsigned char c : local) {
    if (c != '.' && !IsAtext(c)) {
      return core::InvalidArgument(
          "local part may hold only ASCII letters, digits and !#$%&'*+-/=?^_`{|}~.");
    }
  }
  auto st = ValidateDomain(domain);
  if (!st) return core::InvalidArgument("e-mail address: " + st.error().message);
  return core::Ok();
}

core::Result<std::string> EncodeUnstructuredField(std::string_view name, std::string_view value,
                                                  WordEncoding encoding) {
  UCSC_RETURN_IF_ERROR(CheckHeaderText(value, ""));
  FieldWriter w(name);
  if (value.empty()) return std::move(w).Finish();
  if (IsPlainText(value, IsPrintableAscii)) {
    AddWords(w, value);
  } else {
    w.EncodedWords(value, ChooseBase64(value, encoding));
  }
  return std::move(w).Finish();
}

core::Result<std::string> EncodeAddressField(std::string_view name,
                                             const std::vector<Recipient>& recipients,
                                             WordEncoding encoding) {
  FieldWriter w(name);
  for (size_t rcpt_idx = 0; rcpt_idx < recipients.size(); ++rcpt_idx) {
    const Recipient& r = recipients[rcpt_idx];
    std::string prefix = "/" + std::to_string(rcpt_idx);
    if (auto st = ValidateEmailAddress(r.address); !st) {
      return core::InvalidArgument(st.error().message, prefix + "/address");
    }
    UCSC_RETURN_IF_ERROR(CheckHeaderText(r.display_name, prefix + "/display_name"));
    std::string addr_atom;
    if (r.display_name.empty()) {
      addr_atom = r.address;
    } else {
      if (IsPlainText(r.display_name, IsAtext)) {
        AddWords(w, r.display_name);
      } else if (std::string q = QuotedString(r.display_name); !q.empty()) {
        w.Atom(q);
      } else {
        w.EncodedWords(r.display_name, ChooseBase64(r.display_name, encoding));
      }
      addr_atom = "<" + r.address + ">";
    }
    if (rcpt_idx + 1 < recipients.size()) addr_atom.push_back(',');
    w.Atom(addr_atom);
  }
  return std::move(w).Finish();
}

std::string EncodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  size_t i = 0;
  while (i <= text.size()) {
    // One input line: up to CR, LF or the end.
    size_t eol = text.find_first_of("\r\n", i);
    bool has_break = eol != std::string_view::npos;
    if (!has_break) eol = text.size();
    std::string_view line = text.substr(i, eol - i);
    size_t column = 0;
    for (size_t pos = 0; pos < line.size();) {
      // The unit is one UTF-8 sequence (or one invalid byte), never split by a soft break.
      size_t n = static_cast<unsigned char>(line[pos]) < 0x80
                     ? 1
                     : text::DecodeUtf8(line.substr(pos)).length;
      std::string unit;
      for (size_t k = 0; k < n; ++k) {
        unsigned char c = line[pos + k];
        bool at_line_end = pos + k + 1 == line.size();
        bool literal =
            (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end);
        if (literal) {
          unit.push_back(static_cast<char>(c));
        } else {
          AppendHexByte(c, &unit);
        }
      }
      // Room for the unit plus a possible soft-break "=" on this physical line.
      bool last_unit = pos + n == line.size();
      size_t need = unit.size() + (last_unit ? 0 : 1);
      if (column > 0 && column + need > kMaxLineLength) {
        out += "=\r\n";
        column = 0;
      }
      if (column == 0 && unit == ".") unit = "=2E";
      if (column == 0 && unit == "F" && line.substr(pos).starts_with("From ")) unit = "=46";
      out += unit;
      column += unit.size();
      pos += n;
    }
    if (!has_break) break;
    out += "\r\n";
    i = eol + 1;
    if (text[eol] == '\r' && i < text.size() && text[i] == '\n') ++i;
    if (i == text.size()) break;
  }
  return out;
}

std::string EncodeBase64Lines(std::string_view data) {
  std::string b64 = Base64(data);
  std::string out;
  out.reserve(b64.size() + b64.size() / kMaxLineLength * 2 + 2);
  for (size_t i = 0; i < b64.size(); i += kMaxLineLength) {
    out.append(b64, i, kMaxLineLength);
    out += "\r\n";
  }
  return out;
}

std::string FormatRfc5322Date(core::Instant t) {
  using namespace std::chrono;
  auto local = time_point_cast<seconds>(t) + core::kVietnamOffset;
  auto day = floor<days>(local);
  year_month_day ymd{day};
  weekday wd{day};
  hh_mm_ss hms{local - day};
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%s, %u %s %04d %02d:%02d:%02d +0700",
                kDays[wd.c_encoding()], unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1],
                int(ymd.year()), int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()));
  return buf.data();
}

std::string MessageIdFor(std::string_view idempotency_key, std::string_view domain) {
  std::string out = "<";
  out += Sha256Hex(idempotency_key).substr(0, 32);
  out += "@";
  out.append(domain);
  out += ">";
  return out;
}

core::Result<MimeMessage> BuildMimeMessage(const Message& message, const MimeOptions& options) {
  UCSC_RETURN_IF_ERROR(ValidateMessage(message));
  if (auto st = ValidateEmailAddress(options.from.address); !st) {
    return core::InvalidArgument("sender: " + st.error().message, "/from/address");
  }
  UCSC_RETURN_IF_ERROR(CheckHeaderText(options.from.display_name, "/from/display_name"));
  std::string domain = options.message_id_domain;
  if (domain.empty()) domain = options.from.address.substr(options.from.address.rfind('@') + 1);
  if (auto st = ValidateDomain(domain); !st) {
    return core::InvalidArgument("Message-ID domain: " + st.error().message, "/message_id_domain");
  }
  UCSC_RETURN_IF_ERROR(CheckBody(message.text_body, "/text_body"));
  if (message.html_body) UCSC_RETURN_IF_ERROR(CheckBody(*message.html_body, "/html_body"));

  MimeMessage out;
  out.message_id = MessageIdFor(message.idempotency_key, domain);
  std::string& b = out.bytes;
  b += "Date: " + FormatRfc5322Date(options.date) + "\r\n";
  UCSC_ASSIGN_OR_RETURN(std::string from,
                        EncodeAddressField("From", {options.from}, options.word_encoding));
  b += from;
  auto to = EncodeAddressField("To", message.to, options.word_encoding);
  if (!to) return core::InvalidArgument(to.error().message, "/to" + to.error().field);
  b += *to;
  if (!message.cc.empty()) {
    auto cc = EncodeAddressField("Cc", message.cc, options.word_encoding);
    if (!cc) return core::InvalidArgument(cc.error().message, "/cc" + cc.error().field);
    b += *cc;
  }
  auto subject = EncodeUnstructuredField("Subject", message.subject, options.word_encoding);
  if (!subject) return core::InvalidArgument(subject.error().message, "/subject");
  b += *subject;
  b += "Message-ID: " + out.message_id + "\r\n";
  b += "MIME-Version: 1.0\r\n";
  b += "Content-Language: ";
  b += LocaleTag(message.locale);
  b += "\r\n";
  // RFC 3834: automatic messages; well-behaved responders do not answer them.
  b += "Auto-Submitted: auto-generated\r\n";
  if (!message.html_body) {
    b += TextPart("plain", message.text_body);
    return out;
  }
  // "=_" can never occur in quoted-printable or base64 output, so the boundary cannot collide.
  std::string boundary = "=_ucsc_" + out.message_id.substr(1, 32);
  b += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  b += "--" + boundary + "\r\n";
  b += TextPart("plain", message.text_body);
  // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
  b += "\r\n--" + boundary + "\r\n";
  b += TextPart("html", *message.html_body);
  b += "\r\n--" + boundary + "--\r\n";
  return out;
}

}  // namespace ucsc::notify
