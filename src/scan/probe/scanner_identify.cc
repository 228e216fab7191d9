#include "scan/probe/scanner_identify.h"

#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>

#include "scan/net/net_stream.h"
#include "scan/ports.h"
#include "scan/probe/probe_parse.h"

namespace ucsc::scan {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

enum class Probe {
  kHttp,
  kTls,
  kRedis,
  kMemcached,
  kPostgres,
  kMqtt,
  kMongo,
  kLdap,
  kRdp,
  kSmb,
  kDns
};
// Probes that servers of other protocols reject fast come first: Redis and memcached wait for a
// newline, so a TLS ClientHello sent to them would hang until the probe time-out.
constexpr Probe kDefaultOrder[] = {Probe::kHttp, Probe::kRedis, Probe::kMemcached, Probe::kPostgres,
                                   Probe::kTls,  Probe::kMqtt,  Probe::kMongo,     Probe::kLdap,
                                   Probe::kRdp,  Probe::kSmb,   Probe::kDns};

std::optional<Probe> HintedProbe(std::string_view service) {
  if (service.empty()) return std::nullopt;
  if (service.find("https") != std::string_view::npos || service == "imaps" || service == "pop3s" ||
      service == "submissions" || service == "ldaps" || service == "secure-mqtt" ||
      service == "ftps" || service == "globalcatalog-ssl" || service == "wsmans" ||
      service == "docker-tls" || service == "kubernetes-api" || service == "amqps") {
    return Probe::kTls;
  }
  if (service.find("http") != std::string_view::npos || service == "webmin" ||
      service == "elasticsearch" || service == "couchdb" || service == "kibana" ||
      service == "wsman" || service == "solr") {
    return Probe::kHttp;
  }
  if (service.substr(0, 5) == "redis") return Probe::kRedis;
  if (service == "memcached") return Probe::kMemcached;
  if (service == "postgresql") return Probe::kPostgres;
  if (service == "mqtt") return Probe::kMqtt;
  if (service.substr(0, 7) == "mongodb") return Probe::kMongo;
  if (service == "ldap" || service == "globalcatalog") return Probe::kLdap;
  if (service == "ms-wbt-server") return Probe::kRdp;
  if (service == "microsoft-ds" || service == "netbios-ssn") return Probe::kSmb;
  if (service == "domain") return Probe::kDns;
  return std::nullopt;
}

bool GreetingDone(std::string_view b) {
  if (b.size() >= 4 && b[3] == 0 && static_cast<uint8_t>(b[4 < b.size() ? 4 : 0]) == 0x0a) {
    size_t len = uint8_t(b[0]) | (uint8_t(b[1]) << 8) | (uint8_t(b[2]) << 16);
    return b.size() >= len + 4;  // MySQL handshake packet
  }
  // A text greeting is complete at a final line ("220 ..." rather than "220-...").
  size_t nl = b.rfind('\n');
  if (nl == std::string_view::npos) return false;
  size_t start = b.rfind('\n', nl == 0 ? 0 : nl - 1);
  start = start == std::string_view::npos || start == nl ? 0 : start + 1;
  std::string_view last = b.substr(start, nl - start);
  return !(last.size() >= 4 && last[3] == '-');
}

bool HttpDone(std::string_view b) {
  if (b.size() >= 5 && b.substr(0, 5) != "HTTP/") return true;  // not HTTP: no need to wait
  size_t end = b.find("\r\n\r\n");
  if (end == std::string_view::npos) return false;
  std::string_view headers = b.substr(0, end);
  for (std::string_view key : {"\r\nContent-Length:", "\r\ncontent-length:"}) {
    size_t at = headers.find(key);
    if (at == std::string_view::npos) continue;
    size_t n = 0;
    size_t i = at + key.size();
    while (i < headers.size() && headers[i] == ' ') ++i;
    while (i < headers.size() && headers[i] >= '0' && headers[i] <= '9')
      n = n * 10 + (headers[i++] - '0');
    return b.size() >= end + 4 + n;
  }
  return false;  // until the server closes (HTTP/1.0, Connection: close)
}

bool LineDone(std::string_view b) { return b.find('\n') != std::string_view::npos; }

bool RedisDone(std::string_view b) {
  if (b.empty()) return false;
  if (b[0] != '$') return LineDone(b);
  size_t crlf = b.find("\r\n");
  if (crlf == std::string_view::npos) return false;
  long n = std::strtol(std::string(b.substr(1, crlf - 1)).c_str(), nullptr, 10);
  return n < 0 || b.size() >= crlf + 2 + static_cast<size_t>(n) + 2;
}

bool Le32LengthDone(std::string_view b) {
  if (b.size() < 4) return false;
  uint32_t len = uint8_t(b[0]) | (uint8_t(b[1]) << 8) | (uint8_t(b[2]) << 16) |
                 (uint32_t(uint8_t(b[3])) << 24);
  return len > 64 * 1024 * 1024 || b.size() >= len;
}
bool PostgresDone(std::string_view b) {
  if (b.size() < 5) return false;
  uint32_t len = (uint32_t(uint8_t(b[1])) << 24) | (uint8_t(b[2]) << 16) | (uint8_t(b[3]) << 8) |
                 uint8_t(b[4]);
  return len > 65536 || b.size() >= len + 1;
}
bool TpktDone(std::string_view b) {
  return b.size() >= 4 && b.size() >= static_cast<size_t>((uint8_t(b[2]) << 8) | uint8_t(b[3]));
}
bool NetbiosDone(std::string_view b) {
  return b.size() >= 4 && b.size() >= 4 + static_cast<size_t>((uint8_t(b[1]) << 16) |
                                                              (uint8_t(b[2]) << 8) | uint8_t(b[3]));
}
bool DnsDone(std::string_view b) {
  return b.size() >= 2 && b.size() >= 2 + static_cast<size_t>((uint8_t(b[0]) << 8) | uint8_t(b[1]));
}
bool BerDone(std::string_view b) {
  if (b.size() < 2) return false;
  size_t len = uint8_t(b[1]);
  size_t hdr = 2;
  if (len & 0x80) {
    size_t n = len & 0x7f;
    if (n == 0 || n > 3) return true;
    if (b.size() < 2 + n) return false;
    len = 0;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | uint8_t(b[2 + i]);
    hdr += n;
  }
  return b.size() >= hdr + len;
}

std::string NameLine(X509_NAME* name) {
  if (!name) return {};
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(std::max(0L, n)));
  BIO_free(bio);
  return out;
}

std::string AsnTime(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

TlsInfo DescribeTls(SSL* ssl) {
  TlsInfo t;
  t.negotiated_version = SSL_get_version(ssl);
  t.cipher = SSL_get_cipher_name(ssl);
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert) {
    t.subject = NameLine(X509_get_subject_name(cert));
    t.issuer = NameLine(X509_get_issuer_name(cert));
    t.not_after = AsnTime(X509_get0_notAfter(cert));
    X509_free(cert);
  }
  return t;
}

class Run {
 public:
  Run(Connector& connector, const KillSwitch& kill, const IdentifyOptions& options,
      const Endpoint& ep, const std::string& server_name)
      : connector_(connector),
        kill_(kill),
        options_(options),
        ep_(ep),
        server_name_(server_name),
        host_(server_name.empty()
                  ? (ep.address.family == Family::kV6 ? "[" + ep.address.ToString() + "]"
                                                      : ep.address.ToString())
                  : server_name),
        port_service_(PortService(ep.port)) {}

  ServiceInfo Identify() {
    ServiceInfo fallback;
    fallback.service = "unknown";
    // 1. The greeting, if the service speaks first.
    {
      auto stream = Stream::Open(connector_, ep_, In(options_.connect_timeout), kill_);
      if (!stream) {
        fallback.details["error"] = stream.error().message;
        return fallback;
      }
      std::string banner = stream->Read(In(options_.banner_wait), GreetingDone);
      if (!banner.empty()) {
        if (auto g = MatchGreeting(banner, port_service_)) return *g;
        fallback.evidence = banner.substr(0, 512);
      } else if (stream->peer_closed()) {
        fallback.details["closed_without_data"] = "yes";
      }
    }
    // 2. Active probes, the one the port is registered for first.
    std::vector<Probe> order(std::begin(kDefaultOrder), std::end(kDefaultOrder));
    if (auto hinted = HintedProbe(port_service_)) MoveToFront(order, 0, *hinted);
    for (size_t i = 0; i < order.size(); ++i) {
      if (kill_.Triggered()) break;
      std::string response;
      std::optional<ServiceInfo> found = RunProbe(order[i], response);
      if (found) return *found;
      if (!response.empty()) {
        if (auto g = MatchGreeting(response, port_service_)) return *g;  // a late greeting
        if (auto h = ParseHttp(response)) {
          if (HttpSaysUseTls(response)) {
            MoveToFront(order, i + 1, Probe::kTls);
            fallback_http_ = h;
            continue;
          }
          Finish(*h, nullptr);
          return *h;
        }
        if (auto r = ParseRedis(response)) return *r;
        if (response[0] == '-') MoveToFront(order, i + 1, Probe::kRedis);
        if (response.substr(0, 5) == "ERROR") MoveToFront(order, i + 1, Probe::kMemcached);
        if (response[0] == '\x15' || response[0] == '\x16') MoveToFront(order, i + 1, Probe::kTls);
      }
    }
    if (fallback_http_) return *fallback_http_;
    return fallback;
  }

 private:
  static void MoveToFront(std::vector<Probe>& order, size_t from, Probe p) {
    auto it = std::find(order.begin() + static_cast<long>(from), order.end(), p);
    if (it != order.end()) std::rotate(order.begin() + static_cast<long>(from), it, it + 1);
  }

  scan::Deadline In(milliseconds d) const { return SteadyClock::now() + d; }

  std::optional<Stream> Connect() {
    auto s = Stream::Open(connector_, ep_, In(options_.connect_timeout), kill_);
    if (!s) return std::nullopt;
    return std::move(*s);
  }

  // Sends `request` on a fresh connection and reads the answer.
  std::string Exchange(const std::string& request, bool (*done)(std::string_view)) {
    auto s = Connect();
    if (!s) return {};
    if (!s->Send(request, In(options_.probe_timeout))) return {};
    return s->Read(In(options_.probe_timeout), done);
  }

  std::optional<ServiceInfo> RunProbe(Probe p, std::string& response) {
    switch (p) {
      case Probe::kHttp: {
        response = Exchange(HttpRequest(host_, "/"), HttpDone);
        return std::nullopt;  // HTTP answers are read by the caller (they may also say "use TLS")
      }
      case Probe::kTls:
        return ProbeTls();
      case Probe::kRedis:
        response = Exchange(RedisRequest(), RedisDone);
        return ParseRedis(response);
      case Probe::kMemcached:
        response = Exchange(MemcachedRequest(), LineDone);
        return ParseMemcached(response);
      case Probe::kPostgres:
        response = Exchange(PostgresRequest(), PostgresDone);
        return ParsePostgres(response);
      case Probe::kMqtt:
        return ProbeMqtt(response);
      case Probe::kMongo:
        response = Exchange(MongoRequest(), Le32LengthDone);
        return ParseMongo(response);
      case Probe::kLdap:
        response = Exchange(LdapRequest(), BerDone);
        return ParseLdap(response);
      case Probe::kRdp:
        response = Exchange(RdpRequest(), TpktDone);
        return ParseRdp(response);
      case Probe::kSmb:
        response = Exchange(SmbRequest(), NetbiosDone);
        return ParseSmb(response);
      case Probe::kDns:
        response = Exchange(DnsRequest(), DnsDone);
        return ParseDns(response);
    }
    return std::nullopt;
  }

  std::optional<ServiceInfo> ProbeMqtt(std::string& response) {
    auto s = Connect();
    if (!s) return std::nullopt;
    if (!s->Send(MqttConnectRequest(), In(options_.probe_timeout))) return std::nullopt;
    response =
        s->Read(In(options_.probe_timeout), [](std::string_view b) { return b.size() >= 4; });
    auto info = ParseMqttConnack(response);
    if (!info || info->details["connack"] != "accepted") return info;
    if (!s->Send(MqttSubscribeVersionRequest(), In(options_.probe_timeout))) return info;
    std::string rest = s->Read(In(options_.probe_timeout), [](std::string_view b) {
      ServiceInfo probe;
      return ParseMqttVersion(b, probe);
    });
    ParseMqttVersion(rest, *info);
    return info;
  }

  bool Handshake(Stream& s, SSL_CTX* ctx) {
    return static_cast<bool>(s.StartTls(ctx, server_name_, In(options_.probe_timeout)));
  }

  std::optional<ServiceInfo> ProbeTls() {
    auto s = Connect();
    if (!s) return std::nullopt;
    SslCtxPtr ctx = MakeProbeSslCtx();
    if (!Handshake(*s, ctx.get())) return std::nullopt;
    TlsInfo tls = DescribeTls(s->ssl());
    ServiceInfo info;
    // The service inside. An HTTP request goes out at once: a TLS-wrapped greeting protocol
    // (IMAPS, POP3S, SMTPS, FTPS) sends its greeting first anyway, so the answer tells both.
    std::optional<ServiceInfo> inner;
    std::string answer;
    if (s->Send(HttpRequest(host_, "/"), In(options_.probe_timeout))) {
      answer = s->Read(In(options_.probe_timeout), HttpDone);
      inner = MatchGreeting(answer, port_service_);
      if (!inner) {
        inner = ParseHttp(answer);
        if (inner) inner->service = "https";
      }
    }
    if (inner) {
      info = *inner;
      if (info.service != "https") info.service = "ssl/" + info.service;
    } else {
      info.service = "ssl/unknown";
      info.evidence = answer.substr(0, 512);
    }
    if (info.evidence.empty()) info.evidence = "TLS " + tls.negotiated_version + " " + tls.cipher;
    if (options_.tls_details) {
      static constexpr std::pair<int, const char*> kVersions[] = {{TLS1_VERSION, "TLSv1"},
                                                                  {TLS1_1_VERSION, "TLSv1.1"},
                                                                  {TLS1_2_VERSION, "TLSv1.2"},
                                                                  {TLS1_3_VERSION, "TLSv1.3"}};
      for (auto [v, name] : kVersions) {
        SslCtxPtr vctx = MakeProbeSslCtx(v, v);
        auto vs = Connect();
        if (vs && Handshake(*vs, vctx.get())) tls.versions.push_back(name);
      }
      // Weak suites: offer only weak ones (TLS <= 1.2), excluding those already found.
      std::string weak = "eNULL:aNULL:EXPORT:LOW:RC4:DES:3DES:IDEA:SEED:MD5:@SECLEVEL=0";
      for (int round = 0; round < 6; ++round) {
        std::string list = weak;
        for (const std::string& found : tls.weak_ciphers) list += ":!" + found;
        SslCtxPtr wctx = MakeProbeSslCtx(TLS1_VERSION, TLS1_2_VERSION, list.c_str());
        auto ws = Connect();
        if (!ws || !Handshake(*ws, wctx.get())) break;
        std::string name = SSL_get_cipher_name(ws->ssl());
        if (std::find(tls.weak_ciphers.begin(), tls.weak_ciphers.end(), name) !=
            tls.weak_ciphers.end())
          break;
        tls.weak_ciphers.push_back(name);
      }
    }
    info.tls = tls;
    if (info.service == "https") Finish(info, ctx.get());
    return info;
  }

  // Favicon hash of an identified HTTP(S) service.
  void Finish(ServiceInfo& info, SSL_CTX* tls_ctx) {
    if (!options_.favicon) return;
    auto s = Connect();
    if (!s) return;
    if (tls_ctx && !Handshake(*s, tls_ctx)) return;
    if (!s->Send(HttpRequest(host_, "/favicon.ico"), In(options_.probe_timeout))) return;
    std::string r = s->Read(In(options_.probe_timeout), HttpDone);
    if (auto body = HttpBody200(r); body && !body->empty()) {
      info.details["favicon_mmh3"] = std::to_string(FaviconHash(*body));
    }
  }

  Connector& connector_;
  const KillSwitch& kill_;
  const IdentifyOptions& options_;
  Endpoint ep_;
  std::string server_name_;
  std::string host_;
  std::string_view port_service_;
  std::optional<ServiceInfo> fallback_http_;
};

}  // namespace

ServiceInfo ServiceIdentifier::Identify(const Endpoint& endpoint, const std::string& server_name) {
  Run run(connector_, kill_, options_, endpoint, server_name);
  return run.Identify();
}

std::vector<ServiceResult> ServiceIdentifier::IdentifyAll(
    const std::vector<Endpoint>& endpoints, const std::function<void(size_t)>& progress) {
  std::vector<ServiceResult> out(endpoints.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex progress_mu;
  auto worker = [&] {
    while (true) {
      size_t i = next.fetch_add(1);
      if (i >= endpoints.size()) return;
      out[i].endpoint = endpoints[i];
      if (kill_.Triggered()) {
        out[i].info.service = "unknown";
        out[i].info.details["error"] = "scan stopped";
      } else {
        out[i].info = Identify(endpoints[i]);
      }
      size_t d = done.fetch_add(1) + 1;
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        progress(d);
      }
    }
  };
  size_t threads =
      std::min<size_t>(endpoints.size(), static_cast<size_t>(std::max(1, options_.parallelism)));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace ucsc::scan
