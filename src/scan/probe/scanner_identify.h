// Service identification ("version scan") of open TCP ports: listens for a greeting, then sends
// the scanner's own active probes (HTTP, TLS, Redis, memcached, PostgreSQL, MQTT, MongoDB, LDAP,
// RDP, SMB, DNS) on fresh connections until one is recognised (probe_parse.h). TLS ports get
// certificate details, accepted protocol versions and weak suites, and the service inside TLS.
// Every connection goes through the injected Connector; the KillSwitch stops all within 1 s.
//
// Example:
//   ServiceIdentifier ident(connector, kill, {});
//   std::vector<ServiceResult> found = ident.IdentifyAll(open_endpoints);
//
// Thread-safety: Identify() and IdentifyAll() may be called from several threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "scan/net/net_address.h"
#include "scan/net/net_connector.h"
#include "scan/net/net_kill_switch.h"
#include "scan/probe/probe_service.h"

namespace ucsc::scan {

struct IdentifyOptions {
  std::chrono::milliseconds connect_timeout{1500};
  // How long a silent port may stay silent before the active probes start.
  std::chrono::milliseconds banner_wait{500};
  // Per probe: the most a service may take to answer.
  std::chrono::milliseconds probe_timeout{1500};
  int parallelism = 64;     // ports identified at once by IdentifyAll
  bool tls_details = true;  // accepted versions and weak suites (a few extra handshakes)
  bool favicon = true;      // GET /favicon.ico on HTTP(S) services
};

struct ServiceResult {
  Endpoint endpoint;
  ServiceInfo info;
};

class ServiceIdentifier {
 public:
  // `connector` and `kill` are borrowed and must outlive the identifier.
  ServiceIdentifier(Connector& connector, const KillSwitch& kill, IdentifyOptions options)
      : connector_(connector), kill_(kill), options_(options) {}

  // Identifies the service on one open port. Never fails: an unrecognised service is reported
  // as service "unknown" with whatever bytes it sent as evidence; a port that cannot be reached
  // has details["error"]. `server_name` (if any) is sent as TLS SNI and HTTP Host.
  ServiceInfo Identify(const Endpoint& endpoint, const std::string& server_name = {});

  // Identify() for every endpoint, `parallelism` at a time; results in input order.
  // `progress`, if set, is called (from worker threads, serialised) after each endpoint.
  std::vector<ServiceResult> IdentifyAll(
      const std::vector<Endpoint>& endpoints,
      const std::function<void(size_t done)>& progress = nullptr);

 private:
  Connector& connector_;
  const KillSwitch& kill_;
  IdentifyOptions options_;
};

}  // namespace ucsc::scan
