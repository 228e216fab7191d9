// Service fingerprints against bytes captured from real services (Debian 12 packages started by
// tests/scan/services/start) and, for protocols without a Debian server here, bytes built from
// the protocol specifications.
#include "scan/probe/probe_parse.h"

#include <gtest/gtest.h>

#include <string>

namespace ucsc::scan {
namespace {

using namespace std::string_literals;

TEST(Greeting, OpenSshBannerGivesVersionAndNvdStyleCpe) {
  auto s = MatchGreeting("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "ssh");
  EXPECT_EQ(s->product, "OpenSSH");
  EXPECT_EQ(s->version, "9.2p1");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:openbsd:openssh:9.2:p1:*:*:*:*:*:*");
  EXPECT_EQ(s->evidence, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
  EXPECT_EQ(s->details["os"], "Debian");
}

TEST(Greeting, OtherSshServers) {
  auto d = MatchGreeting("SSH-2.0-dropbear_2022.83\r\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->product, "Dropbear sshd");
  EXPECT_EQ(d->version, "2022.83");
  auto odd = MatchGreeting("SSH-2.0-\r\n");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->service, "ssh");
}

TEST(Greeting, Vsftpd) {
  auto s = MatchGreeting("220 (vsFTPd 3.0.3)\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "ftp");
  EXPECT_EQ(s->product, "vsftpd");
  EXPECT_EQ(s->version, "3.0.3");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:beasts:vsftpd:3.0.3:*:*:*:*:*:*:*");
}

TEST(Greeting, ProftpdAndMultiLineFtp) {
  auto s = MatchGreeting("220-Welcome\r\n220 ProFTPD 1.3.8 Server (Debian) [::ffff:127.0.0.1]\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "ProFTPD");
  EXPECT_EQ(s->version, "1.3.8");
}

TEST(Greeting, PostfixDisclosesNoVersion) {
  auto s = MatchGreeting("220 scan-test.localhost ESMTP Postfix (Debian/GNU)\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "smtp");
  EXPECT_EQ(s->product, "Postfix smtpd");
  EXPECT_EQ(s->version, "");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:postfix:postfix:*:*:*:*:*:*:*:*");
  EXPECT_EQ(s->details["hostname"], "scan-test.localhost");
}

TEST(Greeting, EximSmtp) {
  auto s = MatchGreeting("220 mail.example.vn ESMTP Exim 4.96 Wed, 25 Nov 2026 10:00:00 +0700\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "Exim smtpd");
  EXPECT_EQ(s->version, "4.96");
}

TEST(Greeting, BareCodeNeedsThePortToDecide) {
  EXPECT_FALSE(MatchGreeting("220 ready\r\n"));
  auto smtp = MatchGreeting("220 ready\r\n", "smtp");
  ASSERT_TRUE(smtp);
  EXPECT_EQ(smtp->service, "smtp");
  auto ftp = MatchGreeting("220 ready\r\n", "ftp");
  ASSERT_TRUE(ftp);
  EXPECT_EQ(ftp->service, "ftp");
}

TEST(Greeting, DovecotImapAndPop3) {
  auto imap = MatchGreeting(
      "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN] "
      "Dovecot (Debian) ready.\r\n");
  ASSERT_TRUE(imap);
  EXPECT_EQ(imap->service, "imap");
  EXPECT_EQ(imap->product, "Dovecot imapd");
  EXPECT_EQ(imap->cpe, "cpe:2.3:a:dovecot:dovecot:*:*:*:*:*:*:*:*");
  auto pop = MatchGreeting("+OK Dovecot (Debian) ready.\r\n");
  ASSERT_TRUE(pop);
  EXPECT_EQ(pop->service, "pop3");
  EXPECT_EQ(pop->product, "Dovecot pop3d");
}

// Captured from mariadb-server 1:10.11.19-0+deb12u1.
const std::string kMariaDbHandshake =
    "d\x00\x00\x00\x0a"s
    "5.5.5-10.11.19-MariaDB-0+deb12u1\x00\x04\x00\x00\x00>,b*Ipw'\x00\xfe\xf7\x08\x02\x00\xff\x81\x15"s
    "\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00Yj-=-e9-pqf,\x00mysql_native_password\x00"s;

TEST(Greeting, MariaDbHandshakeDropsTheCompatibilityPrefix) {
  auto s = MatchGreeting(kMariaDbHandshake);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "mysql");
  EXPECT_EQ(s->product, "MariaDB");
  EXPECT_EQ(s->version, "10.11.19");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:mariadb:mariadb:10.11.19:*:*:*:*:*:*:*");
  EXPECT_EQ(s->details["server_version"], "5.5.5-10.11.19-MariaDB-0+deb12u1");
}

TEST(Greeting, MysqlHandshakeAndHostNotAllowed) {
  std::string v = "8.0.36"s + '\0' + std::string(40, 'x');
  std::string pkt = std::string(1, static_cast<char>(v.size() + 1)) + "\x00\x00\x00\x0a"s + v;
  auto s = MatchGreeting(pkt);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "MySQL");
  EXPECT_EQ(s->version, "8.0.36");
  std::string msg = "Host '127.0.0.1' is not allowed to connect to this MariaDB server";
  std::string err =
      std::string(1, static_cast<char>(msg.size() + 3)) + "\x00\x00\x00\xff\x6a\x04"s + msg;
  auto denied = MatchGreeting(err);
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->product, "MariaDB");
  EXPECT_EQ(denied->version, "");
}

TEST(Greeting, NotAGreeting) {
  EXPECT_FALSE(MatchGreeting(""));
  EXPECT_FALSE(MatchGreeting("hello"));
  EXPECT_FALSE(MatchGreeting("\x05\x00\x00\x00\x0a\x00"s));
  EXPECT_FALSE(MatchGreeting(std::string(3, '\0')));
}

TEST(Http, NginxServerHeaderAndTitle) {
  auto s = ParseHttp(
      "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n"
      "Content-Length: 75\r\n\r\n<html><head><title>ucsc nginx\n  "
      "test</title></head><body>ok</body></html>");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "http");
  EXPECT_EQ(s->product, "nginx");
  EXPECT_EQ(s->version, "1.22.1");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:f5:nginx:1.22.1:*:*:*:*:*:*:*");
  EXPECT_EQ(s->details["title"], "ucsc nginx test");
  EXPECT_EQ(s->evidence, "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1");
}

TEST(Http, ApacheWithOsToken) {
  auto s = ParseHttp("HTTP/1.1 200 OK\r\nDate: x\r\nServer: Apache/2.4.71 (Debian)\r\n\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "Apache httpd");
  EXPECT_EQ(s->version, "2.4.71");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:apache:http_server:2.4.71:*:*:*:*:*:*:*");
  EXPECT_EQ(s->details["os"], "Debian");
}

TEST(Http, IisJettyAndNoServerHeader) {
  auto iis = ParseHttp("HTTP/1.1 404 Not Found\r\nServer: Microsoft-IIS/10.0\r\n\r\n");
  ASSERT_TRUE(iis);
  EXPECT_EQ(iis->product, "Microsoft IIS httpd");
  EXPECT_EQ(iis->version, "10.0");
  auto jetty = ParseHttp("HTTP/1.1 200 OK\r\nServer: Jetty(9.4.51.v20230217)\r\n\r\n");
  ASSERT_TRUE(jetty);
  EXPECT_EQ(jetty->product, "Jetty");
  EXPECT_EQ(jetty->version, "9.4.51.v20230217");
  auto bare = ParseHttp("HTTP/1.0 200 OK\r\n\r\n");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->product, "");
  EXPECT_EQ(bare->cpe, "");
  EXPECT_FALSE(ParseHttp("-ERR wrong number of arguments for 'get' command\r\n"));
  EXPECT_FALSE(ParseHttp("HTTP/1.1 2x0 OK\r\n\r\n"));
}

TEST(Http, PlainRequestToTlsPort) {
  std::string r =
      "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\n\r\n<html><body>The plain HTTP request "
      "was sent to HTTPS port</body></html>";
  EXPECT_TRUE(HttpSaysUseTls(r));
  EXPECT_FALSE(HttpSaysUseTls("HTTP/1.1 200 OK\r\n\r\nhttps everywhere"));
  EXPECT_EQ(HttpBody200("HTTP/1.1 200 OK\r\n\r\nICON"), "ICON");
  EXPECT_FALSE(HttpBody200("HTTP/1.1 404 Not Found\r\n\r\nnope"));
}

TEST(Redis, InfoGivesVersion) {
  auto s = ParseRedis(
      "$579\r\n# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\n"
      "redis_build_id:ae4d7c971a948f0\r\nredis_mode:standalone\r\nos:Linux 6.18.44 x86_64\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "Redis");
  EXPECT_EQ(s->version, "7.0.15");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:redis:redis:7.0.15:*:*:*:*:*:*:*");
  EXPECT_EQ(s->evidence, "redis_version:7.0.15");
  EXPECT_EQ(s->details["mode"], "standalone");
}

TEST(Redis, AuthRequiredIsRedisWithoutVersion) {
  auto s = ParseRedis("-NOAUTH Authentication required.\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "Redis");
  EXPECT_EQ(s->version, "");
  EXPECT_FALSE(ParseRedis("-ERR unknown command\r\n"));
  EXPECT_FALSE(ParseRedis("$5\r\nhello\r\n"));
}

TEST(Memcached, Version) {
  auto s = ParseMemcached("VERSION 1.6.18\r\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "memcached");
  EXPECT_EQ(s->version, "1.6.18");
  EXPECT_FALSE(ParseMemcached("ERROR\r\n"));
  EXPECT_FALSE(ParseMemcached("VERSION \r\n"));
}

// Captured from postgresql-15 (an ErrorResponse to a malformed startup packet).
const std::string kPostgresError =
    "E\x00\x00\x00\x85SFATAL\x00VFATAL\x00"s
    "C08P01\x00Minvalid startup packet layout: expected terminator as last byte\x00"s
    "Fpostmaster.c\x00L2334\x00RProcessStartupPacket\x00\x00"s;

TEST(Postgres, ErrorResponse) {
  auto s = ParsePostgres(kPostgresError);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "postgresql");
  EXPECT_EQ(s->product, "PostgreSQL");
  EXPECT_EQ(s->details["sqlstate"], "08P01");
  EXPECT_EQ(s->details["source"], "postmaster.c:2334 ProcessStartupPacket");
}

// Captured from postgresql-15 (Debian 12): the answer to the scanner's protocol-99.99
// StartupMessage.
const std::string kPostgresProtocolError =
    "E\x00\x00\x00\x85SFATAL\x00VFATAL\x00"s
    "C0A000\x00Munsupported frontend protocol 99.99: server supports 3.0 to 3.0\x00"s
    "Fpostmaster.c\x00L2222\x00RProcessStartupPacket\x00\x00"s;

TEST(Postgres, ProtocolRangeDatesTheRelease) {
  auto s = ParsePostgres(kPostgresProtocolError);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "PostgreSQL");
  EXPECT_EQ(s->version, "");
  EXPECT_EQ(s->details["version_range"], "14 or later");
  EXPECT_EQ(s->details["sqlstate"], "0A000");
}

TEST(Postgres, AuthenticationRequestAndJunk) {
  auto s = ParsePostgres("R\x00\x00\x00\x0c\x00\x00\x00\x05\x01\x02\x03\x04"s);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->details["auth"], "md5");
  EXPECT_FALSE(ParsePostgres("E\x00\x00\x00\x09SFATAL\x00\x00"s));  // no SQLSTATE
  EXPECT_FALSE(ParsePostgres("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_EQ(PostgresRequest().size(), 4u + 4u + 35u);
  EXPECT_EQ(PostgresRequest().substr(4, 4), "\x00\x63\x00\x63"s);  // 99.99, not a 1234.x code
}

TEST(Mqtt, ConnackAndMosquittoVersion) {
  auto s = ParseMqttConnack("\x20\x02\x00\x00"s);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "mqtt");
  EXPECT_EQ(s->details["connack"], "accepted");
  // Captured from mosquitto 2.0.11: SUBACK, then the retained $SYS/broker/version PUBLISH.
  std::string after =
      "\x90\x03\x00\x01\x00\x31\x2d\x00\x13$SYS/broker/versionmosquitto version 2.0.11"s;
  ASSERT_TRUE(ParseMqttVersion(after, *s));
  EXPECT_EQ(s->product, "Mosquitto");
  EXPECT_EQ(s->version, "2.0.11");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:eclipse:mosquitto:2.0.11:*:*:*:*:*:*:*");
  auto refused = ParseMqttConnack("\x20\x02\x00\x05"s);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->details["connack"], "not authorised");
  EXPECT_FALSE(ParseMqttConnack("\x20\x02\x00\x09"s));
  ServiceInfo none;
  EXPECT_FALSE(ParseMqttVersion("\x90\x03\x00\x01\x00"s, none));
  EXPECT_FALSE(ParseMqttVersion("\x30\x7f\x00"s, none));  // truncated
}

TEST(Mqtt, RequestsAreWellFormed) {
  std::string c = MqttConnectRequest();
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(c[0]), 0x10);
  EXPECT_EQ(static_cast<size_t>(c[1]), c.size() - 2);
  std::string sub = MqttSubscribeVersionRequest();
  EXPECT_EQ(static_cast<uint8_t>(sub[0]), 0x82);
  EXPECT_EQ(static_cast<size_t>(sub[1]), sub.size() - 2);
}

// An OP_MSG reply to our buildInfo request, built per the MongoDB wire protocol.
std::string MongoReply(const std::string& version) {
  std::string doc;
  doc += "\x02version\x00"s;
  uint32_t n = static_cast<uint32_t>(version.size() + 1);
  doc += std::string(reinterpret_cast<const char*>(&n), 4) + version + '\0';
  doc += "\x01ok\x00"s + std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8);
  doc += '\0';
  uint32_t dlen = static_cast<uint32_t>(doc.size() + 4);
  std::string bson = std::string(reinterpret_cast<const char*>(&dlen), 4) + doc;
  std::string body = "\x00\x00\x00\x00\x00"s + bson;
  uint32_t len = static_cast<uint32_t>(16 + body.size());
  std::string hdr = std::string(reinterpret_cast<const char*>(&len), 4) + "\x01\x00\x00\x00"s +
                    "\x63\x73\x63\x75"s + "\xdd\x07\x00\x00"s;
  return hdr + body;
}

TEST(Mongo, BuildInfoVersion) {
  auto s = ParseMongo(MongoReply("7.0.12"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->product, "MongoDB");
  EXPECT_EQ(s->version, "7.0.12");
  EXPECT_EQ(s->cpe, "cpe:2.3:a:mongodb:mongodb:7.0.12:*:*:*:*:*:*:*");
  std::string req = MongoRequest();
  EXPECT_EQ(req.size(), *reinterpret_cast<const uint32_t*>(req.data()));
  std::string wrong = MongoReply("7.0.12");
  wrong[8] = 'X';  // answers another request
  EXPECT_FALSE(ParseMongo(wrong));
  EXPECT_FALSE(ParseMongo("short"));
}

TEST(Rdp, ConnectionConfirmWithNegotiationResponse) {
  std::string cc = "\x03\x00\x00\x13\x0e\xd0\x00\x00\x12\x34\x00\x02\x1f\x08\x00\x02\x00\x00\x00"s;
  auto s = ParseRdp(cc);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "ms-wbt-server");
  EXPECT_EQ(s->details["security"], "CredSSP");
  EXPECT_EQ(RdpRequest().size(), 19u);
  EXPECT_FALSE(ParseRdp("\x03\x00\x00\x0b\x06\xe0\x00\x00\x00\x00\x00"s));  // a request, not CC
}

TEST(Smb, Smb2NegotiateResponse) {
  std::string hdr = "\xfeSMB\x40\x00"s + std::string(58, '\0');
  std::string body = "\x41\x00\x03\x00\x02\x03\x00\x00"s + std::string(56, '\0');
  std::string msg = hdr + body;
  std::string nb =
      "\x00\x00"s + static_cast<char>(msg.size() >> 8) + static_cast<char>(msg.size() & 0xff);
  auto s = ParseSmb(nb + msg);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "microsoft-ds");
  EXPECT_EQ(s->details["dialect"], "3.0.2");
  EXPECT_EQ(s->details["signing"], "required");
  std::string req = SmbRequest();
  EXPECT_EQ(req.size(), 4u + 64u + 36u + 8u);
  EXPECT_FALSE(ParseSmb("\x00\x00\x00\x04HTTP"s));
}

TEST(Ldap, RootDseWithVendor) {
  // searchResEntry { "", { vendorName: "389 Project", vendorVersion: "389-Directory/2.3.1" } }
  auto octets = [](const std::string& v) { return "\x04"s + static_cast<char>(v.size()) + v; };
  auto seq = [](char tag, const std::string& v) {
    return std::string(1, tag) + static_cast<char>(v.size()) + v;
  };
  std::string attrs =
      seq('\x30', octets("vendorName") + seq('\x31', octets("389 Project"))) +
      seq('\x30', octets("vendorVersion") + seq('\x31', octets("389-Directory/2.3.1")));
  std::string entry = seq('\x64', octets("") + seq('\x30', attrs));
  std::string msg = seq('\x30', "\x02\x01\x01"s + entry);
  auto s = ParseLdap(msg);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->service, "ldap");
  EXPECT_EQ(s->product, "389 Project");
  EXPECT_EQ(s->version, "389-Directory/2.3.1");
  std::string req = LdapRequest();
  EXPECT_EQ(static_cast<uint8_t>(req[0]), 0x30);
  EXPECT_EQ(static_cast<size_t>(static_cast<uint8_t>(req[1])), req.size() - 2);
  EXPECT_FALSE(ParseLdap("\x30\x05\x02\x01\x01\x0a\x00"s));
  EXPECT_FALSE(ParseLdap("\x30\x7f"s));
}

std::string DnsTxtReply(const std::string& txt) {
  std::string m = "\x75\x63\x84\x00\x00\x01\x00\x01\x00\x00\x00\x00"s;
  m += "\x07version\x04"
       "bind\x00\x00\x10\x00\x03"s;
  m += "\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00\x00"s + static_cast<char>(txt.size() + 1) +
       static_cast<char>(txt.size()) + txt;
  return "\x00"s + static_cast<char>(m.size()) + m;
}

TEST(Dns, VersionBind) {
  auto bind = ParseDns(DnsTxtReply("9.18.24-1-Debian"));
  ASSERT_TRUE(bind);
  EXPECT_EQ(bind->service, "domain");
  EXPECT_EQ(bind->product, "ISC BIND");
  EXPECT_EQ(bind->version, "9.18.24");
  EXPECT_EQ(bind->cpe, "cpe:2.3:a:isc:bind:9.18.24:*:*:*:*:*:*:*");
  auto dnsmasq = ParseDns(DnsTxtReply("dnsmasq-2.89"));
  ASSERT_TRUE(dnsmasq);
  EXPECT_EQ(dnsmasq->product, "dnsmasq");
  EXPECT_EQ(dnsmasq->version, "2.89");
  std::string req = DnsRequest();
  EXPECT_EQ(req.size(), 2u + 12u + 14u + 4u);
  EXPECT_FALSE(ParseDns("\x00\x0c\x12\x34\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00"s));  // other id
}

TEST(Cpe, EscapesAndEmptyFields) {
  EXPECT_EQ(MakeCpe("vendor", "prod", "1.0:beta", ""),
            "cpe:2.3:a:vendor:prod:1.0\\:beta:*:*:*:*:*:*:*");
  EXPECT_EQ(MakeCpe("Vendor", "Prod", "", ""), "cpe:2.3:a:vendor:prod:*:*:*:*:*:*:*:*");
  ServiceInfo unknown;
  unknown.product = "SomethingElse";
  AssignCpe(unknown);
  EXPECT_EQ(unknown.cpe, "");
}

TEST(Favicon, ShodanStyleHash) {
  // Expected values from an independent Python MurmurHash3 over base64.encodebytes(data)
  // (whose mmh3("hello") gives the published 613153351).
  EXPECT_EQ(FaviconHash("hello"), 1155597304);
  std::string bytes;
  for (int rep = 0; rep < 3; ++rep) {
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  }
  EXPECT_EQ(FaviconHash(bytes), 1836528006);  // several 76-character base64 lines
}

TEST(Evidence, EscapesBinary) {
  EXPECT_EQ(EscapeEvidence("ab\r\n\x01\\"s), "ab\\r\\n\\x01\\x5c");
  EXPECT_EQ(EscapeEvidence(std::string(600, 'a'), 10), "aaaaaaaaaa");
}

}  // namespace
}  // namespace ucsc::scan
