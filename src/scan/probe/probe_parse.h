// Service fingerprints: the requests the active probes send and the pure functions that read a
// service's bytes (a greeting, or the answer to a probe) into a ServiceInfo. No I/O here, so each
// parser is unit-tested with captured bytes; scanner_identify.h runs them against live ports.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scan/probe/probe_service.h"

namespace ucsc::scan {

// Server-speaks-first protocols: SSH, FTP, SMTP, POP3, IMAP, MySQL/MariaDB, VNC. `port_service`
// (ports.h PortService) breaks ties such as a bare "220 ready" greeting. nullopt when the bytes
// are no greeting the scanner knows.
std::optional<ServiceInfo> MatchGreeting(std::string_view bytes,
                                         std::string_view port_service = {});

// HTTP: the answer to GET / (status line, Server header, title). nullopt unless it is HTTP.
std::string HttpRequest(std::string_view host, std::string_view path);
std::optional<ServiceInfo> ParseHttp(std::string_view response);
// The body of a complete "200" response, or nullopt.
std::optional<std::string> HttpBody200(std::string_view response);
// True when an HTTP answer says the port wants TLS (a plain request sent to an HTTPS port).
bool HttpSaysUseTls(std::string_view response);

// Redis: INFO server ("redis_version:"), or an error reply / NOAUTH.
std::string RedisRequest();
std::optional<ServiceInfo> ParseRedis(std::string_view response);

// memcached: "version" → "VERSION 1.6.18".
std::string MemcachedRequest();
std::optional<ServiceInfo> ParseMemcached(std::string_view response);

// PostgreSQL: a StartupMessage for an unsupported protocol → an ErrorResponse naming the
// protocol range the server supports (details["version_range"]); an authentication request
// also identifies it.
std::string PostgresRequest();
std::optional<ServiceInfo> ParsePostgres(std::string_view response);

// MQTT 3.1.1: CONNECT → CONNACK; when accepted, SUBSCRIBE "$SYS/broker/version" → the broker's
// PUBLISH ("mosquitto version 2.0.11").
std::string MqttConnectRequest();
std::string MqttSubscribeVersionRequest();
std::optional<ServiceInfo> ParseMqttConnack(std::string_view response);
// Reads a PUBLISH on $SYS/broker/version from `bytes` into `info` (product, version).
bool ParseMqttVersion(std::string_view bytes, ServiceInfo& info);

// MongoDB: OP_MSG {buildInfo: 1, $db: "admin"} → a reply whose document holds "version".
std::string MongoRequest();
std::optional<ServiceInfo> ParseMongo(std::string_view response);

// RDP: X.224 Connection Request with an RDP negotiation request → Connection Confirm.
std::string RdpRequest();
std::optional<ServiceInfo> ParseRdp(std::string_view response);

// SMB: SMB2 NEGOTIATE (dialects 2.0.2 … 3.1.1) over NetBIOS session framing → NEGOTIATE
// response (dialect, server GUID, signing).
std::string SmbRequest();
std::optional<ServiceInfo> ParseSmb(std::string_view response);

// LDAP: search of the root DSE (vendorName, vendorVersion, supportedLDAPVersion).
std::string LdapRequest();
std::optional<ServiceInfo> ParseLdap(std::string_view response);

// DNS over TCP: "version.bind" CH TXT → the TXT answer ("9.18.24-1-Debian", "dnsmasq-2.89").
std::string DnsRequest();
std::optional<ServiceInfo> ParseDns(std::string_view response);

}  // namespace ucsc::scan
