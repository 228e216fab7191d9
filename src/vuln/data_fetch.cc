#include "vuln/data_fetch.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

#include "auth/random.h"

namespace ucsc::vuln {

namespace {

struct Sink {
  std::FILE* file = nullptr;
  uint64_t written = 0;
  uint64_t limit = 0;
  bool too_big = false;
};

size_t Write(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t bytes = size * n;
  if (sink->written + bytes > sink->limit) {
    sink->too_big = true;
    return 0;  // aborts the transfer
  }
  sink->written += bytes;
  return std::fwrite(data, 1, bytes, sink->file);
}

std::string Extension(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  const auto slash = path.rfind('/');
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  for (const char* ext : {".json.zst", ".json.gz", ".json", ".zst", ".gz"}) {
    if (name.size() > std::string_view(ext).size() && name.ends_with(ext)) return ext;
  }
  return ".data";
}

}  // namespace

bool IsUrl(std::string_view source) {
  return source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
}

core::Result<std::string> LocalCopy(const std::string& source, const std::string& cache_dir,
                                    const FetchOptions& options) {
  if (!IsUrl(source)) return source;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(cache_dir, ec);
  if (ec) return core::MakeError(core::ErrorCode::kUnavailable, "cannot create " + cache_dir);
  const fs::path target = fs::path(cache_dir) / (auth::Sha256Hex(source) + Extension(source));
  const fs::path tmp = fs::path(cache_dir) / (".download-" + auth::RandomToken(6));

  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Sink sink;
  sink.limit = options.max_bytes;
  sink.file = std::fopen(tmp.c_str(), "wb");
  if (sink.file == nullptr) {
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot write in " + cache_dir);
  }
  ::chmod(tmp.c_str(), 0600);
  CURL* curl = curl_easy_init();
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, source.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  // Redirects may not leave the URL's own scheme (no https -> http downgrade).
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR,
                   source.rfind("https://", 0) == 0 ? "https" : "http,https");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "ucsc-vulnerability-data/1");
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  const bool flushed = std::fclose(sink.file) == 0;
  auto fail = [&](core::ErrorCode code, const std::string& why) -> core::Result<std::string> {
    fs::remove(tmp, ec);
    return core::MakeError(code, source + ": " + why);
  };
  if (sink.too_big) {
    return fail(core::ErrorCode::kResourceExhausted,
                "larger than " + std::to_string(options.max_bytes) + " bytes");
  }
  if (rc != CURLE_OK) {
    return fail(core::ErrorCode::kUnavailable, error[0] != '\0' ? error : curl_easy_strerror(rc));
  }
  if (status != 200)
    return fail(core::ErrorCode::kUnavailable, "HTTP status " + std::to_string(status));
  if (!flushed) return fail(core::ErrorCode::kUnavailable, "cannot write the download");
  fs::rename(tmp, target, ec);
  if (ec) return fail(core::ErrorCode::kUnavailable, "cannot keep the download");
  return target.string();
}

}  // namespace ucsc::vuln
