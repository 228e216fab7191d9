// The compiled form of the engine's plan (hunt/engine.h), shared by its translation units:
// engine_plan.cc builds it, engine_database.cc compiles its Vectorscan literal databases and
// engine_matcher.cc reads it per event. Private to ucsc_hunt.
// Thread-safety: a built Plan::Impl is immutable; the tables' lookups are read-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#ifdef UCSC_HUNT_HAVE_HS
#include <hs/hs.h>
#endif

#include "core/result.h"
#include "hunt/engine.h"
#include "hunt/event.h"
#include "hunt/internal/engine_literals.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/pattern.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt::internal {

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

// A hash of `s` with every byte OR 0x20 (folds ASCII case; other collisions are resolved by
// comparing), a word at a time.
inline std::uint64_t FoldHash(std::string_view s) {
  constexpr std::uint64_t kFold = 0x2020202020202020ull, kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h = s.size() * kMul;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ (w | kFold)) * kMul;
    h ^= h >> 29;
  }
  if (i < s.size()) {
    std::uint64_t w = 0;
    for (std::size_t k = 0; i + k < s.size(); ++k) {
      w |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[i + k]) | 0x20u) << (8 * k);
    }
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  }
  return h ^ (h >> 32);
}

// Field name -> id, ASCII case-insensitive: open addressing over a power-of-two table with a
// word-at-a-time hash (no division, no allocation per lookup). Built once; lookups are
// read-only and thread-safe.
class FieldTable {
 public:
  void Build(const std::unordered_map<std::string, int, CiHash, CiEq>& ids) {
    std::size_t cap = 16;
    while (cap < ids.size() * 4) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, Slot{});
    names_.assign(ids.size(), std::string());
    for (const auto& [name, id] : ids) {
      const std::uint64_t h = FoldHash(name);
      std::size_t i = h & mask_;
      while (slots_[i].id >= 0) i = (i + 1) & mask_;
      slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), id};
      names_[static_cast<std::size_t>(id)] = name;
    }
  }
  int Find(std::string_view name) const {
    const std::uint64_t h = FoldHash(name);
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id < 0) return -1;
      if (s.tag == tag && FieldNameEquals(names_[static_cast<std::size_t>(s.id)], name)) {
        return s.id;
      }
    }
  }

 private:
  struct Slot {  // 8 bytes, so the table stays in cache
    std::uint32_t tag = 0;
    std::int32_t id = -1;
  };
  std::size_t mask_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::string> names_;  // by id
};

// (field id, lower-cased whole value) -> literal ids, like FieldTable: open addressing, no key
// built per lookup.
class ExactTable {
 public:
  void Build(const std::map<std::pair<int, std::string>, std::vector<int>>& index) {
    std::size_t cap = 16;
    while (cap < index.size() * 2) cap <<= 1;
    mask_ = cap - 1;
    slots_.assign(cap, -1);
    entries_.clear();
    lengths_.clear();
    for (const auto& [key, ids] : index) {
      const auto f = static_cast<std::size_t>(key.first);
      if (lengths_.size() <= f) lengths_.resize(f + 1, 0);
      lengths_[f] |= LengthBit(key.second.size());
      Entry e;
      e.field = key.first;
      e.value = key.second;
      e.ids = ids;
      e.hash = Hash(e.field, e.value);
      std::size_t i = e.hash & mask_;
      while (slots_[i] >= 0) i = (i + 1) & mask_;
      slots_[i] = static_cast<int>(entries_.size());
      entries_.push_back(std::move(e));
    }
  }
  const std::vector<int>* Find(int field, std::string_view value) const {
    // No whole value of this length on this field (a long CallTrace against 'Ente'): no hash.
    const auto f = static_cast<std::size_t>(field);
    if (f >= lengths_.size() || !(lengths_[f] & LengthBit(value.size()))) return nullptr;
    const std::uint64_t h = Hash(field, value);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] < 0) return nullptr;
      const Entry& e = entries_[static_cast<std::size_t>(slots_[i])];
      if (e.hash == h && e.field == field && e.value == value) return &e.ids;
    }
  }

 private:
  struct Entry {
    std::uint64_t hash = 0;
    int field = -1;
    std::string value;
    std::vector<int> ids;
  };
  static std::uint64_t Hash(int field, std::string_view value) {
    return FoldHash(value) ^ (static_cast<std::uint64_t>(field) * 0xC2B2AE3D27D4EB4Full);
  }
  // Bit n for length n < 63; bit 63 for every longer length.
  static std::uint64_t LengthBit(std::size_t n) {
    return std::uint64_t{1} << std::min<std::size_t>(n, 63);
  }
  std::size_t mask_ = 0;
  std::vector<int> slots_;
  std::vector<Entry> entries_;
  std::vector<std::uint64_t> lengths_;  // per field id: LengthBit of each of its whole values
};

struct CValue {
  const Value* v = nullptr;
  int ref_field = -1;  // kFieldRef
  // kRegex: lower-case substrings every match contains (RegexNeeds::required, longest first),
  // looked for in the lowered value before the regex runs; skipped on an event with 'ſ' or 'K'
  // (see RegexNeeds).
  std::vector<std::string> needs;
  // A literal of the instance's source's databases (or whole-value lookups) that the value
  // needs: absent from the event (not stamped) after the prefilter ran, the value is false
  // without looking at the field. -1: none. `need` is the literal's text while compiling.
  int lit = -1;
  std::string need;
};

// Many plain values ORed on one field (long lists of DLL names, registry keys, image paths):
// looked up together instead of one by one — whole values in a hash set, prefixes and suffixes in
// one hash set per length. Only values that are strings, not `cased`, of shape exact / prefix /
// suffix; their literals are lower-case, matched against the lowered value. (Substring lists
// were also tried with one Vectorscan database per item: 4 % fewer evaluation cycles for 0.2 s
// more compile time.)
class ValueSet {
 public:
  static constexpr std::size_t kMinValues = 6;  // fewer: one by one is as fast

  static bool Fits(const Value& v) {
    if (v.kind != ValueKind::kString || v.pattern.cased() || v.pattern.single_literal().empty()) {
      return false;
    }
    const auto shape = v.pattern.shape();
    return shape == Pattern::Shape::kExact || shape == Pattern::Shape::kPrefix ||
           shape == Pattern::Shape::kSuffix;
  }

  // REQUIRES: every value Fits(); the values outlive the set.
  explicit ValueSet(const std::vector<const Value*>& values) {
    for (const Value* v : values) {
      const std::string& lit = v->pattern.single_literal();
      switch (v->pattern.shape()) {
        case Pattern::Shape::kExact:
          exact_.insert(lit);
          break;
        case Pattern::Shape::kPrefix:
          ByLength(&prefix_, lit.size()).insert(lit);
          break;
        default:
          ByLength(&suffix_, lit.size()).insert(lit);
          break;
      }
    }
  }

  // Whether the lowered value `v` matches any value of the set.
  bool Match(std::string_view v) const {
    if (!exact_.empty() && exact_.count(v)) return true;
    for (const auto& [len, set] : prefix_) {
      if (v.size() >= len && set.count(v.substr(0, len))) return true;
    }
    for (const auto& [len, set] : suffix_) {
      if (v.size() >= len && set.count(v.substr(v.size() - len))) return true;
    }
    return false;
  }

 private:
  using Set = std::unordered_set<std::string_view>;
  static Set& ByLength(std::vector<std::pair<std::size_t, Set>>* v, std::size_t len) {
    for (auto& [l, set] : *v) {
      if (l == len) return set;
    }
    return v->emplace_back(len, Set{}).second;
  }

  Set exact_;
  std::vector<std::pair<std::size_t, Set>> prefix_, suffix_;
};

struct CItem {
  int field = -1;  // -1: keyword (all fields)
  bool match_all = false;
  std::vector<CValue> values;  // without those in `set`
  // Many plain values of an OR item on a field, shared by the rule's instances (or null).
  std::shared_ptr<const ValueSet> set;
};

struct CSelection {
  std::vector<std::vector<CItem>> alternatives;
};

struct Instance {
  int rule = 0;
  int source = 0;
  const Condition* condition = nullptr;
  std::vector<CSelection> selections;
  // A second literal set the condition also needs (from another conjunct): a candidate whose
  // gate literals were all absent is not evaluated. Empty: no gate.
  std::vector<int> gate;
};

}  // namespace ucsc::hunt::internal

namespace ucsc::hunt {

struct Plan::Impl {
  const std::vector<Rule>* rules = nullptr;
  const LogSourceMap* map = nullptr;
  std::unordered_map<std::string, int, internal::CiHash, internal::CiEq> field_ids;
  internal::FieldTable field_table;  // field_ids for the per-event lookups
  int channel_field = -1;
  int event_id_field = -1;
  std::vector<internal::Instance> instances;
  std::vector<std::vector<int>> always_by_source;
  // Per source: instances whose literals include a regex atom with 's' or 'k' (kFieldFoldLit,
  // kKeywordFoldLit); they also run on every event with 'ſ' or 'K'.
  std::vector<std::vector<int>> fold_by_source;
  // Per source: the event fields its instances read (sorted ids).
  std::vector<std::vector<int>> source_fields;
  // internal::kExactLit literals: (event field id, lower-cased value) -> literal ids, and per
  // source the fields to look up.
  std::map<std::pair<int, std::string>, std::vector<int>> exact_index;
  internal::ExactTable exact_table;  // exact_index for the per-event lookups
  std::vector<std::vector<int>> source_exact_fields;
  std::vector<std::vector<int>> source_literals;  // per source: ids of its literals (+ gates)
  std::vector<std::string> literals;
  std::vector<std::vector<int>> literal_instances;
  // The same, as (source, instance) sorted by source, so a hit looks only at the event's sources.
  std::vector<std::vector<std::pair<int, int>>> literal_by_source;
#ifdef UCSC_HUNT_HAVE_HS
  // Two literal databases per set of sources an event can route to (set_db: sorted source
  // indices -> k; dbs[2k], dbs[2k + 1]; either may be null), over the lower-cased literals of
  // the set's instances: the field literals, scanned over the values of the fields the sources
  // read, and the keyword literals, scanned over the whole lower-cased event text. A set with
  // keyword literals has only the second, holding its field literals too (one scan per event).
  // Pattern ids are the plan's literal ids.
  std::vector<hs_database_t*> dbs;
  std::map<std::vector<int>, int> set_db;
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

  // Registers literal `l` for source `s` (scanned for on its events; an exact value also in
  // exact_index under the source's field) and returns its id.
  int SourceLiteral(const std::string& l, int s, const LogSourceMap& map) {
    const int id = LiteralId(l);
    source_literals[static_cast<std::size_t>(s)].push_back(id);
    if (l[0] == internal::kExactLit) {
      const std::size_t sep = l.find('\x1f');
      const int f = FieldId(map.MapField(s, std::string_view(l).substr(1, sep - 1)));
      source_exact_fields[static_cast<std::size_t>(s)].push_back(f);
      auto& ids = exact_index[{f, l.substr(sep + 1)}];
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return id;
  }

  int FieldId(std::string_view name) {
    auto it = field_ids.find(name);
    if (it != field_ids.end()) return it->second;
    const int id = static_cast<int>(field_ids.size());
    field_ids.emplace(std::string(name), id);
    return id;
  }
};

}  // namespace ucsc::hunt

#ifdef UCSC_HUNT_HAVE_HS
namespace ucsc::hunt::internal {

// Compiles the literal databases of `im`, or reads them from `cache_dir` (one file keyed by a
// hash of the literals and the Vectorscan version: per database a 64-bit length, then its
// serialised bytes; a bad or stale file is recompiled).
core::Status BuildDatabases(Plan::Impl* im, const std::string& cache_dir, PlanStats* stats);

}  // namespace ucsc::hunt::internal
#endif
