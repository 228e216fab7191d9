#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "hunt/engine.h"
#include "hunt/internal/engine_plan.h"

namespace ucsc::hunt {

namespace {

using internal::CItem;
using internal::CSelection;
using internal::CValue;
using internal::Instance;
using internal::kExactLit;

// NUL bytes after every text the databases scan. Vectorscan 5.4.9 (Debian 12's libvectorscan5)
// misses literals that end in the last 31 bytes of a block for some sets of literals (found in
// review; a sweep of 3,000 random databases missed in 656 of them without padding, none with 64
// bytes of it; test Differential.LiteralsAtTheEndOfTheScannedText). A literal with a NUL byte
// could at most gain a hit from the padding, never lose one.
constexpr std::size_t kScanPadding = 64;

// A hash of an event's shape from its field count, its names' total size and five words of
// the names (cheap; the shape cache verifies a hit in full).
std::uint64_t ShapeHash(const Event& e) {
  const std::string_view t = e.names_text();
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = (e.size() * kMul) ^ t.size();
  if (t.size() >= 8) {
    // Five words spread over the names, the last ending at their end (all within bounds).
    for (std::size_t k = 0; k <= 4; ++k) {
      const std::size_t pos = k * (t.size() - 8) / 4;
      std::uint64_t w;
      std::memcpy(&w, t.data() + pos, 8);
      h = (h ^ w) * kMul;
      h ^= h >> 29;
    }
  } else {
    for (char c : t) h = (h ^ static_cast<unsigned char>(c)) * kMul;
  }
  return h ^ (h >> 32);
}
}  // namespace

struct Matcher::State {
  // What routing gives an event's (Channel, EventID) pair, cached per pair.
  struct Route {
    std::vector<int> sources;
    std::vector<int> scan_fields;   // fields the sources' instances read (sorted ids)
    int db = -1;                    // literal database of the source set; -1: none (run all)
    std::vector<int> exact_fields;  // fields with exact-value literals (sorted ids)
  };

  std::vector<int> head;  // per field id: first slot, -1
  std::vector<int> next;  // per slot: next slot with the same field id
  std::vector<int> touched;
  // The field index (head, next) depends only on the event's names in order: events of one kind
  // from one source repeat them. Cached per shape (direct-mapped by a sampled hash, verified
  // by comparing all names and lengths), so most events skip the per-name hash lookups.
  struct Shape {
    std::string names;                // Event::names_text()
    std::vector<std::uint32_t> lens;  // name sizes
    std::vector<int> next;            // as `next`
    std::vector<int> touched;         // as `touched`
    std::vector<int> first;           // head[touched[k]]
  };
  static constexpr std::size_t kShapes = 256;
  std::vector<Shape> shapes = std::vector<Shape>(kShapes);
  std::string lowered;  // the event's text(), ASCII-lower-cased (same offsets)
  // The event has U+017F 'ſ' or U+212A 'K', which regexes may match as 's' and 'k' but the
  // lowered text does not show (see RegexNeeds).
  bool fold_event = false;
  // The prefilter ran for this event: a literal of its sources without a stamp is absent.
  bool gated = true;
  std::vector<std::uint32_t> inst_stamp;
  std::vector<std::uint32_t> literal_stamp;
  std::uint32_t epoch = 0;
  std::vector<int> hits;
  const std::vector<int>* active_sources = nullptr;  // the current event's sources
  std::uint64_t evaluated = 0;
  std::unordered_map<std::string, Route> routes;
  std::string route_key;
  std::string last_route_key;
  const Route* last_route = nullptr;  // node of `routes` (stable)
  std::string field_text;             // lower-cased values of the scanned fields, NUL-separated
  const Event* event = nullptr;
  const Plan::Impl* im = nullptr;
#ifdef UCSC_HUNT_HAVE_HS
  hs_scratch_t* scratch = nullptr;
#endif

  std::string_view Raw(int slot) const { return event->value(static_cast<std::size_t>(slot)); }
  std::string_view Low(int slot) const {
    const auto i = static_cast<std::size_t>(slot);
    return {lowered.data() + event->value_offset(i), event->value(i).size()};
  }

  // Instance `inst` is evaluated for this event (once).
  void AddHit(int inst) {
    if (inst_stamp[static_cast<std::size_t>(inst)] == epoch) return;
    inst_stamp[static_cast<std::size_t>(inst)] = epoch;
    hits.push_back(inst);
  }

  void OnLiteral(unsigned id) {
    literal_stamp[id] = epoch;
    const auto& list = im->literal_by_source[id];
    if (list.empty()) return;
    for (int s : *active_sources) {
      auto it = std::lower_bound(list.begin(), list.end(), std::pair<int, int>(s, -1));
      for (; it != list.end() && it->first == s; ++it) AddHit(it->second);
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
        return MatchString(v.pattern, slot);
      case ValueKind::kRegex:
        if (!fold_event) {
          const std::string_view low = Low(slot);
          for (const auto& n : cv.needs) {
            if (low.find(n) == std::string_view::npos) return false;
          }
        }
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
    if (cv.lit >= 0 && gated && literal_stamp[static_cast<std::size_t>(cv.lit)] != epoch) {
      return false;  // its literal is nowhere in the scanned text (kString values only)
    }
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
    if (item.set) {
      for (int s = head[static_cast<std::size_t>(item.field)]; s >= 0;
           s = next[static_cast<std::size_t>(s)]) {
        if (item.set->Match(Low(s))) return true;
      }
    }
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

Matcher::Matcher(const Plan& plan) : st_(std::make_unique<State>()) {
  const Plan::Impl& im = plan.impl();
  st_->im = &im;
  st_->head.assign(im.field_ids.size(), -1);
  st_->inst_stamp.assign(im.instances.size(), 0);
  st_->literal_stamp.assign(im.literals.size(), 0);
#ifdef UCSC_HUNT_HAVE_HS
  for (auto* db : im.dbs) {
    if (db) hs_alloc_scratch(db, &st_->scratch);
  }
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
  State::Shape& shape = st.shapes[ShapeHash(e) & (State::kShapes - 1)];
  bool same = shape.lens.size() == n && shape.names == e.names_text();
  for (std::size_t i = 0; same && i < n; ++i) same = shape.lens[i] == e.name_size(i);
  if (!same) {
    // Index fields by id; keep event order in the chains (build from the back).
    st.next.assign(n, -1);
    for (std::size_t i = n; i-- > 0;) {
      const int f = im.field_table.Find(e.name(i));
      if (f < 0) continue;
      if (st.head[static_cast<std::size_t>(f)] < 0) st.touched.push_back(f);
      st.next[i] = st.head[static_cast<std::size_t>(f)];
      st.head[static_cast<std::size_t>(f)] = static_cast<int>(i);
    }
    shape.names.assign(e.names_text());
    shape.lens.resize(n);
    for (std::size_t i = 0; i < n; ++i) shape.lens[i] = static_cast<std::uint32_t>(e.name_size(i));
    shape.next = st.next;
    shape.touched = st.touched;
    shape.first.clear();
    for (int f : st.touched) shape.first.push_back(st.head[static_cast<std::size_t>(f)]);
  } else {
    st.next = shape.next;
    st.touched = shape.touched;
    for (std::size_t k = 0; k < shape.touched.size(); ++k) {
      st.head[static_cast<std::size_t>(shape.touched[k])] = shape.first[k];
    }
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
  // Consecutive events mostly share their route: compare with the last key first.
  if (st.last_route && st.route_key == st.last_route_key) {
    // same route as the previous event
  } else if (auto rit = st.routes.find(st.route_key); rit != st.routes.end()) {
    st.last_route = &rit->second;
    st.last_route_key = st.route_key;
  } else {
    State::Route route;
    for (std::size_t s = 0; s < im.map->sources().size(); ++s) {
      if (!im.map->EventMatches(static_cast<int>(s), channel, event_id)) continue;
      route.sources.push_back(static_cast<int>(s));
      route.scan_fields.insert(route.scan_fields.end(), im.source_fields[s].begin(),
                               im.source_fields[s].end());
      route.exact_fields.insert(route.exact_fields.end(), im.source_exact_fields[s].begin(),
                                im.source_exact_fields[s].end());
    }
#ifdef UCSC_HUNT_HAVE_HS
    if (auto d = im.set_db.find(route.sources); d != im.set_db.end()) route.db = d->second;
#endif
    std::sort(route.exact_fields.begin(), route.exact_fields.end());
    route.exact_fields.erase(std::unique(route.exact_fields.begin(), route.exact_fields.end()),
                             route.exact_fields.end());
    std::sort(route.scan_fields.begin(), route.scan_fields.end());
    route.scan_fields.erase(std::unique(route.scan_fields.begin(), route.scan_fields.end()),
                            route.scan_fields.end());
    st.last_route = &st.routes.emplace(st.route_key, std::move(route)).first->second;
    st.last_route_key = st.route_key;
  }
  const State::Route& route = *st.last_route;
  if (route.sources.empty()) return;
  st.active_sources = &route.sources;

  ++st.epoch;
  if (st.epoch == 0) {  // wrapped: reset stamps
    std::fill(st.inst_stamp.begin(), st.inst_stamp.end(), 0);
    std::fill(st.literal_stamp.begin(), st.literal_stamp.end(), 0);
    st.epoch = 1;
  }

  // Lower-case all values once (one loop over Event::text(), which the compiler vectorises);
  // the prefilter literals are lower-case, and values keep their offsets.
  const std::string_view text = e.text();
  st.lowered.resize(text.size() + kScanPadding);
  std::memset(st.lowered.data() + text.size(), 0, kScanPadding);
  {
    const auto* src = reinterpret_cast<const unsigned char*>(text.data());
    auto* dst = reinterpret_cast<unsigned char*>(st.lowered.data());
    unsigned char high = 0;
    for (std::size_t k = 0; k < text.size(); ++k) {
      const unsigned char c = src[k];
      high |= c;
      dst[k] = static_cast<unsigned char>(c + ((static_cast<unsigned char>(c - 'A') < 26u) << 5));
    }
    st.fold_event = (high & 0x80) != 0 && (text.find("\xC5\xBF") != std::string_view::npos ||
                                           text.find("\xE2\x84\xAA") != std::string_view::npos);
  }

  st.hits.clear();
  // Exact-value literals: one hash lookup per value of the fields that have them.
  for (int f : route.exact_fields) {
    for (int o = st.head[static_cast<std::size_t>(f)]; o >= 0;
         o = st.next[static_cast<std::size_t>(o)]) {
      const std::vector<int>* ids = im.exact_table.Find(f, st.Low(o));
      if (!ids) continue;
      for (int id : *ids) st.OnLiteral(static_cast<unsigned>(id));
    }
  }
  st.gated = true;
#ifdef UCSC_HUNT_HAVE_HS
  auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned,
                     void* ctx) -> int {
    static_cast<State*>(ctx)->OnLiteral(id);
    return 0;
  };
  if (route.db >= 0) {
    // Field literals over the lower-cased values of the fields the sources read, copied back to
    // back (NUL-separated: one scan call is cheaper than one per value).
    st.field_text.clear();
    const hs_database_t* field_db = im.dbs[2 * static_cast<std::size_t>(route.db)];
    if (field_db) {
      for (int f : route.scan_fields) {
        for (int o = st.head[static_cast<std::size_t>(f)]; o >= 0;
             o = st.next[static_cast<std::size_t>(o)]) {
          st.field_text.append(st.Low(o));
          st.field_text.push_back('\0');
        }
      }
    }
    if (field_db && !st.field_text.empty()) {
      st.field_text.append(kScanPadding, '\0');
      hs_scan(field_db, st.field_text.data(), static_cast<unsigned>(st.field_text.size()), 0,
              st.scratch, on_match, &st);
    }
    // Keyword literals may be in any value: all values back to back (a hit across two values
    // only makes a rule run that then does not match).
    const hs_database_t* keyword_db = im.dbs[2 * static_cast<std::size_t>(route.db) + 1];
    if (keyword_db && !text.empty()) {
      hs_scan(keyword_db, st.lowered.data(), static_cast<unsigned>(st.lowered.size()), 0,
              st.scratch, on_match, &st);
    }
  } else {
    // A source set without a database (not expected): every instance of it runs, gates too.
    st.gated = false;
    for (int s : route.sources) {
      for (std::size_t l = 0; l < im.literals.size(); ++l) {
        for (const auto& [src, inst] : im.literal_by_source[l]) {
          if (src == s) st.AddHit(inst);
        }
      }
    }
  }
#else
  // Without Vectorscan: each literal looked for in the lower-cased event text.
  for (std::size_t l = 0; l < im.literals.size(); ++l) {
    const std::string& lit = im.literals[l];
    if (lit[0] == kExactLit) continue;  // looked up above
    if (st.lowered.find(std::string_view(lit).substr(1)) != std::string::npos) {
      st.OnLiteral(static_cast<unsigned>(l));
    }
  }
#endif
  for (int s : route.sources) {
    for (int inst : im.always_by_source[static_cast<std::size_t>(s)]) st.AddHit(inst);
    if (!st.fold_event) continue;
    for (int inst : im.fold_by_source[static_cast<std::size_t>(s)]) st.AddHit(inst);
  }
  std::sort(st.hits.begin(), st.hits.end());
  for (int inst_idx : st.hits) {
    const Instance& inst = im.instances[static_cast<std::size_t>(inst_idx)];
    if (!out->empty() && out->back() == inst.rule) continue;
    if (st.gated && !inst.gate.empty()) {
      bool open = false;
      for (int id : inst.gate)
        open = open || st.literal_stamp[static_cast<std::size_t>(id)] == st.epoch;
      if (!open) continue;
    }
    ++st.evaluated;
    if (st.Cond(*inst.condition, inst)) out->push_back(inst.rule);
  }
}

}  // namespace ucsc::hunt
