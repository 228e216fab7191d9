// The socket seam of the scanner: every TCP connection a scan opens starts in a Connector, so a
// test can record (or refuse) each address the scanner tries to reach.
// Thread-safety: implementations are safe for concurrent calls.
#pragma once

#include <mutex>
#include <vector>

#include "scan/net/net_address.h"

namespace ucsc::scan {

// A non-blocking connect in flight. `fd` < 0 means the socket could not be created or the
// connect failed at once with `error` (an errno value). `error` == EINPROGRESS means the result
// arrives later (poll for writability, then SO_ERROR); 0 means connected at once.
struct ConnectAttempt {
  int fd = -1;
  int error = 0;
};

class Connector {
 public:
  virtual ~Connector() = default;
  // Creates a non-blocking, close-on-exec TCP socket and starts connecting it to `to`. The
  // caller owns the returned fd (close it).
  virtual ConnectAttempt StartConnect(const Endpoint& to) = 0;
};

// socket(2) + connect(2).
class SystemConnector final : public Connector {
 public:
  ConnectAttempt StartConnect(const Endpoint& to) override;
};

// Forwards to another Connector and records every endpoint asked for (for tests and audits).
class RecordingConnector final : public Connector {
 public:
  explicit RecordingConnector(Connector& inner) : inner_(inner) {}
  ConnectAttempt StartConnect(const Endpoint& to) override;
  std::vector<Endpoint> calls() const;

 private:
  Connector& inner_;
  mutable std::mutex mu_;
  std::vector<Endpoint> calls_;  // GUARDED_BY(mu_)
};

}  // namespace ucsc::scan
