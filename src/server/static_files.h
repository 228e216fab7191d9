// Serves the web console (the built single-page app, `web/dist` by default) from a directory:
// files with their MIME type, a precompressed `.gz` sibling when the client accepts gzip,
// index.html for unknown extension-less paths (client-side routes), long-lived caching for the
// content-hashed files under /assets/ and revalidation for the rest, and the console's strict
// Content-Security-Policy. Never serves anything outside the root (no "..", no hidden files, no
// symbolic link leading out).
//
// Thread-safety: Serve() is const and thread-safe; it reads the files at each request, so a
// rebuilt console is served without a restart.
//
// Example:
//   StaticFiles web("web/dist");
//   Response r = web.Serve(Request{.method = "GET", .path = "/systems/42"});  // index.html
#pragma once

#include <string>
#include <string_view>

#include "capability/http.h"

namespace ucsc::server {

using capability::Request;
using capability::Response;

// The Content-Security-Policy of the console: scripts and styles from the same origin only.
inline constexpr std::string_view kConsoleCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

class StaticFiles {
 public:
  // `root` is the directory served; it need not exist yet (then every answer is 404).
  explicit StaticFiles(std::string root);

  // Answers a GET or HEAD of request.path: 200 with the file, index.html for a path whose last
  // segment has no '.', 404 for a missing file or a path that is refused (traversal, hidden
  // segment, outside the root), 405 for other methods. Every answer carries the security headers.
  Response Serve(const Request& request) const;

  // The MIME type for a file name, by extension ("application/octet-stream" when unknown).
  static std::string MimeType(std::string_view file_name);

 private:
  std::string root_;
};

}  // namespace ucsc::server
