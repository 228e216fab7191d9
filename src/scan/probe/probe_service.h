// What the service scanner reports for one open port, and the helpers every probe shares:
// CPE 2.3 names for identified products and the Shodan-style favicon hash.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ucsc::scan {

struct TlsInfo {
  std::string negotiated_version;  // "TLSv1.3"
  std::string cipher;              // negotiated cipher suite
  std::string subject;             // certificate subject, one line (RFC 2253)
  std::string issuer;
  std::string not_after;                  // "2027-01-01T00:00:00Z"
  std::vector<std::string> versions;      // protocol versions the server accepted
  std::vector<std::string> weak_ciphers;  // weak suites the server accepted (NULL, RC4, 3DES, ...)
};

struct ServiceInfo {
  std::string service;   // protocol: "ssh", "http", "https", "mysql", ... or "unknown"
  std::string product;   // "OpenSSH", "nginx", ... or empty when only the protocol is known
  std::string version;   // as disclosed ("9.2p1"), empty when not disclosed
  std::string cpe;       // CPE 2.3 formatted string, empty when the product is unknown
  std::string evidence;  // the bytes that decided it (a banner line, a header, a packet)
  std::map<std::string, std::string> details;  // "title", "favicon_mmh3", "os", "dialect", ...
  std::optional<TlsInfo> tls;
};

// "cpe:2.3:a:<vendor>:<product>:<version>:<update>:*:*:*:*:*:*"; an empty version or update is
// "*". Characters other than letters, digits, '_', '-' and '.' are backslash-escaped.
std::string MakeCpe(std::string_view vendor, std::string_view product, std::string_view version,
                    std::string_view update = {});

// Fills service.cpe from product/version for the products the scanner knows (the NVD vendor and
// product names); leaves it empty otherwise.
void AssignCpe(ServiceInfo& service);

// MurmurHash3 x86_32 (seed 0) of the base64 of `data` with a newline after every 76 characters
// and at the end: the favicon hash Shodan and other search engines index.
int32_t FaviconHash(std::string_view data);

// Printable form of evidence bytes: printable ASCII kept, others as \xNN, at most `max` bytes.
std::string EscapeEvidence(std::string_view bytes, size_t max = 256);

}  // namespace ucsc::scan
