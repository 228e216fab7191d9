// Report importers: realistic samples written for these tests (shaped like the output of
// nmap 7.93 -sV -oX, a GVM 22.4 XML report and nuclei v3 -jsonl), and malformed input.
#include <gtest/gtest.h>

#include <string>

#include "scan/import_report.h"

namespace ucsc::scan {
namespace {

const char* kNmap = R"X(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<?xml-stylesheet href="file:///usr/bin/../share/nmap/nmap.xsl" type="text/xsl"?>
<nmaprun scanner="nmap" args="nmap -sV -oX out.xml 10.20.0.0/28" start="1732521600" startstr="Mon Nov 25 08:00:00 2024" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="1000" services="1,3-4,6-7"/>
<verbose level="0"/>
<debugging level="0"/>
<host starttime="1732521601" endtime="1732521660"><status state="up" reason="conn-refused" reason_ttl="0"/>
<address addr="10.20.0.5" addrtype="ipv4"/>
<hostnames>
<hostname name="web01.sotc.example.vn" type="PTR"/>
</hostnames>
<ports><extraports state="closed" count="996">
<extrareasons reason="conn-refused" count="996" proto="tcp" ports="1,3-4"/>
</extraports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ssh" product="OpenSSH" version="8.9p1 Ubuntu 3ubuntu0.6" extrainfo="Ubuntu Linux; protocol 2.0" ostype="Linux" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:8.9p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe></service></port>
<port protocol="tcp" portid="80"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="http" product="Apache httpd" version="2.4.49" extrainfo="(Unix)" method="probed" conf="10"><cpe>cpe:/a:apache:http_server:2.4.49</cpe></service><script id="http-server-header" output="Apache/2.4.49 (Unix)"><elem>Apache/2.4.49 (Unix)</elem></script><script id="http-vuln-cve2021-41773" output="&#xa;  VULNERABLE:&#xa;  Path traversal and file disclosure vulnerability in Apache HTTP Server 2.4.49&#xa;    State: VULNERABLE&#xa;    IDs:  CVE:CVE-2021-41773&#xa;"/></port>
<port protocol="tcp" portid="3306"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="mysql" product="MySQL" version="5.7.33" method="probed" conf="10"><cpe>cpe:/a:mysql:mysql:5.7.33</cpe></service></port>
<port protocol="tcp" portid="8443"><state state="filtered" reason="no-response" reason_ttl="0"/><service name="https-alt" method="table" conf="3"/></port>
</ports>
<times srtt="110" rttvar="60" to="100000"/>
</host>
<host starttime="1732521601" endtime="1732521660"><status state="up" reason="conn-refused" reason_ttl="0"/>
<address addr="2001:db8::10" addrtype="ipv6"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="25"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="smtp" product="Postfix smtpd" hostname=" mail.sotc.example.vn" method="probed" conf="10"><cpe>cpe:/a:postfix:postfix</cpe></service></port>
</ports>
</host>
<runstats><finished time="1732521660" timestr="Mon Nov 25 08:01:00 2024" summary="Nmap done at Mon Nov 25 08:01:00 2024; 16 IP addresses (2 hosts up) scanned in 60.00 seconds" elapsed="60.00" exit="success"/><hosts up="2" down="14" total="16"/>
</runstats>
</nmaprun>
)X";

TEST(NmapImport, ServicesAndVulnScripts) {
  auto r = ParseNmapXml(kNmap, "scan.xml");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->format, "nmap");
  EXPECT_EQ(r->hosts, 2u);
  ASSERT_EQ(r->services.size(), 5u);
  const ImportedService& ssh = r->services[0];
  EXPECT_EQ(ssh.ip, "10.20.0.5");
  EXPECT_EQ(ssh.hostname, "web01.sotc.example.vn");
  EXPECT_EQ(ssh.port, 22);
  EXPECT_EQ(ssh.protocol, "tcp");
  EXPECT_EQ(ssh.state, "open");
  EXPECT_EQ(ssh.service, "ssh");
  EXPECT_EQ(ssh.product, "OpenSSH");
  EXPECT_EQ(ssh.version, "8.9p1 Ubuntu 3ubuntu0.6");
  EXPECT_EQ(ssh.extra, "Ubuntu Linux; protocol 2.0");
  ASSERT_EQ(ssh.cpes.size(), 2u);
  EXPECT_EQ(ssh.cpes[0], "cpe:/a:openbsd:openssh:8.9p1");
  EXPECT_EQ(r->services[3].state, "filtered");
  EXPECT_EQ(r->services[4].ip, "2001:db8::10");
  EXPECT_EQ(r->services[4].hostname, "");
  // Only the script that reports a vulnerability becomes a finding.
  ASSERT_EQ(r->findings.size(), 1u);
  const ImportedFinding& f = r->findings[0];
  EXPECT_EQ(f.source, "nmap");
  EXPECT_EQ(f.id, "http-vuln-cve2021-41773");
  EXPECT_EQ(f.port, 80);
  EXPECT_EQ(f.cves, std::vector<std::string>{"CVE-2021-41773"});
}

const char* kOpenVas =
    R"X(<report id="5f0a2c1e-9b7d-4e38-a6e2-0c1d2e3f4a5b" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" extension="xml" content_type="text/xml">
  <owner><name>admin</name></owner>
  <name>2024-11-25T08:00:00Z</name>
  <report id="5f0a2c1e-9b7d-4e38-a6e2-0c1d2e3f4a5b">
    <gmp><version>22.4</version></gmp>
    <scan_run_status>Done</scan_run_status>
    <hosts><count>1</count></hosts>
    <results start="1" max="100">
      <result id="0b6c1a52-8d3e-4f5a-9b2c-7d8e9f0a1b2c">
        <name>OpenSSH &lt; 9.3p2 Remote Code Execution Vulnerability</name>
        <owner><name>admin</name></owner>
        <host>10.20.0.5<asset asset_id="3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"/><hostname>web01.sotc.example.vn</hostname></host>
        <port>22/tcp</port>
        <nvt oid="1.3.6.1.4.1.25623.1.0.170523">
          <type>nvt</type>
          <name>OpenSSH &lt; 9.3p2 Remote Code Execution Vulnerability</name>
          <family>General</family>
          <cvss_base>9.8</cvss_base>
          <severities score="9.8"><severity type="cvss_base_v3"><origin/><date>2023-07-20T10:15:00Z</date><score>9.8</score><value>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</value></severity></severities>
          <tags>cvss_base_vector=CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H|summary=OpenSSH is prone to a remote code execution vulnerability in ssh-agent.|solution_type=VendorFix</tags>
          <solution type="VendorFix">Update to version 9.3p2 or later.</solution>
          <refs>
            <ref type="cve" id="CVE-2023-38408"/>
            <ref type="url" id="https://www.openssh.com/txt/release-9.3p2"/>
            <ref type="cert-bund" id="WID-SEC-2023-1822"/>
          </refs>
        </nvt>
        <scan_nvt_version>2024-01-09T05:05:19Z</scan_nvt_version>
        <threat>High</threat>
        <severity>9.8</severity>
        <qod><value>80</value><type>remote_banner</type></qod>
        <description>Installed version: 8.9p1
Fixed version:     9.3p2
Installation
path / port:       22/tcp</description>
      </result>
      <result id="9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d">
        <name>OS Detection Consolidation and Reporting</name>
        <host>10.20.0.5<asset asset_id="3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"/><hostname>web01.sotc.example.vn</hostname></host>
        <port>general/tcp</port>
        <nvt oid="1.3.6.1.4.1.25623.1.0.105937"><type>nvt</type><name>OS Detection Consolidation and Reporting</name><cvss_base>0.0</cvss_base><refs/></nvt>
        <threat>Log</threat>
        <severity>0.0</severity>
        <description>Best matching OS: Ubuntu 22.04</description>
      </result>
    </results>
    <result_count>2<full>2</full><filtered>2</filtered></result_count>
  </report>
</report>
)X";

TEST(OpenVasImport, Results) {
  auto r = ParseOpenVasXml(kOpenVas, "gvm.xml");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->format, "openvas");
  EXPECT_EQ(r->hosts, 1u);
  ASSERT_EQ(r->findings.size(), 2u);
  const ImportedFinding& f = r->findings[0];
  EXPECT_EQ(f.ip, "10.20.0.5");
  EXPECT_EQ(f.hostname, "web01.sotc.example.vn");
  EXPECT_EQ(f.port, 22);
  EXPECT_EQ(f.protocol, "tcp");
  EXPECT_EQ(f.id, "1.3.6.1.4.1.25623.1.0.170523");
  EXPECT_EQ(f.title, "OpenSSH < 9.3p2 Remote Code Execution Vulnerability");
  EXPECT_EQ(f.severity, "high");
  EXPECT_DOUBLE_EQ(f.cvss, 9.8);
  EXPECT_EQ(f.cves, std::vector<std::string>{"CVE-2023-38408"});
  EXPECT_NE(f.evidence.find("Fixed version:     9.3p2"), std::string::npos);
  const ImportedFinding& log = r->findings[1];
  EXPECT_EQ(log.port, 0);  // general/tcp
  EXPECT_EQ(log.severity, "info");
  EXPECT_TRUE(log.cves.empty());
}

TEST(OpenVasImport, GmpResponseWrapperAndOldCveElement) {
  const char* xml =
      R"(<get_reports_response status="200" status_text="OK"><report id="r"><report id="r">
    <results><result id="x"><name>Old</name><host>192.0.2.7</host><port>80/tcp</port>
    <nvt oid="1.3.6.1.4.1.25623.1.0.1"><cve>CVE-2014-0160, cve-2014-0346</cve></nvt>
    <threat>Medium</threat><severity>5.0</severity></result></results></report></report></get_reports_response>)";
  auto r = ParseOpenVasXml(xml);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].cves, (std::vector<std::string>{"CVE-2014-0160", "CVE-2014-0346"}));
  EXPECT_EQ(r->findings[0].severity, "medium");
}

const char* kNuclei =
    R"X({"template":"http/cves/2021/CVE-2021-41773.yaml","template-url":"https://cloud.projectdiscovery.io/public/CVE-2021-41773","template-id":"CVE-2021-41773","template-path":"/root/nuclei-templates/http/cves/2021/CVE-2021-41773.yaml","info":{"name":"Apache 2.4.49 - Path Traversal and Remote Code Execution","author":["daffainfo","666asd"],"tags":["cve","cve2021","lfi","apache","rce","kev"],"description":"A flaw was found in a change made to path normalization in Apache HTTP Server 2.4.49.","reference":["https://httpd.apache.org/security/vulnerabilities_24.html"],"severity":"high","metadata":{"max-request":3,"product":"http_server","vendor":"apache"},"classification":{"cve-id":["cve-2021-41773"],"cwe-id":["cwe-22"],"cvss-metrics":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N","cvss-score":7.5,"epss-score":0.97,"cpe":"cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"}},"type":"http","host":"http://web01.sotc.example.vn","port":"80","scheme":"http","url":"http://web01.sotc.example.vn","path":"/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd","matched-at":"http://web01.sotc.example.vn/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd","request":"GET /icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: web01.sotc.example.vn\r\n\r\n","ip":"10.20.0.5","timestamp":"2024-11-25T08:05:12.123456789+07:00","curl-command":"curl -X 'GET' 'http://web01.sotc.example.vn/icons/.%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd'","matcher-status":true}
{"template-id":"openssh-detect","info":{"name":"OpenSSH Service - Detect","author":["r3dg33k"],"tags":["network","ssh","openssh","detect"],"severity":"info","classification":{"cve-id":null,"cwe-id":["cwe-200"]}},"type":"tcp","host":"10.20.0.5:22","port":22,"ip":"10.20.0.5","matched-at":"10.20.0.5:22","extracted-results":["SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6"],"timestamp":"2024-11-25T08:05:13.5+07:00","matcher-status":true}

)X";

TEST(NucleiImport, Findings) {
  auto r = ParseNucleiJsonl(kNuclei, "n.jsonl");
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->format, "nuclei");
  EXPECT_EQ(r->hosts, 1u);
  ASSERT_EQ(r->findings.size(), 2u);
  const ImportedFinding& f = r->findings[0];
  EXPECT_EQ(f.id, "CVE-2021-41773");
  EXPECT_EQ(f.severity, "high");
  EXPECT_EQ(f.ip, "10.20.0.5");
  EXPECT_EQ(f.hostname, "web01.sotc.example.vn");
  EXPECT_EQ(f.port, 80);
  EXPECT_EQ(f.protocol, "http");
  EXPECT_DOUBLE_EQ(f.cvss, 7.5);
  EXPECT_EQ(f.cves, std::vector<std::string>{"CVE-2021-41773"});
  EXPECT_NE(f.evidence.find("/etc/passwd"), std::string::npos);
  const ImportedFinding& ssh = r->findings[1];
  EXPECT_EQ(ssh.port, 22);  // a number, not a string, here
  EXPECT_TRUE(ssh.cves.empty());
  EXPECT_EQ(ssh.severity, "info");
  EXPECT_EQ(ssh.hostname, "");  // host is the IP itself
}

void ExpectError(const core::Result<ImportedReport>& r, const std::string& needle) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find(needle), std::string::npos)
      << "\"" << r.error().message << "\" lacks \"" << needle << "\"";
}

TEST(ImportErrors, MalformedXmlNamesLineAndColumn) {
  ExpectError(ParseNmapXml("<nmaprun>\n<host>\n<address addr='1.2.3.4'/>\n</nmaprun>", "a.xml"),
              "a.xml:4:");
  ExpectError(ParseNmapXml("<nmaprun>\n<host>\n<address addr='1.2.3.4'/>\n</nmaprun>", "a.xml"),
              "malformed XML");
  ExpectError(ParseNmapXml("", "e.xml"), "e.xml:");
  ExpectError(ParseNmapXml(kOpenVas, "v.xml"), "not an Nmap XML report (root element <report>");
  ExpectError(ParseOpenVasXml(kNmap, "n.xml"), "not a GVM/OpenVAS XML report");
  ExpectError(ParseNmapXml("<nmaprun>\n<host><address addr='10.0.0.1'/><ports>\n"
                           "<port protocol='tcp' portid='70000'/></ports></host></nmaprun>",
                           "p.xml"),
              "p.xml:3:1: port \"70000\" is not 0-65535");
  ExpectError(ParseNmapXml("<nmaprun><host><status state='up'/></host></nmaprun>", "h.xml"),
              "without an IP");
  ExpectError(ParseOpenVasXml("<report><results>\n<result><host>1.2.3.4</host><port>99999/tcp"
                              "</port></result></results></report>",
                              "o.xml"),
              "o.xml:2:1: port");
  ExpectError(ParseOpenVasXml("<report><results><result><host>1.2.3.4</host><severity>high"
                              "</severity></result></results></report>"),
              "is not a score");
}

TEST(ImportErrors, MalformedJsonlNamesLine) {
  ExpectError(
      ParseNucleiJsonl("{\"template-id\":\"a\",\"host\":\"h\"}\n{\"template-id\": \n", "n.jsonl"),
      "n.jsonl:2:");
  ExpectError(ParseNucleiJsonl("\n\n[1,2]\n", "n.jsonl"), "n.jsonl:3: not a JSON object");
  ExpectError(ParseNucleiJsonl("{\"host\":\"h\"}", "n.jsonl"), "n.jsonl:1: no \"template-id\"");
  ExpectError(ParseNucleiJsonl("{\"template-id\":\"t\"}", "n.jsonl"), "no \"host\" or \"ip\"");
  ExpectError(ParseNucleiJsonl("{\"template-id\":\"t\",\"host\":\"h\",\"port\":\"http\"}"),
              "port \"http\"");
  ExpectError(ParseNucleiJsonl(std::string(40, '[') + std::string(40, ']')), "1:");
}

TEST(ImportFile, MissingFile) {
  auto r = ImportReportFile(ReportFormat::kNmapXml, "/nonexistent/scan.xml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kNotFound);
}

TEST(CveIds, Extracted) {
  EXPECT_EQ(ExtractCveIds("IDs:  CVE:CVE-2021-41773 and cve-2014-0160, CVE-2021-41773; "
                          "XCVE-2020-1234 CVE-20-1 CVE-2024-123"),
            (std::vector<std::string>{"CVE-2021-41773", "CVE-2014-0160"}));
}

}  // namespace
}  // namespace ucsc::scan
