#include "notify/notifier.h"

#include <gtest/gtest.h>

#include "notify/fake_notifier.h"
#include "notify/smtp_notifier.h"

namespace ucsc::notify {
namespace {

Message Sample() {
  Message m;
  m.to = {{"an@example.vn", "Nguyễn Văn An"}};
  m.subject = "Nhắc việc";
  m.text_body = "body";
  m.idempotency_key = "k1";
  return m;
}

TEST(NotifierRegistry, RegistersCreatesAndListsKinds) {
  NotifierRegistry registry;
  core::FakeClock clock(core::FromUnixMillis(0));
  ASSERT_TRUE(RegisterSmtpNotifier(registry));
  ASSERT_TRUE(registry.Register(
      "sms",
      [](const nlohmann::json&, const NotifierDeps&) -> core::Result<std::unique_ptr<Notifier>> {
        return std::make_unique<FakeNotifier>("sms");
      }));
  EXPECT_EQ(registry.Kinds(), (std::vector<std::string>{"sms", "smtp"}));

  auto again = RegisterSmtpNotifier(registry);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, core::ErrorCode::kAlreadyExists);
  EXPECT_EQ(registry.Register("", nullptr).error().code, core::ErrorCode::kInvalidArgument);

  auto sms = registry.Create("sms", nlohmann::json::object(), {&clock});
  ASSERT_TRUE(sms);
  EXPECT_EQ((*sms)->Kind(), "sms");
  auto receipt = (*sms)->Send(Sample());
  ASSERT_TRUE(receipt);
  EXPECT_EQ(receipt->channel, "sms");

  auto zalo = registry.Create("zalo", nlohmann::json::object(), {&clock});
  ASSERT_FALSE(zalo);
  EXPECT_EQ(zalo.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(zalo.error().message.find("(known: sms, smtp)"), std::string::npos)
      << zalo.error().message;

  auto smtp = registry.Create(
      "smtp", {{"host", "mail.example.vn"}, {"from", "ucsc@example.vn"}, {"tls", "implicit"}},
      {&clock});
  ASSERT_TRUE(smtp) << smtp.error().ToString();
  EXPECT_EQ((*smtp)->Kind(), "smtp");
  EXPECT_EQ(static_cast<SmtpNotifier*>(smtp->get())->config().port, 465);
}

TEST(NotifierRegistry, CreateFromConfigReadsTheKind) {
  NotifierRegistry registry;
  core::FakeClock clock(core::FromUnixMillis(0));
  ASSERT_TRUE(RegisterSmtpNotifier(registry));
  auto smtp = registry.CreateFromConfig(
      {{"kind", "smtp"}, {"host", "mail.example.vn"}, {"from", "ucsc@example.vn"}}, {&clock});
  ASSERT_TRUE(smtp) << smtp.error().ToString();
  EXPECT_EQ(static_cast<SmtpNotifier*>(smtp->get())->config().port, 587);
  auto no_kind = registry.CreateFromConfig({{"host", "x"}}, {&clock});
  EXPECT_EQ(no_kind.error().field, "/kind");
  auto bad_kind = registry.CreateFromConfig({{"kind", 3}}, {&clock});
  EXPECT_EQ(bad_kind.error().field, "/kind");
  auto not_object = registry.CreateFromConfig(nlohmann::json::array(), {&clock});
  EXPECT_EQ(not_object.error().code, core::ErrorCode::kInvalidArgument);
  auto unknown = registry.CreateFromConfig({{"kind", "zalo"}}, {&clock});
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  auto bad_key = registry.CreateFromConfig(
      {{"kind", "smtp"}, {"host", "h"}, {"from", "a@b"}, {"hots", "typo"}}, {&clock});
  EXPECT_EQ(bad_key.error().field, "/hots");
}

TEST(SmtpConfig, ParsesAndRefusesBadConfigsWithTheirPointer) {
  auto ok = ParseSmtpConfig({{"host", "127.0.0.1"},
                             {"port", 2525},
                             {"tls", "none"},
                             {"username", "u"},
                             {"password", "p"},
                             {"from", "ucsc@example.vn"},
                             {"from_name", "Hệ thống ucsc"},
                             {"connect_timeout_ms", 500},
                             {"timeout_ms", 2000}});
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->tls, TlsMode::kNone);
  EXPECT_EQ(ok->port, 2525);
  EXPECT_EQ(ok->connect_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(ok->from.display_name, "Hệ thống ucsc");
  for (const char* loopback : {"127.0.0.1", "127.1.2.3", "localhost", "::1"}) {
    nlohmann::json c = {{"host", loopback},
                        {"tls", "none"},
                        {"username", "u"},
                        {"password", "p"},
                        {"from", "ucsc@example.vn"}};
    EXPECT_TRUE(ParseSmtpConfig(c)) << loopback;
  }

  struct Case {
    nlohmann::json config;
    std::string field;
  };
  const nlohmann::json base = {{"host", "mail.example.vn"}, {"from", "ucsc@example.vn"}};
  auto with = [&](const char* key, nlohmann::json value) {
    nlohmann::json c = base;
    c[key] = std::move(value);
    return c;
  };
  std::vector<Case> cases = {
      {{{"from", "ucsc@example.vn"}}, "/host"},
      {with("host", "mail.example.vn/evil?x"), "/host"},
      {with("host", "a@b"), "/host"},
      {with("port", 70000), "/port"},
      {with("port", "25"), "/port"},
      {with("tls", "ssl"), "/tls"},
      {with("from", "not-an-address"), "/from"},
      {with("from_name", "x\r\nBcc: y@z"), "/from_name"},
      {with("timeout_ms", 0), "/timeout_ms"},
      {with("helo_domain", "bad domain"), "/helo_domain"},
      {with("surprise", 1), "/surprise"},
      {with("username", "only-user"), "/username"},
  };
  nlohmann::json plaintext_auth = base;
  plaintext_auth["tls"] = "none";
  plaintext_auth["username"] = "u";
  plaintext_auth["password"] = "p";
  cases.push_back({plaintext_auth, "/tls"});
  plaintext_auth["host"] = "127.example.com";  // a name, not a loopback address
  cases.push_back({plaintext_auth, "/tls"});
  for (size_t case_idx = 0; case_idx < cases.size(); ++case_idx) {
    auto r = ParseSmtpConfig(cases[case_idx].config);
    ASSERT_FALSE(r) << cases[case_idx].config.dump();
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, cases[case_idx].field) << r.error().ToString();
  }
}

TEST(FakeNotifier, RecordsValidatesAndInjectsFailures) {
  FakeNotifier fake;
  fake.FailNext(core::Error{core::ErrorCode::kUnavailable, "down", ""});
  auto failed = fake.Send(Sample());
  ASSERT_FALSE(failed);
  EXPECT_TRUE(IsTransient(failed.error()));
  EXPECT_TRUE(fake.Sent().empty());

  auto r1 = fake.Send(Sample());
  auto r2 = fake.Send(Sample());
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->message_id, r2->message_id);
  EXPECT_EQ(r1->channel, "fake");
  ASSERT_EQ(fake.Sent().size(), 2u);
  EXPECT_EQ(fake.Sent()[0].subject, "Nhắc việc");
  EXPECT_EQ(fake.Attempts(), 3);

  Message bad = Sample();
  bad.subject = "x\nBcc: y@z";
  auto refused = fake.Send(bad);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "/subject");
  EXPECT_FALSE(IsTransient(refused.error()));
  EXPECT_EQ(fake.Sent().size(), 2u);
  fake.Clear();
  EXPECT_EQ(fake.Attempts(), 0);
}

TEST(ValidateMessage, ChannelIndependentRules) {
  EXPECT_TRUE(ValidateMessage(Sample()));
  Message m = Sample();
  m.to.push_back({"", "x"});
  EXPECT_EQ(ValidateMessage(m).error().field, "/to/1/address");
  m = Sample();
  m.text_body = "multi\nline\r\nbody is fine";
  EXPECT_TRUE(ValidateMessage(m));
  m.html_body = std::string("\xC0\x80");
  EXPECT_EQ(ValidateMessage(m).error().field, "/html_body");
}

}  // namespace
}  // namespace ucsc::notify
