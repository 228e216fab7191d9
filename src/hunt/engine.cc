#include "hunt/engine.h"

#include <re2/filtered_re2.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

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

// A hash of `s` with every byte OR 0x20 (folds ASCII case; other collisions are resolved by
// comparing), a word at a time.
std::uint64_t FoldHash(std::string_view s) {
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

// Evaluation order inside an AND (results do not depend on it): whole values and existence
// first, then substring patterns, longest literal first (rarer, so an `all` fails sooner), then
// CIDR / numbers / field references, regular expressions last.
std::pair<int, int> EvalOrder(const Value& v) {
  switch (v.kind) {
    case ValueKind::kExists:
    case ValueKind::kNull:
    case ValueKind::kNever:
      return {0, 0};
    case ValueKind::kString:
      if (v.pattern.shape() == Pattern::Shape::kExact) return {1, 0};
      return {2, -static_cast<int>(std::min<std::size_t>(v.pattern.single_literal().size(), 1000))};
    case ValueKind::kCidr:
    case ValueKind::kNumeric:
    case ValueKind::kFieldRef:
      return {3, 0};
    case ValueKind::kRegex:
      return {5, 0};
    default:
      return {4, 0};
  }
}

// An item costs what its costliest value costs.
std::pair<int, int> ItemOrder(const CItem& item) {
  std::pair<int, int> worst{0, INT_MIN};
  for (const auto& cv : item.values) worst = std::max(worst, EvalOrder(*cv.v));
  return worst;
}

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

// A set of literals at least one of which must occur in the scanned text; nullopt = unknown.
// Each literal starts with a mark: kFieldLit (found in a field some rule of the event's sources
// reads; the prefilter scans only those) or kKeywordLit (from a keyword item: may be anywhere).
// kExactLit literals are a field's whole value ("e" + rule field + '\x1f' + lower-cased value):
// they are looked up per field in a hash table instead of scanned for, which keeps short values
// such as EventIDs out of the literal databases.
using LitSet = std::optional<std::vector<std::string>>;
constexpr char kFieldLit = 'f';
constexpr char kKeywordLit = 'k';
// The same for a regex atom that contains 's' or 'k' (see RegexNeeds): its instances also run on
// events with 'ſ' or 'K' (Kelvin sign).
constexpr char kFieldFoldLit = 'F';
constexpr char kKeywordFoldLit = 'K';
constexpr char kExactLit = 'e';

// NUL bytes after every text the databases scan. Vectorscan 5.4.9 (Debian 12's libvectorscan5)
// misses literals that end in the last 31 bytes of a block for some sets of literals (found in
// review; a sweep of 3,000 random databases missed in 656 of them without padding, none with 64
// bytes of it; test Differential.LiteralsAtTheEndOfTheScannedText). A literal with a NUL byte
// could at most gain a hit from the padding, never lose one.
constexpr std::size_t kScanPadding = 64;

// The text a literal stands for (without its mark and, for kExactLit, its field).
std::string_view LitText(std::string_view l) {
  if (l[0] == kExactLit) return l.substr(l.find('\x1f') + 1);
  return l.substr(1);
}

// How selective a literal set is: its shortest literal's length. A whole value of 4 or more
// bytes (GrantedAccess '0x1440', a hash, a logon GUID) is rarer than most substrings (path
// fragments such as 'c:\windows\system32\' are in every event), so it counts as 32.
std::size_t Score(const LitSet& s) {
  if (!s || s->empty()) return 0;
  std::size_t m = SIZE_MAX;
  for (const auto& l : *s) {
    const std::size_t n = LitText(l).size();
    m = std::min(m, l[0] == kExactLit && n >= 4 ? std::max<std::size_t>(n, 32) : n);
  }
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

// An RE2 prefilter atom made safe for the engine's ASCII-only lower-casing: RE2 lower-cases
// atoms with Unicode rules ('É' -> 'é'; U+017F 'ſ' -> 's' and U+212A Kelvin -> 'k', also in a
// case-sensitive regex) and, under (?i), matches 'ſ' for 's' and 'K' for 'k', none of which the
// lowered event text shows. The longest piece of the atom without a non-ASCII byte is still a
// necessary substring; "" when there is none.
std::string SafeAtom(std::string_view atom) {
  std::string_view best;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= atom.size(); ++i) {
    if (i == atom.size() || static_cast<unsigned char>(atom[i]) >= 0x80) {
      if (i - start > best.size()) best = atom.substr(start, i - start);
      start = i + 1;
    }
  }
  return AsciiLowerCopy(best);
}

// What RE2's prefilter says a regular expression needs, with atoms of at least `min_len` bytes
// (made safe by SafeAtom; lower-case):
//   required: atoms each of which every match contains;
//   any_of:   atoms one of which every match contains (nullopt: none needed);
//   rest:     the same for the atoms that are not required, given the required ones (nullopt:
//             the required ones may suffice).
// In every regex an atom with 's' or 'k' may stand for 'ſ' or 'K' (Kelvin sign) in the text:
// RE2 folds them under (?i) and its prefilter lower-cases them to 's' / 'k' even in a
// case-sensitive regex (the only two code points whose lower case or fold is ASCII). On the rare
// events with either, the matcher runs such regexes without their literal gates.
struct RegexNeeds {
  std::vector<std::string> required;
  std::optional<std::vector<std::string>> any_of;
  std::optional<std::vector<std::string>> rest;
};

RegexNeeds AnalyseRegex(const RE2& re, int min_len) {
  RegexNeeds out;
  re2::FilteredRE2 filter(min_len);
  int id = 0;
  if (filter.Add(re.pattern(), re.options(), &id) != RE2::NoError) return out;
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  if (atoms.empty()) return out;
  std::vector<int> potential;
  filter.AllPotentials({}, &potential);
  if (!potential.empty()) return out;  // passes the prefilter with no atom at all
  std::vector<std::string> safe;
  bool all_safe = true;
  for (const auto& a : atoms) {
    safe.push_back(SafeAtom(a));
    all_safe = all_safe && !safe.back().empty();
  }
  if (all_safe) out.any_of = safe;
  std::vector<int> required_ids;
  std::vector<int> others;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    std::vector<int> without;
    for (std::size_t j = 0; j < atoms.size(); ++j) {
      if (j != i) without.push_back(static_cast<int>(j));
    }
    filter.AllPotentials(without, &potential);
    if (potential.empty()) {
      required_ids.push_back(static_cast<int>(i));
      if (!safe[i].empty()) out.required.push_back(safe[i]);
    } else {
      others.push_back(static_cast<int>(i));
    }
  }
  filter.AllPotentials(required_ids, &potential);
  if (potential.empty() && !others.empty()) {
    std::vector<std::string> rest;
    for (int i : others) {
      if (safe[static_cast<std::size_t>(i)].empty()) return out;
      rest.push_back(safe[static_cast<std::size_t>(i)]);
    }
    out.rest = std::move(rest);
  }
  return out;
}

// `required` without duplicates and atoms contained in a longer one, longest first (likely the
// rarest, so a missing one is found first).
std::vector<std::string> RequiredSubstrings(std::vector<std::string> required) {
  std::sort(required.begin(), required.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  std::vector<std::string> out;
  for (auto& a : required) {
    if (a.empty()) continue;
    const bool covered = std::any_of(out.begin(), out.end(), [&](const std::string& b) {
      return b.find(a) != std::string::npos;
    });
    if (!covered) out.push_back(std::move(a));
  }
  return out;
}

// Literals of which a regular expression needs one (atoms of at least 3 bytes): the most
// selective of each required atom alone, the atoms that are not required, or all atoms; nullopt
// when it can match without any. Atoms with 's' or 'k' get `fold_mark` (see RegexNeeds).
LitSet RegexLits(const RE2& re, char mark, char fold_mark) {
  const RegexNeeds needs = AnalyseRegex(re, 3);
  auto marked = [&](const std::vector<std::string>& atoms) {
    std::vector<std::string> out;
    for (const auto& a : atoms) {
      const bool risky = a.find_first_of("sk") != std::string::npos;
      out.push_back((risky ? fold_mark : mark) + a);
    }
    return out;
  };
  LitSet best;
  for (const auto& a : needs.required) {
    if (a.size() >= 3) best = Best(std::move(best), marked({a}));
  }
  if (needs.rest) best = Best(std::move(best), marked(*needs.rest));
  if (needs.any_of) best = Best(std::move(best), marked(*needs.any_of));
  return best;
}

LitSet ValueLits(const Value& v, const std::optional<std::string>& field) {
  if (v.kind == ValueKind::kNever) return std::vector<std::string>{};  // never matches: no need
  if (v.kind == ValueKind::kRegex && v.regex) {
    return RegexLits(*v.regex, field ? kFieldLit : kKeywordLit,
                     field ? kFieldFoldLit : kKeywordFoldLit);
  }
  if (v.kind != ValueKind::kString) return std::nullopt;
  if (field && v.pattern.shape() == Pattern::Shape::kExact && !v.pattern.single_literal().empty()) {
    return std::vector<std::string>{kExactLit + *field + '\x1f' +
                                    AsciiLowerCopy(v.pattern.single_literal())};
  }
  const char mark = field ? kFieldLit : kKeywordLit;
  std::string best;
  for (const auto& t : v.pattern.tokens()) {
    if (t.kind == PatternToken::Kind::kLiteral && t.text.size() > best.size()) best = t.text;
  }
  if (best.empty()) return std::nullopt;
  return std::vector<std::string>{mark + AsciiLowerCopy(best)};
}

LitSet ItemLits(const DetectionItem& item) {
  if (item.match_all) {
    LitSet best;
    for (const auto& v : item.values) best = Best(std::move(best), ValueLits(v, item.field));
    return best;
  }
  LitSet acc = std::vector<std::string>{};
  for (const auto& v : item.values) acc = Union(std::move(acc), ValueLits(v, item.field));
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

// Literal sets each of which the condition needs (its conjuncts): the items of a one-alternative
// selection, each value of an `all` item, the children of `and`; anything else counts as one
// conjunct (its ConditionLits).
void AndLits(const Condition& c, const Rule& r, std::vector<std::vector<std::string>>* out) {
  if (c.kind == Condition::Kind::kAnd) {
    for (const auto& ch : c.children) AndLits(ch, r, out);
    return;
  }
  if (c.kind == Condition::Kind::kRef) {
    const Selection& sel = r.selections[static_cast<std::size_t>(c.selection)];
    if (sel.alternatives.size() == 1) {
      for (const auto& item : sel.alternatives[0]) {
        if (item.match_all) {
          for (const auto& v : item.values) {
            if (LitSet l = ValueLits(v, item.field); l && !l->empty()) out->push_back(*l);
          }
        } else if (LitSet l = ItemLits(item); l && !l->empty()) {
          out->push_back(*l);
        }
      }
      return;
    }
  }
  if (LitSet l = ConditionLits(c, r); l && !l->empty()) out->push_back(*l);
}

// The best conjunct of whole values other than `primary`, for Instance::gate; empty when there
// is none.
std::vector<std::string> GateLits(const Condition& c, const Rule& r,
                                  const std::vector<std::string>& primary) {
  std::vector<std::vector<std::string>> conjuncts;
  AndLits(c, r, &conjuncts);
  LitSet best;
  for (auto& l : conjuncts) {
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
    bool same = l.size() == primary.size();
    for (std::size_t i = 0; same && i < l.size(); ++i) {
      same = std::find(primary.begin(), primary.end(), l[i]) != primary.end();
    }
    // Only whole values: looked up per field, they cost no scanning (substring gates made the
    // databases slower than the evaluations they saved).
    const bool exact =
        std::all_of(l.begin(), l.end(), [](const std::string& x) { return x[0] == kExactLit; });
    if (!same && exact) best = Best(std::move(best), LitSet(l));
  }
  return best ? *best : std::vector<std::string>{};
}

}  // namespace

struct Plan::Impl {
  const std::vector<Rule>* rules = nullptr;
  const LogSourceMap* map = nullptr;
  std::unordered_map<std::string, int, CiHash, CiEq> field_ids;
  FieldTable field_table;  // field_ids for the per-event lookups
  int channel_field = -1;
  int event_id_field = -1;
  std::vector<Instance> instances;
  std::vector<std::vector<int>> always_by_source;
  // Per source: instances whose literals include a regex atom with 's' or 'k' (kFieldFoldLit,
  // kKeywordFoldLit); they also run on every event with 'ſ' or 'K'.
  std::vector<std::vector<int>> fold_by_source;
  // Per source: the event fields its instances read (sorted ids).
  std::vector<std::vector<int>> source_fields;
  // kExactLit literals: (event field id, lower-cased value) -> literal ids, and per source the
  // fields to look up.
  std::map<std::pair<int, std::string>, std::vector<int>> exact_index;
  ExactTable exact_table;  // exact_index for the per-event lookups
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
    if (l[0] == kExactLit) {
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

#ifdef UCSC_HUNT_HAVE_HS
namespace {

core::Status CompileLiteralDb(const std::vector<std::string>& literals,
                              const std::vector<int>& ids_in, unsigned mode, hs_database_t** db) {
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> flags, ids;
  for (int i : ids_in) {
    const std::string& l = literals[static_cast<std::size_t>(i)];
    exprs.push_back(l.data() + 1);
    lens.push_back(l.size() - 1);
    flags.push_back(HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(i));
  }
  *db = nullptr;
  if (exprs.empty()) return core::Ok();
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), mode, nullptr, db,
                           &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    hs_free_compile_error(err);
    return core::Internal("cannot compile the literal prefilter: " + msg);
  }
  return core::Ok();
}

}  // namespace

// Compiles the literal databases of `im`, or reads them from `cache_dir` (one file keyed by a
// hash of the literals and the Vectorscan version: per database a 64-bit length, then its
// serialised bytes; a bad or stale file is recompiled).
core::Status BuildDatabases(Plan::Impl* im, const std::string& cache_dir, PlanStats* stats) {
  const LogSourceMap& map = *im->map;
  const std::size_t nsources = map.sources().size();
  // Literal ids per source (field and keyword literals of the source's instances and gates;
  // exact values are in exact_index).
  std::vector<std::vector<int>> source_lits(nsources);
  for (std::size_t i = 0; i < nsources; ++i) {
    for (int l : im->source_literals[i]) {
      if (im->literals[static_cast<std::size_t>(l)][0] != kExactLit) source_lits[i].push_back(l);
    }
  }
  // Every set of sources an event can route to: per channel of the map, each event id the map
  // names and one it does not (also for a channel the map does not name, in case a source
  // matches any channel). One database per distinct set.
  std::vector<std::string> channels{std::string("\x01")};
  std::vector<std::string> event_ids{std::string("\x01")};
  for (const auto& src : map.sources()) {
    channels.push_back(src.channel_lower);
    event_ids.insert(event_ids.end(), src.event_ids.begin(), src.event_ids.end());
  }
  std::sort(channels.begin(), channels.end());
  channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
  std::sort(event_ids.begin(), event_ids.end());
  event_ids.erase(std::unique(event_ids.begin(), event_ids.end()), event_ids.end());
  std::vector<std::vector<int>> lits;
  for (const auto& channel : channels) {
    for (const auto& event_id : event_ids) {
      std::vector<int> set;
      for (std::size_t i = 0; i < nsources; ++i) {
        if (map.EventMatches(static_cast<int>(i), channel, event_id)) {
          set.push_back(static_cast<int>(i));
        }
      }
      if (set.empty() || im->set_db.count(set)) continue;
      std::vector<int> ids[2];  // field literals, keyword literals
      for (int i : set) {
        for (int l : source_lits[static_cast<std::size_t>(i)]) {
          const char mark = im->literals[static_cast<std::size_t>(l)][0];
          ids[mark == kKeywordLit || mark == kKeywordFoldLit].push_back(l);
        }
      }
      // A set with keyword literals scans every value anyway: its field literals join that one
      // scan (a hit in a field no rule reads only makes an instance run).
      if (!ids[1].empty()) {
        ids[1].insert(ids[1].end(), ids[0].begin(), ids[0].end());
        ids[0].clear();
      }
      im->set_db.emplace(std::move(set), static_cast<int>(lits.size() / 2));
      for (auto& v : ids) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        lits.push_back(std::move(v));
      }
    }
  }
  const std::size_t ndbs = lits.size();
  im->dbs.assign(ndbs, nullptr);
  stats->vectorscan = true;
  std::string cache_file;
  if (!cache_dir.empty()) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::string_view s) {
      for (char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
      h = (h ^ 0xFFu) * 1099511628211ull;
    };
    mix(hs_version());
    mix("dbs-per-source-set-merged-keyword");
    for (const auto& ids : lits) {
      mix(std::to_string(ids.size()));
      for (int i : ids) mix(std::to_string(i));
    }
    for (const auto& l : im->literals) mix(l);
    char name[64];
    std::snprintf(name, sizeof name, "hunt-prefilter-%016llx.hsdb",
                  static_cast<unsigned long long>(h));
    cache_file = cache_dir + "/" + name;
    std::ifstream in(cache_file, std::ios::binary);
    if (in) {
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      std::size_t pos = 0;
      bool good = true;
      for (std::size_t d = 0; d < ndbs && good; ++d) {
        std::uint64_t len = 0;
        if (bytes.size() - pos < sizeof len) {
          good = false;
          break;
        }
        std::memcpy(&len, bytes.data() + pos, sizeof len);
        pos += sizeof len;
        if (len > bytes.size() - pos) {
          good = false;
          break;
        }
        if (len > 0 &&
            hs_deserialize_database(bytes.data() + pos, len, &im->dbs[d]) != HS_SUCCESS) {
          im->dbs[d] = nullptr;
          good = false;
        }
        pos += len;
      }
      if (good && pos == bytes.size()) {
        stats->cache_hit = true;
        return core::Ok();
      }
      for (auto& db : im->dbs) {
        if (db) hs_free_database(db);
        db = nullptr;
      }
    }
  }
  for (std::size_t d = 0; d < ndbs; ++d) {
    auto st = CompileLiteralDb(im->literals, lits[d], HS_MODE_BLOCK, &im->dbs[d]);
    if (!st) return st;
  }
  if (cache_file.empty()) return core::Ok();
  std::string out;
  for (auto* db : im->dbs) {
    char* bytes = nullptr;
    std::size_t len = 0;
    if (db && hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return core::Ok();
    const std::uint64_t len64 = len;
    out.append(reinterpret_cast<const char*>(&len64), sizeof len64);
    if (bytes) out.append(bytes, len);
    std::free(bytes);
  }
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  const std::string tmp = cache_file + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream o(tmp, std::ios::binary);
    o.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  std::filesystem::rename(tmp, cache_file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
  return core::Ok();
}
#endif

Plan::~Plan() {
#ifdef UCSC_HUNT_HAVE_HS
  if (impl_) {
    for (auto* db : impl_->dbs) {
      if (db) hs_free_database(db);
    }
  }
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
  im.fold_by_source.resize(nsources);
  im.source_fields.resize(nsources);
  im.source_exact_fields.resize(nsources);
  im.source_literals.resize(nsources);
  // Per regex value, not per instance: RegexNeeds::required as CValue::needs.
  std::unordered_map<const Value*, std::vector<std::string>> regex_needs;
  std::unordered_map<const DetectionItem*, std::shared_ptr<const ValueSet>> value_sets;

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
    const std::vector<std::string> gate =
        lits ? GateLits(rule.condition, rule, *lits) : std::vector<std::string>{};
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
              im.source_fields[static_cast<std::size_t>(s)].push_back(ci.field);
            }
            if (!item.match_all && ci.field >= 0) {
              auto [it, fresh] = value_sets.try_emplace(&item);
              if (fresh) {
                std::vector<const Value*> plain;
                for (const auto& v : item.values) {
                  if (ValueSet::Fits(v)) plain.push_back(&v);
                }
                if (plain.size() >= ValueSet::kMinValues) {
                  it->second = std::make_shared<const ValueSet>(plain);
                }
              }
              ci.set = it->second;
            }
            for (const auto& v : item.values) {
              if (ci.set && ValueSet::Fits(v)) continue;  // looked up in the set
              CValue cv;
              cv.v = &v;
              if (v.kind == ValueKind::kFieldRef) {
                cv.ref_field = im.FieldId(map.MapField(s, v.ref_field));
                im.source_fields[static_cast<std::size_t>(s)].push_back(cv.ref_field);
              }
              if (v.kind == ValueKind::kRegex && v.regex) {
                auto [it, fresh] = regex_needs.try_emplace(&v);
                if (fresh) it->second = RequiredSubstrings(AnalyseRegex(*v.regex, 2).required);
                cv.needs = it->second;
              }
              if (v.kind == ValueKind::kString) {
                if (LitSet l = ValueLits(v, item.field); l && l->size() == 1) cv.need = (*l)[0];
              }
              ci.values.push_back(cv);
            }
            if (ci.match_all) {  // all must hold: the likely-failing, cheap checks first
              std::stable_sort(ci.values.begin(), ci.values.end(),
                               [](const CValue& a, const CValue& b) {
                                 return EvalOrder(*a.v) < EvalOrder(*b.v);
                               });
            }
            citems.push_back(std::move(ci));
          }
          // The items of an alternative all must hold: cheap, selective items first.
          std::stable_sort(citems.begin(), citems.end(), [](const CItem& a, const CItem& b) {
            return ItemOrder(a) < ItemOrder(b);
          });
          cs.alternatives.push_back(std::move(citems));
        }
        inst.selections.push_back(std::move(cs));
      }
      const int inst_idx = static_cast<int>(im.instances.size());
      if (!lits) {
        im.always_by_source[static_cast<std::size_t>(s)].push_back(inst_idx);
        ++plan->stats_.always_run;
      } else {
        bool fold = false;
        for (const auto& l : *lits) {
          fold = fold || l[0] == kFieldFoldLit || l[0] == kKeywordFoldLit;
          const int id = im.SourceLiteral(l, s, map);
          auto& list = im.literal_instances[static_cast<std::size_t>(id)];
          if (list.empty() || list.back() != inst_idx) list.push_back(inst_idx);
        }
        for (const auto& l : gate) inst.gate.push_back(im.SourceLiteral(l, s, map));
        if (fold) im.fold_by_source[static_cast<std::size_t>(s)].push_back(inst_idx);
      }
      im.instances.push_back(std::move(inst));
    }
  }
  for (auto* fields : {&im.source_fields, &im.source_exact_fields, &im.source_literals}) {
    for (auto& f : *fields) {
      std::sort(f.begin(), f.end());
      f.erase(std::unique(f.begin(), f.end()), f.end());
    }
  }
  // Value gates: a value whose own literal is one the source's databases look for anyway (some
  // rule's prefilter literal) is checked against the literal's stamp before its field is read.
  for (auto& inst : im.instances) {
    const auto& mine = im.source_literals[static_cast<std::size_t>(inst.source)];
    for (auto& sel : inst.selections) {
      for (auto& alt : sel.alternatives) {
        for (auto& item : alt) {
          for (auto& cv : item.values) {
            if (cv.need.empty()) continue;
            if (auto it = im.literal_index.find(cv.need);
                it != im.literal_index.end() &&
                std::binary_search(mine.begin(), mine.end(), it->second)) {
              cv.lit = it->second;
            }
            std::string().swap(cv.need);
          }
        }
      }
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
  im.field_table.Build(im.field_ids);
  im.exact_table.Build(im.exact_index);
  plan->stats_.instances = im.instances.size();
  plan->stats_.literals = im.literals.size();

#ifdef UCSC_HUNT_HAVE_HS
  if (!im.literals.empty()) {
    auto status = BuildDatabases(&im, options.cache_dir, &plan->stats_);
    if (!status) return tl::make_unexpected(status.error());
  }
#endif
  return plan;
}

namespace {
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

Matcher::Matcher(const Plan& plan) : plan_(plan), st_(std::make_unique<State>()) {
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
