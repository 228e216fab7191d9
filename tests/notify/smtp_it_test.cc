// Integration tests of SmtpNotifier against a real SMTP server (tests/notify/smtp_sink.h) that
// each test starts on 127.0.0.1: plain SMTP, STARTTLS and implicit TLS with a throw-away
// self-signed certificate, AUTH, refusals, timeouts. The delivered bytes are checked with the
// test's own reader and with Python's `email` package as an independent decoder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/legal_time.h"
#include "notify/mail_reader.h"
#include "notify/smtp_notifier.h"
#include "notify/smtp_sink.h"

namespace ucsc::notify {
namespace {

using testing::Delivery;
using testing::SmtpSink;

const std::string kSubject = "Nhắc việc: hệ thống cấp độ 3 quá hạn diễn tập";
const std::string kBody =
    "Kính gửi ông Nguyễn Văn An,\n"
    "\n"
    "Hệ thống \"Cổng dịch vụ công tỉnh\" (cấp độ 3) chưa có báo cáo diễn tập năm 2026 (R5).\n"
    "Hạn chót: 31/12/2026. Quá hạn: 3 ngày.\n"
    ".\n"
    "..dòng bắt đầu bằng dấu chấm\n"
    "From the coordinator: please upload the drill report.\n"
    "Trân trọng,\n"
    "Sở Thông tin và Truyền thông\n";

std::string Crlf(std::string s) {
  for (size_t p = 0; (p = s.find('\n', p)) != std::string::npos; p += 2) s.replace(p, 1, "\r\n");
  return s;
}

Message Reminder() {
  Message m;
  m.to = {{"an.nguyen@ubnd.example.vn", "Nguyễn Văn An"},
          {"dau.moi@ubnd.example.vn", "Đầu mối ATTT"}};
  m.cc = {{"dieu.phoi@socntt.example.vn", "Điều phối viên"}};
  m.subject = kSubject;
  m.text_body = kBody;
  m.idempotency_key = "reminder/R5/sys-42/2026-12-31/overdue/1";
  return m;
}

SmtpSink::Options SinkOptions(SmtpSink::Tls tls, std::string username = {},
                              std::string password = {},
                              std::map<std::string, std::string> rcpt_replies = {}) {
  SmtpSink::Options o;
  o.tls = tls;
  o.username = std::move(username);
  o.password = std::move(password);
  o.rcpt_replies = std::move(rcpt_replies);
  return o;
}

SmtpConfig ConfigFor(const SmtpSink& sink, TlsMode tls) {
  SmtpConfig c;
  c.host = "127.0.0.1";
  c.port = sink.port();
  c.tls = tls;
  c.ca_file = sink.ca_file();
  c.from = {"ucsc@socntt.example.vn", "Hệ thống ucsc"};
  c.helo_domain = "ucsc.test";
  c.connect_timeout = std::chrono::milliseconds(5000);
  c.timeout = std::chrono::milliseconds(20000);
  return c;
}

core::FakeClock MakeClock() { return core::FakeClock(*core::ParseRfc3339("2026-12-31T02:00:00Z")); }

// The message as Python's email package (policy.default) reads it.
nlohmann::json PythonView(const std::string& bytes) {
  auto dir = std::filesystem::temp_directory_path();
  std::string stem = "ucsc-notify-it-" + std::to_string(getpid());
  auto mail_path = dir / (stem + ".eml");
  auto script_path = dir / (stem + ".py");
  std::ofstream(mail_path, std::ios::binary) << bytes;
  std::ofstream(script_path) << R"(import json, sys
from email import policy
from email.parser import BytesParser
with open(sys.argv[1], 'rb') as f:
    msg = BytesParser(policy=policy.default).parse(f)
def addrs(h):
    return [[a.display_name, a.addr_spec] for a in msg[h].addresses] if msg[h] else []
plain = msg.get_body(preferencelist=('plain',))
html = msg.get_body(preferencelist=('html',))
print(json.dumps({
    'subject': str(msg['subject']),
    'from': addrs('from'), 'to': addrs('to'), 'cc': addrs('cc'),
    'message_id': msg['message-id'],
    'date': msg['date'].datetime.isoformat(),
    'plain': plain.get_content() if plain else None,
    'html': html.get_content() if html else None,
    'defects': [type(d).__name__ for d in msg.defects] +
               [type(d).__name__ for p in msg.walk() for d in p.defects],
}))
)";
  std::string cmd = "python3 " + script_path.string() + " " + mail_path.string();
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r"); p != nullptr) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << "python3 failed: " << out;
  }
  std::filesystem::remove(mail_path);
  std::filesystem::remove(script_path);
  auto j = nlohmann::json::parse(out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << out;
  return j;
}

std::string Normalise(std::string s) {
  for (size_t p = 0; (p = s.find("\r\n", p)) != std::string::npos;) s.erase(p, 1);
  return s;
}

void ExpectDeliveredReminder(const SmtpSink& sink, const Delivery& d, const Receipt& receipt) {
  EXPECT_TRUE(sink.Problems().empty()) << sink.Problems().front();
  EXPECT_EQ(d.helo, "ucsc.test");
  EXPECT_EQ(d.mail_from, "ucsc@socntt.example.vn");
  EXPECT_EQ(d.rcpt_to,
            (std::vector<std::string>{"an.nguyen@ubnd.example.vn", "dau.moi@ubnd.example.vn",
                                      "dieu.phoi@socntt.example.vn"}));
  // No line needed dot-stuffing: what came over the wire is what was meant.
  EXPECT_EQ(d.raw_data, d.data);
  auto [mail, err] = testing::ParseMail(d.data);
  ASSERT_EQ(err, "");
  EXPECT_EQ(mail.Count("Bcc"), 0);
  EXPECT_EQ(*mail.Raw("Message-ID"), receipt.message_id);
  EXPECT_EQ(*mail.Raw("Date"), "Thu, 31 Dec 2026 09:00:00 +0700");
  EXPECT_EQ(testing::DecodeWords(*mail.Raw("Subject")).first, kSubject);
  auto [parts, perr] = testing::TextParts(mail);
  ASSERT_EQ(perr, "");
  ASSERT_FALSE(parts.empty());
  EXPECT_EQ(parts[0].text, Crlf(kBody));

  nlohmann::json py = PythonView(d.data);
  EXPECT_EQ(py["subject"], kSubject);
  EXPECT_EQ(py["from"], nlohmann::json::parse(R"([["Hệ thống ucsc", "ucsc@socntt.example.vn"]])"));
  EXPECT_EQ(py["to"], nlohmann::json::parse(R"([["Nguyễn Văn An", "an.nguyen@ubnd.example.vn"],
                                                ["Đầu mối ATTT", "dau.moi@ubnd.example.vn"]])"));
  EXPECT_EQ(py["cc"],
            nlohmann::json::parse(R"([["Điều phối viên", "dieu.phoi@socntt.example.vn"]])"));
  EXPECT_EQ(py["message_id"], receipt.message_id);
  EXPECT_EQ(py["date"], "2026-12-31T09:00:00+07:00");
  EXPECT_EQ(Normalise(py["plain"].get<std::string>()), kBody);
  EXPECT_EQ(py["defects"], nlohmann::json::array());
}

TEST(SmtpNotifierIt, PlainSmtpDeliversVietnameseReminder) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kNone));
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto clock = MakeClock();
  auto smtp = SmtpNotifier::Create(ConfigFor(sink, TlsMode::kNone), clock);
  ASSERT_TRUE(smtp) << smtp.error().ToString();
  auto receipt = (*smtp)->Send(Reminder());
  ASSERT_TRUE(receipt) << receipt.error().ToString();
  EXPECT_EQ(receipt->channel, "smtp");
  auto deliveries = sink.Deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_FALSE(deliveries[0].tls);
  ExpectDeliveredReminder(sink, deliveries[0], *receipt);
}

TEST(SmtpNotifierIt, QEncodedHeadersDecodeToo) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kNone));
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto clock = MakeClock();
  SmtpConfig cfg = ConfigFor(sink, TlsMode::kNone);
  cfg.word_encoding = WordEncoding::kQuoted;
  auto receipt = (*SmtpNotifier::Create(cfg, clock))->Send(Reminder());
  ASSERT_TRUE(receipt) << receipt.error().ToString();
  auto deliveries = sink.Deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  auto [mail, err] = testing::ParseMail(deliveries[0].data);
  EXPECT_TRUE(mail.Raw("Subject")->starts_with("=?UTF-8?Q?Nh=E1=BA=AFc_vi=E1=BB=87c"))
      << *mail.Raw("Subject");
  ExpectDeliveredReminder(sink, deliveries[0], *receipt);
}

TEST(SmtpNotifierIt, StartTlsWithAuthentication) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kStartTls, "ucsc", "mật khẩu"));
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto clock = MakeClock();
  SmtpConfig cfg = ConfigFor(sink, TlsMode::kStartTls);
  cfg.username = "ucsc";
  cfg.password = "mật khẩu";
  auto smtp = SmtpNotifier::Create(cfg, clock);
  ASSERT_TRUE(smtp);
  auto receipt = (*smtp)->Send(Reminder());
  ASSERT_TRUE(receipt) << receipt.error().ToString();
  auto deliveries = sink.Deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_TRUE(deliveries[0].tls);
  EXPECT_EQ(deliveries[0].auth_user, "ucsc");
  ExpectDeliveredReminder(sink, deliveries[0], *receipt);
}

TEST(SmtpNotifierIt, ImplicitTls) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kImplicit));
  ASSERT_TRUE(sink.ok()) << sink.error();
  auto clock = MakeClock();
  auto smtp = SmtpNotifier::Create(ConfigFor(sink, TlsMode::kImplicit), clock);
  ASSERT_TRUE(smtp);
  auto receipt = (*smtp)->Send(Reminder());
  ASSERT_TRUE(receipt) << receipt.error().ToString();
  ASSERT_EQ(sink.Deliveries().size(), 1u);
  EXPECT_TRUE(sink.Deliveries()[0].tls);
  ExpectDeliveredReminder(sink, sink.Deliveries()[0], *receipt);
}

TEST(SmtpNotifierIt, StartTlsNotOfferedIsRefusedBeforeAnythingIsSent) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kNone));  // plain server, no STARTTLS
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  auto smtp = SmtpNotifier::Create(ConfigFor(sink, TlsMode::kStartTls), clock);
  auto r = (*smtp)->Send(Reminder());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition) << r.error().ToString();
  EXPECT_FALSE(IsTransient(r.error()));
  EXPECT_TRUE(sink.Deliveries().empty());
}

TEST(SmtpNotifierIt, UntrustedCertificateIsRefused) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kStartTls));
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  SmtpConfig cfg = ConfigFor(sink, TlsMode::kStartTls);
  cfg.ca_file.clear();  // the system store does not know the throw-away certificate
  auto r = (*SmtpNotifier::Create(cfg, clock))->Send(Reminder());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition) << r.error().ToString();
  EXPECT_TRUE(sink.Deliveries().empty());
}

TEST(SmtpNotifierIt, WrongPasswordIsPermissionDenied) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kStartTls, "ucsc", "right"));
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  SmtpConfig cfg = ConfigFor(sink, TlsMode::kStartTls);
  cfg.username = "ucsc";
  cfg.password = "wrong-secret";
  auto r = (*SmtpNotifier::Create(cfg, clock))->Send(Reminder());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied) << r.error().ToString();
  EXPECT_EQ(r.error().message.find("wrong-secret"), std::string::npos);
  EXPECT_TRUE(sink.Deliveries().empty());
}

TEST(SmtpNotifierIt, RefusedRecipientPermanentOrTransient) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kNone, "", "",
                            {{"dau.moi@ubnd.example.vn", "550 5.1.1 No such user"},
                             {"dieu.phoi@socntt.example.vn", "451 4.3.0 Try later"}}));
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  auto smtp = *SmtpNotifier::Create(ConfigFor(sink, TlsMode::kNone), clock);

  Message permanent = Reminder();
  permanent.cc.clear();
  auto r1 = smtp->Send(permanent);
  ASSERT_FALSE(r1);
  EXPECT_EQ(r1.error().code, core::ErrorCode::kFailedPrecondition) << r1.error().ToString();
  EXPECT_NE(r1.error().message.find("550"), std::string::npos) << r1.error().message;

  Message transient = Reminder();
  transient.to.pop_back();
  auto r2 = smtp->Send(transient);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, core::ErrorCode::kUnavailable) << r2.error().ToString();
  EXPECT_TRUE(IsTransient(r2.error()));
  EXPECT_TRUE(sink.Deliveries().empty());  // all or none
}

TEST(SmtpNotifierIt, BadAddressIsRefusedWithoutConnecting) {
  auto clock = MakeClock();
  SmtpConfig cfg;
  cfg.host = "127.0.0.1";
  cfg.port = testing::UnusedLoopbackPort();
  cfg.tls = TlsMode::kNone;
  cfg.from = {"ucsc@socntt.example.vn", ""};
  Message m = Reminder();
  m.to[0].address = "an.nguyen@ubnd.example.vn>\r\nRCPT TO:<victim@example.com";
  auto r = (*SmtpNotifier::Create(cfg, clock))->Send(m);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "/to/0/address");
}

TEST(SmtpNotifierIt, ConnectionRefusedIsUnavailable) {
  auto clock = MakeClock();
  SmtpConfig cfg;
  cfg.host = "127.0.0.1";
  cfg.port = testing::UnusedLoopbackPort();
  cfg.tls = TlsMode::kNone;
  cfg.from = {"ucsc@socntt.example.vn", ""};
  auto r = (*SmtpNotifier::Create(cfg, clock))->Send(Reminder());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable) << r.error().ToString();
  EXPECT_NE(r.error().message.find("127.0.0.1:" + std::to_string(cfg.port)), std::string::npos);
  EXPECT_TRUE(IsTransient(r.error()));
}

TEST(SmtpNotifierIt, SilentServerTimesOut) {
  testing::SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  auto clock = MakeClock();
  SmtpConfig cfg;
  cfg.host = "127.0.0.1";
  cfg.port = silent.port();
  cfg.tls = TlsMode::kNone;
  cfg.from = {"ucsc@socntt.example.vn", ""};
  cfg.timeout = std::chrono::milliseconds(300);
  auto r = (*SmtpNotifier::Create(cfg, clock))->Send(Reminder());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kDeadlineExceeded) << r.error().ToString();
  EXPECT_TRUE(IsTransient(r.error()));
}

TEST(SmtpNotifierIt, ResendAfterRestartKeepsTheMessageId) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kNone));
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  Receipt first, second;
  {
    auto smtp = *SmtpNotifier::Create(ConfigFor(sink, TlsMode::kNone), clock);
    first = *smtp->Send(Reminder());
  }
  clock.Advance(std::chrono::hours(26));  // a new process, a day later
  {
    auto smtp = *SmtpNotifier::Create(ConfigFor(sink, TlsMode::kNone), clock);
    second = *smtp->Send(Reminder());
  }
  EXPECT_EQ(first.message_id, second.message_id);
  auto deliveries = sink.Deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  auto [m1, e1] = testing::ParseMail(deliveries[0].data);
  auto [m2, e2] = testing::ParseMail(deliveries[1].data);
  EXPECT_EQ(*m1.Raw("Message-ID"), *m2.Raw("Message-ID"));
  EXPECT_NE(*m1.Raw("Date"), *m2.Raw("Date"));
}

TEST(SmtpNotifierIt, ConcurrentSendsFromSeveralThreads) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kStartTls));
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  auto smtp = *SmtpNotifier::Create(ConfigFor(sink, TlsMode::kStartTls), clock);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 3;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&, thread_idx] {
      for (int send_idx = 0; send_idx < kPerThread; ++send_idx) {
        Message m = Reminder();
        m.idempotency_key = "k/" + std::to_string(thread_idx) + "/" + std::to_string(send_idx);
        auto r = smtp->Send(m);
        if (!r) errors[thread_idx] += r.error().ToString() + "; ";
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const std::string& e : errors) EXPECT_EQ(e, "");
  std::set<std::string> ids;
  for (const Delivery& d : sink.Deliveries()) {
    EXPECT_TRUE(d.tls);
    ids.insert(*testing::ParseMail(d.data).first.Raw("Message-ID"));
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(SmtpNotifierIt, HtmlAlternativeAndRegistryConfig) {
  SmtpSink sink(SinkOptions(SmtpSink::Tls::kNone));
  ASSERT_TRUE(sink.ok());
  auto clock = MakeClock();
  NotifierRegistry registry;
  ASSERT_TRUE(RegisterSmtpNotifier(registry));
  auto email = registry.Create("smtp",
                               {{"host", "127.0.0.1"},
                                {"port", sink.port()},
                                {"tls", "none"},
                                {"from", "ucsc@socntt.example.vn"},
                                {"from_name", "Hệ thống ucsc"},
                                {"timeout_ms", 20000}},
                               {&clock});
  ASSERT_TRUE(email) << email.error().ToString();
  Message m = Reminder();
  m.locale = Locale::kEn;
  m.subject = "Reminder: level 3 system drill overdue";
  m.html_body = "<p>Hệ thống <b>cấp độ 3</b> quá hạn diễn tập.</p>\n<p>.</p>\n";
  auto receipt = (*email)->Send(m);
  ASSERT_TRUE(receipt) << receipt.error().ToString();
  auto deliveries = sink.Deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  const Delivery& d = deliveries[0];
  EXPECT_EQ(d.raw_data, d.data);
  nlohmann::json py = PythonView(d.data);
  EXPECT_EQ(py["subject"], m.subject);
  EXPECT_EQ(Normalise(py["plain"].get<std::string>()), kBody);
  EXPECT_EQ(Normalise(py["html"].get<std::string>()), *m.html_body);
  EXPECT_EQ(py["defects"], nlohmann::json::array());
  auto [mail, err] = testing::ParseMail(d.data);
  EXPECT_EQ(*mail.Raw("Content-Language"), "en");
}

}  // namespace
}  // namespace ucsc::notify
