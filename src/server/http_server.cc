#include "server/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace ucsc::server {

struct HttpServer::Impl {
  Api& api;
  HttpServerConfig config;
  std::unique_ptr<httplib::Server> server;
  bool tls = false;
};

namespace {

void Serve(Api& api, bool tls, const httplib::Request& in, httplib::Response& out) {
  Request req;
  req.method = in.method;
  req.path = in.path;
  for (const auto& [k, v] : in.params) req.query.emplace(k, v);
  for (const auto& [k, v] : in.headers) {
    std::string name = k;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    req.headers[name] = v;
  }
  req.body = in.body;
  req.remote_ip = in.remote_addr;
  req.tls = tls;
  Response res = api.Handle(req);
  out.status = res.status;
  for (const auto& [k, v] : res.headers) out.set_header(k, v);
  if (!res.body.empty()) out.set_content(res.body, res.content_type);
}

}  // namespace

HttpServer::HttpServer(Api& api, HttpServerConfig config)
    : impl_(std::make_unique<Impl>(Impl{api, std::move(config), nullptr, false})) {}

HttpServer::~HttpServer() { Stop(); }

bool HttpServer::tls() const { return impl_->tls; }

core::Result<int> HttpServer::Bind() {
  auto& c = impl_->config;
  if (!c.tls_cert.empty() || !c.tls_key.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(c.tls_cert.c_str(), c.tls_key.c_str());
    if (!ssl->is_valid()) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "cannot load TLS certificate/key " + c.tls_cert + " / " + c.tls_key);
    }
    impl_->server = std::move(ssl);
    impl_->tls = true;
  } else {
    impl_->server = std::make_unique<httplib::Server>();
  }
  auto& s = *impl_->server;
  const int threads = std::max(1, c.threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(c.max_body_bytes + 1);
  s.set_keep_alive_max_count(1000);
  s.set_keep_alive_timeout(5);
  s.set_read_timeout(30, 0);
  s.set_write_timeout(30, 0);
  Api& api = impl_->api;
  bool tls = impl_->tls;
  auto handler = [&api, tls](const httplib::Request& in, httplib::Response& out) {
    Serve(api, tls, in, out);
  };
  s.Get(".*", handler);
  s.Post(".*", handler);
  s.Patch(".*", handler);
  s.Delete(".*", handler);
  s.Put(".*", handler);
  s.set_error_handler([](const httplib::Request&, httplib::Response& out) {
    if (out.status == 413) {
      out.set_content(
          R"({"type":"urn:ucsc:problem:resource_exhausted","title":"Payload too large","status":413,"detail":"the body is too large"})",
          "application/problem+json");
    }
  });
  int port = c.port;
  if (port == 0) {
    port = s.bind_to_any_port(c.host);
  } else if (!s.bind_to_port(c.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot listen on " + c.host + ":" + std::to_string(c.port));
  }
  return port;
}

core::Status HttpServer::RunBound() {
  if (!impl_->server->listen_after_bind()) {
    return core::MakeError(core::ErrorCode::kUnavailable, "the HTTP server stopped with an error");
  }
  return core::Ok();
}

core::Status HttpServer::Run() {
  UCSC_ASSIGN_OR_RETURN(int port, Bind());
  (void)port;
  return RunBound();
}

void HttpServer::Stop() {
  if (impl_ && impl_->server) impl_->server->stop();
}

}  // namespace ucsc::server
