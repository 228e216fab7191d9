// E-mail over SMTP through libcurl: the message is written by `BuildMimeMessage` (mime.h) and
// handed to the server as DATA; libcurl speaks the protocol (EHLO, STARTTLS, AUTH, MAIL FROM,
// RCPT TO, DATA). One connection per message: reminders are few, and no pooled connection can
// go stale between two of them.
//
// Thread-safety: `SmtpNotifier::Send` is thread-safe (each call has its own libcurl handle).
// `SmtpNotifier::Create` initialises libcurl once per process (curl_global_init) behind a
// std::call_once; call it before starting threads that use libcurl otherwise.
//
// Example:
//   SmtpConfig cfg;
//   cfg.host = "mail.socntt.example.vn";
//   cfg.tls = TlsMode::kStartTls;
//   cfg.username = "ucsc";
//   cfg.password = secret;
//   cfg.from = {"ucsc@socntt.example.vn", "Hệ thống ucsc"};
//   UCSC_ASSIGN_OR_RETURN(auto smtp, SmtpNotifier::Create(cfg, clock));
//   UCSC_ASSIGN_OR_RETURN(Receipt r, smtp->Send(message));
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "notify/mime.h"
#include "notify/notifier.h"

namespace ucsc::notify {

// How the connection is protected.
//   kNone      plain SMTP (port 25 by default); credentials only towards a loopback host.
//   kStartTls  plain connection upgraded by STARTTLS, which the server MUST offer (587).
//   kImplicit  TLS from the first byte, "smtps" (465).
enum class TlsMode { kNone, kStartTls, kImplicit };

struct SmtpConfig {
  std::string host;  // Host name or IP literal (IPv6 without brackets).
  int port = 0;      // 0: 25, 587 or 465 by `tls`.
  TlsMode tls = TlsMode::kStartTls;
  std::string ca_file;   // PEM bundle to trust; empty: the system store. Peer and host verified.
  std::string username;  // Empty: no AUTH.
  std::string password;
  Recipient from;                 // Envelope sender and From header.
  std::string message_id_domain;  // Empty: the domain of `from`.
  std::string helo_domain;        // Name sent in EHLO; empty: libcurl's default (host name).
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{60'000};  // The whole transaction.
  WordEncoding word_encoding = WordEncoding::kAuto;
};

// Reads a config from JSON: {"host", "port", "tls": "none"|"starttls"|"implicit", "ca_file",
// "username", "password", "from", "from_name", "message_id_domain", "helo_domain",
// "connect_timeout_ms", "timeout_ms"}; "host" and "from" are required. Unknown keys and wrong
// types are kInvalidArgument naming the JSON pointer; the result is also checked by
// `ValidateSmtpConfig`.
[[nodiscard]] core::Result<SmtpConfig> ParseSmtpConfig(const nlohmann::json& config);

// Checks a config: host syntax, port 0..65535, from address, domains, positive timeouts, and
// no credentials over an unencrypted connection to a non-loopback host. kInvalidArgument
// naming the field ("/host").
[[nodiscard]] core::Status ValidateSmtpConfig(const SmtpConfig& config);

class SmtpNotifier final : public Notifier {
 public:
  // Returns a notifier for `config` (validated as above) or kInvalidArgument. No connection is
  // made here. `clock` is borrowed and must outlive the notifier.
  [[nodiscard]] static core::Result<std::unique_ptr<SmtpNotifier>> Create(SmtpConfig config,
                                                                          const core::Clock& clock);

  std::string_view Kind() const override { return "smtp"; }

  // Builds the message (errors as `BuildMimeMessage`) and delivers it in one SMTP transaction
  // to every recipient (To and Cc), all or none. Returns the receipt with the Message-ID, or:
  //   kInvalidArgument   bad message or address (nothing is sent);
  //   kUnavailable       cannot resolve or connect, connection lost, or a 4xx reply;
  //   kDeadlineExceeded  `connect_timeout` or `timeout` elapsed;
  //   kPermissionDenied  AUTH refused;
  //   kFailedPrecondition a 5xx reply (e.g. recipient refused), STARTTLS not offered, or
  //                      the TLS handshake or certificate check failed;
  //   kInternal          any other libcurl failure.
  // Messages name the host, the libcurl reason and the last SMTP reply code, never the password.
  [[nodiscard]] core::Result<Receipt> Send(const Message& message) override;

  const SmtpConfig& config() const { return config_; }

 private:
  SmtpNotifier(SmtpConfig config, const core::Clock& clock)
      : config_(std::move(config)), clock_(clock) {}

  const SmtpConfig config_;
  const core::Clock& clock_;
};

// Registers kind "smtp" (config as `ParseSmtpConfig`). kAlreadyExists if already registered.
[[nodiscard]] core::Status RegisterSmtpNotifier(NotifierRegistry& registry);

}  // namespace ucsc::notify
