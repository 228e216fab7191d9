#include "scan/ports.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>

namespace ucsc::scan {
namespace {

struct RankedPort {
  uint16_t port;
  std::string_view service;
};

// Ranked by likely exposure on government and enterprise networks. Tiers, in order: the web and
// remote administration; mail; Windows file sharing and directory; databases and caches;
// infrastructure (DNS, NTP-adjacent TCP, VPN, printing); alternative web and management ports;
// messaging, monitoring and the rest of the registered ports we know to matter.
constexpr RankedPort kRanking[] = {
    // Tier 1: web and remote administration.
    {80, "http"},
    {443, "https"},
    {22, "ssh"},
    {3389, "ms-wbt-server"},
    {21, "ftp"},
    {23, "telnet"},
    {8080, "http-alt"},
    {8443, "https-alt"},
    {5900, "vnc"},
    // Tier 2: mail.
    {25, "smtp"},
    {587, "submission"},
    {465, "submissions"},
    {110, "pop3"},
    {995, "pop3s"},
    {143, "imap"},
    {993, "imaps"},
    // Tier 3: Windows networking and directory.
    {445, "microsoft-ds"},
    {139, "netbios-ssn"},
    {135, "msrpc"},
    {389, "ldap"},
    {636, "ldaps"},
    {88, "kerberos"},
    {464, "kpasswd"},
    {3268, "globalcatalog"},
    {3269, "globalcatalog-ssl"},
    {5985, "wsman"},
    {5986, "wsmans"},
    {593, "http-rpc-epmap"},
    // Tier 4: databases and caches.
    {3306, "mysql"},
    {1433, "ms-sql-s"},
    {5432, "postgresql"},
    {1521, "oracle"},
    {6379, "redis"},
    {27017, "mongodb"},
    {11211, "memcached"},
    {9200, "elasticsearch"},
    {5984, "couchdb"},
    {9042, "cassandra"},
    {7000, "cassandra-internode"},
    {8086, "influxdb"},
    {50000, "db2"},
    {1434, "ms-sql-m"},
    {3050, "firebird"},
    {27018, "mongodb-shard"},
    // Tier 5: infrastructure.
    {53, "domain"},
    {111, "sunrpc"},
    {2049, "nfs"},
    {1723, "pptp"},
    {1194, "openvpn"},
    {500, "isakmp"},
    {631, "ipp"},
    {515, "printer"},
    {9100, "jetdirect"},
    {161, "snmp"},
    {179, "bgp"},
    {873, "rsync"},
    {3128, "squid-http"},
    {1080, "socks"},
    {8000, "http-alt"},
    {8008, "http-alt"},
    {8081, "http-alt"},
    {8888, "http-alt"},
    {81, "http-alt"},
    {10000, "webmin"},
    {2082, "cpanel"},
    {2083, "cpanel-ssl"},
    {2086, "whm"},
    {2087, "whm-ssl"},
    {8880, "http-alt"},
    {4443, "https-alt"},
    {9443, "https-alt"},
    {8834, "nessus"},
    {9090, "http-alt"},
    {9000, "http-alt"},
    {7001, "weblogic"},
    {7002, "weblogic-ssl"},
    {8009, "ajp13"},
    {8161, "activemq-admin"},
    {4848, "glassfish-admin"},
    {9060, "websphere"},
    {9080, "websphere-http"},
    {9043, "websphere-ssl"},
    {8983, "solr"},
    {5601, "kibana"},
    {3000, "http-alt"},
    {5000, "http-alt"},
    {5001, "http-alt"},
    {7443, "https-alt"},
    {8001, "http-alt"},
    {8002, "http-alt"},
    {8010, "http-alt"},
    {8082, "http-alt"},
    {8083, "http-alt"},
    {8085, "http-alt"},
    {8090, "http-alt"},
    {8181, "http-alt"},
    {8280, "http-alt"},
    {8500, "consul"},
    {8600, "consul-dns"},
    {2375, "docker"},
    {2376, "docker-tls"},
    {6443, "kubernetes-api"},
    {10250, "kubelet"},
    {2379, "etcd"},
    {2380, "etcd-peer"},
    // Tier 6: remote access and management.
    {5901, "vnc-1"},
    {5902, "vnc-2"},
    {5800, "vnc-http"},
    {2222, "ssh-alt"},
    {992, "telnets"},
    {513, "login"},
    {514, "shell"},
    {512, "exec"},
    {623, "ipmi"},
    {5060, "sip"},
    {5061, "sips"},
    {1720, "h323"},
    {554, "rtsp"},
    {8554, "rtsp-alt"},
    {37777, "dahua-dvr"},
    {34567, "dvr"},
    {502, "modbus"},
    {102, "iso-tsap"},
    {20000, "dnp3"},
    {44818, "ethernetip"},
    {47808, "bacnet"},
    {1883, "mqtt"},
    {8883, "secure-mqtt"},
    {5672, "amqp"},
    {5671, "amqps"},
    {15672, "rabbitmq-mgmt"},
    {61616, "activemq"},
    {9092, "kafka"},
    {2181, "zookeeper"},
    {4369, "epmd"},
    {6000, "x11"},
    {6001, "x11-1"},
    {5666, "nrpe"},
    {10050, "zabbix-agent"},
    {10051, "zabbix-trapper"},
    {9090, "prometheus"},
    {9100, "node-exporter"},
    {3001, "http-alt"},
    {4000, "http-alt"},
    {4444, "krb524"},
    {6666, "irc"},
    {6667, "irc"},
    {6697, "ircs"},
    {5222, "xmpp-client"},
    {5269, "xmpp-server"},
    {119, "nntp"},
    {563, "nntps"},
    {70, "gopher"},
    {79, "finger"},
    {113, "ident"},
    {69, "tftp"},
    {20, "ftp-data"},
    {990, "ftps"},
    {989, "ftps-data"},
    {2121, "ftp-alt"},
    {3690, "svn"},
    {9418, "git"},
    {548, "afp"},
    {427, "svrloc"},
    {5353, "mdns"},
    {1900, "upnp"},
    {5357, "wsdapi"},
    {2869, "icslap"},
    {49152, "msrpc-dyn"},
    {49153, "msrpc-dyn"},
    {49154, "msrpc-dyn"},
    {49155, "msrpc-dyn"},
    {49156, "msrpc-dyn"},
    {49157, "msrpc-dyn"},
    {1025, "msrpc-dyn"},
    {1026, "msrpc-dyn"},
    {1027, "msrpc-dyn"},
    {1028, "msrpc-dyn"},
    {1029, "msrpc-dyn"},
    {3260, "iscsi"},
    {3389, "ms-wbt-server"},
    {1812, "radius"},
    {1813, "radius-acct"},
    {49, "tacacs"},
    {3478, "stun"},
    {5349, "stuns"},
    {7070, "realserver"},
    {8089, "splunkd"},
    {8200, "vault"},
    {8300, "consul-rpc"},
    {9999, "http-alt"},
    {10443, "https-alt"},
    {11443, "https-alt"},
    {18080, "http-alt"},
    {18443, "https-alt"},
    {28017, "mongodb-http"},
    {6380, "redis-alt"},
    {7474, "neo4j"},
    {8529, "arangodb"},
    {26257, "cockroachdb"},
    {9300, "elasticsearch-transport"},
    {3299, "sap-router"},
    {3200, "sap-dispatcher"},
    {3300, "sap-gateway"},
    {8443, "https-alt"},
    {1099, "rmiregistry"},
    {1098, "rmiactivation"},
    {4712, "jboss"},
    {9990, "jboss-admin"},
    {8787, "debug"},
    {5005, "jdwp"},
    {1521, "oracle"},
    {2484, "oracle-tls"},
    {3351, "pervasive"},
    {6789, "ceph-mon"},
    {24007, "glusterfs"},
    {4000, "remoteanything"},
    {4899, "radmin"},
    {5938, "teamviewer"},
    {3283, "apple-remote"},
    {5631, "pcanywhere"},
    {1494, "citrix-ica"},
    {2598, "citrix-cgp"},
    {8014, "http-alt"},
    {7547, "cwmp"},
    {37215, "huawei-tr069"},
    {8291, "mikrotik-winbox"},
    {8728, "mikrotik-api"},
    {8729, "mikrotik-api-ssl"},
    {4786, "cisco-smart-install"},
    {2000, "cisco-sccp"},
    {10001, "ubiquiti"},
    {9001, "tor-orport"},
    {9050, "tor-socks"},
    {1701, "l2tp"},
    {4500, "ipsec-nat-t"},
    {51820, "wireguard"},
};

[[nodiscard]] core::Result<uint16_t> ParsePort(std::string_view text, std::string_view item) {
  int value = -1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    if (ec == std::errc::result_out_of_range) {
      return core::InvalidArgument("port spec item '" + std::string(item) +
                                   "': port out of range (1-65535)");
    }
    return core::InvalidArgument("port spec item '" + std::string(item) + "': '" +
                                 std::string(text) + "' is not a port number");
  }
  if (value < 1 || value > 65535) {
    return core::InvalidArgument("port spec item '" + std::string(item) + "': port " +
                                 std::to_string(value) + " out of range (1-65535)");
  }
  return static_cast<uint16_t>(value);
}

std::vector<uint16_t> RankedUnique() {
  std::vector<uint16_t> out;
  std::set<uint16_t> seen;
  for (const RankedPort& r : kRanking) {
    if (seen.insert(r.port).second) out.push_back(r.port);
  }
  return out;
}

}  // namespace

int RankedPortCount() { return static_cast<int>(RankedUnique().size()); }

core::Result<std::vector<uint16_t>> TopPorts(int n) {
  if (n < 1 || n > 65535) {
    return core::InvalidArgument("top ports: N must be 1..65535, got " + std::to_string(n));
  }
  std::vector<uint16_t> out = RankedUnique();
  if (static_cast<int>(out.size()) >= n) {
    out.resize(n);
    return out;
  }
  std::set<uint16_t> seen(out.begin(), out.end());
  for (int p = 1; p <= 65535 && static_cast<int>(out.size()) < n; ++p) {
    if (!seen.count(static_cast<uint16_t>(p))) out.push_back(static_cast<uint16_t>(p));
  }
  return out;
}

core::Result<std::vector<uint16_t>> ParsePortSpec(std::string_view spec) {
  if (spec.empty()) return core::InvalidArgument("empty port spec");
  if (spec.size() > 100000) return core::InvalidArgument("port spec too long");
  std::set<uint16_t> ports;
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view item = spec.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty())
      return core::InvalidArgument("port spec '" + std::string(spec) + "': empty item");
    if (item.substr(0, 4) == "top:") {
      std::string_view n_text = item.substr(4);
      int n = 0;
      auto [ptr, ec] = std::from_chars(n_text.data(), n_text.data() + n_text.size(), n);
      if (n_text.empty() || ec != std::errc() || ptr != n_text.data() + n_text.size()) {
        return core::InvalidArgument("port spec item '" + std::string(item) + "': bad number");
      }
      UCSC_ASSIGN_OR_RETURN(std::vector<uint16_t> top, TopPorts(n));
      ports.insert(top.begin(), top.end());
    } else if (size_t dash = item.find('-'); dash != std::string_view::npos) {
      std::string_view lo_text = item.substr(0, dash);
      std::string_view hi_text = item.substr(dash + 1);
      uint16_t lo = 1;
      uint16_t hi = 65535;
      if (!lo_text.empty()) {
        UCSC_ASSIGN_OR_RETURN(lo, ParsePort(lo_text, item));
      }
      if (!hi_text.empty()) {
        UCSC_ASSIGN_OR_RETURN(hi, ParsePort(hi_text, item));
      }
      if (lo > hi) {
        return core::InvalidArgument("port spec item '" + std::string(item) +
                                     "': range start is after its end");
      }
      for (int p = lo; p <= hi; ++p) ports.insert(static_cast<uint16_t>(p));
    } else {
      UCSC_ASSIGN_OR_RETURN(uint16_t p, ParsePort(item, item));
      ports.insert(p);
    }
    pos = comma + 1;
  }
  return std::vector<uint16_t>(ports.begin(), ports.end());
}

std::string_view PortService(uint16_t port) {
  for (const RankedPort& r : kRanking) {
    if (r.port == port) return r.service;
  }
  return {};
}

}  // namespace ucsc::scan
