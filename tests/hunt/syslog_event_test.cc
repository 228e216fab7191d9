// Syslog lines, RFC 5424 and RFC 3164 (syslog_event.h). Examples from the RFCs.
#include "hunt/input/syslog_event.h"

#include <gtest/gtest.h>

namespace ucsc::hunt {
namespace {

std::string Get(const Event& e, std::string_view name) {
  std::string_view v;
  return e.Find(name, &v) ? std::string(v) : std::string("<missing>");
}

TEST(Syslog, Rfc5424HeaderNilValuesAndBom) {
  Event e;
  ASSERT_TRUE(ParseSyslogLine("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
                              "\xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8",
                              &e)
                  .has_value());
  EXPECT_EQ(Get(e, "facility"), "4");
  EXPECT_EQ(Get(e, "severity"), "2");
  EXPECT_EQ(Get(e, "timestamp"), "2003-10-11T22:14:15.003Z");
  EXPECT_EQ(Get(e, "hostname"), "mymachine.example.com");
  EXPECT_EQ(Get(e, "app_name"), "su");
  EXPECT_EQ(Get(e, "program"), "su");
  EXPECT_EQ(Get(e, "procid"), "<missing>");  // "-"
  EXPECT_EQ(Get(e, "msgid"), "ID47");
  EXPECT_EQ(Get(e, "message"), "'su root' failed for lonvick on /dev/pts/8");
  EXPECT_EQ(e.Timestamp(), "2003-10-11T22:14:15.003Z");
}

TEST(Syslog, Rfc5424StructuredDataAsDottedNames) {
  Event e;
  ASSERT_TRUE(
      ParseSyslogLine(
          R"(<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high" note="a \"q\" \] \\ b"] An application event)",
          &e)
          .has_value());
  EXPECT_EQ(Get(e, "facility"), "20");
  EXPECT_EQ(Get(e, "severity"), "5");
  EXPECT_EQ(Get(e, "procid"), "8710");
  EXPECT_EQ(Get(e, "exampleSDID@32473.iut"), "3");
  EXPECT_EQ(Get(e, "exampleSDID@32473.eventSource"), "Application");
  EXPECT_EQ(Get(e, "examplePriority@32473.class"), "high");
  EXPECT_EQ(Get(e, "examplePriority@32473.note"), R"(a "q" ] \ b)");
  EXPECT_EQ(Get(e, "message"), "An application event");
  EXPECT_EQ(e.Timestamp(), "2003-08-24T12:14:15.000003Z");  // offset converted to UTC
}

TEST(Syslog, Rfc3164WithAndWithoutHostAndPid) {
  Event e;
  ASSERT_TRUE(ParseSyslogLine("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick", &e)
                  .has_value());
  EXPECT_EQ(Get(e, "timestamp"), "Oct 11 22:14:15");
  EXPECT_EQ(Get(e, "hostname"), "mymachine");
  EXPECT_EQ(Get(e, "program"), "su");
  EXPECT_EQ(Get(e, "message"), "'su root' failed for lonvick");
  EXPECT_EQ(e.Timestamp(), "");  // no year: the detection's timestamp stays null

  ASSERT_TRUE(
      ParseSyslogLine("Dec  4 16:47:48 web1 sshd[1234]: Failed password for root", &e).has_value());
  EXPECT_EQ(Get(e, "facility"), "<missing>");
  EXPECT_EQ(Get(e, "hostname"), "web1");
  EXPECT_EQ(Get(e, "app_name"), "sshd");
  EXPECT_EQ(Get(e, "procid"), "1234");
  EXPECT_EQ(Get(e, "message"), "Failed password for root");

  ASSERT_TRUE(ParseSyslogLine("<13>Dec 14 06:07:08 cron[77]: (root) CMD (x)", &e).has_value());
  EXPECT_EQ(Get(e, "hostname"), "<missing>");
  EXPECT_EQ(Get(e, "program"), "cron");
  EXPECT_EQ(Get(e, "message"), "(root) CMD (x)");

  // rsyslog's RFC 3339 time in a BSD line.
  ASSERT_TRUE(
      ParseSyslogLine("<86>2026-12-04T16:47:48.123456+07:00 h1 sudo: bob : COMMAND=/bin/sh", &e)
          .has_value());
  EXPECT_EQ(Get(e, "hostname"), "h1");
  EXPECT_EQ(Get(e, "program"), "sudo");
  EXPECT_EQ(Get(e, "message"), "bob : COMMAND=/bin/sh");
  EXPECT_EQ(e.Timestamp(), "2026-12-04T09:47:48.123456Z");
}

TEST(Syslog, OtherLinesKeepTheirTextAsMessage) {
  Event e;
  ASSERT_TRUE(ParseSyslogLine("kernel panic - not syncing", &e).has_value());
  EXPECT_EQ(e.size(), 1u);
  EXPECT_EQ(Get(e, "message"), "kernel panic - not syncing");
  ASSERT_TRUE(ParseSyslogLine("<999>x", &e).has_value());  // not a PRI
  EXPECT_EQ(Get(e, "message"), "<999>x");
}

TEST(Syslog, MalformedRfc5424IsAnError) {
  Event e;
  for (const char* line :
       {"<1>2 2003-10-11T22:14:15Z h a p m - x", "<1>1 ts host",
        "<1>1 ts host app pid id [sd x=\"1\"", "<1>1 ts host app pid id [sd x=1]",
        "<1>1 ts host app pid id garbage", "<1>1  ts host app pid id -",
        "<1>1 ts host app pid id -x", "<1>1 ts host app pid id [sd x=\"1]"}) {
    auto st = ParseSyslogLine(line, &e);
    ASSERT_FALSE(st.has_value()) << line;
    EXPECT_EQ(st.error().code, core::ErrorCode::kInvalidArgument) << line;
    EXPECT_NE(st.error().message.find("RFC 5424"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace ucsc::hunt
