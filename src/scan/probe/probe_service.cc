#include "scan/probe/probe_service.h"

#include <cctype>
#include <cstdio>
#include <cstring>

namespace ucsc::scan {
namespace {

std::string CpeComponent(std::string_view value) {
  if (value.empty()) return "*";
  std::string out;
  for (char c : value) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(std::tolower(u));
    } else if (u > 0x20 && u < 0x7f) {
      out += '\\';
      out += c;
    }  // controls and non-ASCII dropped: never part of a product version
  }
  return out.empty() ? "*" : out;
}

struct KnownProduct {
  std::string_view product;  // as the scanner reports it
  std::string_view vendor;   // NVD vendor
  std::string_view nvd_product;
};

constexpr KnownProduct kProducts[] = {
    {"OpenSSH", "openbsd", "openssh"},
    {"Dropbear sshd", "dropbear_ssh_project", "dropbear_ssh"},
    {"nginx", "f5", "nginx"},
    {"Apache httpd", "apache", "http_server"},
    {"Microsoft IIS httpd", "microsoft", "internet_information_services"},
    {"lighttpd", "lighttpd", "lighttpd"},
    {"OpenResty", "openresty", "openresty"},
    {"Apache Tomcat", "apache", "tomcat"},
    {"Jetty", "eclipse", "jetty"},
    {"Redis", "redis", "redis"},
    {"memcached", "memcached", "memcached"},
    {"vsftpd", "beasts", "vsftpd"},
    {"ProFTPD", "proftpd", "proftpd"},
    {"Pure-FTPd", "pureftpd", "pure-ftpd"},
    {"FileZilla Server", "filezilla-project", "filezilla_server"},
    {"MariaDB", "mariadb", "mariadb"},
    {"MySQL", "oracle", "mysql"},
    {"PostgreSQL", "postgresql", "postgresql"},
    {"Postfix smtpd", "postfix", "postfix"},
    {"Exim smtpd", "exim", "exim"},
    {"Sendmail", "sendmail", "sendmail"},
    {"Microsoft Exchange smtpd", "microsoft", "exchange_server"},
    {"Dovecot pop3d", "dovecot", "dovecot"},
    {"Dovecot imapd", "dovecot", "dovecot"},
    {"Cyrus imapd", "cmu", "cyrus_imap_server"},
    {"Mosquitto", "eclipse", "mosquitto"},
    {"MongoDB", "mongodb", "mongodb"},
    {"ISC BIND", "isc", "bind"},
    {"dnsmasq", "thekelleys", "dnsmasq"},
    {"Unbound", "nlnetlabs", "unbound"},
    {"OpenLDAP", "openldap", "openldap"},
    {"Samba smbd", "samba", "samba"},
    {"xrdp", "neutrinolabs", "xrdp"},
};

}  // namespace

std::string MakeCpe(std::string_view vendor, std::string_view product, std::string_view version,
                    std::string_view update) {
  return "cpe:2.3:a:" + CpeComponent(vendor) + ":" + CpeComponent(product) + ":" +
         CpeComponent(version) + ":" + CpeComponent(update) + ":*:*:*:*:*:*";
}

void AssignCpe(ServiceInfo& s) {
  s.cpe.clear();
  for (const KnownProduct& k : kProducts) {
    if (s.product != k.product) continue;
    std::string version = s.version;
    std::string update;
    if (k.vendor == "openbsd") {
      // NVD names OpenSSH portable releases "9.2" with update "p1".
      size_t p = version.find('p');
      if (p != std::string::npos && p > 0) {
        update = version.substr(p);
        version.resize(p);
      }
    }
    s.cpe = MakeCpe(k.vendor, k.nvd_product, version, update);
    return;
  }
}

int32_t FaviconHash(std::string_view data) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  size_t line = 0;
  auto put = [&](char c) {
    b64 += c;
    if (++line == 76) {
      b64 += '\n';
      line = 0;
    }
  };
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    put(kB64[v >> 18]);
    put(kB64[(v >> 12) & 63]);
    put(kB64[(v >> 6) & 63]);
    put(kB64[v & 63]);
  }
  if (size_t rest = data.size() - i; rest > 0) {
    uint32_t v = uint8_t(data[i]) << 16;
    if (rest == 2) v |= uint8_t(data[i + 1]) << 8;
    put(kB64[v >> 18]);
    put(kB64[(v >> 12) & 63]);
    put(rest == 2 ? kB64[(v >> 6) & 63] : '=');
    put('=');
  }
  if (line != 0 || b64.empty()) b64 += '\n';

  // MurmurHash3_x86_32, seed 0.
  const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593;
  uint32_t h = 0;
  size_t n = b64.size();
  const auto* p = reinterpret_cast<const uint8_t*>(b64.data());
  size_t blocks = n / 4;
  for (size_t b = 0; b < blocks; ++b) {
    uint32_t k;
    std::memcpy(&k, p + b * 4, 4);  // little-endian host
    k *= c1;
    k = (k << 15) | (k >> 17);
    k *= c2;
    h ^= k;
    h = (h << 13) | (h >> 19);
    h = h * 5 + 0xe6546b64;
  }
  const uint8_t* tail = p + blocks * 4;
  uint32_t k1 = 0;
  switch (n & 3) {
    case 3:
      k1 ^= uint32_t(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      k1 ^= uint32_t(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      k1 ^= tail[0];
      k1 *= c1;
      k1 = (k1 << 15) | (k1 >> 17);
      k1 *= c2;
      h ^= k1;
  }
  h ^= static_cast<uint32_t>(n);
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return static_cast<int32_t>(h);
}

std::string EscapeEvidence(std::string_view bytes, size_t max) {
  std::string out;
  if (bytes.size() > max) bytes = bytes.substr(0, max);
  for (char c : bytes) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      out += c;
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  return out;
}

}  // namespace ucsc::scan
