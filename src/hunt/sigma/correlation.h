// Evaluation of Sigma correlation rules over a stream of base-rule detections.
//
// Implements the Sigma correlation rules specification 2.0.0 (SigmaHQ/sigma-specification,
// specification/sigma-correlation-rules-specification.md, v2.0.0 of 2024-08-08 and its
// editorial update v2.0.2 of 2024-11-01): event_count, value_count, temporal,
// temporal_ordered, group-by, timespan, condition (gt/gte/lt/lte/eq, several terms = a range),
// aliases, references by id or name, chaining of correlations and `generate`. The metric types
// value_sum, value_avg, value_percentile and value_median are pySigma's extensions of the same
// schema (`condition.field` holds the numeric field). When a correlation fires, which windows are
// used and how out-of-order events are handled is documented in src/hunt/README.md
// ("Correlations").
//
// Two parts:
//   - CorrelationPlan: immutable, built once from the loaded rules; resolves references, decides
//     which rules' own detections are printed (`generate`) and which field values each base
//     detection must carry. Shared read-only by the worker threads.
//   - CorrelationEvaluator: the per-hunt state (windows per correlation and group). Fed with
//     base detections in input order by one thread.
//
// Thread-safety: a CorrelationPlan is immutable after Build (share freely); a
// CorrelationEvaluator belongs to one thread.
//
// Example:
//   CorrelationPlan plan = CorrelationPlan::Build(rules);           // once
//   CorrelationEvaluator eval(plan);                                // per hunt
//   std::vector<CorrelationDetection> fired;
//   for (...) eval.Add(detection, &fired);   // detection.values as plan.FieldsFor(rule) asks
//   eval.Flush(&fired);                      // end of input: closes the open windows
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hunt/event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

// One event that contributed to a correlation detection.
struct CorrelationRecord {
  int rule = -1;  // index of the base rule that matched the event
  std::string input;
  std::uint64_t record = 0;
  std::string timestamp;  // RFC 3339 UTC
};

// One detection of a base rule that a correlation references.
struct BaseDetection {
  int rule = -1;  // index into the rules
  std::string input;
  std::uint64_t record = 0;
  std::string timestamp;  // RFC 3339 UTC as printed ("" = the event has no time)
  // Values of the fields CorrelationPlan::FieldsFor(rule) lists, in that order (nullopt = the
  // event lacks the field).
  std::vector<std::optional<std::string>> values;
};

struct CorrelationDetection {
  int rule = -1;                                           // index of the correlation rule
  std::vector<std::pair<std::string, std::string>> group;  // group-by field -> value
  std::vector<CorrelationRecord> records;                  // at most kMaxRecords, in time order
  std::size_t records_omitted = 0;
  std::string first_timestamp;  // time of the window's first event
  std::string timestamp;        // time of the window's last event
  double result = 0;  // the count (event_count, value_count, temporal*) or the metric value
  static constexpr std::size_t kMaxRecords = 100;
};

class CorrelationPlan {
 public:
  // Resolves the correlation rules of `rules` (references by id, else by name). A correlation
  // with an unknown reference, or in a reference cycle, is left out and named in `warnings`.
  // REQUIRES: `rules` outlives the plan and does not change.
  static CorrelationPlan Build(const std::vector<Rule>& rules,
                               std::vector<std::string>* warnings = nullptr);

  [[nodiscard]] bool Empty() const { return corrs_.empty(); }
  // True when detections of rule `rule` (base or correlation) feed some correlation.
  [[nodiscard]] bool Feeds(int rule) const;
  // True when rule `rule`'s own detections are printed: it is referenced by no correlation, or
  // by at least one with `generate: true` (specification: "generate" defaults to false).
  [[nodiscard]] bool Printed(int rule) const;
  // The fields (Sigma names, after aliases) a base detection of `rule` must carry, in order.
  [[nodiscard]] const std::vector<std::string>& FieldsFor(int rule) const;

  // Fills `d.values` for a detection of base rule `d.rule` on event `e`; field names go through
  // source `source` of `map` (map may be null, source < 0: names as written).
  void ExtractValues(const Event& e, const LogSourceMap* map, int source, BaseDetection* d) const;

  // Where a correlation finds, in a detection of one referenced rule, the values it needs.
  struct Slot {
    int rule = -1;                          // the referenced rule
    std::vector<std::string> group_fields;  // per group-by entry, after aliases
    std::string value_field;                // condition.field after aliases ("" = none)
  };
  // One resolved correlation.
  struct Corr {
    int rule = -1;  // index of the correlation rule
    const Correlation* c = nullptr;
    std::vector<int> refs;  // resolved references, in the order of `rules:`
    bool rising = false;    // threshold (gt/gte) on a growing aggregate: sliding and eager
    std::vector<Slot> slots;
  };
  // In dependency order: a correlation comes after the correlations it references.
  [[nodiscard]] const std::vector<Corr>& Corrs() const { return corrs_; }
  // (correlation position in corrs(), slot position) for each correlation `rule` feeds.
  [[nodiscard]] const std::vector<std::pair<int, int>>& ConsumersOf(int rule) const {
    return consumers_[static_cast<std::size_t>(rule)];
  }

 private:
  std::vector<Corr> corrs_;
  std::vector<std::vector<std::string>> fields_;  // per rule
  std::vector<std::string> no_fields_;
  std::vector<bool> feeds_, printed_;
  // per rule: (correlation position in corrs_, slot list) for each correlation it feeds
  std::vector<std::vector<std::pair<int, int>>> consumers_;
};

struct CorrelationOptions {
  // How far (event time) a detection may arrive behind the newest one of its group and still
  // join its windows. One further behind starts a new timeline for the group (another
  // recording; CorrelationStats::restarts). Also how long windows of non-threshold conditions
  // stay open after their end.
  std::int64_t max_lateness_ms = std::int64_t{10} * 60 * 1000;
};

struct CorrelationStats {
  std::uint64_t fed = 0;       // base detections given to Add
  std::uint64_t untimed = 0;   // ignored: the event has no timestamp
  std::uint64_t late = 0;      // ignored: its (windowed-mode) window was already evaluated
  std::uint64_t restarts = 0;  // a group's timeline restarted: time went back too far
  std::uint64_t detections = 0;
};

class CorrelationEvaluator {
 public:
  // REQUIRES: `plan` (and the rules it was built from) outlive the evaluator.
  explicit CorrelationEvaluator(const CorrelationPlan& plan, CorrelationOptions options = {});
  ~CorrelationEvaluator();
  CorrelationEvaluator(const CorrelationEvaluator&) = delete;
  CorrelationEvaluator& operator=(const CorrelationEvaluator&) = delete;

  // Feeds one base detection (in input order). Appends the correlation detections it completes
  // (including chained ones) to `out`.
  void Add(const BaseDetection& d, std::vector<CorrelationDetection>* out);
  // End of input: evaluates the windows still open and clears the state.
  void Flush(std::vector<CorrelationDetection>* out);
  [[nodiscard]] const CorrelationStats& Stats() const { return stats_; }
  // Groups that currently hold state, over all correlations (memory use, for tests and stats).
  [[nodiscard]] std::size_t OpenGroups() const;

  struct State;

 private:
  const CorrelationPlan& plan_;
  CorrelationOptions options_;
  CorrelationStats stats_;
  std::unique_ptr<State> st_;
};

// One JSON object (one line, no newline) for a correlation detection: rule_id, rule_title,
// level, tags, rule_author, rule_references, correlation_type, rules (ids, else names, of the
// referenced rules), group, records, first_timestamp, timestamp, and count or value.
std::string CorrelationDetectionJson(const std::vector<Rule>& rules, const CorrelationDetection& d);

// Which rules a hunt with `--min-level min` needs: rules of that level or higher, every filter,
// and every rule a kept correlation references (directly or through other correlations), so
// that low-level base rules still feed high-level correlations.
std::vector<bool> RulesNeededAtLevel(const std::vector<Rule>& rules, Level min);

}  // namespace ucsc::hunt
