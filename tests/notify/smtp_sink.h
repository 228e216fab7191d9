// A real SMTP server for integration tests, started by the test on 127.0.0.1 at a port the
// kernel picks. It speaks enough ESMTP for libcurl: EHLO/HELO, STARTTLS (with a throw-away
// self-signed certificate made in memory), implicit TLS, AUTH PLAIN, MAIL, RCPT, DATA
// (dot-unstuffing), RSET, NOOP, QUIT; and records every accepted message.
// Thread-safety: one server thread handles connections one at a time; the accessors are
// thread-safe. A delivery is recorded before the final 250 is sent, so it is visible as soon as
// the client's send returns.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ucsc::notify::testing {

struct Delivery {
  std::string helo;
  std::string mail_from;             // Inside the angle brackets.
  std::vector<std::string> rcpt_to;  // Inside the angle brackets.
  std::string raw_data;              // DATA lines as received (still dot-stuffed), CRLF.
  std::string data;                  // After dot-unstuffing, without the final ".".
  bool tls = false;
  std::string auth_user;  // Empty without AUTH.
};

class SmtpSink {
 public:
  enum class Tls { kNone, kStartTls, kImplicit };
  struct Options {
    Tls tls = Tls::kNone;
    std::string username;  // Non-empty: AUTH PLAIN required before MAIL.
    std::string password;
    std::map<std::string, std::string> rcpt_replies;  // address → reply line ("550 no such")
  };

  // Starts listening; `ok()` tells whether it worked (`error()` says why).
  explicit SmtpSink(Options options);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // PEM file holding the server's self-signed certificate (for TLS modes), to trust as CA.
  const std::string& ca_file() const { return ca_file_; }

  std::vector<Delivery> Deliveries() const;
  // Protocol errors the sink noticed (bad line endings, over-long lines), for assertions.
  std::vector<std::string> Problems() const;

 private:
  struct TlsState;
  void Serve();
  void HandleConnection(int fd);

  Options options_;
  std::string error_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::string ca_file_;
  std::unique_ptr<TlsState> tls_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Delivery> deliveries_;   // GUARDED_BY(mu_)
  std::vector<std::string> problems_;  // GUARDED_BY(mu_)
};

// Returns a loopback port on which nothing listens (bound, then closed), for "connection
// refused".
int UnusedLoopbackPort();

// A socket that listens on loopback but never accepts or speaks: connections complete in the
// kernel and then hang, for timeouts. Closes on destruction.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace ucsc::notify::testing
