#include "hunt/sigma/reference_evaluator.h"

namespace ucsc::hunt {
namespace {

bool MatchOne(const Value& v, std::string_view text, const Event& e, const LogSourceMap* map,
              int source) {
  switch (v.kind) {
    case ValueKind::kString:
      return v.pattern.Match(text);
    case ValueKind::kRegex:
      return RE2::PartialMatch(text, *v.regex);
    case ValueKind::kCidr: {
      auto ip = ParseIp(text);
      return ip && v.cidr.Contains(*ip);
    }
    case ValueKind::kNumeric: {
      auto n = ParseNumber(text);
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
      return text.empty();
    case ValueKind::kFieldRef: {
      const std::string_view other_name =
          map && source >= 0 ? map->MapField(source, v.ref_field) : std::string_view(v.ref_field);
      for (std::size_t i = 0; i < e.size(); ++i) {
        if (!FieldNameEquals(e.name(i), other_name)) continue;
        const Pattern p = [&] {
          Pattern q = Pattern::Literal(e.value(i), v.ref_case);
          if (v.ref_op == FieldRefOp::kContains || v.ref_op == FieldRefOp::kEndsWith) {
            q.AddLeadingStar();
          }
          if (v.ref_op == FieldRefOp::kContains || v.ref_op == FieldRefOp::kStartsWith) {
            q.AddTrailingStar();
          }
          return q;
        }();
        if (p.Match(text)) return true;
      }
      return false;
    }
    case ValueKind::kNever:
      return false;
    case ValueKind::kMatcher:
      return v.matcher && v.matcher->Match(text);
  }
  return false;
}

bool ValueMatches(const Value& v, const DetectionItem& item, const Event& e,
                  const LogSourceMap* map, int source) {
  if (!item.field) {
    // Keyword: any value of any field.
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (v.kind == ValueKind::kNull || v.kind == ValueKind::kExists) return false;
      if (MatchOne(v, e.value(i), e, map, source)) return true;
    }
    return false;
  }
  const std::string_view name =
      map && source >= 0 ? map->MapField(source, *item.field) : std::string_view(*item.field);
  bool found = false;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (!FieldNameEquals(e.name(i), name)) continue;
    found = true;
    if (v.kind == ValueKind::kExists) return v.exists;
    if (MatchOne(v, e.value(i), e, map, source)) return true;
  }
  if (!found) {
    if (v.kind == ValueKind::kExists) return !v.exists;
    if (v.kind == ValueKind::kNull) return true;
  }
  return false;
}

bool EvalCondition(const Condition& c, const Rule& rule, const Event& e, const LogSourceMap* map,
                   int source) {
  switch (c.kind) {
    case Condition::Kind::kTrue:
      return true;
    case Condition::Kind::kFalse:
      return false;
    case Condition::Kind::kNot:
      return !EvalCondition(c.children[0], rule, e, map, source);
    case Condition::Kind::kAnd:
      for (const auto& ch : c.children) {
        if (!EvalCondition(ch, rule, e, map, source)) return false;
      }
      return true;
    case Condition::Kind::kOr:
      for (const auto& ch : c.children) {
        if (EvalCondition(ch, rule, e, map, source)) return true;
      }
      return false;
    case Condition::Kind::kRef: {
      const Selection& sel = rule.selections[static_cast<std::size_t>(c.selection)];
      for (const auto& alt : sel.alternatives) {
        bool all = true;
        for (const auto& item : alt) {
          if (!EvaluateItem(item, e, map, source)) {
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

}  // namespace

bool EvaluateItem(const DetectionItem& item, const Event& e, const LogSourceMap* map, int source) {
  if (item.match_all) {
    for (const auto& v : item.values) {
      if (!ValueMatches(v, item, e, map, source)) return false;
    }
    return !item.values.empty();
  }
  for (const auto& v : item.values) {
    if (ValueMatches(v, item, e, map, source)) return true;
  }
  return false;
}

bool EvaluateRule(const Rule& rule, const Event& e, const LogSourceMap* map, int source) {
  return EvalCondition(rule.condition, rule, e, map, source);
}

ReferenceEvaluator::ReferenceEvaluator(const std::vector<Rule>& rules, const LogSourceMap& map)
    : rules_(rules), map_(map) {
  for (const auto& r : rules_) {
    if (r.correlation || r.is_filter) {
      rule_sources_.emplace_back();
    } else {
      rule_sources_.push_back(map_.SourcesForRule(r.logsource));
    }
  }
}

std::vector<int> ReferenceEvaluator::Match(const Event& e) const {
  std::string_view channel, event_id;
  LogSourceMap::RoutingKeys(e, &channel, &event_id);
  std::vector<int> out;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    for (int s : rule_sources_[r]) {
      if (map_.EventMatches(s, channel, event_id) && EvaluateRule(rules_[r], e, &map_, s)) {
        out.push_back(static_cast<int>(r));
        break;
      }
    }
  }
  return out;
}

}  // namespace ucsc::hunt
