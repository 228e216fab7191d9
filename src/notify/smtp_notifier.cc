#include "notify/smtp_notifier.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <array>
#include <cstring>
#include <mutex>

#include "codec/json_reader.h"

namespace ucsc::notify {
namespace {

// True for "localhost", "::1" and IPv4 literals in 127.0.0.0/8 (not for names like
// "127.example.com").
bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

core::Status ValidateHost(std::string_view host) {
  if (host.empty()) return core::InvalidArgument("SMTP host is required", "/host");
  if (host.find(':') != std::string_view::npos) {  // IPv6 literal
    for (unsigned char c : host) {
      if (!std::isxdigit(c) && c != ':' && c != '.') {
        return core::InvalidArgument("bad IPv6 literal", "/host");
      }
    }
    return core::Ok();
  }
  if (auto st = ValidateDomain(host); !st) {
    return core::InvalidArgument("SMTP host: " + st.error().message, "/host");
  }
  return core::Ok();
}

int DefaultPort(TlsMode tls) {
  switch (tls) {
    case TlsMode::kNone:
      return 25;
    case TlsMode::kStartTls:
      return 587;
    case TlsMode::kImplicit:
      return 465;
  }
  return 25;
}

void GlobalInitOnce() {
  // The one process-wide libcurl set-up; libcurl requires it before any handle exists.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

struct Upload {
  std::string_view data;
  size_t pos = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t n = std::min(size * nitems, up->data.size() - up->pos);
  std::memcpy(buffer, up->data.data() + up->pos, n);
  up->pos += n;
  return n;
}

core::Error MapCurlError(CURLcode code, long smtp_code, const SmtpConfig& cfg, const char* detail) {
  std::string msg =
      "SMTP " + cfg.host + ":" + std::to_string(cfg.port) + ": " + curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') msg += std::string(" (") + detail + ")";
  if (smtp_code > 0) msg += "; last reply " + std::to_string(smtp_code);
  core::ErrorCode ec = core::ErrorCode::kInternal;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      ec = core::ErrorCode::kDeadlineExceeded;
      break;
    case CURLE_LOGIN_DENIED:
      ec = core::ErrorCode::kPermissionDenied;
      break;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
      ec = core::ErrorCode::kFailedPrecondition;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UPLOAD_FAILED:
    case CURLE_QUOTE_ERROR:
      ec = core::ErrorCode::kUnavailable;
      break;
    default:
      break;
  }
  // The server's own verdict decides between "later" and "never" when it gave one.
  if (ec != core::ErrorCode::kDeadlineExceeded && ec != core::ErrorCode::kPermissionDenied) {
    if (smtp_code >= 500 && smtp_code < 600) ec = core::ErrorCode::kFailedPrecondition;
    if (smtp_code >= 400 && smtp_code < 500) ec = core::ErrorCode::kUnavailable;
  }
  return core::Error{ec, std::move(msg), {}};
}

}  // namespace

core::Status ValidateSmtpConfig(const SmtpConfig& c) {
  UCSC_RETURN_IF_ERROR(ValidateHost(c.host));
  if (c.port < 0 || c.port > 65535) return core::InvalidArgument("port out of range", "/port");
  if (auto st = ValidateEmailAddress(c.from.address); !st) {
    return core::InvalidArgument("sender: " + st.error().message, "/from");
  }
  for (char ch : c.from.display_name) {
    if (ch == '\r' || ch == '\n' || ch == '\0') {
      return core::InvalidArgument("line break in the sender name", "/from_name");
    }
  }
  if (!c.message_id_domain.empty()) {
    if (auto st = ValidateDomain(c.message_id_domain); !st) {
      return core::InvalidArgument(st.error().message, "/message_id_domain");
    }
  }
  if (!c.helo_domain.empty()) {
    if (auto st = ValidateDomain(c.helo_domain); !st) {
      return core::InvalidArgument(st.error().message, "/helo_domain");
    }
  }
  if (c.connect_timeout.count() <= 0) {
    return core::InvalidArgument("connect timeout must be positive", "/connect_timeout_ms");
  }
  if (c.timeout.count() <= 0)
    return core::InvalidArgument("timeout must be positive", "/timeout_ms");
  if (c.username.empty() != c.password.empty()) {
    return core::InvalidArgument("username and password go together", "/username");
  }
  if (!c.username.empty() && c.tls == TlsMode::kNone && !IsLoopback(c.host)) {
    return core::InvalidArgument(
        "credentials over an unencrypted connection; use tls starttls or implicit", "/tls");
  }
  for (const std::string* s : {&c.username, &c.password, &c.ca_file}) {
    if (s->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return core::InvalidArgument("control character in a credential or path", "/username");
    }
  }
  return core::Ok();
}

core::Result<SmtpConfig> ParseSmtpConfig(const nlohmann::json& config) {
  using codec::Need;
  SmtpConfig c;
  codec::ObjectReader r(config, "");
  UCSC_RETURN_IF_ERROR(r.String("host", c.host, Need::kRequired, 255));
  UCSC_RETURN_IF_ERROR(r.Int("port", c.port, Need::kOptional));
  std::string tls = "starttls";
  UCSC_RETURN_IF_ERROR(r.String("tls", tls, Need::kOptional, 16));
  if (tls == "none") {
    c.tls = TlsMode::kNone;
  } else if (tls == "starttls") {
    c.tls = TlsMode::kStartTls;
  } else if (tls == "implicit") {
    c.tls = TlsMode::kImplicit;
  } else {
    return core::InvalidArgument("tls must be none, starttls or implicit", "/tls");
  }
  UCSC_RETURN_IF_ERROR(r.String("ca_file", c.ca_file, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.String("username", c.username, Need::kOptional, 255));
  UCSC_RETURN_IF_ERROR(r.String("password", c.password, Need::kOptional, 255));
  UCSC_RETURN_IF_ERROR(r.String("from", c.from.address, Need::kRequired, 254));
  UCSC_RETURN_IF_ERROR(r.String("from_name", c.from.display_name, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(r.String("message_id_domain", c.message_id_domain, Need::kOptional, 253));
  UCSC_RETURN_IF_ERROR(r.String("helo_domain", c.helo_domain, Need::kOptional, 253));
  int64_t connect_ms = c.connect_timeout.count();
  int64_t total_ms = c.timeout.count();
  UCSC_RETURN_IF_ERROR(r.Int("connect_timeout_ms", connect_ms, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Int("timeout_ms", total_ms, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Finish());
  c.connect_timeout = std::chrono::milliseconds(connect_ms);
  c.timeout = std::chrono::milliseconds(total_ms);
  UCSC_RETURN_IF_ERROR(ValidateSmtpConfig(c));
  return c;
}

core::Result<std::unique_ptr<SmtpNotifier>> SmtpNotifier::Create(SmtpConfig config,
                                                                 const core::Clock& clock) {
  UCSC_RETURN_IF_ERROR(ValidateSmtpConfig(config));
  if (config.port == 0) config.port = DefaultPort(config.tls);
  GlobalInitOnce();
  return std::unique_ptr<SmtpNotifier>(new SmtpNotifier(std::move(config), clock));
}

core::Result<Receipt> SmtpNotifier::Send(const Message& message) {
  MimeOptions opt;
  opt.from = config_.from;
  opt.date = clock_.Now();
  opt.message_id_domain = config_.message_id_domain;
  opt.word_encoding = config_.word_encoding;
  UCSC_ASSIGN_OR_RETURN(MimeMessage mail, BuildMimeMessage(message, opt));

  std::unique_ptr<CURL, EasyDeleter> h(curl_easy_init());
  if (!h) return core::Internal("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> rcpts;
  for (const auto* list : {&message.to, &message.cc}) {
    for (const Recipient& r : *list) {
      // Addresses were validated by BuildMimeMessage: ASCII, no space, no CR/LF.
      curl_slist* next = curl_slist_append(rcpts.get(), ("<" + r.address + ">").c_str());
      if (next == nullptr) return core::Internal("out of memory");
      if (rcpts == nullptr) rcpts.reset(next);  // later appends return the same head
    }
  }
  std::string host =
      config_.host.find(':') != std::string::npos ? "[" + config_.host + "]" : config_.host;
  std::string url = std::string(config_.tls == TlsMode::kImplicit ? "smtps://" : "smtp://") + host +
                    ":" + std::to_string(config_.port) + "/" + config_.helo_domain;
  std::string mail_from = "<" + config_.from.address + ">";
  Upload upload{mail.bytes, 0};
  std::array<char, CURL_ERROR_SIZE> errbuf{};

  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf.data());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_PROXY, "");  // never a proxy from the environment
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   config_.tls == TlsMode::kNone ? CURLUSESSL_NONE : CURLUSESSL_ALL);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.bytes.size()));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &ReadChunk);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long smtp_code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &smtp_code);
    return tl::unexpected(MapCurlError(rc, smtp_code, config_, errbuf.data()));
  }
  return Receipt{"smtp", mail.message_id};
}

core::Status RegisterSmtpNotifier(NotifierRegistry& registry) {
  return registry.Register("smtp",
                           [](const nlohmann::json& config,
                              const NotifierDeps& deps) -> core::Result<std::unique_ptr<Notifier>> {
                             UCSC_ASSIGN_OR_RETURN(SmtpConfig c, ParseSmtpConfig(config));
                             UCSC_ASSIGN_OR_RETURN(auto n,
                                                   SmtpNotifier::Create(std::move(c), *deps.clock));
                             return std::unique_ptr<Notifier>(std::move(n));
                           });
}

}  // namespace ucsc::notify
