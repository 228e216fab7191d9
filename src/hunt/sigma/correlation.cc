#include "hunt/sigma/correlation.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/legal_time.h"

namespace ucsc::hunt {

namespace {

constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t kSweepEvery = 4096;

bool IsValueType(CorrelationType t) {
  return t == CorrelationType::kValueSum || t == CorrelationType::kValueAvg ||
         t == CorrelationType::kValuePercentile || t == CorrelationType::kValueMedian;
}

// The field a rule's events carry for correlation field `name` (aliases: alias -> rule -> field).
std::string AliasedField(const Correlation& c, const Rule& rule, const std::string& name) {
  const auto it = c.aliases.find(name);
  if (it == c.aliases.end()) return name;
  for (const std::string* key : {&rule.name, &rule.id}) {
    if (key->empty()) continue;
    const auto f = it->second.find(*key);
    if (f != it->second.end()) return f->second;
  }
  return name;
}

bool ConditionHolds(const CorrelationCondition& cond, double v) {
  for (const auto& [op, n] : cond.terms) {
    bool ok = false;
    switch (op) {
      case CorrelationCondition::Op::kGt:
        ok = v > n;
        break;
      case CorrelationCondition::Op::kGte:
        ok = v >= n;
        break;
      case CorrelationCondition::Op::kLt:
        ok = v < n;
        break;
      case CorrelationCondition::Op::kLte:
        ok = v <= n;
        break;
      case CorrelationCondition::Op::kEq:
        ok = v == n;
        break;
      case CorrelationCondition::Op::kNeq:
        ok = v != n;
        break;
    }
    if (!ok) return false;
  }
  return !cond.terms.empty();
}

std::string RuleLabel(const Rule& r) {
  return "'" + r.title + "' (" + r.file + ":" + std::to_string(r.line) + ")";
}

}  // namespace

CorrelationPlan CorrelationPlan::Build(const std::vector<Rule>& rules,
                                       std::vector<std::string>* warnings) {
  auto warn = [&](const std::string& w) {
    if (warnings) warnings->push_back(w);
  };
  std::map<std::string, int> by_id, by_name;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!rules[i].id.empty()) by_id.emplace(rules[i].id, static_cast<int>(i));
    if (!rules[i].name.empty()) by_name.emplace(rules[i].name, static_cast<int>(i));
  }
  // Resolve every correlation's references (id first, then name).
  std::vector<std::vector<int>> refs(rules.size());
  std::vector<bool> valid(rules.size(), false);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (!r.correlation) continue;
    valid[i] = true;
    for (const std::string& name : r.correlation->rules) {
      auto it = by_id.find(name);
      if (it == by_id.end()) it = by_name.find(name);
      if (it == by_name.end() || rules[static_cast<std::size_t>(it->second)].is_filter) {
        warn("correlation " + RuleLabel(r) + ": unknown rule '" + name + "'; correlation skipped");
        valid[i] = false;
        break;
      }
      if (it->second == static_cast<int>(i)) {
        warn("correlation " + RuleLabel(r) + " references itself; correlation skipped");
        valid[i] = false;
        break;
      }
      refs[i].push_back(it->second);
    }
  }
  // Order correlations after the correlations they reference; drop cycles and correlations that
  // reference a dropped one.
  std::vector<int> order;
  std::vector<int> mark(rules.size(), 0);  // 0 new, 1 on stack, 2 done
  std::function<bool(int)> visit = [&](int i) -> bool {
    const auto ui = static_cast<std::size_t>(i);
    if (mark[ui] == 2) return valid[ui];
    if (mark[ui] == 1) return false;  // cycle
    mark[ui] = 1;
    bool ok = valid[ui];
    for (int ref : refs[ui]) {
      if (!rules[static_cast<std::size_t>(ref)].correlation) continue;
      if (!visit(ref)) ok = false;
    }
    mark[ui] = 2;
    if (!ok && valid[ui]) {
      warn("correlation " + RuleLabel(rules[ui]) +
           " references a correlation in a cycle or one that was skipped; correlation skipped");
    }
    valid[ui] = ok;
    if (ok) order.push_back(i);
    return ok;
  };
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].correlation) visit(static_cast<int>(i));
  }

  CorrelationPlan plan;
  plan.fields_.assign(rules.size(), {});
  plan.feeds_.assign(rules.size(), false);
  plan.printed_.assign(rules.size(), true);
  plan.consumers_.assign(rules.size(), {});
  std::vector<bool> generated(rules.size(), false);
  for (int i : order) {
    const Rule& r = rules[static_cast<std::size_t>(i)];
    const Correlation& c = *r.correlation;
    Corr corr;
    corr.rule = i;
    corr.c = &c;
    corr.refs = refs[static_cast<std::size_t>(i)];
    bool only_rising_ops = !c.condition.terms.empty();
    for (const auto& term : c.condition.terms) {
      only_rising_ops = only_rising_ops && (term.first == CorrelationCondition::Op::kGt ||
                                            term.first == CorrelationCondition::Op::kGte);
    }
    corr.rising = only_rising_ops && c.type != CorrelationType::kValueAvg &&
                  c.type != CorrelationType::kValuePercentile &&
                  c.type != CorrelationType::kValueMedian;
    const int k = static_cast<int>(plan.corrs_.size());
    for (int ref : corr.refs) {
      const auto uref = static_cast<std::size_t>(ref);
      bool seen = false;
      for (const auto& s : corr.slots) seen = seen || s.rule == ref;
      if (seen) continue;  // a rule listed twice feeds once
      const Rule& target = rules[uref];
      CorrelationPlan::Slot slot;
      slot.rule = ref;
      for (const auto& g : c.group_by) slot.group_fields.push_back(AliasedField(c, target, g));
      if (!c.condition.field.empty() &&
          (c.type == CorrelationType::kValueCount || IsValueType(c.type))) {
        slot.value_field = AliasedField(c, target, c.condition.field);
      }
      if (!target.correlation) {
        auto& fields = plan.fields_[uref];
        std::vector<std::string> wanted = slot.group_fields;
        if (!slot.value_field.empty()) wanted.push_back(slot.value_field);
        for (const auto& f : wanted) {
          if (std::none_of(fields.begin(), fields.end(),
                           [&](const std::string& x) { return FieldNameEquals(x, f); })) {
            fields.push_back(f);
          }
        }
      }
      plan.feeds_[uref] = true;
      plan.printed_[uref] = false;
      if (c.generate) generated[uref] = true;
      plan.consumers_[uref].emplace_back(k, static_cast<int>(corr.slots.size()));
      corr.slots.push_back(std::move(slot));
    }
    plan.corrs_.push_back(std::move(corr));
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (generated[i]) plan.printed_[i] = true;
    if (rules[i].is_filter || (rules[i].correlation && !valid[i])) plan.printed_[i] = false;
  }
  return plan;
}

bool CorrelationPlan::Feeds(int rule) const {
  return rule >= 0 && static_cast<std::size_t>(rule) < feeds_.size() &&
         feeds_[static_cast<std::size_t>(rule)];
}

bool CorrelationPlan::Printed(int rule) const {
  return rule < 0 || static_cast<std::size_t>(rule) >= printed_.size() ||
         printed_[static_cast<std::size_t>(rule)];
}

const std::vector<std::string>& CorrelationPlan::FieldsFor(int rule) const {
  if (rule < 0 || static_cast<std::size_t>(rule) >= fields_.size()) return no_fields_;
  return fields_[static_cast<std::size_t>(rule)];
}

void CorrelationPlan::ExtractValues(const Event& e, const LogSourceMap* map, int source,
                                    BaseDetection* d) const {
  const auto& fields = FieldsFor(d->rule);
  d->values.clear();
  d->values.reserve(fields.size());
  for (const auto& f : fields) {
    const std::string_view name =
        map != nullptr && source >= 0 ? map->MapField(source, f) : std::string_view(f);
    std::string_view v;
    if (e.Find(name, &v)) {
      d->values.emplace_back(std::string(v));
    } else {
      d->values.emplace_back(std::nullopt);
    }
  }
}

// ---------------------------------------------------------------------------------------------

namespace {

struct Entry {
  std::int64_t time = 0;
  std::uint64_t seq = 0;  // arrival order, breaks ties of equal times
  int rule = -1;
  std::string value;  // value_count
  double number = 0;  // value_sum / avg / percentile / median
  std::vector<CorrelationRecord> records;
  std::string timestamp;
};

bool EntryLess(const Entry& a, const Entry& b) {
  return a.time != b.time ? a.time < b.time : a.seq < b.seq;
}

struct Group {
  std::vector<std::pair<std::string, std::string>> values;
  std::deque<Entry> entries;  // sorted by (time, seq)
  std::int64_t max_time = kNoTime;
  std::int64_t closed_until = kNoTime;  // windowed mode: end of the last closed window
  std::uint64_t last_seq = 0;
};

struct CorrState {
  std::unordered_map<std::string, Group> groups;
  std::int64_t recent = kNoTime;  // event time of the latest detection fed to this correlation
  std::uint64_t adds = 0;
  std::uint64_t last_sweep_seq = 0;
};

// A value of a field of the detection being fed, by correlation field name.
using FieldLookup = std::function<std::optional<std::string>(const std::string&)>;

}  // namespace

struct CorrelationEvaluator::State {
  std::vector<CorrState> corrs;
  std::uint64_t seq = 0;
};

namespace {

double Aggregate(const CorrelationPlan::Corr& corr, const std::deque<Entry>& entries,
                 std::size_t lo, std::size_t hi) {
  const Correlation& c = *corr.c;
  switch (c.type) {
    case CorrelationType::kEventCount:
      return static_cast<double>(hi - lo + 1);
    case CorrelationType::kValueCount: {
      std::set<std::string_view> distinct;
      for (std::size_t i = lo; i <= hi; ++i) distinct.insert(entries[i].value);
      return static_cast<double>(distinct.size());
    }
    case CorrelationType::kTemporal: {
      std::set<int> distinct;
      for (std::size_t i = lo; i <= hi; ++i) distinct.insert(entries[i].rule);
      return static_cast<double>(distinct.size());
    }
    case CorrelationType::kTemporalOrdered: {
      // Length of the longest prefix of `rules:` that occurs in order (greedy earliest match).
      std::size_t pos = 0;
      for (std::size_t i = lo; i <= hi && pos < corr.refs.size(); ++i) {
        if (entries[i].rule == corr.refs[pos]) ++pos;
      }
      return static_cast<double>(pos);
    }
    case CorrelationType::kValueSum:
    case CorrelationType::kValueAvg: {
      double sum = 0;
      for (std::size_t i = lo; i <= hi; ++i) sum += entries[i].number;
      return c.type == CorrelationType::kValueSum ? sum : sum / static_cast<double>(hi - lo + 1);
    }
    case CorrelationType::kValuePercentile:
    case CorrelationType::kValueMedian: {
      std::vector<double> v;
      for (std::size_t i = lo; i <= hi; ++i) v.push_back(entries[i].number);
      std::sort(v.begin(), v.end());
      const double p = c.type == CorrelationType::kValueMedian ? 50.0 : c.condition.percentile;
      // Linear interpolation between the closest ranks.
      const double rank = p / 100.0 * static_cast<double>(v.size() - 1);
      const auto below = static_cast<std::size_t>(std::floor(rank));
      const std::size_t above = std::min(below + 1, v.size() - 1);
      return v[below] + (v[above] - v[below]) * (rank - static_cast<double>(below));
    }
  }
  return 0;
}

}  // namespace

CorrelationEvaluator::CorrelationEvaluator(const CorrelationPlan& plan, CorrelationOptions options)
    : plan_(plan), options_(options), st_(std::make_unique<State>()) {
  st_->corrs.resize(plan_.Corrs().size());
}

CorrelationEvaluator::~CorrelationEvaluator() = default;

namespace {

// The evaluation steps, with access to the evaluator's parts.
struct Runner {
  const CorrelationPlan& plan;
  const CorrelationOptions& options;
  CorrelationStats& stats;
  CorrelationEvaluator::State& st;
  std::vector<CorrelationDetection>* out;

  // Feeds a detection of rule `rule` at `time` to every correlation it feeds.
  void Feed(int rule, std::int64_t time, const std::string& timestamp,
            const std::vector<CorrelationRecord>& records, const FieldLookup& lookup) {
    const auto& consumers = plan.ConsumersOf(rule);
    for (const auto& [k, slot_idx] : consumers) {
      const auto& corr = plan.Corrs()[static_cast<std::size_t>(k)];
      const CorrelationPlan::Slot& slot = corr.slots[static_cast<std::size_t>(slot_idx)];
      Entry e;
      e.time = time;
      e.seq = ++st.seq;
      e.rule = rule;
      e.records = records;
      e.timestamp = timestamp;
      if (!slot.value_field.empty()) {
        auto v = lookup(slot.value_field);
        if (!v) continue;  // events without the field do not count
        if (corr.c->type == CorrelationType::kValueCount) {
          e.value = std::move(*v);
        } else {
          auto n = ParseNumber(*v);
          if (!n) continue;  // nor do non-numeric values of metric fields
          e.number = *n;
        }
      }
      std::vector<std::pair<std::string, std::string>> group;
      std::string key;
      for (std::size_t g = 0; g < slot.group_fields.size(); ++g) {
        std::string v = lookup(slot.group_fields[g]).value_or("");
        key += v;
        key.push_back('\x1f');
        group.emplace_back(corr.c->group_by[g], std::move(v));
      }
      Insert(k, key, std::move(group), std::move(e));
    }
  }

  void Insert(int k, const std::string& key,
              std::vector<std::pair<std::string, std::string>> values, Entry e) {
    const auto& corr = plan.Corrs()[static_cast<std::size_t>(k)];
    CorrState& cs = st.corrs[static_cast<std::size_t>(k)];
    const std::int64_t span = corr.c->timespan_ms;
    const std::int64_t late = options.max_lateness_ms;
    auto [it, fresh] = cs.groups.try_emplace(key);
    Group& g = it->second;
    if (fresh) g.values = std::move(values);
    cs.recent = e.time;
    if (g.max_time != kNoTime && e.time < g.max_time - span - late) {
      // Time went back further than any window plus the lateness: another recording (inputs
      // are read one after another, datasets concatenated). Close this group's timeline and
      // start a new one with this event, rather than dropping everything that follows.
      ++stats.restarts;
      if (!corr.rising) CloseWindows(k, g, /*flush=*/true);
      g.entries.clear();
      g.max_time = kNoTime;
      g.closed_until = kNoTime;
    } else if (g.closed_until != kNoTime && e.time <= g.closed_until) {
      ++stats.late;  // its window was already evaluated
      return;
    }
    const std::int64_t t = e.time;
    g.last_seq = e.seq;
    g.max_time = std::max(g.max_time, t);
    g.entries.insert(std::upper_bound(g.entries.begin(), g.entries.end(), e, EntryLess),
                     std::move(e));
    if (corr.rising) {
      EvaluateRising(k, g, t);
      // Entries too old to share a window with anything that may still arrive.
      while (!g.entries.empty() && g.entries.front().time < g.max_time - span - late) {
        g.entries.pop_front();
      }
    } else {
      CloseWindows(k, g, /*flush=*/false);
    }
    if (g.entries.empty() && corr.rising) cs.groups.erase(key);
    if (++cs.adds % kSweepEvery == 0) Sweep(k);
  }

  // Sliding windows [t_end - timespan, t_end] for every end time an entry at `t` can be part of;
  // fires on the first that satisfies the condition and consumes the entries up to its end.
  void EvaluateRising(int k, Group& g, std::int64_t t) {
    const auto& corr = plan.Corrs()[static_cast<std::size_t>(k)];
    const std::int64_t span = corr.c->timespan_ms;
    auto& es = g.entries;
    // First entry at or after time `time` (binary search: groups may hold many entries).
    auto first_at = [&es](std::int64_t time) {
      return static_cast<std::size_t>(
          std::partition_point(es.begin(), es.end(),
                               [time](const Entry& x) { return x.time < time; }) -
          es.begin());
    };
    std::size_t i = first_at(t);
    while (i < es.size() && es[i].time <= t + span) {
      const std::size_t hi = first_at(es[i].time + 1) - 1;  // last entry of the same time
      const std::size_t lo = first_at(es[hi].time - span);
      const double v = Aggregate(corr, es, lo, hi);
      if (ConditionHolds(corr.c->condition, v)) {
        Fire(k, g, lo, hi, v);
        es.erase(es.begin(), es.begin() + static_cast<std::ptrdiff_t>(hi + 1));
        return;
      }
      i = hi + 1;
    }
  }

  // Windowed mode: the window [t0, t0 + timespan] from the group's first pending entry closes
  // once the group has seen a time past t0 + timespan + lateness (or at the end of input); it
  // fires at most once and its entries are consumed either way.
  void CloseWindows(int k, Group& g, bool flush) {
    const auto& corr = plan.Corrs()[static_cast<std::size_t>(k)];
    const std::int64_t span = corr.c->timespan_ms;
    auto& es = g.entries;
    while (!es.empty()) {
      const std::int64_t t0 = es.front().time;
      if (!flush && g.max_time <= t0 + span + options.max_lateness_ms) break;
      const auto end = std::partition_point(es.begin(), es.end(),
                                            [&](const Entry& x) { return x.time <= t0 + span; });
      const auto hi = static_cast<std::size_t>(end - es.begin()) - 1;
      const double v = Aggregate(corr, es, 0, hi);
      if (ConditionHolds(corr.c->condition, v)) Fire(k, g, 0, hi, v);
      g.closed_until = t0 + span;
      es.erase(es.begin(), es.begin() + static_cast<std::ptrdiff_t>(hi + 1));
    }
  }

  void Fire(int k, const Group& g, std::size_t lo, std::size_t hi, double v) {
    const auto& corr = plan.Corrs()[static_cast<std::size_t>(k)];
    CorrelationDetection d;
    d.rule = corr.rule;
    d.group = g.values;
    d.result = v;
    d.first_timestamp = g.entries[lo].timestamp;
    d.timestamp = g.entries[hi].timestamp;
    for (std::size_t i = lo; i <= hi; ++i) {
      for (const auto& r : g.entries[i].records) {
        if (d.records.size() < CorrelationDetection::kMaxRecords) {
          d.records.push_back(r);
        } else {
          ++d.records_omitted;
        }
      }
    }
    ++stats.detections;
    const std::int64_t time = g.entries[hi].time;
    if (plan.Feeds(corr.rule)) {
      // Chaining: this detection is an event for the correlations referencing this one; their
      // group-by fields are looked up among this detection's group fields.
      const auto group = d.group;
      const FieldLookup lookup = [&group](const std::string& f) -> std::optional<std::string> {
        for (const auto& [name, value] : group) {
          if (FieldNameEquals(name, f)) return value;
        }
        return std::nullopt;
      };
      const auto records = d.records;
      const std::string ts = d.timestamp;
      out->push_back(std::move(d));
      Feed(corr.rule, time, ts, records, lookup);
    } else {
      out->push_back(std::move(d));
    }
  }

  // Drops groups that received nothing since the last sweep and lie more than timespan +
  // lateness behind the time of the correlation's latest detection (closing their windows
  // first), so memory stays bounded. Groups ahead of it (an earlier, newer recording) stay until
  // the end of input.
  void Sweep(int k) {
    const auto& corr = plan.Corrs()[static_cast<std::size_t>(k)];
    CorrState& cs = st.corrs[static_cast<std::size_t>(k)];
    const std::int64_t horizon = cs.recent - corr.c->timespan_ms - options.max_lateness_ms;
    for (auto it = cs.groups.begin(); it != cs.groups.end();) {
      Group& g = it->second;
      if (g.last_seq <= cs.last_sweep_seq && g.max_time < horizon) {
        if (!corr.rising) CloseWindows(k, g, /*flush=*/true);
        it = cs.groups.erase(it);
      } else {
        ++it;
      }
    }
    cs.last_sweep_seq = st.seq;
  }
};

}  // namespace

void CorrelationEvaluator::Add(const BaseDetection& d, std::vector<CorrelationDetection>* out) {
  ++stats_.fed;
  if (!plan_.Feeds(d.rule)) return;
  const auto instant = core::ParseRfc3339(d.timestamp);
  if (!instant) {
    ++stats_.untimed;
    return;
  }
  const std::int64_t time = instant->time_since_epoch().count();
  const auto& fields = plan_.FieldsFor(d.rule);
  const FieldLookup lookup = [&](const std::string& f) -> std::optional<std::string> {
    for (std::size_t i = 0; i < fields.size() && i < d.values.size(); ++i) {
      if (FieldNameEquals(fields[i], f)) return d.values[i];
    }
    return std::nullopt;
  };
  const std::vector<CorrelationRecord> records{{d.rule, d.input, d.record, d.timestamp}};
  Runner{plan_, options_, stats_, *st_, out}.Feed(d.rule, time, d.timestamp, records, lookup);
}

void CorrelationEvaluator::Flush(std::vector<CorrelationDetection>* out) {
  Runner run{plan_, options_, stats_, *st_, out};
  // Correlations come after the ones they reference, so chained windows see every input.
  for (std::size_t k = 0; k < plan_.Corrs().size(); ++k) {
    auto& groups = st_->corrs[k].groups;
    if (!plan_.Corrs()[k].rising) {
      // Close in time order so chained correlations see their inputs in order.
      std::vector<Group*> open;
      open.reserve(groups.size());
      for (auto& [key, g] : groups) open.push_back(&g);
      auto first = [](const Group* g) {
        return g->entries.empty() ? std::pair(kNoTime, std::uint64_t{0})
                                  : std::pair(g->entries.front().time, g->entries.front().seq);
      };
      std::sort(open.begin(), open.end(),
                [&](const Group* a, const Group* b) { return first(a) < first(b); });
      for (Group* g : open) run.CloseWindows(static_cast<int>(k), *g, /*flush=*/true);
    }
    groups.clear();
  }
}

std::size_t CorrelationEvaluator::OpenGroups() const {
  std::size_t n = 0;
  for (const auto& cs : st_->corrs) n += cs.groups.size();
  return n;
}

std::string CorrelationDetectionJson(const std::vector<Rule>& rules,
                                     const CorrelationDetection& d) {
  const Rule& rule = rules[static_cast<std::size_t>(d.rule)];
  const Correlation& c = *rule.correlation;
  nlohmann::ordered_json j;
  j["rule_id"] = rule.id;
  j["rule_title"] = rule.title;
  j["level"] = std::string(LevelName(rule.level));
  j["tags"] = rule.tags;
  j["rule_author"] = rule.author;
  j["rule_references"] = rule.references;
  j["correlation_type"] = std::string(CorrelationTypeName(c.type));
  nlohmann::ordered_json refs = nlohmann::ordered_json::array();
  for (const auto& name : c.rules) {
    // The id of the referenced rule when it has one, else the reference as written.
    std::string shown = name;
    for (const auto& r : rules) {
      if ((r.id == name || r.name == name) && !r.id.empty()) {
        shown = r.id;
        break;
      }
    }
    refs.push_back(shown);
  }
  j["rules"] = refs;
  nlohmann::ordered_json group = nlohmann::ordered_json::object();
  for (const auto& [k, v] : d.group) group[k] = v;
  j["group"] = group;
  nlohmann::ordered_json recs = nlohmann::ordered_json::array();
  for (const auto& r : d.records) {
    nlohmann::ordered_json o;
    const Rule& base = rules[static_cast<std::size_t>(r.rule)];
    o["rule_id"] = base.id.empty() ? base.name : base.id;
    o["input"] = r.input;
    o["record"] = r.record;
    o["timestamp"] = r.timestamp;
    recs.push_back(std::move(o));
  }
  j["records"] = recs;
  if (d.records_omitted > 0) j["records_omitted"] = d.records_omitted;
  j["first_timestamp"] = d.first_timestamp;
  j["timestamp"] = d.timestamp;
  if (IsValueType(c.type)) {
    j["field"] = c.condition.field;
    j["value"] = d.result;
  } else {
    if (c.type == CorrelationType::kValueCount) j["field"] = c.condition.field;
    j["count"] = static_cast<std::int64_t>(d.result);
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<bool> RulesNeededAtLevel(const std::vector<Rule>& rules, Level min) {
  std::vector<bool> keep(rules.size(), false);
  std::map<std::string, std::size_t> by_id, by_name;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!rules[i].id.empty()) by_id.emplace(rules[i].id, i);
    if (!rules[i].name.empty()) by_name.emplace(rules[i].name, i);
  }
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].is_filter || rules[i].level >= min) {
      keep[i] = true;
      todo.push_back(i);
    }
  }
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    if (!rules[i].correlation) continue;
    for (const auto& name : rules[i].correlation->rules) {
      auto it = by_id.find(name);
      if (it == by_id.end()) it = by_name.find(name);
      if (it == by_name.end() || keep[it->second]) continue;
      keep[it->second] = true;
      todo.push_back(it->second);
    }
  }
  return keep;
}

}  // namespace ucsc::hunt
