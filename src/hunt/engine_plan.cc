#include "hunt/internal/engine_plan.h"

#include <algorithm>
#include <climits>
#include <memory>
#include <unordered_map>
#include <utility>

#include "hunt/engine.h"
#include "hunt/internal/engine_literals.h"

namespace ucsc::hunt {
namespace {

using internal::AnalyseRegex;
using internal::CItem;
using internal::ConditionLits;
using internal::CSelection;
using internal::CValue;
using internal::GateLits;
using internal::Instance;
using internal::kFieldFoldLit;
using internal::kKeywordFoldLit;
using internal::LitSet;
using internal::RequiredSubstrings;
using internal::ValueLits;
using internal::ValueSet;

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

}  // namespace

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
    auto status = internal::BuildDatabases(&im, options.cache_dir, &plan->stats_);
    if (!status) return tl::make_unexpected(status.error());
  }
#endif
  return plan;
}

}  // namespace ucsc::hunt
