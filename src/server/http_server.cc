// HTTP(S) transport on Boost.Beast/Asio: a few I/O threads serve every connection
// asynchronously (keep-alive connections do not pin a thread), and each request is answered by
// Api::Handle on the I/O thread that read it. Measured against cpp-httplib's thread-per-
// connection model in docs/decisions/0003-http-transport-beast.md.
#include "server/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <cctype>
#include <thread>
#include <vector>

namespace ucsc::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr int kMaxConnections = 10000;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of one query component ('+' is a space).
std::string UrlDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < in.size() + 0 && i + 2 <= in.size() - 1 + 0 &&
               HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

template <class Body, class Fields>
Request ToRequest(const http::request<Body, Fields>& in, const std::string& remote_ip, bool tls) {
  Request req;
  req.method = std::string(in.method_string());
  std::string_view target(in.target().data(), in.target().size());
  auto q = target.find('?');
  req.path = UrlDecode(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      if (!pair.empty()) {
        auto eq = pair.find('=');
        req.query.emplace(UrlDecode(pair.substr(0, eq)), eq == std::string_view::npos
                                                             ? std::string()
                                                             : UrlDecode(pair.substr(eq + 1)));
      }
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  for (const auto& field : in) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    req.headers[name] = std::string(field.value());
  }
  req.body = in.body();
  req.remote_ip = remote_ip;
  req.tls = tls;
  return req;
}

http::response<http::string_body> ToResponse(Response res, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), version};
  out.set(http::field::server, "ucsc");
  for (auto& [k, v] : res.headers) out.set(k, v);
  if (!res.body.empty()) out.set(http::field::content_type, res.content_type);
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

Response TooLarge() {
  Response r;
  r.status = 413;
  r.content_type = "application/problem+json";
  r.body =
      R"({"type":"urn:ucsc:problem:resource_exhausted","title":"Payload too large","status":413,"detail":"the body is too large"})";
  return r;
}

// One connection: read a request, answer it, repeat while keep-alive.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(Stream stream, Api& api, size_t max_body, bool tls, std::string remote_ip,
          std::atomic<int>& in_flight, const HttpServerConfig& config,
          std::atomic<int>& open_connections)
      : open_connections_(open_connections),
        stream_(std::move(stream)),
        api_(api),
        config_(config),
        in_flight_(in_flight),
        max_body_(max_body),
        tls_(tls),
        remote_ip_(std::move(remote_ip)) {}

  void Start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      Read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->Read();
                              });
    }
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(max_body_ + 1);
    parser_->header_limit(16 * 1024);
    beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) {
      return Write(ToResponse(TooLarge(), 11, false));
    }
    if (ec) return;  // timeout, reset or malformed request: drop the connection
    auto& in = parser_->get();
    ++in_flight_;  // until the answer is written; Stop() drains these
    counted_ = true;
    const auto start = std::chrono::steady_clock::now();
    Request req = ToRequest(in, remote_ip_, tls_);
    Response res = api_.Handle(req);
    if (res.status == 404 && config_.web && (req.method == "GET" || req.method == "HEAD") &&
        !req.path.starts_with("/api/")) {
      res = config_.web(req);
    }
    if (config_.on_answer) {
      try {
        config_.on_answer(
            req, res,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      } catch (const std::exception&) {
        // A logging failure must never take the connection, let alone the process, down.
      }
    }
    Write(ToResponse(std::move(res), in.version(), in.keep_alive()));
  }

  void Write(http::response<http::string_body> res) {
    auto shared = std::make_shared<http::response<http::string_body>>(std::move(res));
    bool close = shared->need_eof();
    http::async_write(
        stream_, *shared,
        [self = this->shared_from_this(), shared, close](beast::error_code ec, size_t) {
          self->Done();
          if (ec) return;
          if (close) return self->Close();
          self->Read();
        });
  }

  // Ends the in-flight count of the request just answered (not for the 413 written before
  // Handle ran).
  void Done() {
    if (counted_) --in_flight_;
    counted_ = false;
  }

  void Close() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    } else {
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  struct OpenCount {  // counts this connection while the session lives
    explicit OpenCount(std::atomic<int>& n) : n_(n) { ++n_; }
    ~OpenCount() { --n_; }
    std::atomic<int>& n_;
  } open_connections_;
  Stream stream_;
  Api& api_;
  const HttpServerConfig& config_;
  std::atomic<int>& in_flight_;
  bool counted_ = false;
  size_t max_body_;
  bool tls_;
  std::string remote_ip_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(Api& a, HttpServerConfig c)
      : api(a), config(std::move(c)), ioc(std::max(1, config.threads)) {}

  void Accept() {
    acceptor->async_accept(
        asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
          if (ec) {
            if (ec == asio::error::operation_aborted || stopping) return;
            // Out of descriptors or similar: wait a little instead of spinning.
            auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(100));
            timer->async_wait([this, timer](beast::error_code) {
              if (!stopping) Accept();
            });
            return;
          } else if (open_connections.load() >= kMaxConnections) {
            beast::error_code ignored;
            socket.close(ignored);  // over the cap: refuse rather than exhaust descriptors
          } else {
            beast::error_code ep_ec;
            auto endpoint = socket.remote_endpoint(ep_ec);
            std::string ip = ep_ec ? std::string() : endpoint.address().to_string();
            socket.set_option(tcp::no_delay(true), ep_ec);
            if (tls_context) {
              std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                  beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)),
                                                       *tls_context),
                  api, config.max_body_bytes, true, ip, in_flight, config, open_connections)
                  ->Start();
            } else {
              std::make_shared<Session<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)),
                                                           api, config.max_body_bytes, false, ip,
                                                           in_flight, config, open_connections)
                  ->Start();
            }
          }
          Accept();
        });
  }

  Api& api;
  HttpServerConfig config;
  asio::io_context ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<ssl::context> tls_context;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::atomic<int> open_connections{0};
};

HttpServer::HttpServer(Api& api, HttpServerConfig config)
    : impl_(std::make_unique<Impl>(api, std::move(config))) {}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::tls() const { return impl_->tls_context != nullptr; }

core::Result<int> HttpServer::Bind() {
  auto& c = impl_->config;
  if (!c.tls_cert.empty() || !c.tls_key.empty()) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    beast::error_code ec;
    ctx->use_certificate_chain_file(c.tls_cert, ec);
    if (!ec) ctx->use_private_key_file(c.tls_key, ssl::context::pem, ec);
    if (ec) {
      return core::MakeError(core::ErrorCode::kUnavailable, "cannot load TLS certificate/key " +
                                                                c.tls_cert + " / " + c.tls_key +
                                                                ": " + ec.message());
    }
    impl_->tls_context = std::move(ctx);
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(c.host, ec);
  if (ec) return core::InvalidArgument("not an IP address: " + c.host);
  tcp::endpoint endpoint(address, static_cast<unsigned short>(c.port));
  auto acceptor = std::make_unique<tcp::acceptor>(impl_->ioc);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::MakeError(
        core::ErrorCode::kUnavailable,
        "cannot listen on " + c.host + ":" + std::to_string(c.port) + ": " + ec.message());
  }
  int port = acceptor->local_endpoint().port();
  impl_->acceptor = std::move(acceptor);
  return port;
}

core::Status HttpServer::RunBound() {
  impl_->Accept();
  std::vector<std::thread> threads;
  const int n = std::max(1, impl_->config.threads);
  // An exception escaping a handler ends only that handler: the loop runs on.
  auto run = [this] {
    for (;;) {
      try {
        impl_->ioc.run();
        return;
      } catch (const std::exception&) {
      }
    }
  };
  for (int i = 1; i < n; ++i) threads.emplace_back(run);
  run();
  for (auto& t : threads) t.join();
  return core::Ok();
}

core::Status HttpServer::Run() {
  UCSC_ASSIGN_OR_RETURN(int port, Bind());
  (void)port;
  return RunBound();
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  asio::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ec;
    if (impl->acceptor) impl->acceptor->close(ec);
  });
  // Drain: requests already read are answered (up to 10 s); idle keep-alive connections are
  // then dropped with the event loop.
  for (int i = 0; i < 1000 && impl_->in_flight.load() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  impl_->ioc.stop();
}

}  // namespace ucsc::server
