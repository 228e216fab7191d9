// NVD CVE API 2.0 data (a response object {"vulnerabilities":[{"cve":{...}}, ...]}, plain or
// zstd-compressed) loaded into a compact, read-only index for CPE matching.
//
// Loading streams: the file is decompressed and split into records as it is read, each record is
// parsed (simdjson) and reduced to what matching needs (id, dates, CVSS, a short description and
// the configurations), so memory holds the index, not the JSON. Identical cpeMatch criteria
// (criteria + version range) are stored once; configurations refer to them by number.
//
// Thread-safety: an NvdIndex is immutable after loading; any number of threads may read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "scan/cpe.h"
#include "scan/version.h"

namespace ucsc::scan {

// The CVSS score kept for a CVE: the newest CVSS version present (4.0, 3.1, 3.0, then 2.0),
// preferring the NVD's own "Primary" score within that version. `version` is empty when the
// record has no metrics.
struct CvssScore {
  std::string version;
  double base_score = 0;
  std::string severity;  // "CRITICAL", "HIGH", ... as the NVD writes it
  std::string vector;
};

// One distinct cpeMatch criterion: a CPE plus an optional version range on the version field.
struct Criterion {
  Cpe cpe;
  std::string key;                // cpe.Key(): "vendor:product"
  uint32_t product = 0xFFFFFFFF;  // number of `key` in the index (NvdIndex::FindProductId)
  std::string start, end;         // raw bounds; empty when absent
  bool start_including = false;
  bool end_including = false;
  std::optional<Version> start_version, end_version;  // parsed bounds
  // False when the criteria string or a bound could not be parsed: such a criterion never
  // matches (and is counted in NvdStats::bad_criteria).
  bool valid = true;

  bool HasRange() const { return !start.empty() || !end.empty(); }
};

struct NvdNode {
  uint32_t first_match = 0;  // index into NvdIndex::node_matches()
  uint32_t match_count = 0;
  bool and_op = false;
  bool negate = false;
};

struct NvdConfig {
  uint32_t first_node = 0;  // index into NvdIndex::nodes()
  uint32_t node_count = 0;
  bool and_op = false;
  bool negate = false;
};

struct CveRecord {
  std::string id;
  std::string published;  // as in the feed, "2024-07-01T13:15:10.257"
  std::string last_modified;
  std::string description;  // the English description, cut to 300 bytes
  CvssScore cvss;
  uint32_t first_config = 0;  // index into NvdIndex::configs()
  uint32_t config_count = 0;
};

// A use of a criterion inside a node: the criterion number and the record's "vulnerable" flag.
struct NodeMatch {
  uint32_t criterion = 0;
  bool vulnerable = false;
};

struct NvdStats {
  size_t records = 0;
  size_t configurations = 0;
  size_t cpe_matches = 0;  // cpeMatch entries read
  size_t distinct_criteria = 0;
  size_t bad_criteria = 0;  // criteria or bounds that did not parse (never match)
  std::string first_bad;    // the first such problem, for the log
  size_t bytes = 0;         // uncompressed JSON bytes read
};

// Per vendor:product lookup of criteria.
struct ProductCriteria {
  // Criteria whose version attribute is a literal value, by that value.
  std::unordered_map<std::string, std::vector<uint32_t>> by_version;
  // Criteria whose version is ANY (with or without a range) or NA.
  std::vector<uint32_t> open;
};

class NvdIndex {
 public:
  const std::vector<CveRecord>& cves() const { return cves_; }
  const std::vector<NvdConfig>& configs() const { return configs_; }
  const std::vector<NvdNode>& nodes() const { return nodes_; }
  const std::vector<NodeMatch>& node_matches() const { return node_matches_; }
  const std::vector<Criterion>& criteria() const { return criteria_; }
  const NvdStats& stats() const { return stats_; }

  // The product number of each criterion (Criterion::product), kept apart for fast scans.
  const std::vector<uint32_t>& criterion_products() const { return criterion_products_; }
  // The CVE record numbers in which `criterion` is used with vulnerable=true.
  const std::vector<uint32_t>& CvesOfCriterion(uint32_t criterion) const {
    return criterion_cves_[criterion];
  }
  // Criteria naming "vendor:product"; nullptr when none.
  const ProductCriteria* FindProduct(std::string_view key) const;
  // The number of "vendor:product" (as in Criterion::product); nullopt when no criterion names it.
  std::optional<uint32_t> FindProductId(std::string_view key) const;
  const ProductCriteria& product(uint32_t id) const { return products_[id]; }
  // The record number of a CVE id; nullopt when absent.
  std::optional<uint32_t> FindCve(std::string_view id) const;

 private:
  friend class NvdBuilder;
  std::vector<CveRecord> cves_;
  std::vector<NvdConfig> configs_;
  std::vector<NvdNode> nodes_;
  std::vector<NodeMatch> node_matches_;
  std::vector<Criterion> criteria_;
  std::vector<std::vector<uint32_t>> criterion_cves_;
  std::vector<uint32_t> criterion_products_;
  std::vector<ProductCriteria> products_;
  std::unordered_map<std::string, uint32_t> product_ids_;
  std::unordered_map<std::string, uint32_t> cve_by_id_;
  NvdStats stats_;
};

// Loads an NVD JSON 2.0 file, zstd-compressed (detected by its magic number) or plain.
// Returns kNotFound when the file cannot be opened, kInvalidArgument naming the file, the record
// number and byte offset for malformed JSON, a truncated file, a record without "cve"/"id", a
// file without a "vulnerabilities" array (e.g. the retired 1.1 feed with "CVE_Items"), or more
// than `max_records` records.
[[nodiscard]] core::Result<NvdIndex> LoadNvdFile(const std::string& path,
                                                 size_t max_records = 5'000'000);
// The same for JSON text in memory (tests, fuzzing). `name` prefixes error messages.
[[nodiscard]] core::Result<NvdIndex> LoadNvdText(std::string_view json,
                                                 std::string_view name = "<memory>",
                                                 size_t max_records = 5'000'000);

}  // namespace ucsc::scan
