// Typed AST of Sigma rules (detection and correlation) and the YAML loader.
//
// Implements the Sigma specification 2.0.0 (SigmaHQ/sigma-specification: Sigma rules
// specification 2.0.0, modifiers appendix 2.0.0 of 2024-01-01, correlation rules 2.0.0). See
// src/hunt/README.md for the exact semantics chosen where the specification leaves room.
//
// Thread-safety: a loaded Rule is immutable and may be shared between threads (RE2 objects are
// thread-safe for matching).
#pragma once

#include <re2/re2.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "hunt/sigma/pattern.h"

namespace ucsc::hunt {

// An IPv4 or IPv6 network; IPv4 is stored as an IPv4-mapped IPv6 address.
struct Cidr {
  std::array<std::uint8_t, 16> addr{};
  int prefix_len = 0;  // in IPv6 bits (IPv4 prefixes are offset by 96)
  bool Contains(const std::array<std::uint8_t, 16>& ip) const;
};
// Parses "a.b.c.d", "a.b.c.d/n", IPv6 text or "v6/n". Returns nullopt on bad text.
std::optional<Cidr> ParseCidr(std::string_view text);
// Parses an IPv4 or IPv6 address (IPv4 as mapped IPv6). Returns nullopt on bad text.
std::optional<std::array<std::uint8_t, 16>> ParseIp(std::string_view text);
// Parses a decimal (or 0x-hex) number in event text. Returns nullopt if `text` is not a number.
std::optional<double> ParseNumber(std::string_view text);

// How one value of a detection item is compared with the event field.
enum class ValueKind {
  kString,    // wildcard pattern (equals/contains/startswith/endswith all become patterns)
  kRegex,     // RE2, unanchored search
  kCidr,      // field parsed as IP, inside network
  kNumeric,   // lt / lte / gt / gte
  kExists,    // field present (or absent when `exists` is false)
  kNull,      // field absent or empty
  kFieldRef,  // field equals (or contains/starts/ends with) another field of the same event
  kNever,     // matches nothing (an `expand` placeholder with no definition)
  kMatcher,   // matched by a ValueMatcher (not from YAML: the IOC sweep's hash-set lookups)
};

// A value matched by code instead of the rule language, e.g. one lookup in a set of 100,000
// indicators (hunt/ioc.h). Has no prefilter literal: rules using it always run on their sources.
// Thread-safety: Match is called concurrently from all hunt threads.
class ValueMatcher {
 public:
  virtual ~ValueMatcher() = default;
  // True when the (raw, not lower-cased) event field value matches.
  virtual bool Match(std::string_view raw) const = 0;
};

enum class NumericOp { kLt, kLte, kGt, kGte };
enum class FieldRefOp { kEquals, kContains, kStartsWith, kEndsWith };

struct Value {
  ValueKind kind = ValueKind::kString;
  Pattern pattern;                   // kString
  std::shared_ptr<const RE2> regex;  // kRegex
  Cidr cidr;                         // kCidr
  NumericOp numeric_op = NumericOp::kLt;
  double number = 0;      // kNumeric
  bool exists = true;     // kExists
  std::string ref_field;  // kFieldRef
  FieldRefOp ref_op = FieldRefOp::kEquals;
  CaseMode ref_case = CaseMode::kInsensitive;
  std::shared_ptr<const ValueMatcher> matcher;  // kMatcher
};

// `Field|mod1|mod2: values` or, without a field, a keyword search over all field values.
struct DetectionItem {
  std::optional<std::string> field;  // nullopt = keyword search
  std::vector<std::string> modifiers;
  bool match_all = false;  // `all`: every value must match (default: any)
  std::vector<Value> values;
  int line = 0;
};

// One search identifier: OR over alternatives, each an AND over items.
struct Selection {
  std::string name;
  std::vector<std::vector<DetectionItem>> alternatives;
  int line = 0;
};

// Condition tree; `1 of` / `all of` are resolved into kOr / kAnd over kRef at load time.
struct Condition {
  enum class Kind { kAnd, kOr, kNot, kRef, kTrue, kFalse };
  Kind kind = Kind::kFalse;
  std::vector<Condition> children;
  int selection = -1;  // kRef: index into Rule::selections
};

struct LogSource {
  std::string product;
  std::string category;
  std::string service;
};

enum class Level { kInformational = 0, kLow, kMedium, kHigh, kCritical };
std::string_view LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view text);

enum class CorrelationType {
  kEventCount,
  kValueCount,
  kTemporal,
  kTemporalOrdered,
  kValueSum,
  kValueAvg,
  kValuePercentile,
  kValueMedian,  // pySigma's extension: the 50th percentile
};
std::string_view CorrelationTypeName(CorrelationType t);

struct CorrelationCondition {
  enum class Op { kGt, kGte, kLt, kLte, kEq, kNeq };
  std::vector<std::pair<Op, double>> terms;  // all must hold
  std::string field;                         // value_count / value_sum / ... : the field
  double percentile = 0;                     // value_percentile
};

struct Correlation {
  CorrelationType type = CorrelationType::kEventCount;
  std::vector<std::string> rules;  // ids or names of the referenced rules
  std::vector<std::string> group_by;
  std::int64_t timespan_ms = 0;
  CorrelationCondition condition;
  // aliases: alias field name -> (rule id/name -> field of that rule's events)
  std::map<std::string, std::map<std::string, std::string>> aliases;
  bool generate = false;
};

struct Rule {
  std::string file;
  int line = 0;  // line of the YAML document
  std::string title;
  std::string id;
  std::string name;
  std::string status;
  std::string description;
  std::string author;
  std::string date;
  std::string modified;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<std::string> falsepositives;
  Level level = Level::kMedium;
  bool has_level = false;
  LogSource logsource;
  std::vector<Selection> selections;
  Condition condition;
  std::optional<Correlation> correlation;  // set for correlation rules (no detection)
  // Filter rules (Sigma filters): rules whose matches this filter suppresses.
  std::vector<std::string> filter_rules;
  bool is_filter = false;
};

// Where and why a rule was refused.
struct LoadError {
  std::string file;
  int line = 0;
  std::string reason;
  std::string ToString() const;  // "file:line: reason"
};

// Placeholder values for the `expand` modifier: name (without %) -> values.
using Placeholders = std::map<std::string, std::vector<std::string>>;

struct LoadOptions {
  const Placeholders* placeholders = nullptr;  // may be null: every placeholder is undefined
};

// Parses one YAML text (one or more documents, each a rule) named `file`. Returns the rules,
// or the first error of the text with its line (1-based). Never throws.
core::Result<std::vector<Rule>> ParseRules(std::string_view yaml, std::string_view file,
                                           const LoadOptions& options = {});
// The same, but on error returns a LoadError with the line.
struct ParseOutcome {
  std::vector<Rule> rules;
  std::vector<LoadError> errors;
};
ParseOutcome ParseRuleText(std::string_view yaml, std::string_view file,
                           const LoadOptions& options = {});

// Loads every *.yml / *.yaml file under each path (files or directories, recursively, sorted by
// path). Files that cannot be read or parsed are reported in `errors`; the rest load.
ParseOutcome LoadRulePaths(const std::vector<std::string>& paths, const LoadOptions& options = {});

// Parses a Sigma timespan: a positive number and one unit letter, s m h d (specification) or
// w M y; returns milliseconds, or nullopt on anything else.
std::optional<std::int64_t> ParseTimespan(std::string_view s);

// Parses a condition expression against the selection names (exposed for tests and fuzzing).
// Returns kInvalidArgument with the reason on a syntax error or an unknown identifier.
core::Result<Condition> ParseCondition(std::string_view text,
                                       const std::vector<std::string>& selection_names);

}  // namespace ucsc::hunt
