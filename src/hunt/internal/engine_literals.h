// Literal extraction for the engine's prefilter (hunt/engine.h): which literals a rule's
// condition needs (at least one of them occurs in every event the rule matches) and what RE2's
// prefilter says a regular expression needs. Private to ucsc_hunt.
// Thread-safety: stateless.
#pragma once

#include <re2/re2.h>

#include <optional>
#include <string>
#include <vector>

#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunt::internal {

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

RegexNeeds AnalyseRegex(const RE2& re, int min_len);

// `required` without duplicates and atoms contained in a longer one, longest first (likely the
// rarest, so a missing one is found first).
std::vector<std::string> RequiredSubstrings(std::vector<std::string> required);

// The literals one value needs (`field`: the item's field, nullopt for a keyword item).
LitSet ValueLits(const Value& v, const std::optional<std::string>& field);

// The literals a rule's condition needs; nullopt when it can match without any (always-run).
LitSet ConditionLits(const Condition& c, const Rule& r);

// The best conjunct of whole values other than `primary`, for Instance::gate; empty when there
// is none.
std::vector<std::string> GateLits(const Condition& c, const Rule& r,
                                  const std::vector<std::string>& primary);

}  // namespace ucsc::hunt::internal
