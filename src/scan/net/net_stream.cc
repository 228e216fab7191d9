#include "scan/net/net_stream.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ucsc::scan {
namespace {

int MsUntil(Deadline d) {
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(ms.count(), 1 << 30)));
}

}  // namespace

SslCtxPtr MakeProbeSslCtx(int min_version, int max_version, const char* ciphers) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return ctx;
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_options(ctx.get(), SSL_OP_LEGACY_SERVER_CONNECT);
  if (min_version) SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  if (max_version) SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  SSL_CTX_set_cipher_list(ctx.get(), ciphers ? ciphers : "ALL:@SECLEVEL=0");
  return ctx;
}

core::Result<Stream> Stream::Open(Connector& connector, const Endpoint& to, Deadline deadline,
                                  const KillSwitch& kill) {
  if (kill.Triggered()) return core::MakeError(core::ErrorCode::kUnavailable, "scan stopped");
  ConnectAttempt at = connector.StartConnect(to);
  if (at.fd < 0) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           to.ToString() + ": " + std::strerror(at.error));
  }
  Stream s(at.fd, kill);
  if (at.error == EINPROGRESS) {
    if (!s.Wait(POLLOUT, deadline)) {
      return core::MakeError(core::ErrorCode::kDeadlineExceeded,
                             to.ToString() + ": connect timed out");
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(s.fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             to.ToString() + ": " + std::strerror(err));
    }
  }
  return s;
}

Stream::Stream(Stream&& other) noexcept
    : fd_(other.fd_), kill_(other.kill_), ssl_(other.ssl_), peer_closed_(other.peer_closed_) {
  other.fd_ = -1;
  other.ssl_ = nullptr;
}

Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    kill_ = other.kill_;
    ssl_ = other.ssl_;
    peer_closed_ = other.peer_closed_;
    other.fd_ = -1;
    other.ssl_ = nullptr;
  }
  return *this;
}

Stream::~Stream() { Close(); }

void Stream::Close() {
  if (ssl_) SSL_free(ssl_);
  ssl_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool Stream::Wait(short events, Deadline deadline) {
  while (true) {
    if (kill_->Triggered()) return false;
    pollfd fds[2] = {{fd_, events, 0}, {kill_->fd(), POLLIN, 0}};
    int n = ::poll(fds, kill_->fd() >= 0 ? 2 : 1, MsUntil(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (fds[1].revents & POLLIN) return false;
    return fds[0].revents != 0;
  }
}

core::Status Stream::Send(std::string_view data, Deadline deadline) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n;
    if (ssl_) {
      ERR_clear_error();
      int r = SSL_write(ssl_, data.data() + off, static_cast<int>(data.size() - off));
      if (r > 0) {
        off += static_cast<size_t>(r);
        continue;
      }
      int e = SSL_get_error(ssl_, r);
      short ev = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
      if (ev == 0) return core::MakeError(core::ErrorCode::kUnavailable, "TLS write failed");
      if (!Wait(ev, deadline))
        return core::MakeError(core::ErrorCode::kDeadlineExceeded, "write timed out");
      continue;
    }
    n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n > 0) {
      off += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!Wait(POLLOUT, deadline))
        return core::MakeError(core::ErrorCode::kDeadlineExceeded, "write timed out");
    } else {
      peer_closed_ = true;
      return core::MakeError(core::ErrorCode::kUnavailable, "connection closed by peer");
    }
  }
  return core::Ok();
}

std::string Stream::Read(Deadline deadline, const std::function<bool(std::string_view)>& done,
                         std::chrono::milliseconds idle, size_t max) {
  std::string buf;
  char chunk[16384];
  while (buf.size() < max && !peer_closed_) {
    if (!buf.empty() && done && done(buf)) break;
    Deadline wait_until = deadline;
    if (!buf.empty()) wait_until = std::min(deadline, std::chrono::steady_clock::now() + idle);
    bool pending = ssl_ && SSL_pending(ssl_) > 0;
    if (!pending && !Wait(POLLIN, wait_until)) break;
    size_t want = std::min(sizeof chunk, max - buf.size());
    if (ssl_) {
      ERR_clear_error();
      int r = SSL_read(ssl_, chunk, static_cast<int>(want));
      if (r > 0) {
        buf.append(chunk, static_cast<size_t>(r));
        continue;
      }
      int e = SSL_get_error(ssl_, r);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) continue;
      peer_closed_ = true;
      break;
    }
    ssize_t n = ::recv(fd_, chunk, want, 0);
    if (n > 0) {
      buf.append(chunk, static_cast<size_t>(n));
    } else if (n == 0) {
      peer_closed_ = true;
    } else if (errno != EAGAIN && errno != EINTR) {
      peer_closed_ = true;
    }
  }
  return buf;
}

core::Status Stream::StartTls(SSL_CTX* ctx, const std::string& server_name, Deadline deadline) {
  if (!ctx) return core::Internal("no TLS context");
  ssl_ = SSL_new(ctx);
  if (!ssl_) return core::Internal("SSL_new failed");
  SSL_set_fd(ssl_, fd_);
  if (!server_name.empty()) SSL_set_tlsext_host_name(ssl_, server_name.c_str());
  while (true) {
    ERR_clear_error();
    int r = SSL_connect(ssl_);
    if (r == 1) return core::Ok();
    int e = SSL_get_error(ssl_, r);
    short ev = e == SSL_ERROR_WANT_READ ? POLLIN : e == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (ev == 0) {
      SSL_free(ssl_);
      ssl_ = nullptr;
      return core::MakeError(core::ErrorCode::kUnavailable, "no TLS handshake");
    }
    if (!Wait(ev, deadline)) {
      SSL_free(ssl_);
      ssl_ = nullptr;
      return core::MakeError(core::ErrorCode::kDeadlineExceeded, "TLS handshake timed out");
    }
  }
}

}  // namespace ucsc::scan
