// Running a hunt: inputs -> events -> detections as JSON lines, in input order.
//
// Inputs are read in blocks of lines; with threads > 1 worker threads parse and match blocks
// while the caller's thread reads ahead (at most 2 x threads blocks in flight, so memory stays
// constant on inputs of any size) and writes results strictly in input order. With threads == 1
// everything runs on the calling thread.
//
// Thread-safety: RunHunt is reentrant; the Plan is shared read-only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.h"
#include "hunt/engine.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

enum class InputFormat { kAuto, kJsonl, kEvtx, kXml, kCsv, kSyslog };
std::optional<InputFormat> ParseInputFormat(std::string_view name);

struct HuntOptions {
  std::vector<std::string> inputs;  // files, directories, "-" for stdin
  InputFormat format = InputFormat::kAuto;
  int threads = 1;
  bool parse_only = false;  // read and parse, no matching (benchmark baseline)
  std::size_t block_bytes = 1 << 20;
  // Called now and then with the input bytes read so far (for --progress); may be empty.
  std::function<void(std::uint64_t bytes)> progress;
  // The mapping the plan was compiled with: correlation group-by / value fields and filter
  // conditions read event fields through it. Null: field names as written in the rules.
  const LogSourceMap* map = nullptr;
  // Detections of rules below this level are not printed (they still feed correlations).
  std::optional<Level> min_level;
  // Out-of-order tolerance of correlations (CorrelationOptions::max_lateness_ms).
  std::int64_t correlation_lateness_ms = std::int64_t{10} * 60 * 1000;
  // Extra members for a detection of rule `rule_index` on `event` (e.g. the IOC sweep's
  // `,"ioc":{…}`), appended inside the detection object; "" adds nothing. Called from the worker
  // threads: must be thread-safe. May be empty.
  std::function<std::string(std::size_t rule_index, const Event& event)> detection_extra;
};

struct HuntStats {
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;                   // input bytes read (compressed size for .gz / .zst)
  std::uint64_t bad_records = 0;             // lines that are not JSON objects, etc.
  std::uint64_t detections = 0;              // printed detections of detection rules
  std::uint64_t correlation_detections = 0;  // printed detections of correlation rules
  std::uint64_t filtered = 0;                // detections dropped by Sigma filters
  std::uint64_t correlation_untimed = 0;     // correlated detections without an event time
  std::uint64_t correlation_late = 0;        // ... that arrived after their window closed
  std::uint64_t correlation_restarts = 0;    // group timelines restarted (time went back)
  std::vector<std::string> input_errors;     // files that could not be read, with the reason
  std::vector<std::string> rule_warnings;    // correlations / filters with unknown references
};

// One JSON object per detection (fields of issue 5): rule_id, rule_title, level, tags,
// rule_author, rule_references, input, record, timestamp, event, then `extra` (members with a
// leading comma, or "").
std::string DetectionJson(const Rule& rule, std::string_view input, const Event& e,
                          std::string_view extra = {});

// REQUIRES: `plan` was compiled from `rules`. Writes detections to `out` and one line per bad
// record to `err` (the first 20 per input, then a count). Sigma filters among `rules` drop the
// detections they cover; correlation rules are evaluated in the in-order writer stage and
// their detections (CorrelationDetectionJson) printed when they fire, after the detections of
// the block that completed them; rules referenced by correlations print their own detections
// only with `generate: true` (hunt/sigma/correlation.h, src/hunt/README.md). Returns the
// statistics; an input that cannot be opened is recorded in input_errors and the hunt goes on.
HuntStats RunHunt(const std::vector<Rule>& rules, const Plan& plan, const HuntOptions& options,
                  std::ostream& out, std::ostream& err);

}  // namespace ucsc::hunt
