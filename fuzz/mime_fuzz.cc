// FUZZ_LIBS: ucsc_notify ucsc_codec ucsc_text ucsc_core
// Fuzz target for notify/mime.h: BuildMimeMessage on arbitrary subject, display name,
// address, idempotency key and bodies, against these oracles:
// - it never crashes, and every refusal is kInvalidArgument;
// - an accepted message is 7-bit, CRLF-only, ends with CRLF, has no line starting with "." and
//   no line over 76 octets (an address line: 998);
// - an independent reader (tests/notify/mail_reader.cc) gets back exactly the subject, the
//   display name and address, the text and HTML bodies (line endings as CRLF), and the
//   Message-ID of the key.
// Input: byte 0 holds flags (word encoding, HTML present); the rest is split at 0xFF bytes
// (never valid UTF-8) into subject, display name, address, key, text body, HTML body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../tests/notify/mail_reader.cc"
#include "notify/mime.h"

namespace {

constexpr size_t kMaxInputSize = 8192;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

std::string Normalise(std::string_view body) {
  std::string out;
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

void CheckWire(const std::string& bytes) {
  Check(bytes.ends_with("\r\n"));
  size_t line_start = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    unsigned char c = bytes[i];
    Check(c != 0 && c < 0x80);
    if (c == '\r') Check(i + 1 < bytes.size() && bytes[i + 1] == '\n');
    if (c == '\n') {
      Check(i > 0 && bytes[i - 1] == '\r');
      std::string_view line(bytes.data() + line_start, i - 1 - line_start);
      Check(!line.starts_with("."));
      bool address_line = line.find('@') != std::string_view::npos;
      Check(line.size() <= (address_line ? 998 : ucsc::notify::kMaxLineLength));
      line_start = i + 1;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ucsc::notify;
  if (size == 0 || size > kMaxInputSize) return 0;
  uint8_t flags = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<std::string> fields;
  size_t start = 0;
  while (fields.size() < 5) {
    size_t sep = rest.find('\xFF', start);
    if (sep == std::string_view::npos) break;
    fields.emplace_back(rest.substr(start, sep - start));
    start = sep + 1;
  }
  fields.emplace_back(rest.substr(start));
  fields.resize(6);

  Message m;
  m.subject = fields[0];
  m.to = {{fields[2].empty() ? "a@b.vn" : fields[2], fields[1]}};
  m.idempotency_key = fields[3].empty() ? "k" : fields[3];
  m.text_body = fields[4];
  if (flags & 4) m.html_body = fields[5];
  m.locale = (flags & 8) ? Locale::kEn : Locale::kVi;
  MimeOptions opt;
  opt.from = {"ucsc@socntt.example.vn", fields[1]};
  opt.date = ucsc::core::FromUnixMillis(int64_t{1798675200000} + flags * int64_t{3600000});
  opt.word_encoding = (flags & 3) == 1   ? WordEncoding::kBase64
                      : (flags & 3) == 2 ? WordEncoding::kQuoted
                                         : WordEncoding::kAuto;

  auto mail = BuildMimeMessage(m, opt);
  if (!mail) {
    Check(mail.error().code == ucsc::core::ErrorCode::kInvalidArgument);
    return 0;
  }
  CheckWire(mail->bytes);
  Check(mail->message_id == MessageIdFor(m.idempotency_key, "socntt.example.vn"));

  namespace t = ucsc::notify::testing;
  auto [parsed, err] = t::ParseMail(mail->bytes);
  Check(err.empty());
  auto [subject, serr] = t::DecodeWords(*parsed.Raw("Subject"));
  Check(serr.empty() && subject == m.subject);
  auto [to, terr] = t::DecodeAddressList(*parsed.Raw("To"));
  Check(terr.empty() && to.size() == 1);
  Check(to[0].first == m.to[0].display_name && to[0].second == m.to[0].address);
  auto [parts, perr] = t::TextParts(parsed);
  Check(perr.empty());
  Check(parts.size() == (m.html_body ? 2u : 1u));
  Check(parts[0].text == Normalise(m.text_body));
  if (m.html_body) Check(parts[1].text == Normalise(*m.html_body));
  return 0;
}
