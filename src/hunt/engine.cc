#include "hunt/engine.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <unordered_map>

#ifdef UCSC_HUNT_HAVE_HS
#include <hs/hs.h>
#endif

namespace ucsc::hunt {
namespace {

struct CiHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const {
    std::size_t h = 1469598103934665603ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(AsciiLower(c))) * 1099511628211ull;
    return h;
  }
};
struct CiEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return FieldNameEquals(a, b); }
};

struct CValue {
  const Value* v = nullptr;
  int ref_field = -1;  // kFieldRef
  int literal = -1;    // kString on a field: its longest literal, which the scan must have seen
};

struct CItem {
  int field = -1;  // -1: keyword (all fields)
  bool match_all = false;
  std::vector<CValue> values;
};

struct CSelection {
  std::vector<std::vector<CItem>> alternatives;
};

struct Instance {
  int rule = 0;
  int source = 0;
  const Condition* condition = nullptr;
  std::vector<CSelection> selections;
  bool always = false;
};

// A set of literals at least one of which must occur in the scanned text; nullopt = unknown.
using LitSet = std::optional<std::vector<std::string>>;

std::size_t Score(const LitSet& s) {
  if (!s || s->empty()) return 0;
  std::size_t m = SIZE_MAX;
  for (const auto& l : *s) m = std::min(m, l.size());
  return m;
}

LitSet Best(LitSet a, LitSet b) {
  if (!a) return b;
  if (!b) return a;
  const std::size_t sa = Score(a), sb = Score(b);
  if (sa != sb) return sa > sb ? std::move(a) : std::move(b);
  return a->size() <= b->size() ? std::move(a) : std::move(b);
}

LitSet Union(LitSet a, const LitSet& b) {
  if (!a || !b) return std::nullopt;
  a->insert(a->end(), b->begin(), b->end());
  return a;
}

LitSet ValueLits(const Value& v) {
  if (v.kind == ValueKind::kNever) return std::vector<std::string>{};  // never matches: no need
  if (v.kind != ValueKind::kString) return std::nullopt;
  std::string best;
  for (const auto& t : v.pattern.tokens()) {
    if (t.kind == PatternToken::Kind::kLiteral && t.text.size() > best.size()) best = t.text;
  }
  if (best.empty()) return std::nullopt;
  return std::vector<std::string>{AsciiLowerCopy(best)};
}

LitSet ItemLits(const DetectionItem& item) {
  if (item.match_all) {
    LitSet best;
    for (const auto& v : item.values) best = Best(std::move(best), ValueLits(v));
    return best;
  }
  LitSet acc = std::vector<std::string>{};
  for (const auto& v : item.values) acc = Union(std::move(acc), ValueLits(v));
  return acc;
}

LitSet SelectionLits(const Selection& sel) {
  LitSet acc = std::vector<std::string>{};
  for (const auto& alt : sel.alternatives) {
    LitSet best;
    for (const auto& item : alt) best = Best(std::move(best), ItemLits(item));
    acc = Union(std::move(acc), best);
  }
  return acc;
}

LitSet ConditionLits(const Condition& c, const Rule& r) {
  switch (c.kind) {
    case Condition::Kind::kRef:
      return SelectionLits(r.selections[static_cast<std::size_t>(c.selection)]);
    case Condition::Kind::kAnd: {
      LitSet best;
      for (const auto& ch : c.children) best = Best(std::move(best), ConditionLits(ch, r));
      return best;
    }
    case Condition::Kind::kOr: {
      LitSet acc = std::vector<std::string>{};
      for (const auto& ch : c.children) acc = Union(std::move(acc), ConditionLits(ch, r));
      return acc;
    }
    case Condition::Kind::kFalse:
      return std::vector<std::string>{};
    case Condition::Kind::kNot:
    case Condition::Kind::kTrue:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

struct Plan::Impl {
  const std::vector<Rule>* rules = nullptr;
  const LogSourceMap* map = nullptr;
  std::unordered_map<std::string, int, CiHash, CiEq> field_ids;
  int channel_field = -1;
  int event_id_field = -1;
  std::vector<Instance> instances;
  std::vector<std::vector<int>> always_by_source;
  std::vector<bool> source_has_literals;
  std::vector<std::string> literals;
  std::vector<std::vector<int>> literal_instances;
  // The same, as (source, instance) sorted by source, so a hit looks only at the event's sources.
  std::vector<std::vector<std::pair<int, int>>> literal_by_source;
#ifdef UCSC_HUNT_HAVE_HS
  hs_database_t* db = nullptr;
#endif

  std::unordered_map<std::string, int> literal_index;

  int LiteralId(const std::string& l) {
    auto [it, inserted] = literal_index.emplace(l, static_cast<int>(literals.size()));
    if (inserted) {
      literals.push_back(l);
      literal_instances.emplace_back();
    }
    return it->second;
  }

  int FieldId(std::string_view name) {
    auto it = field_ids.find(name);
    if (it != field_ids.end()) return it->second;
    const int id = static_cast<int>(field_ids.size());
    field_ids.emplace(std::string(name), id);
    return id;
  }
};

Plan::~Plan() {
#ifdef UCSC_HUNT_HAVE_HS
  if (impl_ && impl_->db) hs_free_database(impl_->db);
#endif
}

core::Result<std::unique_ptr<Plan>> Plan::Compile(const std::vector<Rule>& rules,
                                                  const LogSourceMap& map,
                                                  const CompileOptions& options) {
  std::unique_ptr<Plan> plan(new Plan());
  plan->impl_ = std::make_unique<Impl>();
  Impl& im = *plan->impl_;
  im.rules = &rules;
  im.map = &map;
  im.channel_field = im.FieldId("Channel");
  im.event_id_field = im.FieldId("EventID");
  const std::size_t nsources = map.sources().size();
  im.always_by_source.resize(nsources);
  im.source_has_literals.assign(nsources, false);

  for (std::size_t r = 0; r < rules.size(); ++r) {
    const Rule& rule = rules[r];
    if (rule.correlation || rule.is_filter) continue;
    ++plan->stats_.rules;
    const std::vector<int> sources = map.SourcesForRule(rule.logsource);
    if (sources.empty()) {
      ++plan->stats_.unrouted;
      continue;
    }
    const LitSet lits = ConditionLits(rule.condition, rule);
    for (int s : sources) {
      Instance inst;
      inst.rule = static_cast<int>(r);
      inst.source = s;
      inst.condition = &rule.condition;
      for (const auto& sel : rule.selections) {
        CSelection cs;
        for (const auto& alt : sel.alternatives) {
          std::vector<CItem> citems;
          for (const auto& item : alt) {
            CItem ci;
            ci.match_all = item.match_all;
            if (item.field) {
              ci.field = im.FieldId(map.MapField(s, *item.field));
            }
            for (const auto& v : item.values) {
              CValue cv;
              cv.v = &v;
              if (v.kind == ValueKind::kFieldRef)
                cv.ref_field = im.FieldId(map.MapField(s, v.ref_field));
              ci.values.push_back(cv);
            }
            citems.push_back(std::move(ci));
          }
          cs.alternatives.push_back(std::move(citems));
        }
        inst.selections.push_back(std::move(cs));
      }
      const int inst_idx = static_cast<int>(im.instances.size());
      if (!lits) {
        inst.always = true;
        im.always_by_source[static_cast<std::size_t>(s)].push_back(inst_idx);
        ++plan->stats_.always_run;
      } else {
        im.source_has_literals[static_cast<std::size_t>(s)] = true;
        for (const auto& l : *lits) {
          auto& list = im.literal_instances[static_cast<std::size_t>(im.LiteralId(l))];
          if (list.empty() || list.back() != inst_idx) list.push_back(inst_idx);
        }
      }
      im.instances.push_back(std::move(inst));
    }
  }
  im.literal_by_source.resize(im.literal_instances.size());
  for (std::size_t l = 0; l < im.literal_instances.size(); ++l) {
    auto& v = im.literal_by_source[l];
    for (int inst : im.literal_instances[l]) {
      v.emplace_back(im.instances[static_cast<std::size_t>(inst)].source, inst);
    }
    std::sort(v.begin(), v.end());
  }
  plan->stats_.instances = im.instances.size();
  plan->stats_.literals = im.literals.size();

#ifdef UCSC_HUNT_HAVE_HS
  if (!im.literals.empty()) {
    std::vector<const char*> exprs;
    std::vector<std::size_t> lens;
    std::vector<unsigned> flags, ids;
    for (std::size_t i = 0; i < im.literals.size(); ++i) {
      exprs.push_back(im.literals[i].data());
      lens.push_back(im.literals[i].size());
      flags.push_back(HS_FLAG_SINGLEMATCH);
      ids.push_back(static_cast<unsigned>(i));
    }
    std::string cache_file;
    if (!options.cache_dir.empty()) {
      std::uint64_t h = 1469598103934665603ull;
      auto mix = [&h](std::string_view s) {
        for (char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
        h = (h ^ 0xFFu) * 1099511628211ull;
      };
      mix(hs_version());
      for (const auto& l : im.literals) mix(l);
      char name[64];
      std::snprintf(name, sizeof name, "hunt-prefilter-%016llx.hsdb",
                    static_cast<unsigned long long>(h));
      cache_file = options.cache_dir + "/" + name;
      std::ifstream in(cache_file, std::ios::binary);
      if (in) {
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (hs_deserialize_database(bytes.data(), bytes.size(), &im.db) == HS_SUCCESS) {
          plan->stats_.vectorscan = true;
          plan->stats_.cache_hit = true;
          return plan;
        }
        im.db = nullptr;
      }
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                             static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &im.db,
                             &err) != HS_SUCCESS) {
      std::string msg = err && err->message ? err->message : "unknown error";
      hs_free_compile_error(err);
      return core::Internal("cannot compile the literal prefilter: " + msg);
    }
    plan->stats_.vectorscan = true;
    if (!cache_file.empty()) {
      char* bytes = nullptr;
      std::size_t len = 0;
      if (hs_serialize_database(im.db, &bytes, &len) == HS_SUCCESS) {
        std::error_code ec;
        std::filesystem::create_directories(options.cache_dir, ec);
        const std::string tmp = cache_file + ".tmp" + std::to_string(::getpid());
        {
          std::ofstream o(tmp, std::ios::binary);
          o.write(bytes, static_cast<std::streamsize>(len));
        }
        std::filesystem::rename(tmp, cache_file, ec);
        if (ec) std::filesystem::remove(tmp, ec);
        std::free(bytes);
      }
    }
  }
#endif
  return plan;
}

struct Matcher::State {
  std::vector<int> head;  // per field id: first slot, -1
  std::vector<int> next;  // per slot: next slot with the same field id
  std::vector<int> slot_field;
  std::vector<int> touched;
  std::string lowered;  // lower-cased values: scanned fields first
  std::vector<std::pair<std::uint32_t, std::uint32_t>> low;  // per slot: offset, length
  std::size_t scan_len = 0;
  std::vector<std::uint32_t> inst_stamp;
  std::vector<std::uint32_t> literal_stamp;
  std::vector<std::uint32_t> source_stamp;
  std::uint32_t epoch = 0;
  std::vector<int> hits;
  const std::vector<int>* active_sources = nullptr;  // the current event's sources
  std::uint64_t evaluated = 0;
  std::unordered_map<std::string, std::vector<int>> routes;
  std::string route_key;
  const Event* event = nullptr;
  const Plan::Impl* im = nullptr;
#ifdef UCSC_HUNT_HAVE_HS
  hs_scratch_t* scratch = nullptr;
#endif

  std::string_view Raw(int slot) const { return event->value(static_cast<std::size_t>(slot)); }
  std::string_view Low(int slot) const {
    const auto& p = low[static_cast<std::size_t>(slot)];
    return {lowered.data() + p.first, p.second};
  }

  void OnLiteral(unsigned id) {
    literal_stamp[id] = epoch;
    const auto& list = im->literal_by_source[id];
    if (list.empty()) return;
    for (int s : *active_sources) {
      auto it = std::lower_bound(list.begin(), list.end(), std::pair<int, int>(s, -1));
      for (; it != list.end() && it->first == s; ++it) {
        const int inst = it->second;
        if (inst_stamp[static_cast<std::size_t>(inst)] == epoch) continue;
        inst_stamp[static_cast<std::size_t>(inst)] = epoch;
        hits.push_back(inst);
      }
    }
  }

  bool MatchString(const Pattern& p, int slot) const {
    const std::string_view v = p.cased() ? Raw(slot) : Low(slot);
    const std::string& lit = p.single_literal();
    switch (p.shape()) {
      case Pattern::Shape::kExact:
        return v == lit;
      case Pattern::Shape::kPrefix:
        return v.size() >= lit.size() && std::memcmp(v.data(), lit.data(), lit.size()) == 0;
      case Pattern::Shape::kSuffix:
        return v.size() >= lit.size() &&
               std::memcmp(v.data() + v.size() - lit.size(), lit.data(), lit.size()) == 0;
      case Pattern::Shape::kContains:
        return v.find(lit) != std::string_view::npos;
      case Pattern::Shape::kAny:
        return true;
      case Pattern::Shape::kGeneral:
        return p.cased() ? p.Match(v) : p.MatchLowered(v);
    }
    return false;
  }

  bool MatchValue(const CValue& cv, int slot) const {
    const Value& v = *cv.v;
    switch (v.kind) {
      case ValueKind::kString:
        if (cv.literal >= 0 && literal_stamp[static_cast<std::size_t>(cv.literal)] != epoch) {
          return false;  // its literal is nowhere in the scanned fields
        }
        return MatchString(v.pattern, slot);
      case ValueKind::kRegex:
        return RE2::PartialMatch(Raw(slot), *v.regex);
      case ValueKind::kCidr: {
        auto ip = ParseIp(Raw(slot));
        return ip && v.cidr.Contains(*ip);
      }
      case ValueKind::kNumeric: {
        auto n = ParseNumber(Raw(slot));
        if (!n) return false;
        switch (v.numeric_op) {
          case NumericOp::kLt:
            return *n < v.number;
          case NumericOp::kLte:
            return *n <= v.number;
          case NumericOp::kGt:
            return *n > v.number;
          case NumericOp::kGte:
            return *n >= v.number;
        }
        return false;
      }
      case ValueKind::kExists:
        return v.exists;
      case ValueKind::kNull:
        return Raw(slot).empty();
      case ValueKind::kFieldRef: {
        if (cv.ref_field < 0 || static_cast<std::size_t>(cv.ref_field) >= head.size()) return false;
        for (int o = head[static_cast<std::size_t>(cv.ref_field)]; o >= 0;
             o = next[static_cast<std::size_t>(o)]) {
          Pattern q = Pattern::Literal(Raw(o), v.ref_case);
          if (v.ref_op == FieldRefOp::kContains || v.ref_op == FieldRefOp::kEndsWith) {
            q.AddLeadingStar();
          }
          if (v.ref_op == FieldRefOp::kContains || v.ref_op == FieldRefOp::kStartsWith) {
            q.AddTrailingStar();
          }
          if (q.Match(Raw(slot))) return true;
        }
        return false;
      }
      case ValueKind::kNever:
        return false;
      case ValueKind::kMatcher:
        return v.matcher && v.matcher->Match(Raw(slot));
    }
    return false;
  }

  bool ValueOnItem(const CValue& cv, const CItem& item) const {
    const Value& v = *cv.v;
    if (item.field < 0) {
      if (v.kind == ValueKind::kNull || v.kind == ValueKind::kExists) return false;
      for (std::size_t s = 0; s < event->size(); ++s) {
        if (MatchValue(cv, static_cast<int>(s))) return true;
      }
      return false;
    }
    const int first = head[static_cast<std::size_t>(item.field)];
    if (first < 0) {
      if (v.kind == ValueKind::kExists) return !v.exists;
      return v.kind == ValueKind::kNull;
    }
    if (v.kind == ValueKind::kExists) return v.exists;
    for (int s = first; s >= 0; s = next[static_cast<std::size_t>(s)]) {
      if (MatchValue(cv, s)) return true;
    }
    return false;
  }

  bool Item(const CItem& item) const {
    if (item.match_all) {
      for (const auto& cv : item.values) {
        if (!ValueOnItem(cv, item)) return false;
      }
      return !item.values.empty();
    }
    for (const auto& cv : item.values) {
      if (ValueOnItem(cv, item)) return true;
    }
    return false;
  }

  bool Cond(const Condition& c, const Instance& inst) const {
    switch (c.kind) {
      case Condition::Kind::kTrue:
        return true;
      case Condition::Kind::kFalse:
        return false;
      case Condition::Kind::kNot:
        return !Cond(c.children[0], inst);
      case Condition::Kind::kAnd:
        for (const auto& ch : c.children) {
          if (!Cond(ch, inst)) return false;
        }
        return true;
      case Condition::Kind::kOr:
        for (const auto& ch : c.children) {
          if (Cond(ch, inst)) return true;
        }
        return false;
      case Condition::Kind::kRef: {
        const CSelection& sel = inst.selections[static_cast<std::size_t>(c.selection)];
        for (const auto& alt : sel.alternatives) {
          bool all = true;
          for (const auto& item : alt) {
            if (!Item(item)) {
              all = false;
              break;
            }
          }
          if (all) return true;
        }
        return false;
      }
    }
    return false;
  }
};

Matcher::Matcher(const Plan& plan) : plan_(plan), st_(std::make_unique<State>()) {
  const Plan::Impl& im = plan.impl();
  st_->im = &im;
  st_->head.assign(im.field_ids.size(), -1);
  st_->inst_stamp.assign(im.instances.size(), 0);
  st_->literal_stamp.assign(im.literals.size(), 0);
  st_->source_stamp.assign(im.map->sources().size(), 0);
#ifdef UCSC_HUNT_HAVE_HS
  if (im.db) hs_alloc_scratch(im.db, &st_->scratch);
#endif
}

Matcher::~Matcher() {
#ifdef UCSC_HUNT_HAVE_HS
  if (st_->scratch) hs_free_scratch(st_->scratch);
#endif
}

std::uint64_t Matcher::evaluated() const { return st_->evaluated; }

void Matcher::Match(const Event& e, std::vector<int>* out) {
  out->clear();
  State& st = *st_;
  const Plan::Impl& im = *st.im;
  st.event = &e;
  for (int f : st.touched) st.head[static_cast<std::size_t>(f)] = -1;
  st.touched.clear();
  const std::size_t n = e.size();
  st.next.assign(n, -1);
  st.slot_field.assign(n, -1);
  // Index fields by id; keep event order in the chains (build from the back).
  for (std::size_t i = n; i-- > 0;) {
    auto it = im.field_ids.find(e.name(i));
    if (it == im.field_ids.end()) continue;
    const int f = it->second;
    st.slot_field[i] = f;
    if (st.head[static_cast<std::size_t>(f)] < 0) st.touched.push_back(f);
    st.next[i] = st.head[static_cast<std::size_t>(f)];
    st.head[static_cast<std::size_t>(f)] = static_cast<int>(i);
  }

  // Route.
  std::string_view channel, event_id;
  if (im.channel_field >= 0 && st.head[static_cast<std::size_t>(im.channel_field)] >= 0) {
    channel =
        e.value(static_cast<std::size_t>(st.head[static_cast<std::size_t>(im.channel_field)]));
  }
  if (im.event_id_field >= 0 && st.head[static_cast<std::size_t>(im.event_id_field)] >= 0) {
    event_id =
        e.value(static_cast<std::size_t>(st.head[static_cast<std::size_t>(im.event_id_field)]));
  }
  st.route_key.clear();
  for (char c : channel) st.route_key.push_back(AsciiLower(c));
  st.route_key.push_back('\x1f');
  st.route_key.append(event_id);
  auto rit = st.routes.find(st.route_key);
  if (rit == st.routes.end()) {
    std::vector<int> srcs;
    for (std::size_t s = 0; s < im.map->sources().size(); ++s) {
      if (im.map->EventMatches(static_cast<int>(s), channel, event_id)) {
        srcs.push_back(static_cast<int>(s));
      }
    }
    rit = st.routes.emplace(st.route_key, std::move(srcs)).first;
  }
  const std::vector<int>& sources = rit->second;
  if (sources.empty()) return;
  st.active_sources = &sources;

  ++st.epoch;
  if (st.epoch == 0) {  // wrapped: reset stamps
    std::fill(st.inst_stamp.begin(), st.inst_stamp.end(), 0);
    std::fill(st.literal_stamp.begin(), st.literal_stamp.end(), 0);
    std::fill(st.source_stamp.begin(), st.source_stamp.end(), 0);
    st.epoch = 1;
  }
  bool any_literals = false;
  for (int s : sources) {
    st.source_stamp[static_cast<std::size_t>(s)] = st.epoch;
    any_literals = any_literals || im.source_has_literals[static_cast<std::size_t>(s)];
  }

  // Lower-case every value once; the prefilter scans them all (keywords may be anywhere).
  st.lowered.clear();
  st.low.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view v = e.value(i);
    const std::size_t off = st.lowered.size();
    st.lowered.resize(off + v.size() + 1);
    char* d = st.lowered.data() + off;
    for (std::size_t k = 0; k < v.size(); ++k) d[k] = AsciiLower(v[k]);
    d[v.size()] = '\0';
    st.low[i] = {static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(v.size())};
  }
  st.scan_len = st.lowered.size();  // all fields: keyword values may be anywhere

  st.hits.clear();
  // The scan also records which value literals occur, so it runs whenever rules may run.
  (void)any_literals;
  if (st.scan_len > 0) {
#ifdef UCSC_HUNT_HAVE_HS
    if (im.db) {
      hs_scan(
          im.db, st.lowered.data(), static_cast<unsigned>(st.scan_len), 0, st.scratch,
          [](unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
            static_cast<State*>(ctx)->OnLiteral(id);
            return 0;
          },
          &st);
    }
#else
    const std::string_view text(st.lowered.data(), st.scan_len);
    for (std::size_t l = 0; l < im.literals.size(); ++l) {
      if (text.find(im.literals[l]) != std::string_view::npos)
        st.OnLiteral(static_cast<unsigned>(l));
    }
#endif
  }
  for (int s : sources) {
    for (int inst : im.always_by_source[static_cast<std::size_t>(s)]) {
      if (st.inst_stamp[static_cast<std::size_t>(inst)] == st.epoch) continue;
      st.inst_stamp[static_cast<std::size_t>(inst)] = st.epoch;
      st.hits.push_back(inst);
    }
  }
  std::sort(st.hits.begin(), st.hits.end());
  st.evaluated += st.hits.size();
  for (int inst_idx : st.hits) {
    const Instance& inst = im.instances[static_cast<std::size_t>(inst_idx)];
    if (!out->empty() && out->back() == inst.rule) continue;
    if (st.Cond(*inst.condition, inst)) out->push_back(inst.rule);
  }
}

}  // namespace ucsc::hunt
