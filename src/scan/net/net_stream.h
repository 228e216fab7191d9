// One probe connection: a TCP stream (optionally TLS via OpenSSL) with deadline-bounded reads
// and writes. Every wait also watches the KillSwitch, so a probe stops within a second of it.
// Thread-safety: a Stream is used by one thread at a time.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "scan/net/net_address.h"
#include "scan/net/net_connector.h"
#include "scan/net/net_kill_switch.h"

namespace ucsc::scan {

using Deadline = std::chrono::steady_clock::time_point;

// Owns an SSL_CTX configured for probing: no certificate verification (the scanner reports
// certificates, it does not trust them), security level 0 so old protocol versions and weak
// suites can be detected. `min_version`/`max_version` are TLS1_VERSION ... TLS1_3_VERSION or 0.
struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
SslCtxPtr MakeProbeSslCtx(int min_version = 0, int max_version = 0, const char* ciphers = nullptr);

class Stream {
 public:
  // Connects through `connector` (which sees the endpoint first), waiting until `deadline`.
  // Returns kUnavailable when refused/unreachable or killed, kDeadlineExceeded on time-out.
  // `kill` is borrowed and must outlive the stream.
  [[nodiscard]] static core::Result<Stream> Open(Connector& connector, const Endpoint& to,
                                                 Deadline deadline, const KillSwitch& kill);
  Stream(Stream&& other) noexcept;
  Stream& operator=(Stream&& other) noexcept;
  ~Stream();

  // Sends all of `data`. kUnavailable when the peer closed, kDeadlineExceeded on time-out.
  [[nodiscard]] core::Status Send(std::string_view data, Deadline deadline);

  // Reads into a buffer until `done(buffer)` is true, the peer closes, `max` bytes, the deadline,
  // or — once some bytes arrived — `idle` passes without more. Returns what was read (possibly
  // nothing); never fails.
  std::string Read(Deadline deadline, const std::function<bool(std::string_view)>& done,
                   std::chrono::milliseconds idle = std::chrono::milliseconds(150),
                   size_t max = 256 * 1024);
  bool peer_closed() const { return peer_closed_; }

  // TLS client handshake over this stream (SNI `server_name` if not empty). kUnavailable when
  // the peer does not speak TLS or refuses, kDeadlineExceeded on time-out.
  [[nodiscard]] core::Status StartTls(SSL_CTX* ctx, const std::string& server_name,
                                      Deadline deadline);
  SSL* ssl() const { return ssl_; }

 private:
  Stream(int fd, const KillSwitch& kill) : fd_(fd), kill_(&kill) {}
  // Waits for `events` on the socket; false on time-out or kill.
  bool Wait(short events, Deadline deadline);
  void Close();

  int fd_ = -1;
  const KillSwitch* kill_ = nullptr;
  SSL* ssl_ = nullptr;
  bool peer_closed_ = false;
};

}  // namespace ucsc::scan
