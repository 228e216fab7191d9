#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

namespace ucsc::server {

namespace fs = std::filesystem;

namespace {

// The relative path for a request path, or nullopt when it must be refused: not absolute, a
// backslash or NUL, an empty, "." or ".." segment, or a hidden (".name") segment.
std::optional<std::string> SafeRelative(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string out;
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    if (seg.empty()) {
      if (end != path.size()) return std::nullopt;  // "//" inside the path
    } else {
      if (seg.front() == '.') return std::nullopt;  // ".", "..", ".env", ".git"
      if (seg.find('\\') != std::string_view::npos || seg.find('\0') != std::string_view::npos) {
        return std::nullopt;
      }
      if (!out.empty()) out += '/';
      out += seg;
    }
    pos = end + 1;
  }
  return out;
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

// True when `p` resolves (symbolic links followed) to a place inside `root`.
bool Inside(const fs::path& root, const fs::path& p) {
  std::error_code ec;
  fs::path real_root = fs::canonical(root, ec);
  if (ec) return false;
  fs::path real = fs::canonical(p, ec);
  if (ec) return false;
  auto [r, q] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  return r == real_root.end();
}

// Whether Accept-Encoding admits gzip (a "gzip;q=0" refuses it).
bool AcceptsGzip(const std::string& accept_encoding) {
  size_t pos = 0;
  while (pos < accept_encoding.size()) {
    size_t end = accept_encoding.find(',', pos);
    if (end == std::string::npos) end = accept_encoding.size();
    std::string item = accept_encoding.substr(pos, end - pos);
    item.erase(0, item.find_first_not_of(' '));
    std::string name = item.substr(0, item.find(';'));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (name == "gzip" || name == "*") {
      auto q = item.find("q=");
      return q == std::string::npos || std::stod("0" + item.substr(q + 2)) > 0;
    }
    pos = end + 1;
  }
  return false;
}

void SecurityHeaders(Response& r) {
  r.SetHeader("Content-Security-Policy", std::string(kConsoleCsp));
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("X-Frame-Options", "DENY");
  r.SetHeader("Referrer-Policy", "no-referrer");
}

Response Plain(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  r.SetHeader("Cache-Control", "no-store");
  SecurityHeaders(r);
  return r;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) : root_(std::move(root)) {}

std::string StaticFiles::MimeType(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos && file_name.find('/', dot) == std::string_view::npos) {
    std::string_view ext = file_name.substr(dot);
    for (const auto& [e, type] : kTypes) {
      if (e == ext) return std::string(type);
    }
  }
  return "application/octet-stream";
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = Plain(405, "method not allowed\n");
    r.SetHeader("Allow", "GET, HEAD");
    return r;
  }
  auto rel = SafeRelative(request.path);
  if (!rel) return Plain(404, "not found\n");
  std::string name = rel->empty() ? "index.html" : *rel;
  const fs::path root(root_);
  fs::path file = root / name;
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    name += "/index.html";
    file = root / name;
  }
  if (!fs::exists(file, ec)) {
    // A client-side route ("/systems/42"): the app's shell. A missing asset ("/x.js"): 404.
    auto slash = name.rfind('/');
    std::string_view last = slash == std::string::npos ? std::string_view(name)
                                                       : std::string_view(name).substr(slash + 1);
    if (last.find('.') != std::string_view::npos) return Plain(404, "not found\n");
    name = "index.html";
    file = root / name;
  }
  if (!Inside(root, file)) return Plain(404, "not found\n");

  Response r;
  r.content_type = MimeType(name);
  std::optional<std::string> body;
  const bool compressible = r.content_type.starts_with("text/") ||
                            r.content_type.starts_with("application/json") ||
                            r.content_type == "image/svg+xml";
  if (compressible) {
    r.SetHeader("Vary", "Accept-Encoding");
    fs::path gz = file;
    gz += ".gz";
    if (AcceptsGzip(request.Header("accept-encoding")) && Inside(root, gz)) {
      body = ReadFile(gz);
      if (body) r.SetHeader("Content-Encoding", "gzip");
    }
  }
  if (!body) body = ReadFile(file);
  if (!body) return Plain(404, "not found\n");
  r.status = 200;
  r.body = request.method == "HEAD" ? std::string() : std::move(*body);
  // Vite names every built asset under /assets/ by its content hash: it never changes.
  r.SetHeader("Cache-Control",
              name.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  SecurityHeaders(r);
  return r;
}

}  // namespace ucsc::server
