#include "notify/smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>

#include "notify/mail_reader.h"

namespace ucsc::notify::testing {
namespace {

constexpr size_t kMaxLine = 4096;

int ListenLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 8) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return -1;
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

std::string OpenSslError() {
  char buf[256] = {0};
  ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
  return buf;
}

// One client connection, plain or TLS.
class Conn {
 public:
  explicit Conn(int fd) : fd_(fd) {}
  ~Conn() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
  }

  bool StartTls(SSL_CTX* ctx) {
    buf_.clear();  // Nothing sent before the handshake may be carried over (RFC 3207 §4.2).
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr) return false;
    SSL_set_fd(ssl_, fd_);
    return SSL_accept(ssl_) == 1;
  }
  bool tls() const { return ssl_ != nullptr; }

  bool Write(std::string_view s) {
    while (!s.empty()) {
      long n = ssl_ != nullptr ? SSL_write(ssl_, s.data(), static_cast<int>(s.size()))
                               : send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      s.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one line without its CRLF. Returns false on EOF, error or an over-long line.
  bool ReadLine(std::string* line) {
    while (true) {
      size_t eol = buf_.find("\r\n");
      if (eol != std::string::npos) {
        *line = buf_.substr(0, eol);
        buf_.erase(0, eol + 2);
        return true;
      }
      if (buf_.size() > kMaxLine) return false;
      char chunk[4096];
      long n =
          ssl_ != nullptr ? SSL_read(ssl_, chunk, sizeof chunk) : recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buf_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  SSL* ssl_ = nullptr;
  std::string buf_;
};

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string InsideBrackets(std::string_view arg) {
  size_t lt = arg.find('<');
  size_t gt = arg.find('>', lt == std::string_view::npos ? 0 : lt);
  if (lt == std::string_view::npos || gt == std::string_view::npos) return std::string(arg);
  return std::string(arg.substr(lt + 1, gt - lt - 1));
}

}  // namespace

struct SmtpSink::TlsState {
  SSL_CTX* ctx = nullptr;
  ~TlsState() {
    if (ctx != nullptr) SSL_CTX_free(ctx);
  }
};

SmtpSink::SmtpSink(Options options) : options_(std::move(options)) {
  listen_fd_ = ListenLoopback(&port_);
  if (listen_fd_ < 0) {
    error_ = "cannot listen on 127.0.0.1";
    return;
  }
  if (options_.tls != Tls::kNone) {
    // A throw-away self-signed certificate for 127.0.0.1, made in memory.
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    tls_ = std::make_unique<TlsState>();
    bool ok = pkey != nullptr && cert != nullptr;
    if (ok) {
      X509_set_version(cert, 2);
      ASN1_INTEGER_set(X509_get_serialNumber(cert), port_);
      X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
      X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
      X509_set_pubkey(cert, pkey);
      X509_NAME* name = X509_get_subject_name(cert);
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("ucsc test sink"), -1, -1,
                                 0);
      X509_set_issuer_name(cert, name);
      X509V3_CTX v3;
      X509V3_set_ctx_nodb(&v3);
      X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
      for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
        ok = ok && ext != nullptr && X509_add_ext(cert, ext, -1) == 1;
        X509_EXTENSION_free(ext);
      }
      ok = ok && X509_sign(cert, pkey, EVP_sha256()) > 0;
    }
    if (ok) {
      ca_file_ =
          (std::filesystem::temp_directory_path() /
           ("ucsc-notify-sink-" + std::to_string(getpid()) + "-" + std::to_string(port_) + ".pem"))
              .string();
      FILE* f = std::fopen(ca_file_.c_str(), "w");
      ok = f != nullptr && PEM_write_X509(f, cert) == 1;
      if (f != nullptr) std::fclose(f);
    }
    if (ok) {
      tls_->ctx = SSL_CTX_new(TLS_server_method());
      ok = tls_->ctx != nullptr && SSL_CTX_use_certificate(tls_->ctx, cert) == 1 &&
           SSL_CTX_use_PrivateKey(tls_->ctx, pkey) == 1;
    }
    if (!ok) error_ = "TLS set-up failed: " + OpenSslError();
    X509_free(cert);
    EVP_PKEY_free(pkey);
    if (!ok) return;
  }
  thread_ = std::thread([this] { Serve(); });
}

SmtpSink::~SmtpSink() {
  if (listen_fd_ >= 0) shutdown(listen_fd_, SHUT_RDWR);  // Wakes accept().
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  if (!ca_file_.empty()) std::filesystem::remove(ca_file_);
}

std::vector<Delivery> SmtpSink::Deliveries() const {
  std::lock_guard lock(mu_);
  return deliveries_;
}

std::vector<std::string> SmtpSink::Problems() const {
  std::lock_guard lock(mu_);
  return problems_;
}

void SmtpSink::Serve() {
  while (true) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    timeval tv{10, 0};  // A stuck client cannot hang the test forever.
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    HandleConnection(fd);
    close(fd);
  }
}

void SmtpSink::HandleConnection(int fd) {
  Conn conn(fd);
  auto problem = [this](std::string p) {
    std::lock_guard lock(mu_);
    problems_.push_back(std::move(p));
  };
  if (options_.tls == Tls::kImplicit && !conn.StartTls(tls_->ctx)) {
    problem("implicit TLS handshake failed: " + OpenSslError());
    return;
  }
  if (!conn.Write("220 sink.test ESMTP ucsc test sink\r\n")) return;
  Delivery d;
  bool authed = options_.username.empty();
  std::string line;
  auto check_auth = [&](std::string_view b64) {
    auto [plain, err] = DecodeBase64(b64);
    // "authzid \0 authcid \0 password"
    size_t z1 = plain.find('\0');
    size_t z2 = z1 == std::string::npos ? std::string::npos : plain.find('\0', z1 + 1);
    if (err.empty() && z2 != std::string::npos &&
        plain.substr(z1 + 1, z2 - z1 - 1) == options_.username &&
        plain.substr(z2 + 1) == options_.password) {
      authed = true;
      d.auth_user = options_.username;
      return conn.Write("235 2.7.0 Authentication successful\r\n");
    }
    return conn.Write("535 5.7.8 Authentication credentials invalid\r\n");
  };
  while (conn.ReadLine(&line)) {
    if (StartsWithNoCase(line, "EHLO ") || StartsWithNoCase(line, "HELO ")) {
      d.helo = line.substr(5);
      std::string reply = "250-sink.test\r\n";
      if (options_.tls == Tls::kStartTls && !conn.tls()) reply += "250-STARTTLS\r\n";
      if (!options_.username.empty()) reply += "250-AUTH PLAIN\r\n";
      reply += "250 SIZE 10485760\r\n";
      if (!conn.Write(reply)) return;
    } else if (StartsWithNoCase(line, "STARTTLS")) {
      if (options_.tls != Tls::kStartTls || conn.tls()) {
        if (!conn.Write("502 5.5.1 STARTTLS not available\r\n")) return;
        continue;
      }
      if (!conn.Write("220 2.0.0 Ready to start TLS\r\n")) return;
      if (!conn.StartTls(tls_->ctx)) {
        problem("STARTTLS handshake failed: " + OpenSslError());
        return;
      }
      d = Delivery{};  // RFC 3207: forget everything learnt before TLS.
      authed = options_.username.empty();
    } else if (StartsWithNoCase(line, "AUTH PLAIN")) {
      std::string arg = line.size() > 11 ? line.substr(11) : "";
      if (arg.empty()) {
        if (!conn.Write("334 \r\n") || !conn.ReadLine(&arg)) return;
      }
      if (!check_auth(arg)) return;
    } else if (StartsWithNoCase(line, "MAIL FROM:")) {
      if (!authed) {
        if (!conn.Write("530 5.7.0 Authentication required\r\n")) return;
        continue;
      }
      d.mail_from = InsideBrackets(line.substr(10));
      d.rcpt_to.clear();
      if (!conn.Write("250 2.1.0 OK\r\n")) return;
    } else if (StartsWithNoCase(line, "RCPT TO:")) {
      std::string rcpt = InsideBrackets(line.substr(8));
      auto it = options_.rcpt_replies.find(rcpt);
      if (it != options_.rcpt_replies.end()) {
        if (!conn.Write(it->second + "\r\n")) return;
        continue;
      }
      d.rcpt_to.push_back(rcpt);
      if (!conn.Write("250 2.1.5 OK\r\n")) return;
    } else if (StartsWithNoCase(line, "DATA")) {
      if (d.rcpt_to.empty()) {
        if (!conn.Write("503 5.5.1 No valid recipients\r\n")) return;
        continue;
      }
      if (!conn.Write("354 End data with <CR><LF>.<CR><LF>\r\n")) return;
      d.raw_data.clear();
      d.data.clear();
      std::string data_line;
      bool ended = false;
      while (conn.ReadLine(&data_line)) {
        if (data_line == ".") {
          ended = true;
          break;
        }
        if (data_line.size() > 998) problem("DATA line longer than 998 octets");
        if (data_line.find_first_of("\r\n") != std::string::npos) {
          problem("bare CR or LF in DATA");
        }
        d.raw_data += data_line + "\r\n";
        d.data += (data_line.starts_with(".") ? data_line.substr(1) : data_line) + "\r\n";
      }
      if (!ended) return;
      d.tls = conn.tls();
      {
        std::lock_guard lock(mu_);
        deliveries_.push_back(d);
      }
      if (!conn.Write("250 2.0.0 OK queued\r\n")) return;
    } else if (StartsWithNoCase(line, "RSET")) {
      d.mail_from.clear();
      d.rcpt_to.clear();
      if (!conn.Write("250 2.0.0 OK\r\n")) return;
    } else if (StartsWithNoCase(line, "NOOP")) {
      if (!conn.Write("250 2.0.0 OK\r\n")) return;
    } else if (StartsWithNoCase(line, "QUIT")) {
      conn.Write("221 2.0.0 Bye\r\n");
      return;
    } else {
      problem("unknown command: " + line);
      if (!conn.Write("500 5.5.2 Unknown command\r\n")) return;
    }
  }
}

int UnusedLoopbackPort() {
  int port = 0;
  int fd = ListenLoopback(&port);
  if (fd >= 0) close(fd);
  return port;
}

SilentListener::SilentListener() { fd_ = ListenLoopback(&port_); }
SilentListener::~SilentListener() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace ucsc::notify::testing
