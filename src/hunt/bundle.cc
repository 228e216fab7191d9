#include "hunt/bundle.h"

#include <sodium.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ucsc::hunt {

namespace {

constexpr std::string_view kMagic = "UCSC-SIGMA-BUNDLE 1\n";
constexpr size_t kMaxFiles = 20000;
constexpr size_t kMaxBytes = size_t{512} << 20;

void InitSodium() {
  static const int ok = sodium_init();
  (void)ok;
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.resize(n * 2);
  return out;
}

bool FromHex(const std::string& hex, unsigned char* out, size_t n) {
  size_t len = 0;
  return hex.size() == n * 2 &&
         sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

std::string Sha256(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Hex(h, sizeof h);
}

core::Status CheckPath(const std::string& path) {
  auto bad = [&](const std::string& why) {
    return core::InvalidArgument("bundle path \"" + path + "\": " + why);
  };
  if (path.empty() || path.size() > 255) return bad("empty or too long");
  try {
    (void)nlohmann::json(path).dump();  // strict: refuses invalid UTF-8
  } catch (const nlohmann::json::exception&) {
    return core::InvalidArgument("bundle path: not UTF-8");
  }
  if (path.front() == '/' || path.find('\\') != std::string::npos) return bad("not relative");
  if (!path.ends_with(".yml") && !path.ends_with(".yaml")) return bad("not a .yml/.yaml file");
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string seg = path.substr(start, slash - start);
    if (seg.empty() || seg == "." || seg == ".." || seg.front() == '.') {
      return bad("empty, dot or hidden segment");
    }
    for (unsigned char c : seg) {
      if (c < 0x20 || c == 0x7f || c == ':') return bad("control character or ':'");
    }
    start = slash + 1;
  }
  return core::Ok();
}

}  // namespace

BundleKeys GenerateBundleKeys() {
  InitSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  BundleKeys k{Hex(pk, sizeof pk), Hex(sk, sizeof sk)};
  sodium_memzero(sk, sizeof sk);
  return k;
}

core::Result<std::string> CreateBundle(const std::vector<BundleFile>& files,
                                       const std::string& secret_key_hex,
                                       const std::string& created) {
  InitSodium();
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  if (!FromHex(secret_key_hex, sk, sizeof sk)) {
    return core::InvalidArgument("the secret key must be 128 hex digits");
  }
  nlohmann::json list = nlohmann::json::array();
  std::string body;
  for (const auto& f : files) {
    UCSC_RETURN_IF_ERROR(CheckPath(f.path));
    list.push_back({{"path", f.path}, {"size", f.bytes.size()}, {"sha256", Sha256(f.bytes)}});
    body += f.bytes;
  }
  const std::string manifest = nlohmann::json{{"created", created}, {"files", list}}.dump();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(manifest.data()),
                       manifest.size(), sk);
  sodium_memzero(sk, sizeof sk);
  std::string b64(sodium_base64_ENCODED_LEN(sizeof sig, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return std::string(kMagic) + manifest + "\n" + b64 + "\n" + body;
}

core::Result<std::vector<BundleFile>> VerifyBundle(std::string_view bundle,
                                                   const std::string& public_key_hex) {
  InitSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  if (!FromHex(public_key_hex, pk, sizeof pk)) {
    return core::InvalidArgument("the public key must be 64 hex digits");
  }
  if (bundle.substr(0, kMagic.size()) != kMagic) {
    return core::InvalidArgument("not a ucsc Sigma bundle (version 1)");
  }
  const size_t m_start = kMagic.size();
  const size_t m_end = bundle.find('\n', m_start);
  if (m_end == std::string_view::npos) return core::InvalidArgument("bundle: no manifest");
  const size_t s_end = bundle.find('\n', m_end + 1);
  if (s_end == std::string_view::npos) return core::InvalidArgument("bundle: no signature");
  const std::string_view manifest = bundle.substr(m_start, m_end - m_start);
  const std::string b64(bundle.substr(m_end + 1, s_end - m_end - 1));
  unsigned char sig[crypto_sign_BYTES];
  size_t sig_len = 0;
  if (sodium_base642bin(sig, sizeof sig, b64.data(), b64.size(), nullptr, &sig_len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      sig_len != sizeof sig) {
    return core::InvalidArgument("bundle: the signature is not base64 of 64 bytes");
  }
  if (crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(manifest.data()),
                                  manifest.size(), pk) != 0) {
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "bundle: the signature does not verify with this public key");
  }
  // Signed: the manifest is trusted from here on, the contents are checked against it.
  const auto j = nlohmann::json::parse(manifest, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("files") || !j["files"].is_array()) {
    return core::InvalidArgument("bundle: malformed manifest");
  }
  if (j["files"].size() > kMaxFiles) return core::InvalidArgument("bundle: too many files");
  std::vector<BundleFile> out;
  size_t pos = s_end + 1;
  for (const auto& f : j["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("size") ||
        !f["size"].is_number_unsigned() || !f.contains("sha256") || !f["sha256"].is_string()) {
      return core::InvalidArgument("bundle: malformed manifest entry");
    }
    BundleFile file;
    file.path = f["path"].get<std::string>();
    UCSC_RETURN_IF_ERROR(CheckPath(file.path));
    const size_t size = f["size"].get<size_t>();
    if (size > kMaxBytes || size > bundle.size() - pos) {
      return core::InvalidArgument("bundle: " + file.path + " is cut short");
    }
    file.bytes = std::string(bundle.substr(pos, size));
    pos += size;
    if (Sha256(file.bytes) != f["sha256"].get<std::string>()) {
      return core::InvalidArgument("bundle: " + file.path + " does not match its SHA-256");
    }
    out.push_back(std::move(file));
  }
  if (pos != bundle.size()) return core::InvalidArgument("bundle: bytes after the last file");
  return out;
}

core::Result<size_t> InstallBundle(const std::string& bundle_path,
                                   const std::string& public_key_hex,
                                   const std::string& target_dir) {
  namespace fs = std::filesystem;
  std::ifstream in(bundle_path, std::ios::binary);
  if (!in) return core::NotFound("cannot read " + bundle_path);
  std::stringstream ss;
  ss << in.rdbuf();
  UCSC_ASSIGN_OR_RETURN(auto files, VerifyBundle(ss.str(), public_key_hex));
  const fs::path target = fs::path(target_dir).lexically_normal();
  const fs::path staging = target.string() + ".new";
  const fs::path previous = target.string() + ".old";
  std::error_code ec;
  fs::remove_all(staging, ec);
  for (const auto& f : files) {
    const fs::path p = staging / f.path;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
    if (!out) {
      fs::remove_all(staging, ec);
      return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + p.string());
    }
  }
  if (files.empty()) fs::create_directories(staging, ec);
  fs::remove_all(previous, ec);
  if (fs::exists(target)) fs::rename(target, previous, ec);
  if (ec) return core::MakeError(core::ErrorCode::kUnavailable, "cannot move the old rules aside");
  fs::rename(staging, target, ec);
  if (ec) {
    std::error_code ignore;
    fs::rename(previous, target, ignore);  // put the previous set back
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot install the new rules");
  }
  fs::remove_all(previous, ec);
  return files.size();
}

}  // namespace ucsc::hunt
