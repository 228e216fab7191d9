#include "notify/mime.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/legal_time.h"
#include "notify/mail_reader.h"
#include "text/utf8.h"

namespace ucsc::notify {
namespace {

using testing::DecodeAddressList;
using testing::DecodeQuotedPrintable;
using testing::DecodeWords;
using testing::ParseMail;
using testing::TextParts;

const std::string kSubject = "Nhắc việc: hệ thống cấp độ 3 quá hạn diễn tập";

std::vector<std::string> Lines(std::string_view bytes) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t eol = bytes.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = bytes.size();
    out.emplace_back(bytes.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    text::Decoded d = text::DecodeUtf8(s.substr(i));
    if (!d.valid) return false;
    i += d.length;
  }
  return true;
}

// Checks the invariants of one folded header field and returns its decoded value.
std::string CheckFieldAndDecode(const std::string& field, std::string_view name) {
  EXPECT_TRUE(field.ends_with("\r\n")) << field;
  EXPECT_EQ(field.find('\n'), field.find("\r\n") + 1) << "bare LF in " << field;
  std::vector<std::string> lines = Lines(field);
  for (size_t line_idx = 0; line_idx < lines.size(); ++line_idx) {
    const std::string& line = lines[line_idx];
    EXPECT_LE(line.size(), kMaxLineLength) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    if (line_idx > 0) {
      EXPECT_EQ(line[0], ' ') << "continuation line must start with white space: " << line;
    }
    // Each encoded word on its own: at most 75 octets, and decodes to whole UTF-8 sequences.
    size_t pos = 0;
    while ((pos = line.find("=?", pos)) != std::string::npos) {
      size_t end = line.find("?=", pos + 10);
      EXPECT_NE(end, std::string::npos) << line;
      if (end == std::string::npos) break;
      std::string word = line.substr(pos, end + 2 - pos);
      EXPECT_LE(word.size(), kMaxEncodedWordLength) << word;
      auto [decoded, err] = DecodeWords(word);
      EXPECT_EQ(err, "") << word;
      EXPECT_TRUE(IsValidUtf8(decoded)) << "word splits a UTF-8 sequence: " << word;
      pos = end + 2;
    }
  }
  auto [mail, err] = ParseMail(field + "\r\n");
  EXPECT_EQ(err, "");
  EXPECT_EQ(mail.headers.size(), 1u);
  if (mail.headers.empty()) return {};
  EXPECT_EQ(mail.headers[0].name, name);
  auto [value, derr] = DecodeWords(mail.headers[0].raw);
  EXPECT_EQ(derr, "");
  return value;
}

TEST(MimeSubject, VietnameseRoundTripsInBothEncodings) {
  for (WordEncoding enc : {WordEncoding::kAuto, WordEncoding::kBase64, WordEncoding::kQuoted}) {
    auto field = EncodeUnstructuredField("Subject", kSubject, enc);
    ASSERT_TRUE(field) << field.error().ToString();
    EXPECT_EQ(CheckFieldAndDecode(*field, "Subject"), kSubject) << *field;
    EXPECT_NE(field->find(enc == WordEncoding::kQuoted ? "=?UTF-8?Q?" : "=?UTF-8?"),
              std::string::npos);
  }
  auto b = EncodeUnstructuredField("Subject", kSubject, WordEncoding::kBase64);
  EXPECT_NE(b->find("=?UTF-8?B?"), std::string::npos);
}

TEST(MimeSubject, LongTextFoldsWithoutSplittingUtf8) {
  std::string long_subject;
  for (int i = 0; i < 12; ++i) long_subject += kSubject + " — 🚨 ";
  for (WordEncoding enc : {WordEncoding::kBase64, WordEncoding::kQuoted}) {
    auto field = EncodeUnstructuredField("Subject", long_subject, enc);
    ASSERT_TRUE(field);
    EXPECT_GT(Lines(*field).size(), 5u);
    EXPECT_EQ(CheckFieldAndDecode(*field, "Subject"), long_subject);
  }
}

TEST(MimeSubject, RandomTextRoundTrips) {
  // Code points from ASCII, Vietnamese letters, CJK and emoji: 1- to 4-byte sequences.
  const std::vector<char32_t> alphabet = {'a',  'Z',  ' ',   ' ',     '=',  '?',  '_',
                                          '"',  '.',  ':',   U'ắ',    U'ệ', U'ố', U'đ',
                                          U'Ư', U'ỹ', U'中', 0x1F600, '\t'};
  std::mt19937 rng(42);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string s;
    int len = static_cast<int>(rng() % 120);
    for (int k = 0; k < len; ++k) text::AppendUtf8(alphabet[rng() % alphabet.size()], &s);
    WordEncoding enc = iter % 3 == 0   ? WordEncoding::kAuto
                       : iter % 3 == 1 ? WordEncoding::kBase64
                                       : WordEncoding::kQuoted;
    auto field = EncodeUnstructuredField("Subject", s, enc);
    ASSERT_TRUE(field) << s;
    ASSERT_EQ(CheckFieldAndDecode(*field, "Subject"), s) << *field;
  }
}

TEST(MimeSubject, PlainAsciiStaysReadableAndFoldsAtSpaces) {
  std::string s = "Reminder: the annual drill for system 42 is overdue";
  auto short_field = EncodeUnstructuredField("Subject", s);
  ASSERT_TRUE(short_field);
  EXPECT_EQ(*short_field, "Subject: " + s + "\r\n");
  std::string long_s;
  for (int i = 0; i < 6; ++i) long_s += (i ? " " : "") + s;
  auto long_field = EncodeUnstructuredField("Subject", long_s);
  ASSERT_TRUE(long_field);
  EXPECT_EQ(long_field->find("=?"), std::string::npos);
  EXPECT_EQ(CheckFieldAndDecode(*long_field, "Subject"), long_s);
}

TEST(MimeSubject, TextThatLooksEncodedOrHasOddSpacingIsEncoded) {
  for (const std::string& s :
       std::vector<std::string>{"=?UTF-8?B?SGk=?=", "two  spaces", " leading", "trailing ",
                                "tab\there", std::string(100, 'x')}) {
    auto field = EncodeUnstructuredField("Subject", s);
    ASSERT_TRUE(field);
    EXPECT_EQ(CheckFieldAndDecode(*field, "Subject"), s) << *field;
  }
}

TEST(MimeSubject, EmptySubject) {
  auto field = EncodeUnstructuredField("Subject", "");
  ASSERT_TRUE(field);
  EXPECT_EQ(*field, "Subject:\r\n");
}

TEST(MimeSubject, LineBreaksNulAndBadUtf8AreRefused) {
  for (std::string s : {std::string("Hi\r\nBcc: victim@example.com"), std::string("Hi\nBcc: x@y"),
                        std::string("Hi\rX"), std::string("a\0b", 3), std::string("\xC3\x28"),
                        std::string("\xED\xA0\x80"), std::string("Nhắc\xE1\xBA")}) {
    auto field = EncodeUnstructuredField("Subject", s);
    ASSERT_FALSE(field) << *field;
    EXPECT_EQ(field.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(MimeAddress, ValidAndInvalidAddresses) {
  for (const char* ok :
       {"a@b.vn", "ttcntt.socntt@example.gov.vn", "x+tag@host", "a_b-c@d-e.f", "o'neil@x.com"}) {
    EXPECT_TRUE(ValidateEmailAddress(ok)) << ok;
  }
  for (std::string bad : {std::string(""),
                          std::string("nobody"),
                          std::string("@b.vn"),
                          std::string("a@"),
                          std::string("a..b@c.vn"),
                          std::string(".a@c.vn"),
                          std::string("a.@c.vn"),
                          std::string("a b@c.vn"),
                          std::string("a@b..vn"),
                          std::string("a@-b.vn"),
                          std::string("a@b-.vn"),
                          std::string("a@b_c.vn"),
                          std::string("\"q\"@b.vn"),
                          std::string("a@b.vn>\r\nRCPT TO:<c@d.vn"),
                          std::string("a@b.vn\r\n"),
                          std::string("nguyễn@b.vn"),
                          std::string("a@bücher.de"),
                          std::string("a<b@c.vn"),
                          std::string(65, 'a') + "@b.vn",
                          "a@" + std::string(64, 'b') + ".vn",
                          std::string(250, 'a') + "@b.vn",
                          std::string("a@b@c.vn"),
                          std::string("a\0@b.vn", 7)}) {
    auto st = ValidateEmailAddress(bad);
    ASSERT_FALSE(st) << bad;
    EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(MimeAddress, DisplayNamesRoundTrip) {
  std::vector<Recipient> to = {
      {"an.nguyen@socntt.example.vn", "Nguyễn Văn An"},
      {"focal@example.vn", "Plain Name"},
      {"q@example.vn", "Trần, \"Bình\" \\ Dr."},
      {"bare@example.vn", ""},
      {"q2@example.vn", "Dr. \"Bob\", Jr."},
      {"long@example.vn", "Trưởng phòng An toàn thông tin và Điều phối ứng cứu sự cố mạng"},
  };
  for (WordEncoding enc : {WordEncoding::kBase64, WordEncoding::kQuoted}) {
    auto field = EncodeAddressField("To", to, enc);
    ASSERT_TRUE(field) << field.error().ToString();
    auto [mail, err] = ParseMail(*field + "\r\n");
    ASSERT_EQ(err, "");
    for (const std::string& line : Lines(*field)) EXPECT_LE(line.size(), kMaxLineLength) << line;
    auto [list, lerr] = DecodeAddressList(*mail.Raw("To"));
    ASSERT_EQ(lerr, "") << *field;
    ASSERT_EQ(list.size(), to.size()) << *field;
    for (size_t i = 0; i < to.size(); ++i) {
      EXPECT_EQ(list[i].first, to[i].display_name) << *field;
      EXPECT_EQ(list[i].second, to[i].address);
    }
  }
}

// Found by fuzz/mime_fuzz.cc (corpus input display-name-backslashes): a name of 60 printable
// octets passed as a quoted-string, but each backslash doubles when escaped, and the line grew past
// 76 octets. The length limit now applies to the quoted form; a longer name is sent as encoded
// words.
TEST(MimeAddress, EscapedQuotedNameNeverPassesTheLineLimit) {
  for (size_t backslashes : {0, 10, 29, 30, 31, 58}) {
    std::string name = "a." + std::string(backslashes, '\\');
    name.resize(std::max<size_t>(name.size(), 60), 'd');
    std::vector<Recipient> to = {{"x@example.vn", name}};
    auto field = EncodeAddressField("To", to, WordEncoding::kAuto);
    ASSERT_TRUE(field) << field.error().ToString();
    for (const std::string& line : Lines(*field)) {
      EXPECT_LE(line.size(), kMaxLineLength) << backslashes << ": " << line;
    }
    auto [mail, err] = ParseMail(*field + "\r\n");
    ASSERT_EQ(err, "");
    auto [list, lerr] = DecodeAddressList(*mail.Raw("To"));
    ASSERT_EQ(lerr, "") << *field;
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].first, name);
  }
}

TEST(MimeAddress, InjectionThroughNamesOrAddressesIsRefused) {
  std::vector<std::vector<Recipient>> bad = {
      {{"a@b.vn", "Evil\r\nBcc: victim@example.com"}},
      {{"a@b.vn", "Evil\nX"}},
      {{"a@b.vn", std::string("N\0ul", 4)}},
      {{"a@b.vn\r\nBcc: victim@example.com", "x"}},
      {{"ok@b.vn", "ok"}, {"a@b.vn,victim@example.com", "x"}},
  };
  for (size_t case_idx = 0; case_idx < bad.size(); ++case_idx) {
    auto field = EncodeAddressField("To", bad[case_idx]);
    ASSERT_FALSE(field) << *field;
    EXPECT_EQ(field.error().code, core::ErrorCode::kInvalidArgument);
  }
  auto field = EncodeAddressField("To", bad[4]);
  EXPECT_EQ(field.error().field, "/1/address");
}

TEST(QuotedPrintable, LongLinesAndUtf8) {
  std::string line;
  for (int i = 0; i < 40; ++i) line += "Hệ thống cấp độ 3 phải diễn tập ứng cứu sự cố mỗi năm. ";
  std::string qp = EncodeQuotedPrintable(line);
  auto [decoded, err] = DecodeQuotedPrintable(qp);
  ASSERT_EQ(err, "");
  EXPECT_EQ(decoded, line);
  for (const std::string& l : Lines(qp)) {
    EXPECT_LE(l.size(), kMaxLineLength);
    // A soft-broken line decodes to whole UTF-8 sequences.
    auto [part, perr] = DecodeQuotedPrintable(l);
    EXPECT_EQ(perr, "");
    EXPECT_TRUE(IsValidUtf8(part)) << l;
  }
}

TEST(QuotedPrintable, UnbrokenAsciiLine) {
  std::string line(5000, 'x');
  line[2500] = '=';
  std::string qp = EncodeQuotedPrintable(line);
  for (const std::string& l : Lines(qp)) EXPECT_LE(l.size(), kMaxLineLength);
  EXPECT_EQ(DecodeQuotedPrintable(qp).first, line);
}

TEST(QuotedPrintable, DotsFromAndTrailingSpace) {
  std::string text = ".\n..\n.hidden\nFrom here\nend with space \nend with tab\t\n= sign\n";
  std::string qp = EncodeQuotedPrintable(text);
  for (const std::string& l : Lines(qp)) {
    EXPECT_FALSE(l.starts_with(".")) << l;
    EXPECT_FALSE(l.starts_with("From ")) << l;
    EXPECT_FALSE(l.ends_with(" ") || l.ends_with("\t")) << l;
  }
  std::string crlf =
      ".\r\n..\r\n.hidden\r\nFrom here\r\nend with space \r\nend with tab\t\r\n= "
      "sign\r\n";
  EXPECT_EQ(DecodeQuotedPrintable(qp).first, crlf);
}

TEST(QuotedPrintable, SoftBreakNeverLeavesADotAtLineStart) {
  // 75 x's put the dot exactly where a soft break would start a new line.
  for (int n = 70; n < 80; ++n) {
    std::string text = std::string(n, 'x') + "." + std::string(10, 'y');
    std::string qp = EncodeQuotedPrintable(text);
    for (const std::string& l : Lines(qp)) EXPECT_FALSE(l.starts_with(".")) << n << ": " << qp;
    EXPECT_EQ(DecodeQuotedPrintable(qp).first, text);
  }
}

TEST(QuotedPrintable, LineEndingsBecomeCrlf) {
  EXPECT_EQ(DecodeQuotedPrintable(EncodeQuotedPrintable("a\nb\rc\r\nd")).first, "a\r\nb\r\nc\r\nd");
  EXPECT_EQ(EncodeQuotedPrintable(""), "");
}

TEST(Base64Lines, SeventySixColumnsAndRoundTrip) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 37));
  std::string b = EncodeBase64Lines(data);
  for (const std::string& l : Lines(b)) EXPECT_LE(l.size(), kMaxLineLength);
  EXPECT_EQ(testing::DecodeBase64(b).first, data);
  EXPECT_EQ(EncodeBase64Lines(""), "");
}

TEST(MimeDate, VietnamTime) {
  auto t = core::ParseRfc3339("2026-11-25T14:52:06Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatRfc5322Date(*t), "Wed, 25 Nov 2026 21:52:06 +0700");
  auto late = core::ParseRfc3339("2026-12-31T20:00:00.999Z");  // already 1 January in Vietnam
  EXPECT_EQ(FormatRfc5322Date(*late), "Fri, 1 Jan 2027 03:00:00 +0700");
  auto leap = core::ParseRfc3339("2028-02-29T00:00:00+07:00");
  EXPECT_EQ(FormatRfc5322Date(*leap), "Tue, 29 Feb 2028 00:00:00 +0700");
}

TEST(MimeMessageId, DerivedFromTheKeyOnly) {
  std::string a = MessageIdFor("reminder/R5/sys-42/2026/overdue", "socntt.example.vn");
  EXPECT_EQ(a, MessageIdFor("reminder/R5/sys-42/2026/overdue", "socntt.example.vn"));
  EXPECT_NE(a, MessageIdFor("reminder/R5/sys-42/2026/due-soon", "socntt.example.vn"));
  EXPECT_EQ(a.size(), 1 + 32 + 1 + 17 + 1);
  EXPECT_TRUE(a.starts_with("<") && a.ends_with("@socntt.example.vn>"));
  // SHA-256("abc") starts with ba7816bf8f01cfea414140de5dae2223.
  EXPECT_EQ(MessageIdFor("abc", "x"), "<ba7816bf8f01cfea414140de5dae2223@x>");
}

Message SampleMessage() {
  Message m;
  m.to = {{"an.nguyen@socntt.example.vn", "Nguyễn Văn An"},
          {"focal@ubnd.example.vn", "Đầu mối ATTT"}};
  m.cc = {{"coordinator@socntt.example.vn", "Điều phối"}};
  m.subject = kSubject;
  m.text_body =
      "Kính gửi anh An,\n\nHệ thống \"Cổng dịch vụ công\" (cấp độ 3) chưa có báo cáo diễn tập năm "
      "2026.\nHạn: 31/12/2026.\n.\nTrân trọng.\n";
  m.idempotency_key = "reminder/R5/sys-42/2026/overdue/1";
  return m;
}

MimeOptions SampleOptions() {
  MimeOptions opt;
  opt.from = {"ucsc@socntt.example.vn", "Hệ thống ucsc"};
  opt.date = *core::ParseRfc3339("2026-11-25T14:52:06Z");
  return opt;
}

void CheckWholeMessage(const std::string& bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ASSERT_TRUE(i > 0 && bytes[i - 1] == '\r') << "bare LF at " << i;
    }
    if (bytes[i] == '\r') {
      ASSERT_TRUE(i + 1 < bytes.size() && bytes[i + 1] == '\n');
    }
    ASSERT_NE(bytes[i], '\0');
    ASSERT_LT(static_cast<unsigned char>(bytes[i]), 0x80) << "8-bit byte at " << i;
  }
  EXPECT_TRUE(bytes.ends_with("\r\n"));
  for (const std::string& l : Lines(bytes)) {
    EXPECT_LE(l.size(), kMaxLineLength) << l;
    EXPECT_FALSE(l.starts_with(".")) << l;
  }
}

TEST(MimeMessageBuild, PlainTextMessage) {
  Message m = SampleMessage();
  auto mail = BuildMimeMessage(m, SampleOptions());
  ASSERT_TRUE(mail) << mail.error().ToString();
  CheckWholeMessage(mail->bytes);
  auto [parsed, err] = ParseMail(mail->bytes);
  ASSERT_EQ(err, "");
  for (const char* h :
       {"Date", "From", "To", "Cc", "Subject", "Message-ID", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "Content-Language", "Auto-Submitted"}) {
    EXPECT_EQ(parsed.Count(h), 1) << h;
  }
  EXPECT_EQ(parsed.Count("Bcc"), 0);
  EXPECT_EQ(*parsed.Raw("Date"), "Wed, 25 Nov 2026 21:52:06 +0700");
  EXPECT_EQ(*parsed.Raw("Message-ID"), mail->message_id);
  EXPECT_EQ(mail->message_id, MessageIdFor(m.idempotency_key, "socntt.example.vn"));
  EXPECT_EQ(*parsed.Raw("Content-Language"), "vi");
  EXPECT_EQ(DecodeWords(*parsed.Raw("Subject")).first, kSubject);
  auto [from, ferr] = DecodeAddressList(*parsed.Raw("From"));
  ASSERT_EQ(from.size(), 1u);
  EXPECT_EQ(from[0].first, "Hệ thống ucsc");
  auto [to, terr] = DecodeAddressList(*parsed.Raw("To"));
  ASSERT_EQ(to.size(), 2u);
  EXPECT_EQ(to[1].first, "Đầu mối ATTT");
  auto [parts, perr] = TextParts(parsed);
  ASSERT_EQ(perr, "");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].content_type, "text/plain; charset=utf-8");
  std::string expected = m.text_body;
  for (size_t p = 0; (p = expected.find('\n', p)) != std::string::npos; p += 2) {
    expected.replace(p, 1, "\r\n");
  }
  EXPECT_EQ(parts[0].text, expected);
}

TEST(MimeMessageBuild, HtmlAlternative) {
  Message m = SampleMessage();
  m.locale = Locale::kEn;
  m.text_body = "no final newline";
  m.html_body = "<p>Hệ thống <b>cấp độ 3</b></p>\n<p>.</p>";
  auto mail = BuildMimeMessage(m, SampleOptions());
  ASSERT_TRUE(mail);
  CheckWholeMessage(mail->bytes);
  auto [parsed, err] = ParseMail(mail->bytes);
  EXPECT_EQ(*parsed.Raw("Content-Language"), "en");
  EXPECT_TRUE(parsed.Raw("Content-Type")->starts_with("multipart/alternative; boundary=\"=_"));
  auto [parts, perr] = TextParts(parsed);
  ASSERT_EQ(perr, "");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(parts[0].text, "no final newline\r\n");
  EXPECT_EQ(parts[1].content_type, "text/html; charset=utf-8");
  EXPECT_EQ(parts[1].text, "<p>Hệ thống <b>cấp độ 3</b></p>\r\n<p>.</p>\r\n");
}

TEST(MimeMessageBuild, MostlyNonAsciiBodyUsesBase64) {
  Message m = SampleMessage();
  m.text_body = "";
  for (int i = 0; i < 200; ++i) m.text_body += "ắệốữỹ";
  auto mail = BuildMimeMessage(m, SampleOptions());
  ASSERT_TRUE(mail);
  CheckWholeMessage(mail->bytes);
  auto [parsed, err] = ParseMail(mail->bytes);
  EXPECT_EQ(*parsed.Raw("Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(TextParts(parsed).first.at(0).text, m.text_body + "\r\n");
}

TEST(MimeMessageBuild, ResendHasTheSameMessageIdAtAnotherTime) {
  Message m = SampleMessage();
  MimeOptions opt = SampleOptions();
  auto first = BuildMimeMessage(m, opt);
  opt.date += std::chrono::hours(30);
  auto second = BuildMimeMessage(m, opt);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->message_id, second->message_id);
  EXPECT_NE(first->bytes, second->bytes);  // the Date differs
  opt.message_id_domain = "ids.example.vn";
  EXPECT_TRUE(BuildMimeMessage(m, opt)->message_id.ends_with("@ids.example.vn>"));
}

TEST(MimeMessageBuild, BadMessagesAreRefusedWithTheirField) {
  struct Case {
    std::function<void(Message&, MimeOptions&)> edit;
    std::string field;
  };
  std::vector<Case> cases = {
      {[](Message& m, MimeOptions&) { m.to.clear(); }, "/to"},
      {[](Message& m, MimeOptions&) { m.to[1].address = "not an address"; }, "/to/1/address"},
      {[](Message& m, MimeOptions&) { m.cc[0].display_name = "x\r\nBcc: y@z"; },
       "/cc/0/display_name"},
      {[](Message& m, MimeOptions&) { m.subject = "Hi\r\nBcc: victim@example.com"; }, "/subject"},
      {[](Message& m, MimeOptions&) { m.idempotency_key.clear(); }, "/idempotency_key"},
      {[](Message& m, MimeOptions&) { m.idempotency_key = std::string(513, 'k'); },
       "/idempotency_key"},
      {[](Message& m, MimeOptions&) { m.text_body = "bad \xFF utf-8"; }, "/text_body"},
      {[](Message& m, MimeOptions&) { m.text_body = std::string(kMaxBodyBytes + 1, 'a'); },
       "/text_body"},
      {[](Message&, MimeOptions& o) { o.from.address = "ucsc"; }, "/from/address"},
      {[](Message&, MimeOptions& o) { o.from.display_name = "a\nb"; }, "/from/display_name"},
      {[](Message&, MimeOptions& o) { o.message_id_domain = "bad domain"; }, "/message_id_domain"},
  };
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    Message m = SampleMessage();
    MimeOptions opt = SampleOptions();
    cases[case_idx].edit(m, opt);
    auto mail = BuildMimeMessage(m, opt);
    ASSERT_FALSE(mail) << case_idx;
    EXPECT_EQ(mail.error().code, core::ErrorCode::kInvalidArgument) << case_idx;
    EXPECT_EQ(mail.error().field, cases[case_idx].field) << case_idx << mail.error().ToString();
  }
}

}  // namespace
}  // namespace ucsc::notify
