#include "scan/nvd.h"

#include <simdjson.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>

namespace ucsc::scan {
namespace {

constexpr size_t kMaxRecordBytes = 64u << 20;
constexpr size_t kChunk = 1u << 20;
constexpr size_t kMaxDescription = 300;

// ---- byte sources -------------------------------------------------------------------------

class Source {
 public:
  virtual ~Source() = default;
  // Reads up to `n` bytes into `buf`; 0 at the end.
  virtual core::Result<size_t> Read(char* buf, size_t n) = 0;
};

class MemorySource : public Source {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  core::Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    if (k > 0) std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

class FileSource : public Source {
 public:
  explicit FileSource(std::FILE* f) : f_(f) {}
  ~FileSource() override { std::fclose(f_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  core::Result<size_t> Read(char* buf, size_t n) override {
    size_t k = std::fread(buf, 1, n, f_);
    if (k == 0 && std::ferror(f_)) return core::Internal("read error");
    return k;
  }

 private:
  std::FILE* f_;
};

// Decompresses a zstd stream read from another source.
class ZstdSource : public Source {
 public:
  explicit ZstdSource(std::unique_ptr<Source> upstream)
      : upstream_(std::move(upstream)), ctx_(ZSTD_createDStream()) {
    ZSTD_initDStream(ctx_);
    inbuf_.resize(ZSTD_DStreamInSize());
  }
  ~ZstdSource() override { ZSTD_freeDStream(ctx_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  core::Result<size_t> Read(char* buf, size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (input_.pos == input_.size && !pending_output_) {
        UCSC_ASSIGN_OR_RETURN(size_t got, upstream_->Read(inbuf_.data(), inbuf_.size()));
        if (got == 0) {
          if (!frame_done_) return core::InvalidArgument("zstd stream is truncated");
          return size_t{0};
        }
        input_ = ZSTD_inBuffer{inbuf_.data(), got, 0};
      }
      size_t rc = ZSTD_decompressStream(ctx_, &out, &input_);
      if (ZSTD_isError(rc)) {
        return core::InvalidArgument(std::string("zstd: ") + ZSTD_getErrorName(rc));
      }
      frame_done_ = rc == 0;
      // The decoder may hold output back when `out` filled up.
      pending_output_ = out.pos == out.size;
    }
    return out.pos;
  }

 private:
  std::unique_ptr<Source> upstream_;
  ZSTD_DStream* ctx_;
  std::vector<char> inbuf_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  bool frame_done_ = true;
  bool pending_output_ = false;
};

bool IsZstd(const char* p, size_t n) {
  return n >= 4 && static_cast<unsigned char>(p[0]) == 0x28 &&
         static_cast<unsigned char>(p[1]) == 0xb5 && static_cast<unsigned char>(p[2]) == 0x2f &&
         static_cast<unsigned char>(p[3]) == 0xfd;
}

// ---- record splitter ----------------------------------------------------------------------
// Finds the elements of the top-level "vulnerabilities" array in a byte stream without parsing
// the rest, and hands each element's text to a callback.

class Splitter {
 public:
  using OnRecord = std::function<core::Status(std::string& text, size_t offset)>;
  explicit Splitter(OnRecord on_record) : on_record_(std::move(on_record)) {}

  core::Status Feed(const char* p, size_t n) {
    const size_t base = offset_;
    size_t cap_from = 0;  // first byte of p not yet appended to record_
    size_t i = 0;
    auto error = [&](size_t at, const std::string& why) {
      offset_ = base + n;
      return core::InvalidArgument("byte offset " + std::to_string(base + at) + ": " + why);
    };
    while (i < n) {
      if (in_string_) {
        if (escape_) {
          escape_ = false;
          ++i;
          continue;
        }
        if (depth_ != 1) {  // skip string content fast; only top-level keys are kept
          while (i < n && p[i] != '"' && p[i] != '\\') ++i;
          if (i == n) break;
        }
        char c = p[i++];
        if (c == '\\') {
          escape_ = true;
        } else if (c == '"') {
          in_string_ = false;
        } else if (string_.size() < 32) {
          string_ += c;
        }
        continue;
      }
      char c = p[i];
      if (depth_ == 2 && in_array_ && c != '{' && c != ',' && c != ']' && c != ' ' && c != '\n' &&
          c != '\r' && c != '\t') {
        return error(i, "element of \"vulnerabilities\" is not an object");
      }
      switch (c) {
        case '"':
          in_string_ = true;
          if (depth_ == 1) string_.clear();
          break;
        case ':':
          if (depth_ == 1) key_ = string_;
          break;
        case ',':
          if (depth_ == 1) key_.clear();
          break;
        case '{':
        case '[':
          if (depth_ == 0 && c == '[') {
            return error(i, "top level is an array, not an NVD API 2.0 response");
          }
          if (depth_ == 1 && c == '[' && key_ == "vulnerabilities") {
            in_array_ = true;
            seen_array_ = true;
          } else if (depth_ == 1 && key_ == "CVE_Items") {
            return core::InvalidArgument(
                "\"CVE_Items\": this is the retired NVD 1.1 feed; NVD API 2.0 JSON is needed");
          } else if (depth_ == 2 && in_array_) {
            capturing_ = true;
            record_.clear();
            cap_from = i;
            record_offset_ = base + i;
          }
          ++depth_;
          if (depth_ > 256) return error(i, "nesting deeper than 256");
          break;
        case '}':
        case ']':
          if (depth_ == 0) return error(i, "unbalanced '" + std::string(1, c) + "'");
          --depth_;
          if (depth_ == 2 && capturing_) {
            capturing_ = false;
            record_.append(p + cap_from, i + 1 - cap_from);
            if (record_.size() > kMaxRecordBytes) return error(i, "record larger than 64 MiB");
            offset_ = base + i;
            UCSC_RETURN_IF_ERROR(on_record_(record_, record_offset_));
          } else if (depth_ == 1 && in_array_) {
            in_array_ = false;
          }
          break;
        default:
          break;
      }
      ++i;
    }
    if (capturing_) {
      record_.append(p + cap_from, n - cap_from);
      if (record_.size() > kMaxRecordBytes) {
        return core::InvalidArgument("record at byte offset " + std::to_string(record_offset_) +
                                     " is larger than 64 MiB");
      }
    }
    offset_ = base + n;
    return core::Ok();
  }

  core::Status Finish() const {
    if (depth_ != 0 || in_string_) {
      return core::InvalidArgument("truncated JSON: input ends inside " +
                                   std::string(in_string_ ? "a string" : "an object or array") +
                                   " at byte offset " + std::to_string(offset_));
    }
    if (!seen_array_) {
      return core::InvalidArgument(
          "no top-level \"vulnerabilities\" array: not an NVD CVE API 2.0 response");
    }
    return core::Ok();
  }
  size_t bytes() const { return offset_; }

 private:
  OnRecord on_record_;
  size_t offset_ = 0;
  int depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool in_array_ = false;
  bool seen_array_ = false;
  bool capturing_ = false;
  std::string string_, key_;
  std::string record_;
  size_t record_offset_ = 0;
};

// ---- record reduction ---------------------------------------------------------------------

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

std::string CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

}  // namespace

class NvdBuilder {
 public:
  explicit NvdBuilder(std::string name, size_t max_records)
      : name_(std::move(name)), max_records_(max_records) {}

  core::Status AddRecord(std::string& text, size_t offset) {
    const size_t len = text.size();
    text.append(simdjson::SIMDJSON_PADDING, ' ');
    element root;
    auto err = parser_.parse(text.data(), len, false).get(root);
    if (err) return Bad(offset, std::string("malformed JSON: ") + simdjson::error_message(err));
    if (idx_.cves_.size() >= max_records_) {
      return core::InvalidArgument(name_ + ": more than " + std::to_string(max_records_) +
                                   " records");
    }
    object cve;
    if (root["cve"].get(cve)) return Bad(offset, "record has no \"cve\" object");
    std::string_view id;
    if (cve["id"].get(id) || id.empty() || id.size() > 64) {
      return Bad(offset, "\"cve\" has no \"id\" string");
    }
    CveRecord rec;
    rec.id = std::string(id);
    std::string_view s;
    if (!cve["published"].get(s)) rec.published = std::string(s);
    if (!cve["lastModified"].get(s)) rec.last_modified = std::string(s);
    array descriptions;
    if (!cve["descriptions"].get(descriptions)) {
      for (element d : descriptions) {
        std::string_view lang, value;
        if (!d["lang"].get(lang) && lang == "en" && !d["value"].get(value)) {
          rec.description = CutUtf8(value, kMaxDescription);
          break;
        }
      }
    }
    object metrics;
    if (!cve["metrics"].get(metrics)) ReadCvss(metrics, rec.cvss);

    const auto cve_no = static_cast<uint32_t>(idx_.cves_.size());
    rec.first_config = static_cast<uint32_t>(idx_.configs_.size());
    element configs_el;
    if (!cve["configurations"].get(configs_el)) {
      array configs;
      if (configs_el.get(configs)) return Bad(offset, rec.id + ": configurations is not an array");
      size_t config_idx = 0;
      for (element c : configs) {
        UCSC_RETURN_IF_ERROR(AddConfig(c, cve_no, rec.id, config_idx++, offset));
      }
    }
    rec.config_count = static_cast<uint32_t>(idx_.configs_.size() - rec.first_config);
    if (!idx_.cve_by_id_.emplace(rec.id, cve_no).second) {
      return Bad(offset, "CVE id " + rec.id + " appears twice");
    }
    idx_.cves_.push_back(std::move(rec));
    ++idx_.stats_.records;
    return core::Ok();
  }

  NvdIndex Finish(size_t bytes) {
    idx_.stats_.distinct_criteria = idx_.criteria_.size();
    idx_.stats_.bytes = bytes;
    return std::move(idx_);
  }

 private:
  core::Status Bad(size_t offset, const std::string& why) const {
    return core::InvalidArgument(name_ + ": record " + std::to_string(idx_.cves_.size() + 1) +
                                 " at byte offset " + std::to_string(offset) + ": " + why);
  }

  static void ReadCvss(const object& metrics, CvssScore& out) {
    for (const char* key : {"cvssMetricV40", "cvssMetricV31", "cvssMetricV30", "cvssMetricV2"}) {
      array list;
      if (metrics[key].get(list) || list.size() == 0) continue;
      element chosen = list.at(0).value_unsafe();
      for (element m : list) {
        std::string_view type;
        if (!m["type"].get(type) && type == "Primary") {
          chosen = m;
          break;
        }
      }
      object data;
      if (chosen["cvssData"].get(data)) continue;
      std::string_view s;
      if (!data["version"].get(s)) out.version = std::string(s);
      double score = 0;
      if (!data["baseScore"].get(score)) out.base_score = score;
      if (!data["vectorString"].get(s)) out.vector = std::string(s);
      if (!data["baseSeverity"].get(s) || !chosen["baseSeverity"].get(s)) {
        out.severity = std::string(s);
      }
      return;
    }
  }

  core::Status AddConfig(element config_el, uint32_t cve_no, const std::string& id,
                         size_t config_idx, size_t offset) {
    auto where = [&] { return id + ": configurations[" + std::to_string(config_idx) + "]"; };
    object config;
    if (config_el.get(config)) return Bad(offset, where() + " is not an object");
    NvdConfig cfg;
    std::string_view op;
    if (!config["operator"].get(op)) {
      if (op != "AND" && op != "OR") return Bad(offset, where() + ".operator is not AND/OR");
      cfg.and_op = op == "AND";
    }
    bool negate = false;
    if (!config["negate"].get(negate)) cfg.negate = negate;
    array nodes;
    if (config["nodes"].get(nodes)) return Bad(offset, where() + " has no \"nodes\" array");
    cfg.first_node = static_cast<uint32_t>(idx_.nodes_.size());
    size_t node_idx = 0;
    for (element node_el : nodes) {
      auto nwhere = [&, n = node_idx++] { return where() + ".nodes[" + std::to_string(n) + "]"; };
      object node;
      if (node_el.get(node)) return Bad(offset, nwhere() + " is not an object");
      NvdNode nd;
      if (!node["operator"].get(op)) {
        if (op != "AND" && op != "OR") return Bad(offset, nwhere() + ".operator is not AND/OR");
        nd.and_op = op == "AND";
      }
      if (!node["negate"].get(negate)) nd.negate = negate;
      array matches;
      if (node["cpeMatch"].get(matches))
        return Bad(offset, nwhere() + " has no \"cpeMatch\" array");
      nd.first_match = static_cast<uint32_t>(idx_.node_matches_.size());
      size_t match_idx = 0;
      for (element m_el : matches) {
        auto mwhere = [&, k = match_idx++] {
          return nwhere() + ".cpeMatch[" + std::to_string(k) + "]";
        };
        object m;
        if (m_el.get(m)) return Bad(offset, mwhere() + " is not an object");
        std::string_view criteria;
        if (m["criteria"].get(criteria)) return Bad(offset, mwhere() + " has no \"criteria\"");
        bool vulnerable = false;
        if (m["vulnerable"].get(vulnerable))
          return Bad(offset, mwhere() + " has no \"vulnerable\"");
        std::string_view si, se, ei, ee;
        bool has_si = !m["versionStartIncluding"].get(si);
        bool has_se = !m["versionStartExcluding"].get(se);
        bool has_ei = !m["versionEndIncluding"].get(ei);
        bool has_ee = !m["versionEndExcluding"].get(ee);
        uint32_t crit = Intern(criteria, has_si ? si : (has_se ? se : std::string_view()), has_si,
                               has_ei ? ei : (has_ee ? ee : std::string_view()), has_ei);
        idx_.node_matches_.push_back(NodeMatch{crit, vulnerable});
        ++idx_.stats_.cpe_matches;
        if (vulnerable) {
          auto& list = idx_.criterion_cves_[crit];
          if (list.empty() || list.back() != cve_no) list.push_back(cve_no);
        }
      }
      nd.match_count = static_cast<uint32_t>(idx_.node_matches_.size() - nd.first_match);
      idx_.nodes_.push_back(nd);
    }
    cfg.node_count = static_cast<uint32_t>(idx_.nodes_.size() - cfg.first_node);
    idx_.configs_.push_back(cfg);
    ++idx_.stats_.configurations;
    return core::Ok();
  }

  uint32_t Intern(std::string_view criteria, std::string_view start, bool start_incl,
                  std::string_view end, bool end_incl) {
    std::string& key = key_buf_;
    key.clear();
    key.append(criteria).append(1, start_incl ? '[' : '(').append(start).append(1, '|');
    key.append(end).append(1, end_incl ? ']' : ')');
    if (auto found = interned_.find(key); found != interned_.end()) return found->second;
    const auto id = static_cast<uint32_t>(idx_.criteria_.size());
    interned_.emplace(key, id);
    Criterion c;
    c.start = std::string(start);
    c.end = std::string(end);
    c.start_including = start_incl;
    c.end_including = end_incl;
    auto cpe = ParseCpe(criteria);
    if (!cpe) {
      NoteBad(std::string(criteria) + ": " + cpe.error().message);
      c.valid = false;
    } else {
      c.cpe = std::move(*cpe);
      c.key = c.cpe.Key();
    }
    if (!c.start.empty()) {
      auto v = Version::Parse(c.start);
      if (v) {
        c.start_version = std::move(*v);
      } else {
        NoteBad(std::string(criteria) + " start \"" + c.start + "\": " + v.error().message);
        c.valid = false;
      }
    }
    if (!c.end.empty()) {
      auto v = Version::Parse(c.end);
      if (v) {
        c.end_version = std::move(*v);
      } else {
        NoteBad(std::string(criteria) + " end \"" + c.end + "\": " + v.error().message);
        c.valid = false;
      }
    }
    if (c.valid) {
      auto [pid, fresh] =
          idx_.product_ids_.try_emplace(c.key, static_cast<uint32_t>(idx_.products_.size()));
      if (fresh) idx_.products_.emplace_back();
      c.product = pid->second;
      auto& product = idx_.products_[c.product];
      if (c.cpe.version().IsValue()) {
        product.by_version[c.cpe.version().value].push_back(id);
      } else {
        product.open.push_back(id);
      }
    }
    idx_.criterion_products_.push_back(c.product);
    idx_.criteria_.push_back(std::move(c));
    idx_.criterion_cves_.emplace_back();
    return id;
  }

  void NoteBad(std::string why) {
    if (idx_.stats_.bad_criteria++ == 0) idx_.stats_.first_bad = std::move(why);
  }

  std::string name_;
  size_t max_records_;
  simdjson::dom::parser parser_;
  NvdIndex idx_;
  std::unordered_map<std::string, uint32_t> interned_;
  std::string key_buf_;
};

namespace {

core::Result<NvdIndex> LoadFrom(Source& raw, std::string_view name, size_t max_records) {
  // Peek at the first bytes for the zstd magic number.
  std::vector<char> buf(kChunk);
  UCSC_ASSIGN_OR_RETURN(size_t first, raw.Read(buf.data(), buf.size()));
  NvdBuilder builder{std::string(name), max_records};
  Splitter splitter([&](std::string& text, size_t offset) -> core::Status {
    return builder.AddRecord(text, offset);
  });
  auto prefix = [&](const core::Error& e) {
    return core::InvalidArgument(std::string(name) + ": " + e.message);
  };
  if (IsZstd(buf.data(), first)) {
    // Hand the bytes already read to the decompressor in front of the rest.
    class Replay : public Source {
     public:
      Replay(std::vector<char> head, size_t n, Source& rest)
          : head_(std::move(head)), n_(n), rest_(rest) {}
      core::Result<size_t> Read(char* out, size_t k) override {
        if (pos_ < n_) {
          size_t m = std::min(k, n_ - pos_);
          std::memcpy(out, head_.data() + pos_, m);
          pos_ += m;
          return m;
        }
        return rest_.Read(out, k);
      }

     private:
      std::vector<char> head_;
      size_t n_, pos_ = 0;
      Source& rest_;
    };
    ZstdSource zs(std::make_unique<Replay>(buf, first, raw));
    while (true) {
      auto got = zs.Read(buf.data(), buf.size());
      if (!got) return prefix(got.error());
      if (*got == 0) break;
      auto st = splitter.Feed(buf.data(), *got);
      if (!st) return prefix(st.error());
    }
  } else {
    size_t got = first;
    while (got > 0) {
      auto st = splitter.Feed(buf.data(), got);
      if (!st) return prefix(st.error());
      UCSC_ASSIGN_OR_RETURN(got, raw.Read(buf.data(), buf.size()));
    }
  }
  auto st = splitter.Finish();
  if (!st) return prefix(st.error());
  return builder.Finish(splitter.bytes());
}

}  // namespace

const ProductCriteria* NvdIndex::FindProduct(std::string_view key) const {
  auto id = FindProductId(key);
  return id ? &products_[*id] : nullptr;
}

std::optional<uint32_t> NvdIndex::FindProductId(std::string_view key) const {
  auto it = product_ids_.find(std::string(key));
  if (it == product_ids_.end()) return std::nullopt;
  return it->second;
}

std::optional<uint32_t> NvdIndex::FindCve(std::string_view id) const {
  auto it = cve_by_id_.find(std::string(id));
  if (it == cve_by_id_.end()) return std::nullopt;
  return it->second;
}

core::Result<NvdIndex> LoadNvdFile(const std::string& path, size_t max_records) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return core::NotFound(path + ": cannot open: " + std::strerror(errno));
  }
  FileSource src(f);
  return LoadFrom(src, path, max_records);
}

core::Result<NvdIndex> LoadNvdText(std::string_view json, std::string_view name,
                                   size_t max_records) {
  MemorySource src(json);
  return LoadFrom(src, name, max_records);
}

}  // namespace ucsc::scan
