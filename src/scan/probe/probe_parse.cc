#include "scan/probe/probe_parse.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <vector>

namespace ucsc::scan {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

size_t FindNoCase(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && std::tolower(static_cast<unsigned char>(hay[i + j])) ==
                                    std::tolower(static_cast<unsigned char>(needle[j]))) {
      ++j;
    }
    if (j == needle.size()) return i;
  }
  return std::string_view::npos;
}
bool ContainsNoCase(std::string_view hay, std::string_view needle) {
  return FindNoCase(hay, needle) != std::string_view::npos;
}

std::string_view FirstLine(std::string_view s) {
  size_t nl = s.find('\n');
  std::string_view line = s.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsVersionChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
         c == '+' || c == '~';
}

// The version token right after `marker` (skipping spaces, '/', 'v'), or "".
std::string VersionAfter(std::string_view text, std::string_view marker) {
  size_t at = FindNoCase(text, marker);
  if (at == std::string_view::npos) return {};
  size_t i = at + marker.size();
  while (i < text.size() && (text[i] == ' ' || text[i] == '/' || text[i] == '_')) ++i;
  if (i < text.size() && (text[i] == 'v' || text[i] == 'V') && i + 1 < text.size() &&
      std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
    ++i;
  }
  if (i >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i]))) return {};
  size_t j = i;
  while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '.')) {
    ++j;
  }
  std::string v(text.substr(i, j - i));
  while (!v.empty() && v.back() == '.') v.pop_back();
  return v;
}

uint32_t Le32(std::string_view s, size_t at) {
  return uint8_t(s[at]) | (uint8_t(s[at + 1]) << 8) | (uint8_t(s[at + 2]) << 16) |
         (uint32_t(uint8_t(s[at + 3])) << 24);
}
uint16_t Le16(std::string_view s, size_t at) { return uint8_t(s[at]) | (uint8_t(s[at + 1]) << 8); }
uint16_t Be16(std::string_view s, size_t at) { return (uint8_t(s[at]) << 8) | uint8_t(s[at + 1]); }
uint32_t Be32(std::string_view s, size_t at) {
  return (uint32_t(uint8_t(s[at])) << 24) | (uint8_t(s[at + 1]) << 16) | (uint8_t(s[at + 2]) << 8) |
         uint8_t(s[at + 3]);
}
void PutLe32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutBe32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutBe16(std::string& s, uint16_t v) {
  s += static_cast<char>(v >> 8);
  s += static_cast<char>(v & 0xff);
}

ServiceInfo Make(std::string service, std::string product, std::string version,
                 std::string_view evidence) {
  ServiceInfo s;
  s.service = std::move(service);
  s.product = std::move(product);
  s.version = std::move(version);
  s.evidence = std::string(evidence.substr(0, 512));
  AssignCpe(s);
  return s;
}

void NoteDistro(ServiceInfo& s, std::string_view text) {
  for (std::string_view os : {"Debian", "Ubuntu", "Raspbian", "FreeBSD", "Red Hat", "CentOS"}) {
    if (ContainsNoCase(text, os)) {
      s.details["os"] = std::string(os);
      return;
    }
  }
}

std::optional<ServiceInfo> MatchSsh(std::string_view bytes) {
  std::string_view line = FirstLine(bytes);
  // SSH-protoversion-softwareversion SP comments (RFC 4253 section 4.2)
  size_t dash = line.find('-', 4);
  if (dash == std::string_view::npos) return Make("ssh", "", "", line);
  std::string_view rest = line.substr(dash + 1);
  std::string_view software = rest.substr(0, rest.find(' '));
  std::string product;
  std::string version;
  if (StartsWith(software, "OpenSSH_")) {
    product = "OpenSSH";
    std::string_view v = software.substr(8);
    size_t end = 0;
    while (end < v.size() && (std::isalnum(static_cast<unsigned char>(v[end])) || v[end] == '.')) {
      ++end;
    }
    version = std::string(v.substr(0, end));
  } else if (StartsWith(software, "dropbear")) {
    product = "Dropbear sshd";
    version = VersionAfter(software, "dropbear");
  } else if (!software.empty()) {
    size_t us = software.find('_');
    product = std::string(software.substr(0, us));
    if (us != std::string_view::npos) version = std::string(software.substr(us + 1));
  }
  ServiceInfo s = Make("ssh", product, version, line);
  s.details["protocol"] = std::string(line.substr(4, dash - 4));
  NoteDistro(s, rest);
  return s;
}

std::optional<ServiceInfo> MatchMysql(std::string_view bytes) {
  if (bytes.size() < 7) return std::nullopt;
  uint32_t len = uint8_t(bytes[0]) | (uint8_t(bytes[1]) << 8) | (uint8_t(bytes[2]) << 16);
  if (len < 3 || len > 1024 || bytes[3] != 0) return std::nullopt;
  std::string_view body = bytes.substr(4, std::min<size_t>(len, bytes.size() - 4));
  if (body[0] == 0x0a) {  // protocol 10 handshake
    size_t nul = body.find('\0', 1);
    if (nul == std::string_view::npos || nul < 2) return std::nullopt;
    std::string_view server = body.substr(1, nul - 1);
    if (!std::isdigit(static_cast<unsigned char>(server[0]))) return std::nullopt;
    std::string_view ver = server;
    std::string product = "MySQL";
    if (ContainsNoCase(server, "MariaDB")) {
      product = "MariaDB";
      if (StartsWith(ver, "5.5.5-")) ver.remove_prefix(6);  // replication-compat prefix
    }
    size_t end = 0;
    while (end < ver.size() &&
           (std::isdigit(static_cast<unsigned char>(ver[end])) || ver[end] == '.')) {
      ++end;
    }
    ServiceInfo s =
        Make("mysql", product, std::string(ver.substr(0, end)), bytes.substr(0, 4 + nul));
    s.details["server_version"] = std::string(server);
    NoteDistro(s, server);
    return s;
  }
  if (uint8_t(body[0]) == 0xff && body.size() > 3) {  // error packet, e.g. host not allowed
    std::string_view msg = body.substr(3);
    if (!ContainsNoCase(msg, "host") && !ContainsNoCase(msg, "connect")) return std::nullopt;
    ServiceInfo s = Make("mysql", ContainsNoCase(msg, "MariaDB") ? "MariaDB" : "MySQL", "",
                         bytes.substr(0, 4 + body.size()));
    s.details["error"] = std::string(msg);
    return s;
  }
  return std::nullopt;
}

std::optional<ServiceInfo> MatchFtp(std::string_view text) {
  std::string product;
  std::string version;
  if (ContainsNoCase(text, "vsFTPd")) {
    product = "vsftpd";
    version = VersionAfter(text, "vsFTPd");
  } else if (ContainsNoCase(text, "ProFTPD")) {
    product = "ProFTPD";
    version = VersionAfter(text, "ProFTPD");
  } else if (ContainsNoCase(text, "Pure-FTPd")) {
    product = "Pure-FTPd";
  } else if (ContainsNoCase(text, "FileZilla Server")) {
    product = "FileZilla Server";
    version = VersionAfter(text, "FileZilla Server");
  } else if (ContainsNoCase(text, "Microsoft FTP Service")) {
    product = "Microsoft ftpd";
  }
  ServiceInfo s = Make("ftp", product, version, FirstLine(text));
  NoteDistro(s, text);
  return s;
}

std::optional<ServiceInfo> MatchSmtp(std::string_view text) {
  std::string_view line = FirstLine(text);
  std::string product;
  std::string version;
  if (ContainsNoCase(line, "Postfix")) {
    product = "Postfix smtpd";
  } else if (ContainsNoCase(line, "Exim")) {
    product = "Exim smtpd";
    version = VersionAfter(line, "Exim");
  } else if (ContainsNoCase(line, "Sendmail")) {
    product = "Sendmail";
    version = VersionAfter(line, "Sendmail");
  } else if (ContainsNoCase(line, "Microsoft ESMTP MAIL Service")) {
    product = "Microsoft Exchange smtpd";
    version = VersionAfter(line, "Version:");
  } else if (ContainsNoCase(line, "OpenSMTPD")) {
    product = "OpenSMTPD";
  }
  ServiceInfo s = Make("smtp", product, version, line);
  // "220 <host> ESMTP ...": the host name the server calls itself.
  if (line.size() > 4) {
    std::string_view host = line.substr(4);
    host = host.substr(0, host.find(' '));
    if (!host.empty() && host.find('.') != std::string_view::npos)
      s.details["hostname"] = std::string(host);
  }
  NoteDistro(s, line);
  return s;
}

std::optional<ServiceInfo> MatchPop3(std::string_view text) {
  std::string_view line = FirstLine(text);
  std::string product;
  std::string version;
  if (ContainsNoCase(line, "Dovecot")) {
    product = "Dovecot pop3d";
  } else if (ContainsNoCase(line, "Cyrus")) {
    product = "Cyrus pop3d";
    version = VersionAfter(line, "v");
  } else if (ContainsNoCase(line, "Courier")) {
    product = "Courier pop3d";
  }
  ServiceInfo s = Make("pop3", product, version, line);
  NoteDistro(s, line);
  return s;
}

std::optional<ServiceInfo> MatchImap(std::string_view text) {
  std::string_view line = FirstLine(text);
  std::string product;
  std::string version;
  if (ContainsNoCase(line, "Dovecot")) {
    product = "Dovecot imapd";
  } else if (ContainsNoCase(line, "Cyrus IMAP")) {
    product = "Cyrus imapd";
    version = VersionAfter(line, "Cyrus IMAP");
  } else if (ContainsNoCase(line, "Courier-IMAP")) {
    product = "Courier imapd";
  } else if (ContainsNoCase(line, "Microsoft Exchange")) {
    product = "Microsoft Exchange imapd";
  }
  ServiceInfo s = Make("imap", product, version, line);
  NoteDistro(s, line);
  return s;
}

}  // namespace

std::optional<ServiceInfo> MatchGreeting(std::string_view bytes, std::string_view port_service) {
  if (bytes.empty()) return std::nullopt;
  if (StartsWith(bytes, "SSH-")) return MatchSsh(bytes);
  if (auto mysql = MatchMysql(bytes)) return mysql;
  if (StartsWith(bytes, "RFB ") && bytes.size() >= 12) {
    ServiceInfo s = Make("vnc", "", "", FirstLine(bytes));
    s.details["protocol"] = std::string(bytes.substr(4, 7));
    return s;
  }
  if (StartsWith(bytes, "+OK")) return MatchPop3(bytes);
  if (StartsWith(bytes, "* OK") || StartsWith(bytes, "* PREAUTH")) return MatchImap(bytes);
  if (bytes.size() >= 4 && std::isdigit(static_cast<unsigned char>(bytes[0])) &&
      std::isdigit(static_cast<unsigned char>(bytes[1])) &&
      std::isdigit(static_cast<unsigned char>(bytes[2])) && (bytes[3] == ' ' || bytes[3] == '-')) {
    std::string_view text = bytes.substr(0, 2048);
    bool says_ftp = ContainsNoCase(text, "FTP");
    bool says_smtp = ContainsNoCase(text, "SMTP") || ContainsNoCase(text, "Postfix") ||
                     ContainsNoCase(text, "Exim") || ContainsNoCase(text, "Sendmail");
    if (says_smtp && !says_ftp) return MatchSmtp(text);
    if (says_ftp) return MatchFtp(text);
    if (port_service == "smtp" || port_service == "submission") return MatchSmtp(text);
    if (port_service == "ftp" || port_service == "ftp-alt") return MatchFtp(text);
    return std::nullopt;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- HTTP

std::string HttpRequest(std::string_view host, std::string_view path) {
  std::string r = "GET ";
  r += path;
  r += " HTTP/1.0\r\nHost: ";
  r += host;
  r += "\r\nUser-Agent: ucsc-scan\r\nAccept: */*\r\nConnection: close\r\n\r\n";
  return r;
}

namespace {

struct HttpParts {
  int status = 0;
  std::string_view status_line;
  std::string_view headers;
  std::string_view body;
};

std::optional<HttpParts> SplitHttp(std::string_view r) {
  if (!StartsWith(r, "HTTP/1.") && !StartsWith(r, "HTTP/2") && !StartsWith(r, "HTTP/0.9")) {
    return std::nullopt;
  }
  HttpParts p;
  p.status_line = FirstLine(r);
  size_t sp = p.status_line.find(' ');
  if (sp == std::string_view::npos || sp + 4 > p.status_line.size()) return std::nullopt;
  for (size_t i = sp + 1; i < sp + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(p.status_line[i]))) return std::nullopt;
    p.status = p.status * 10 + (p.status_line[i] - '0');
  }
  size_t end = r.find("\r\n\r\n");
  size_t skip = 4;
  if (end == std::string_view::npos) {
    end = r.find("\n\n");
    skip = 2;
  }
  if (end == std::string_view::npos) {
    p.headers = r;
  } else {
    p.headers = r.substr(0, end);
    p.body = r.substr(end + skip);
  }
  return p;
}

std::string_view Header(std::string_view headers, std::string_view name) {
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t nl = headers.find('\n', pos);
    std::string_view line = headers.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        FindNoCase(line.substr(0, name.size()), name) == 0) {
      return Trim(line.substr(name.size() + 1));
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return {};
}

struct ServerProduct {
  std::string_view token;  // Server header product token, lower case
  std::string_view product;
};
constexpr ServerProduct kServers[] = {
    {"nginx", "nginx"},       {"apache", "Apache httpd"}, {"microsoft-iis", "Microsoft IIS httpd"},
    {"lighttpd", "lighttpd"}, {"openresty", "OpenResty"}, {"apache-coyote", "Apache Tomcat"},
    {"jetty", "Jetty"},       {"caddy", "Caddy"},         {"gunicorn", "gunicorn"},
    {"cherokee", "Cherokee"},
};

}  // namespace

std::optional<ServiceInfo> ParseHttp(std::string_view response) {
  auto parts = SplitHttp(response);
  if (!parts) return std::nullopt;
  std::string_view server = Header(parts->headers, "Server");
  std::string product;
  std::string version;
  if (!server.empty()) {
    std::string_view token = server.substr(0, server.find_first_of(" /("));
    std::string lower(token);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    product = std::string(token);
    for (const ServerProduct& sp : kServers) {
      if (lower == sp.token) product = std::string(sp.product);
    }
    if (server.size() > token.size() && server[token.size()] == '/') {
      std::string_view v = server.substr(token.size() + 1);
      size_t end = 0;
      while (end < v.size() && IsVersionChar(v[end])) ++end;
      version = std::string(v.substr(0, end));
    } else if (server.size() > token.size() && server[token.size()] == '(') {
      version = VersionAfter(server, "(");  // "Jetty(9.4.51.v20230217)"
    }
  }
  std::string evidence = std::string(parts->status_line);
  if (!server.empty()) evidence += "\r\nServer: " + std::string(server);
  ServiceInfo s = Make("http", product, version, evidence);
  s.details["status"] = std::to_string(parts->status);
  if (!server.empty()) {
    s.details["server"] = std::string(server);
    NoteDistro(s, server);
  }
  size_t t = FindNoCase(parts->body, "<title");
  if (t != std::string_view::npos) {
    size_t gt = parts->body.find('>', t);
    size_t close = FindNoCase(parts->body, "</title", t);
    if (gt != std::string_view::npos && close != std::string_view::npos && close > gt) {
      std::string title;
      for (char c : Trim(parts->body.substr(gt + 1, close - gt - 1))) {
        if (std::isspace(static_cast<unsigned char>(c))) {
          if (!title.empty() && title.back() != ' ') title += ' ';
        } else {
          title += c;
        }
      }
      if (title.size() > 200) title.resize(200);
      s.details["title"] = title;
    }
  }
  std::string_view powered = Header(parts->headers, "X-Powered-By");
  if (!powered.empty()) s.details["powered_by"] = std::string(powered);
  return s;
}

std::optional<std::string> HttpBody200(std::string_view response) {
  auto parts = SplitHttp(response);
  if (!parts || parts->status != 200) return std::nullopt;
  return std::string(parts->body);
}

bool HttpSaysUseTls(std::string_view response) {
  auto parts = SplitHttp(response);
  if (!parts || parts->status != 400) return false;
  return ContainsNoCase(parts->body, "HTTPS port") || ContainsNoCase(parts->body, "SSL-enabled") ||
         ContainsNoCase(parts->body, "TLS") || ContainsNoCase(parts->body, "https");
}

// ---------------------------------------------------------------- Redis, memcached

std::string RedisRequest() { return "*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n"; }

std::optional<ServiceInfo> ParseRedis(std::string_view r) {
  if (StartsWith(r, "$")) {
    size_t at = r.find("redis_version:");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view v = FirstLine(r.substr(at + 14));
    ServiceInfo s = Make("redis", "Redis", std::string(Trim(v)), FirstLine(r.substr(at)));
    size_t mode = r.find("redis_mode:");
    if (mode != std::string_view::npos)
      s.details["mode"] = std::string(Trim(FirstLine(r.substr(mode + 11))));
    size_t os = r.find("\nos:");
    if (os != std::string_view::npos)
      s.details["os"] = std::string(Trim(FirstLine(r.substr(os + 4))));
    return s;
  }
  if (StartsWith(r, "-NOAUTH") || StartsWith(r, "-DENIED") ||
      (StartsWith(r, "-ERR") && ContainsNoCase(FirstLine(r), "redis"))) {
    return Make("redis", "Redis", "", FirstLine(r));
  }
  return std::nullopt;
}

std::string MemcachedRequest() { return "version\r\n"; }

std::optional<ServiceInfo> ParseMemcached(std::string_view r) {
  if (!StartsWith(r, "VERSION ")) return std::nullopt;
  std::string_view line = FirstLine(r);
  std::string_view v = Trim(line.substr(8));
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0]))) return std::nullopt;
  return Make("memcached", "memcached", std::string(v.substr(0, v.find(' '))), line);
}

// ---------------------------------------------------------------- PostgreSQL

std::string PostgresRequest() {
  // A StartupMessage asking for protocol 99.99, which no server speaks: every version answers
  // with an ErrorResponse, and since 9.x it names the range it supports ("server supports 3.0 to
  // 3.0"), which dates the release (protocol 2.0 was removed in PostgreSQL 14).
  std::string body;
  PutBe32(body, (99u << 16) | 99u);  // not 1234.x: those codes mean cancel/SSL/GSS requests
  for (std::string_view kv : {"user", "ucsc_scan", "database", "ucsc_scan"}) {
    body += kv;
    body += '\0';
  }
  body += '\0';
  std::string msg;
  PutBe32(msg, static_cast<uint32_t>(body.size() + 4));
  return msg + body;
}

std::optional<ServiceInfo> ParsePostgres(std::string_view r) {
  if (r.size() < 9) return std::nullopt;
  uint32_t len = Be32(r, 1);
  if (len < 8 || len > 8192) return std::nullopt;
  if (r[0] == 'R') {
    uint32_t code = Be32(r, 5);
    if (code > 12) return std::nullopt;
    ServiceInfo s = Make("postgresql", "PostgreSQL", "", r.substr(0, 1 + len));
    static constexpr std::string_view kAuth[] = {"ok",   "kerberos", "cleartext", "crypt", "md5",
                                                 "md5",  "scm",      "gss",       "gss",   "sspi",
                                                 "sasl", "sasl",     "sasl"};
    s.details["auth"] = std::string(kAuth[code]);
    return s;
  }
  if (r[0] != 'E') return std::nullopt;
  std::string_view body = r.substr(5, std::min<size_t>(len - 4, r.size() - 5));
  std::map<char, std::string> fields;
  size_t pos = 0;
  while (pos < body.size() && body[pos] != '\0') {
    char type = body[pos];
    size_t nul = body.find('\0', pos + 1);
    if (nul == std::string_view::npos) break;
    fields[type] = std::string(body.substr(pos + 1, nul - pos - 1));
    pos = nul + 1;
  }
  auto sev = fields.find('S');
  auto code = fields.find('C');
  if (sev == fields.end() || code == fields.end() || code->second.size() != 5) return std::nullopt;
  ServiceInfo s =
      Make("postgresql", "PostgreSQL", "", r.substr(0, std::min<size_t>(r.size(), 1 + len)));
  s.details["sqlstate"] = code->second;
  if (fields.count('M')) {
    s.details["message"] = fields['M'];
    const std::string& m = fields['M'];
    if (m.find("server supports 3.0 to 3.0") != std::string::npos) {
      s.details["version_range"] = "14 or later";  // protocol 2.0 removed in 14
    } else if (m.find("server supports 2.0 to 3.0") != std::string::npos) {
      s.details["version_range"] = "7.4 to 13";
    } else if (m.find("server supports 1.0 to 3.0") != std::string::npos) {
      s.details["version_range"] = "7.4 to 13";
    }
  }
  if (fields.count('F') && fields.count('L')) {
    s.details["source"] =
        fields['F'] + ":" + fields['L'] + (fields.count('R') ? " " + fields['R'] : "");
  }
  return s;
}

// ---------------------------------------------------------------- MQTT

namespace {
void PutMqttString(std::string& s, std::string_view v) {
  PutBe16(s, static_cast<uint16_t>(v.size()));
  s += v;
}
void PutMqttLength(std::string& s, size_t n) {
  do {
    uint8_t b = n % 128;
    n /= 128;
    if (n > 0) b |= 0x80;
    s += static_cast<char>(b);
  } while (n > 0);
}
}  // namespace

std::string MqttConnectRequest() {
  std::string var;
  PutMqttString(var, "MQTT");
  var += '\x04';     // protocol level 3.1.1
  var += '\x02';     // clean session
  PutBe16(var, 30);  // keep-alive seconds
  PutMqttString(var, "ucsc-scan");
  std::string pkt = "\x10";
  PutMqttLength(pkt, var.size());
  return pkt + var;
}

std::string MqttSubscribeVersionRequest() {
  std::string var;
  PutBe16(var, 1);  // packet id
  PutMqttString(var, "$SYS/broker/version");
  var += '\0';  // QoS 0
  std::string pkt = "\x82";
  PutMqttLength(pkt, var.size());
  return pkt + var;
}

std::optional<ServiceInfo> ParseMqttConnack(std::string_view r) {
  if (r.size() < 4 || uint8_t(r[0]) != 0x20 || r[1] != 0x02) return std::nullopt;
  uint8_t rc = static_cast<uint8_t>(r[3]);
  if (rc > 5) return std::nullopt;
  ServiceInfo s = Make("mqtt", "", "", r.substr(0, 4));
  static constexpr std::string_view kCodes[] = {
      "accepted",           "bad protocol version",      "client id rejected",
      "server unavailable", "bad user name or password", "not authorised"};
  s.details["connack"] = std::string(kCodes[rc]);
  return s;
}

bool ParseMqttVersion(std::string_view bytes, ServiceInfo& info) {
  size_t pos = 0;
  while (pos + 2 <= bytes.size()) {
    uint8_t type = static_cast<uint8_t>(bytes[pos]) >> 4;
    size_t len = 0;
    size_t mult = 1;
    size_t i = pos + 1;
    for (int k = 0; k < 4 && i < bytes.size(); ++k, ++i) {
      len += (uint8_t(bytes[i]) & 0x7f) * mult;
      mult *= 128;
      if ((uint8_t(bytes[i]) & 0x80) == 0) {
        ++i;
        break;
      }
    }
    if (i + len > bytes.size()) return false;
    std::string_view pkt = bytes.substr(i, len);
    if (type == 3 && pkt.size() >= 2) {  // PUBLISH
      uint16_t tlen = Be16(pkt, 0);
      if (2u + tlen <= pkt.size() && pkt.substr(2, tlen) == "$SYS/broker/version") {
        size_t payload_at = 2 + tlen + ((uint8_t(bytes[pos]) & 0x06) ? 2 : 0);
        if (payload_at > pkt.size()) return false;
        std::string_view payload = Trim(pkt.substr(payload_at));
        info.evidence += std::string(bytes.substr(pos, i + len - pos));
        info.details["broker_version"] = std::string(payload);
        if (ContainsNoCase(payload, "mosquitto")) {
          info.product = "Mosquitto";
          info.version = VersionAfter(payload, "version");
        } else {
          info.product = std::string(payload.substr(0, payload.find(' ')));
          info.version = VersionAfter(payload, " ");
        }
        AssignCpe(info);
        return true;
      }
    }
    pos = i + len;
  }
  return false;
}

// ---------------------------------------------------------------- MongoDB

std::string MongoRequest() {
  std::string doc;
  doc += '\x10';
  doc += std::string_view("buildInfo\0", 10);
  PutLe32(doc, 1);
  doc += '\x02';
  doc += std::string_view("$db\0", 4);
  PutLe32(doc, 6);
  doc += std::string_view("admin\0", 6);
  doc += '\0';
  std::string bson;
  PutLe32(bson, static_cast<uint32_t>(doc.size() + 4));
  bson += doc;
  std::string body;
  PutLe32(body, 0);  // flagBits
  body += '\0';      // section kind 0: body document
  body += bson;
  std::string msg;
  PutLe32(msg, static_cast<uint32_t>(16 + body.size()));
  PutLe32(msg, 0x75637363);  // requestID
  PutLe32(msg, 0);           // responseTo
  PutLe32(msg, 2013);        // OP_MSG
  return msg + body;
}

std::optional<ServiceInfo> ParseMongo(std::string_view r) {
  if (r.size() < 21) return std::nullopt;
  uint32_t len = Le32(r, 0);
  uint32_t op = Le32(r, 12);
  if (len < 21 || len > 48 * 1024 * 1024 || (op != 2013 && op != 1)) return std::nullopt;
  if (Le32(r, 8) != 0x75637363) return std::nullopt;  // responseTo our requestID
  std::string_view doc = r.substr(16, std::min<size_t>(len, r.size()) - 16);
  ServiceInfo s = Make("mongodb", "MongoDB", "", r.substr(0, std::min<size_t>(r.size(), 96)));
  static constexpr std::string_view kKey{"\x02version\0", 9};
  size_t at = doc.find(kKey);
  if (at != std::string_view::npos && at + kKey.size() + 4 <= doc.size()) {
    uint32_t slen = Le32(doc, at + kKey.size());
    size_t str_at = at + kKey.size() + 4;
    if (slen >= 1 && slen < 64 && str_at + slen <= doc.size()) {
      s.version = std::string(doc.substr(str_at, slen - 1));
      s.evidence = std::string(doc.substr(at, kKey.size() + 4 + slen));
      AssignCpe(s);
    }
  }
  return s;
}

// ---------------------------------------------------------------- RDP

std::string RdpRequest() {
  // TPKT (RFC 1006) + X.224 Connection Request + RDP_NEG_REQ (TLS | CredSSP).
  return std::string("\x03\x00\x00\x13\x0e\xe0\x00\x00\x00\x00\x00\x01\x00\x08\x00\x03\x00\x00\x00",
                     19);
}

std::optional<ServiceInfo> ParseRdp(std::string_view r) {
  if (r.size() < 11 || r[0] != 0x03 || r[1] != 0x00) return std::nullopt;
  uint16_t len = Be16(r, 2);
  if (len < 11 || uint8_t(r[5]) != 0xd0) return std::nullopt;  // X.224 Connection Confirm
  ServiceInfo s = Make("ms-wbt-server", "", "", r.substr(0, std::min<size_t>(len, r.size())));
  if (r.size() >= 19 && len >= 19) {
    uint8_t type = static_cast<uint8_t>(r[11]);
    uint32_t value = Le32(r, 15);
    if (type == 0x02) {
      s.details["security"] = value == 0   ? "standard RDP"
                              : value == 1 ? "TLS"
                              : value == 2 ? "CredSSP"
                              : value == 8 ? "CredSSP+EA"
                                           : "other";
    } else if (type == 0x03) {
      s.details["negotiation_failure"] = std::to_string(value);
    }
  }
  return s;
}

// ---------------------------------------------------------------- SMB

std::string SmbRequest() {
  std::string h;
  h += "\xfeSMB";
  h += std::string("\x40\x00", 2);  // structure size 64
  h += std::string(2, '\0');        // credit charge
  h += std::string(4, '\0');        // status
  h += std::string(2, '\0');        // command NEGOTIATE
  h += std::string("\x01\x00", 2);  // credits requested
  h += std::string(4, '\0');        // flags
  h += std::string(4, '\0');        // next command
  h += std::string(8, '\0');        // message id
  h += std::string(4, '\0');        // reserved
  h += std::string(4, '\0');        // tree id
  h += std::string(8, '\0');        // session id
  h += std::string(16, '\0');       // signature
  std::string b;
  b += std::string("\x24\x00", 2);  // structure size 36
  b += std::string("\x04\x00", 2);  // dialect count
  b += std::string("\x01\x00", 2);  // security mode: signing enabled
  b += std::string(2, '\0');
  b += std::string(4, '\0');  // capabilities
  b += "ucsc-scan-client";    // client GUID (16 bytes)
  b += std::string(8, '\0');
  for (uint16_t d : {0x0202, 0x0210, 0x0300, 0x0302}) {
    b += static_cast<char>(d & 0xff);
    b += static_cast<char>(d >> 8);
  }
  std::string msg = h + b;
  std::string nb;
  nb += '\0';
  nb += static_cast<char>((msg.size() >> 16) & 0xff);
  PutBe16(nb, static_cast<uint16_t>(msg.size() & 0xffff));
  return nb + msg;
}

std::optional<ServiceInfo> ParseSmb(std::string_view r) {
  if (r.size() < 8 || r[0] != '\0') return std::nullopt;
  std::string_view m = r.substr(4);
  if (StartsWith(m, "\xffSMB")) {
    ServiceInfo s = Make("microsoft-ds", "", "", m.substr(0, 40));
    s.details["dialect"] = "SMB1";
    return s;
  }
  if (!StartsWith(m, "\xfeSMB") || m.size() < 64 + 8) return std::nullopt;
  ServiceInfo s = Make("microsoft-ds", "", "", m.substr(0, std::min<size_t>(m.size(), 64 + 40)));
  uint32_t status = Le32(m, 8);
  if (status == 0 && Le16(m, 64) == 65) {
    uint16_t sec = Le16(m, 66);
    uint16_t dialect = Le16(m, 68);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%x.%x.%x", dialect >> 8, (dialect >> 4) & 0xf, dialect & 0xf);
    s.details["dialect"] = buf;
    s.details["signing"] = (sec & 0x2) ? "required" : "enabled, not required";
  } else {
    s.details["status"] = std::to_string(status);
  }
  return s;
}

// ---------------------------------------------------------------- LDAP

namespace {

std::string Ber(uint8_t tag, std::string_view content) {
  std::string out(1, static_cast<char>(tag));
  if (content.size() < 128) {
    out += static_cast<char>(content.size());
  } else {
    out += '\x82';
    PutBe16(out, static_cast<uint16_t>(content.size()));
  }
  out += content;
  return out;
}

// Reads one TLV at `pos`; returns false on truncation.
bool ReadTlv(std::string_view s, size_t& pos, uint8_t& tag, std::string_view& value) {
  if (pos + 2 > s.size()) return false;
  tag = static_cast<uint8_t>(s[pos]);
  size_t len = static_cast<uint8_t>(s[pos + 1]);
  size_t at = pos + 2;
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 3 || at + n > s.size()) return false;
    len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<uint8_t>(s[at + i]);
    at += n;
  }
  if (at + len > s.size()) return false;
  value = s.substr(at, len);
  pos = at + len;
  return true;
}

}  // namespace

std::string LdapRequest() {
  std::string attrs;
  for (std::string_view a :
       {"vendorName", "vendorVersion", "supportedLDAPVersion", "namingContexts"}) {
    attrs += Ber(0x04, a);
  }
  std::string req;
  req += Ber(0x04, "");      // baseObject ""
  req += Ber(0x0a, "\x00");  // scope baseObject
  req.back() = '\0';
  req += std::string("\x0a\x01\x00", 3);  // derefAliases never
  req += std::string("\x02\x01\x00", 3);  // sizeLimit 0
  req += std::string("\x02\x01\x00", 3);  // timeLimit 0
  req += std::string("\x01\x01\x00", 3);  // typesOnly FALSE
  req += Ber(0x87, "objectClass");        // filter: present
  req += Ber(0x30, attrs);
  std::string msg = std::string("\x02\x01\x01", 3) + Ber(0x63, req);
  return Ber(0x30, msg);
}

std::optional<ServiceInfo> ParseLdap(std::string_view r) {
  size_t pos = 0;
  uint8_t tag;
  std::string_view msg;
  if (!ReadTlv(r, pos, tag, msg) || tag != 0x30) return std::nullopt;
  size_t p = 0;
  std::string_view id;
  if (!ReadTlv(msg, p, tag, id) || tag != 0x02) return std::nullopt;
  std::string_view op;
  if (!ReadTlv(msg, p, tag, op)) return std::nullopt;
  if (tag != 0x64 && tag != 0x65 && tag != 0x78 && tag != 0x61) return std::nullopt;
  ServiceInfo s = Make("ldap", "", "", r.substr(0, pos));
  if (tag == 0x64) {  // searchResEntry: objectName, attributes
    size_t q = 0;
    std::string_view dn;
    std::string_view attrs;
    uint8_t t;
    if (ReadTlv(op, q, t, dn) && ReadTlv(op, q, t, attrs)) {
      size_t a = 0;
      std::string_view attr;
      while (ReadTlv(attrs, a, t, attr)) {
        size_t b = 0;
        std::string_view name;
        std::string_view vals;
        if (!ReadTlv(attr, b, t, name) || !ReadTlv(attr, b, t, vals)) break;
        size_t c = 0;
        std::string_view val;
        std::string joined;
        while (ReadTlv(vals, c, t, val)) {
          if (!joined.empty()) joined += ", ";
          joined += std::string(val);
        }
        s.details[std::string(name)] = joined;
      }
    }
    auto vendor = s.details.find("vendorName");
    if (vendor != s.details.end()) s.product = vendor->second;
    auto ver = s.details.find("vendorVersion");
    if (ver != s.details.end()) s.version = ver->second;
    AssignCpe(s);
  }
  return s;
}

// ---------------------------------------------------------------- DNS

std::string DnsRequest() {
  std::string q;
  PutBe16(q, 0x7563);  // id
  PutBe16(q, 0x0000);  // standard query, no recursion
  PutBe16(q, 1);
  PutBe16(q, 0);
  PutBe16(q, 0);
  PutBe16(q, 0);
  q += std::string(
      "\x07version\x04"
      "bind\x00",
      14);
  PutBe16(q, 16);  // TXT
  PutBe16(q, 3);   // CH
  std::string msg;
  PutBe16(msg, static_cast<uint16_t>(q.size()));
  return msg + q;
}

std::optional<ServiceInfo> ParseDns(std::string_view r) {
  if (r.size() < 14) return std::nullopt;
  uint16_t len = Be16(r, 0);
  std::string_view m = r.substr(2, std::min<size_t>(len, r.size() - 2));
  if (m.size() < 12 || Be16(m, 0) != 0x7563 || (uint8_t(m[2]) & 0x80) == 0) return std::nullopt;
  ServiceInfo s = Make("domain", "", "", m.substr(0, std::min<size_t>(m.size(), 128)));
  int rcode = m[3] & 0x0f;
  s.details["rcode"] = std::to_string(rcode);
  uint16_t qd = Be16(m, 4);
  uint16_t an = Be16(m, 6);
  size_t pos = 12;
  auto skip_name = [&](size_t& p) {
    while (p < m.size()) {
      uint8_t l = static_cast<uint8_t>(m[p]);
      if (l == 0) {
        ++p;
        return true;
      }
      if ((l & 0xc0) == 0xc0) {
        p += 2;
        return true;
      }
      p += 1 + l;
    }
    return false;
  };
  for (int i = 0; i < qd; ++i) {
    if (!skip_name(pos)) return s;
    pos += 4;
  }
  for (int i = 0; i < an && pos < m.size(); ++i) {
    if (!skip_name(pos) || pos + 10 > m.size()) return s;
    uint16_t type = Be16(m, pos);
    uint16_t rdlen = Be16(m, pos + 8);
    pos += 10;
    if (pos + rdlen > m.size()) return s;
    if (type == 16 && rdlen > 0) {
      std::string_view rd = m.substr(pos, rdlen);
      size_t tl = static_cast<uint8_t>(rd[0]);
      std::string_view txt = rd.substr(1, std::min(tl, rd.size() - 1));
      s.details["version.bind"] = std::string(txt);
      s.evidence = std::string(txt);
      if (StartsWith(txt, "dnsmasq-")) {
        s.product = "dnsmasq";
        s.version = std::string(txt.substr(8));
      } else if (ContainsNoCase(txt, "unbound")) {
        s.product = "Unbound";
        s.version = VersionAfter(txt, "unbound");
      } else if (ContainsNoCase(txt, "PowerDNS")) {
        s.product = "PowerDNS";
        s.version = VersionAfter(txt, "Recursor");
        if (s.version.empty()) s.version = VersionAfter(txt, "Authoritative Server");
      } else if (!txt.empty() && std::isdigit(static_cast<unsigned char>(txt[0])) &&
                 txt.substr(0, 2) == "9.") {
        s.product = "ISC BIND";
        size_t end = 0;
        while (end < txt.size() &&
               (std::isdigit(static_cast<unsigned char>(txt[end])) || txt[end] == '.'))
          ++end;
        s.version = std::string(txt.substr(0, end));
        NoteDistro(s, txt);
      }
      AssignCpe(s);
      return s;
    }
    pos += rdlen;
  }
  return s;
}

}  // namespace ucsc::scan
