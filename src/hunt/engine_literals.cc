#include "hunt/internal/engine_literals.h"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "hunt/event.h"

namespace ucsc::hunt::internal {
namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace ucsc::hunt::internal
