// TCP connect scanner: non-blocking sockets on one epoll, IPv4 and IPv6, bounded concurrency,
// a per-host connection rate and a connect time-out. It reaches only the endpoints it is given
// (every connect goes through the injected Connector) and stops within a second of its
// KillSwitch being triggered.
//
// Example:
//   SystemConnector connector;
//   KillSwitch kill;
//   ConnectScanner scanner(connector, kill);
//   auto result = scanner.Scan(targets, ports, {.concurrency = 512});
//
// Thread-safety: one Scan() at a time per ConnectScanner; several scanners may share a
// Connector and a KillSwitch.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/result.h"
#include "scan/net/net_address.h"
#include "scan/net/net_connector.h"
#include "scan/net/net_kill_switch.h"

namespace ucsc::scan {

struct ScanOptions {
  int concurrency = 1000;                   // connects in flight at once (clamped to the fd limit)
  double per_host_rate = 0;                 // new connects per second to one host; 0 = unlimited
  std::chrono::milliseconds timeout{1000};  // a connect not answered by then is "filtered"
};

struct ScanProgress {
  uint64_t done = 0;
  uint64_t total = 0;
  uint64_t open = 0;
};

struct ConnectScanResult {
  std::vector<Endpoint> open;  // sorted
  uint64_t closed = 0;         // refused (RST)
  uint64_t filtered = 0;       // timed out or unreachable
  bool killed = false;         // stopped by the kill switch; the lists are partial
};

class ConnectScanner {
 public:
  // `connector` and `kill` are borrowed and must outlive the scanner.
  ConnectScanner(Connector& connector, const KillSwitch& kill)
      : connector_(connector), kill_(kill) {}

  // Tries every (address, port) pair. Returns kInvalidArgument for bad options or empty lists,
  // kInternal when epoll cannot be set up or no socket at all can be created.
  // `progress`, if set, is called from this thread at most every 100 ms and once at the end.
  [[nodiscard]] core::Result<ConnectScanResult> Scan(
      const std::vector<IpAddress>& addresses, const std::vector<uint16_t>& ports,
      const ScanOptions& options,
      const std::function<void(const ScanProgress&)>& progress = nullptr);

 private:
  Connector& connector_;
  const KillSwitch& kill_;
};

}  // namespace ucsc::scan
