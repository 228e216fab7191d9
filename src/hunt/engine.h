// The optimised Sigma engine: all rules compiled once into an immutable plan.
//
// Compile() routes every detection rule through the logsource map into "instances" (rule x
// source, with the source's field renames resolved to interned field ids) and derives for each
// instance a set of literals of which at least one must occur in the event for the rule to match
// (or marks it always-run): substrings of string values, RE2's required atoms of regular
// expressions, and whole values (looked up per field in a hash table, not scanned for). For
// every set of sources an event can route to it builds a Vectorscan literal database of its
// field literals or, when the set has keyword literals, one of both. Per event, a Matcher:
//   1. indexes the event's fields by interned id (open-addressing table, ASCII case-insensitive),
//   2. routes by (Channel, EventID) to sources (cached per pair),
//   3. lower-cases the event text once, looks up whole values of the fields that have them,
//      scans the values of the fields the sources' rules read with the field database or, when
//      a keyword rule applies, the whole text with the database of both,
//   4. evaluates only the always-run instances and those with a literal hit, with per-field
//      dispatch and pattern fast paths (exact / prefix / suffix / contains).
// A Matcher reuses its buffers: no allocation per event once warm (except the returned list's
// growth, which the caller reuses).
//
// Thread-safety: a Plan is immutable and shared by all threads; a Matcher belongs to one thread.
//
// Example:
//   auto plan = Plan::Compile(rules, map);            // once
//   Matcher m(**plan);                                // per thread
//   std::vector<int> hits;
//   m.Match(event, &hits);                            // indices into `rules`
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "hunt/event.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt {

struct PlanStats {
  std::size_t rules = 0;       // detection rules given
  std::size_t instances = 0;   // rule x source pairs
  std::size_t unrouted = 0;    // detection rules with no source in the map
  std::size_t always_run = 0;  // instances without a literal prefilter
  std::size_t literals = 0;    // distinct prefilter literals
  bool vectorscan = false;
  bool cache_hit = false;  // the literal database came from the cache
};

struct CompileOptions {
  // Directory for the compiled literal database, keyed by a hash of the literals and the
  // Vectorscan version ("" = no cache). Created if missing; a bad or stale file is recompiled.
  std::string cache_dir;
};

class Plan {
 public:
  ~Plan();
  // REQUIRES: `rules` and `map` outlive the plan. Returns kInternal if the literal database
  // cannot be compiled.
  static core::Result<std::unique_ptr<Plan>> Compile(const std::vector<Rule>& rules,
                                                     const LogSourceMap& map,
                                                     const CompileOptions& options = {});
  const PlanStats& stats() const { return stats_; }

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  Plan() = default;
  std::unique_ptr<Impl> impl_;
  PlanStats stats_;
};

class Matcher {
 public:
  explicit Matcher(const Plan& plan);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Writes into `out` (cleared first) the indices of the rules matching `e`, ascending and unique.
  void Match(const Event& e, std::vector<int>* out);
  // Rule instances evaluated so far (after routing and the prefilter), for statistics.
  std::uint64_t evaluated() const;

  struct State;

 private:
  std::unique_ptr<State> st_;
};

}  // namespace ucsc::hunt
