// Reports that agencies already have, parsed into one model: Nmap XML (-oX), OpenVAS / Greenbone
// GVM XML reports (GMP get_reports, XML format) and Nuclei JSON lines (-jsonl). Services are what
// a host exposes (Nmap); findings are vulnerabilities a tool reported (OpenVAS results, Nuclei
// matches, Nmap scripts that report CVEs or "VULNERABLE").
//
// Limits: reports larger than kMaxReportBytes are refused; strings kept are cut to a few KiB.
// Errors name the input, the line (and column for XML) and the reason.
// Thread-safety: the functions are pure; the results are plain values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ucsc::scan {

inline constexpr size_t kMaxReportBytes = 512u << 20;

struct ImportedService {
  std::string ip;
  std::string hostname;
  uint16_t port = 0;
  std::string protocol;           // "tcp", "udp"
  std::string state;              // "open", "filtered", ...
  std::string service;            // "ssh", "http"
  std::string product;            // "OpenSSH"
  std::string version;            // "8.9p1 Ubuntu 3ubuntu0.6"
  std::string extra;              // Nmap's extrainfo
  std::vector<std::string> cpes;  // as the tool printed them (Nmap: CPE 2.2 URIs)
};

struct ImportedFinding {
  std::string source;  // "nmap", "openvas", "nuclei"
  std::string ip;
  std::string hostname;
  uint16_t port = 0;  // 0 when the finding is not about one port
  std::string protocol;
  std::string id;  // tool's rule id: NVT OID, Nuclei template id, Nmap script id
  std::string title;
  std::string severity;           // "critical", "high", "medium", "low", "info" (lower case)
  double cvss = -1;               // -1 when the tool gave none
  std::vector<std::string> cves;  // upper case, "CVE-YYYY-N..."
  std::string evidence;  // where/what matched (Nuclei matched-at, OpenVAS description, ...)
};

struct ImportedReport {
  std::string format;  // "nmap", "openvas", "nuclei"
  std::vector<ImportedService> services;
  std::vector<ImportedFinding> findings;
  size_t hosts = 0;  // distinct hosts seen
};

enum class ReportFormat { kNmapXml, kOpenVasXml, kNucleiJsonl };

// Each returns kInvalidArgument "<name>:<line>:<column>: <reason>" for malformed XML/JSON, a
// document that is not of the expected kind (wrong root element, a JSON line that is not an
// object), a bad port number or address, or input over kMaxReportBytes.
[[nodiscard]] core::Result<ImportedReport> ParseNmapXml(std::string_view xml,
                                                        std::string_view name = "<nmap>");
[[nodiscard]] core::Result<ImportedReport> ParseOpenVasXml(std::string_view xml,
                                                           std::string_view name = "<openvas>");
[[nodiscard]] core::Result<ImportedReport> ParseNucleiJsonl(std::string_view jsonl,
                                                            std::string_view name = "<nuclei>");

// Reads `path` and parses it as `format`; kNotFound when the file cannot be read.
[[nodiscard]] core::Result<ImportedReport> ImportReportFile(ReportFormat format,
                                                            const std::string& path);

// Every distinct "CVE-YYYY-NNNN..." in `text` (any case), upper-cased, in order of appearance.
std::vector<std::string> ExtractCveIds(std::string_view text);

}  // namespace ucsc::scan
