#include "scan/import_report.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "codec/json_reader.h"
#include "text/utf8.h"

namespace ucsc::scan {
namespace {

constexpr size_t kMaxField = 4096;
constexpr size_t kMaxJsonLine = 4u << 20;

std::string Cut(std::string_view s, size_t max = kMaxField) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

std::string Lower(std::string_view s) { return text::AsciiLower(std::string(s)); }

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Line and column (1-based) of byte `offset` in `text`.
std::string LineCol(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

core::Result<pugi::xml_document> LoadXml(std::string_view xml, std::string_view name) {
  if (xml.size() > kMaxReportBytes) {
    return core::InvalidArgument(std::string(name) + ": larger than " +
                                 std::to_string(kMaxReportBytes >> 20) + " MiB");
  }
  pugi::xml_document doc;
  // No DOCTYPE processing: pugixml never expands external entities.
  pugi::xml_parse_result r =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    return core::InvalidArgument(std::string(name) + ":" +
                                 LineCol(xml, static_cast<size_t>(r.offset)) +
                                 ": malformed XML: " + r.description());
  }
  return doc;
}

// The line:column of an element, for error messages.
std::string Where(std::string_view xml, std::string_view name, const pugi::xml_node& node) {
  // offset_debug() is the offset of the element's name; report its '<'.
  auto offset = static_cast<size_t>(std::max<ptrdiff_t>(node.offset_debug() - 1, 0));
  return std::string(name) + ":" + LineCol(xml, offset);
}

core::Result<uint16_t> ParsePort(std::string_view text) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > 65535) {
    return core::InvalidArgument("port \"" + Cut(text, 40) + "\" is not 0-65535");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::vector<std::string> ExtractCveIds(std::string_view text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (size_t i = 0; i + 13 <= text.size(); ++i) {
    if ((text[i] != 'C' && text[i] != 'c') || Lower(text.substr(i, 4)) != "cve-") continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t p = i + 4;
    size_t y = p;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) ++p;
    if (p - y != 4 || p >= text.size() || text[p] != '-') continue;
    size_t n = ++p;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p])) && p - n < 12) ++p;
    if (p - n < 4) continue;
    std::string id =
        "CVE-" + std::string(text.substr(y, 4)) + "-" + std::string(text.substr(n, p - n));
    if (seen.insert(id).second) out.push_back(std::move(id));
    i = p - 1;
  }
  return out;
}

// ---- Nmap -----------------------------------------------------------------------------------

core::Result<ImportedReport> ParseNmapXml(std::string_view xml, std::string_view name) {
  UCSC_ASSIGN_OR_RETURN(pugi::xml_document doc, LoadXml(xml, name));
  pugi::xml_node run = doc.child("nmaprun");
  if (!run) {
    return core::InvalidArgument(std::string(name) + ": not an Nmap XML report (root element <" +
                                 std::string(doc.first_child().name()) + ">, <nmaprun> expected)");
  }
  ImportedReport report;
  report.format = "nmap";
  for (pugi::xml_node host : run.children("host")) {
    std::string ip, hostname;
    for (pugi::xml_node addr : host.children("address")) {
      std::string type = addr.attribute("addrtype").as_string("ipv4");
      if (type == "ipv4" || type == "ipv6") {
        ip = addr.attribute("addr").as_string();
        break;
      }
    }
    if (ip.empty()) {
      return core::InvalidArgument(Where(xml, name, host) + ": <host> without an IP <address>");
    }
    if (pugi::xml_node hn = host.child("hostnames").child("hostname")) {
      hostname = Cut(hn.attribute("name").as_string(), 255);
    }
    ++report.hosts;
    for (pugi::xml_node port : host.child("ports").children("port")) {
      auto number = ParsePort(port.attribute("portid").as_string());
      if (!number) {
        return core::InvalidArgument(Where(xml, name, port) + ": " + number.error().message);
      }
      ImportedService svc;
      svc.ip = ip;
      svc.hostname = hostname;
      svc.port = *number;
      svc.protocol = Cut(port.attribute("protocol").as_string("tcp"), 16);
      svc.state = Cut(port.child("state").attribute("state").as_string(), 32);
      pugi::xml_node service = port.child("service");
      svc.service = Cut(service.attribute("name").as_string(), 64);
      svc.product = Cut(service.attribute("product").as_string(), 256);
      svc.version = Cut(service.attribute("version").as_string(), 256);
      svc.extra = Cut(service.attribute("extrainfo").as_string(), 512);
      for (pugi::xml_node cpe : service.children("cpe")) {
        svc.cpes.push_back(Cut(Trim(cpe.text().as_string()), 512));
      }
      // Scripts that report vulnerabilities become findings.
      for (pugi::xml_node script : port.children("script")) {
        std::string output = script.attribute("output").as_string();
        std::vector<std::string> cves = ExtractCveIds(output);
        bool vulnerable = output.find("VULNERABLE") != std::string::npos;
        if (cves.empty() && !vulnerable) continue;
        ImportedFinding f;
        f.source = "nmap";
        f.ip = ip;
        f.hostname = hostname;
        f.port = svc.port;
        f.protocol = svc.protocol;
        f.id = Cut(script.attribute("id").as_string(), 128);
        f.title = f.id;
        f.cves = std::move(cves);
        f.evidence = Cut(Trim(output));
        report.findings.push_back(std::move(f));
      }
      report.services.push_back(std::move(svc));
    }
  }
  return report;
}

// ---- OpenVAS / GVM --------------------------------------------------------------------------

core::Result<ImportedReport> ParseOpenVasXml(std::string_view xml, std::string_view name) {
  UCSC_ASSIGN_OR_RETURN(pugi::xml_document doc, LoadXml(xml, name));
  pugi::xml_node root = doc.document_element();
  std::string root_name = root.name();
  if (root_name != "report" && root_name != "get_reports_response") {
    return core::InvalidArgument(std::string(name) +
                                 ": not a GVM/OpenVAS XML report (root element <" + root_name +
                                 ">, <report> or <get_reports_response> expected)");
  }
  ImportedReport report;
  report.format = "openvas";
  std::set<std::string> hosts;
  for (pugi::xpath_node xr : root.select_nodes(".//results/result")) {
    pugi::xml_node r = xr.node();
    ImportedFinding f;
    f.source = "openvas";
    pugi::xml_node host = r.child("host");
    f.ip = Cut(Trim(host.child_value()), 64);
    if (f.ip.empty()) {
      return core::InvalidArgument(Where(xml, name, r) + ": <result> without a <host>");
    }
    f.hostname = Cut(Trim(host.child("hostname").child_value()), 255);
    hosts.insert(f.ip);
    // "22/tcp", "general/tcp", "general/CPE-T", "package".
    std::string port = Trim(r.child("port").child_value());
    if (size_t slash = port.find('/'); slash != std::string::npos) {
      std::string number = port.substr(0, slash);
      if (!number.empty() && std::isdigit(static_cast<unsigned char>(number[0]))) {
        auto p = ParsePort(number);
        if (!p) return core::InvalidArgument(Where(xml, name, r) + ": " + p.error().message);
        f.port = *p;
      }
      f.protocol = Cut(Lower(port.substr(slash + 1)), 16);
    }
    pugi::xml_node nvt = r.child("nvt");
    f.id = Cut(nvt.attribute("oid").as_string(), 128);
    f.title = Cut(Trim(r.child("name").child_value()), 512);
    if (f.title.empty()) f.title = Cut(Trim(nvt.child("name").child_value()), 512);
    std::string threat = Lower(Trim(r.child("threat").child_value()));
    f.severity = threat == "log" || threat == "debug" || threat.empty() ? "info" : threat;
    std::string severity = Trim(r.child("severity").child_value());
    if (!severity.empty()) {
      char* end = nullptr;
      double score = std::strtod(severity.c_str(), &end);
      if (end == severity.c_str() || *end != '\0' || score < -3 || score > 10) {
        return core::InvalidArgument(Where(xml, name, r) + ": <severity> \"" + Cut(severity, 40) +
                                     "\" is not a score");
      }
      if (score >= 0) f.cvss = score;
    }
    for (pugi::xml_node ref : nvt.child("refs").children("ref")) {
      if (Lower(ref.attribute("type").as_string()) != "cve") continue;
      for (auto& id : ExtractCveIds(ref.attribute("id").as_string())) f.cves.push_back(id);
    }
    // Older GMP versions list CVEs in <nvt><cve>CVE-a, CVE-b</cve>.
    for (auto& id : ExtractCveIds(nvt.child("cve").child_value())) {
      if (std::find(f.cves.begin(), f.cves.end(), id) == f.cves.end()) f.cves.push_back(id);
    }
    f.evidence = Cut(Trim(r.child("description").child_value()));
    report.findings.push_back(std::move(f));
  }
  report.hosts = hosts.size();
  return report;
}

// ---- Nuclei ---------------------------------------------------------------------------------

core::Result<ImportedReport> ParseNucleiJsonl(std::string_view jsonl, std::string_view name) {
  if (jsonl.size() > kMaxReportBytes) {
    return core::InvalidArgument(std::string(name) + ": larger than " +
                                 std::to_string(kMaxReportBytes >> 20) + " MiB");
  }
  ImportedReport report;
  report.format = "nuclei";
  std::set<std::string> hosts;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < jsonl.size()) {
    size_t nl = jsonl.find('\n', pos);
    std::string_view line = jsonl.substr(pos, nl == std::string_view::npos ? jsonl.npos : nl - pos);
    pos = nl == std::string_view::npos ? jsonl.size() : nl + 1;
    ++line_no;
    const std::string at = std::string(name) + ":" + std::to_string(line_no);
    if (Trim(line).empty()) continue;
    if (line.size() > kMaxJsonLine) return core::InvalidArgument(at + ": line longer than 4 MiB");
    auto doc = codec::ParseJson(line, 16);
    if (!doc) return core::InvalidArgument(at + ": " + doc.error().message);
    if (!doc->is_object()) return core::InvalidArgument(at + ": not a JSON object");
    const codec::Json& j = *doc;
    auto str = [&](const codec::Json& obj, const char* key) -> std::string {
      auto it = obj.find(key);
      if (it == obj.end()) return {};
      if (it->is_string()) return Cut(it->get<std::string>());
      if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
      return {};
    };
    ImportedFinding f;
    f.source = "nuclei";
    f.id = Cut(str(j, "template-id"), 256);
    if (f.id.empty()) return core::InvalidArgument(at + ": no \"template-id\"");
    static const codec::Json kEmpty = codec::Json::object();
    auto info_it = j.find("info");
    const codec::Json& info = info_it != j.end() && info_it->is_object() ? *info_it : kEmpty;
    f.title = Cut(str(info, "name"), 512);
    f.severity = Lower(str(info, "severity"));
    if (f.severity == "unknown" || f.severity.empty()) f.severity = "info";
    std::string host = str(j, "host");
    f.ip = Cut(str(j, "ip"), 64);
    if (f.ip.empty()) f.ip = Cut(host, 255);
    // "host" is a URL or host:port; keep its host part as the hostname when it is not the IP.
    std::string h = host;
    if (size_t scheme = h.find("://"); scheme != std::string::npos) h = h.substr(scheme + 3);
    h = h.substr(0, h.find('/'));
    if (!h.empty() && h[0] == '[') {
      size_t close = h.find(']');
      h = close == std::string::npos ? std::string() : h.substr(1, close - 1);
    } else if (size_t colon = h.rfind(':'); colon != std::string::npos && h.find(':') == colon) {
      h = h.substr(0, colon);
    }
    if (!h.empty() && h != f.ip) f.hostname = Cut(h, 255);
    std::string port = str(j, "port");
    if (!port.empty()) {
      auto p = ParsePort(port);
      if (!p) return core::InvalidArgument(at + ": " + p.error().message);
      f.port = *p;
    }
    f.protocol = Cut(str(j, "type"), 16);
    f.evidence = Cut(str(j, "matched-at"));
    if (auto cls = info.find("classification"); cls != info.end() && cls->is_object()) {
      if (auto ids = cls->find("cve-id"); ids != cls->end()) {
        if (ids->is_string()) {
          f.cves = ExtractCveIds(ids->get<std::string>());
        } else if (ids->is_array()) {
          for (const auto& id : *ids) {
            if (!id.is_string()) continue;
            for (auto& c : ExtractCveIds(id.get<std::string>())) {
              if (std::find(f.cves.begin(), f.cves.end(), c) == f.cves.end()) f.cves.push_back(c);
            }
          }
        }
      }
      if (auto score = cls->find("cvss-score"); score != cls->end() && score->is_number()) {
        double s = score->get<double>();
        if (s >= 0 && s <= 10) f.cvss = s;
      }
    }
    if (f.ip.empty()) return core::InvalidArgument(at + ": no \"host\" or \"ip\"");
    hosts.insert(f.ip);
    report.findings.push_back(std::move(f));
  }
  report.hosts = hosts.size();
  return report;
}

core::Result<ImportedReport> ImportReportFile(ReportFormat format, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound(path + ": cannot open: " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  auto size = static_cast<size_t>(in.tellg());
  if (size > kMaxReportBytes) {
    return core::InvalidArgument(path + ": larger than " + std::to_string(kMaxReportBytes >> 20) +
                                 " MiB");
  }
  in.seekg(0);
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  switch (format) {
    case ReportFormat::kNmapXml:
      return ParseNmapXml(text, path);
    case ReportFormat::kOpenVasXml:
      return ParseOpenVasXml(text, path);
    case ReportFormat::kNucleiJsonl:
      return ParseNucleiJsonl(text, path);
  }
  return core::InvalidArgument("unknown report format");
}

}  // namespace ucsc::scan
