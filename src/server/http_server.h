// The HTTP(S) transport: Boost.Beast/Asio I/O threads feeding Api::Handle (decision 0003).
// Thread-safety: Start/Stop from one thread; Stop may be called from another (signal watcher).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "server/api.h"

namespace ucsc::server {

struct HttpServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 4;  // I/O threads (each serves many connections)
  size_t max_body_bytes = 1 << 20;
  std::string tls_cert;  // PEM paths; both empty for plain HTTP
  std::string tls_key;
  // Called after each answer (on an I/O thread; must be cheap and thread-safe), e.g. to log
  // server errors and slow requests.
  std::function<void(const Request&, const Response&, double seconds)> on_answer;
  // When set, answers the GET/HEAD requests outside /api/ that the Api answered 404 (the web
  // console's files, server/static_files.h).
  std::function<Response(const Request&)> web;
};

class HttpServer {
 public:
  HttpServer(Api& api, HttpServerConfig config);
  ~HttpServer();
  // Binds and serves until Stop(); returns kUnavailable if the address cannot be bound or the
  // TLS files cannot be read.
  [[nodiscard]] core::Status Run();
  // Binds to a free port (port 0) for tests; returns the port. Serve with RunBound().
  [[nodiscard]] core::Result<int> Bind();
  [[nodiscard]] core::Status RunBound();
  void Stop();
  bool tls() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ucsc::server
