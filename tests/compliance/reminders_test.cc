// Reminders (issue 4 point 5): who gets them, escalation, never twice (also across a restart),
// and the message delivered through a real SMTP listener on loopback with an RFC 2047 subject.
#include "compliance/reminders.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <span>

#include "mail_reader.h"
#include "notify/fake_notifier.h"
#include "notify/smtp_notifier.h"
#include "smtp_sink.h"
#include "store_fixture.h"

namespace ucsc::compliance {
namespace {

using Reminders = testing::ComplianceStore;
using testing::At;
using testing::Packs;

std::vector<std::string> Addresses(const std::vector<notify::Recipient>& v) {
  std::vector<std::string> out;
  for (const auto& r : v) out.push_back(r.address);
  std::sort(out.begin(), out.end());
  return out;
}

// The message of one run addressed to Sở Y tế (the coordinator's own organisation gets its own).
std::optional<notify::Message> ToSyt(const notify::FakeNotifier& fake) {
  for (const auto& m : fake.Sent()) {
    for (const auto& r : m.to) {
      if (r.address == "minh.syt@songhong.example.vn") return m;
    }
  }
  return std::nullopt;
}

TEST_P(Reminders, SentOnceToManagerAndFocalPointThenEscalated) {
  notify::FakeNotifier fake;
  // 01/06/2025: R1 and R2 (first hunt and scan due 01/07/2025, six months after creation) are
  // due soon; R3 (IR plan due 31/01/2025) is overdue by more than 7 days: escalated.
  auto r = SendReminders(store(), Packs(), &fake, ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r) << r.error().ToString();
  auto m = ToSyt(fake);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(Addresses(m->to), (std::vector<std::string>{"hoa.syt@songhong.example.vn",
                                                        "minh.syt@songhong.example.vn"}));
  EXPECT_EQ(Addresses(m->cc),
            (std::vector<std::string>{"dieuphoi@songhong.example.vn", "pa05@songhong.example.vn"}));
  EXPECT_NE(m->text_body.find("R1 — "), std::string::npos);
  EXPECT_NE(m->text_body.find("Hạn: 01/07/2025"), std::string::npos) << m->text_body;
  EXPECT_NE(m->text_body.find("Căn cứ: Chỉ thị 18/CT-TTg"), std::string::npos);
  EXPECT_NE(m->text_body.find("R3 — "), std::string::npos);
  // In the application: the manager gets the same list; the coordinator, escalated, too.
  auto manager_inbox = Inbox("u1");
  ASSERT_EQ(manager_inbox.size(), 1u);
  EXPECT_EQ(manager_inbox[0].org_id, "syt");
  EXPECT_EQ(manager_inbox[0].kind, "reminder_escalated");
  EXPECT_EQ(manager_inbox[0].title, m->subject);
  EXPECT_NE(manager_inbox[0].body.find("R1 — "), std::string::npos);
  EXPECT_NE(manager_inbox[0].body.find("Còn thiếu"), std::string::npos);
  auto coordinator_inbox = Inbox("u2");
  EXPECT_TRUE(std::any_of(coordinator_inbox.begin(), coordinator_inbox.end(),
                          [](const store::Notification& n) { return n.org_id == "syt"; }));
  EXPECT_GE(r->notifications, 2);

  // The same day again, and after a "restart" (a new notifier): nothing is sent twice, on
  // either channel.
  notify::FakeNotifier after_restart;
  r = SendReminders(store(), Packs(), &after_restart, ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(after_restart.Sent().size(), 0u);
  EXPECT_EQ(r->messages, 0);
  EXPECT_GT(r->already_sent, 0);
  EXPECT_EQ(Inbox("u1").size(), 1u);

  // 02/07/2025: R1 and R2 are overdue (a new stage): reminded again, not yet escalated; R3,
  // unchanged, is not repeated.
  fake.Clear();
  r = SendReminders(store(), Packs(), &fake, ids_, At(2025, 7, 2), {});
  ASSERT_TRUE(r);
  m = ToSyt(fake);
  ASSERT_TRUE(m.has_value());
  EXPECT_NE(m->text_body.find("QUÁ HẠN"), std::string::npos);
  EXPECT_NE(m->text_body.find("R1 — "), std::string::npos);
  EXPECT_EQ(m->text_body.find("R3 — "), std::string::npos);
  EXPECT_TRUE(m->cc.empty());
  // 08/07/2025: seven days late: escalated to the coordinator.
  fake.Clear();
  r = SendReminders(store(), Packs(), &fake, ids_, At(2025, 7, 8), {});
  ASSERT_TRUE(r);
  m = ToSyt(fake);
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->cc.empty());
  EXPECT_EQ(Inbox("u1").size(), 3u);  // 01/06, 02/07, 08/07
}

// Without a notifier (no mail server configured) reminders still reach the accounts in the
// application, once; configuring e-mail later sends the e-mails not yet sent.
TEST_P(Reminders, InAppWithoutMailThenMailLater) {
  auto r = SendReminders(store(), Packs(), nullptr, ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->messages, 0);
  EXPECT_EQ(Inbox("u1").size(), 1u);
  notify::FakeNotifier fake;
  r = SendReminders(store(), Packs(), &fake, ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(ToSyt(fake).has_value());
  EXPECT_EQ(r->notifications, 0);
  EXPECT_EQ(Inbox("u1").size(), 1u);
}

TEST_P(Reminders, FailedSendIsRetriedNextRun) {
  notify::FakeNotifier fake;
  fake.FailNext({core::ErrorCode::kUnavailable, "mail server down", ""});
  auto r = SendReminders(store(), Packs(), &fake, ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->failures.size(), 1u);
  const size_t delivered = fake.Sent().size();
  r = SendReminders(store(), Packs(), &fake, ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->messages, 1);  // the one that failed, and only it
  EXPECT_EQ(fake.Sent().size(), delivered + 1);
}

TEST_P(Reminders, DeliveredThroughARealSmtpServerWithAVietnameseSubject) {
  notify::testing::SmtpSink sink({});
  ASSERT_TRUE(sink.ok()) << sink.error();
  notify::SmtpConfig cfg;
  cfg.host = "127.0.0.1";
  cfg.port = sink.port();
  cfg.tls = notify::TlsMode::kNone;
  cfg.from = {"ucsc@songhong.example.vn", "Hệ thống ucsc"};
  cfg.timeout = std::chrono::seconds(20);
  auto smtp = notify::SmtpNotifier::Create(cfg, clock_);
  ASSERT_TRUE(smtp) << smtp.error().ToString();
  auto r = SendReminders(store(), Packs(), smtp->get(), ids_, At(2025, 6, 1), {});
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_TRUE(r->failures.empty()) << r->failures.front();
  const auto deliveries = sink.Deliveries();
  const notify::testing::Delivery* syt = nullptr;
  for (const auto& d : deliveries) {
    for (const auto& rcpt : d.rcpt_to) {
      if (rcpt == "minh.syt@songhong.example.vn") syt = &d;
    }
  }
  ASSERT_NE(syt, nullptr);
  EXPECT_EQ(syt->rcpt_to.size(), 4u);  // 2 to, 2 cc (escalated)
  auto [mail, err] = notify::testing::ParseMail(syt->data);
  ASSERT_TRUE(err.empty()) << err;
  auto raw = mail.Raw("Subject");
  ASSERT_TRUE(raw.has_value());
  EXPECT_NE(raw->find("=?UTF-8?"), std::string::npos) << *raw;  // RFC 2047 encoded words
  auto [subject, serr] = notify::testing::DecodeWords(*raw);
  ASSERT_TRUE(serr.empty()) << serr;
  EXPECT_EQ(subject.rfind("Nhắc việc Chỉ thị 18: Sở Y tế — ", 0), 0u) << subject;
  auto [parts, perr] = notify::testing::TextParts(mail);
  ASSERT_TRUE(perr.empty()) << perr;
  ASSERT_FALSE(parts.empty());
  EXPECT_NE(parts[0].text.find("Căn cứ: Chỉ thị 18/CT-TTg"), std::string::npos);
}

TEST_P(Reminders, SnapshotStoresTodaysCounts) {
  ASSERT_TRUE(TakeSnapshot(store(), Packs(), At(2025, 6, 1)));
  ASSERT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto snaps, tx.Compliance().Snapshots("syt", "2025-06-01", "2025-06-01"));
    EXPECT_EQ(snaps.size(), 1u);
    if (!snaps.empty()) {
      EXPECT_GT(snaps[0].due_soon, 0);
      EXPECT_GT(snaps[0].overdue, 0);
    }
    return core::Ok();
  }));
}

INSTANTIATE_TEST_SUITE_P(Backends, Reminders, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace ucsc::compliance
