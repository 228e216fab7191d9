#include "compliance/history.h"

#include <algorithm>
#include <functional>
#include <string>

namespace ucsc::compliance {

namespace {

enum class Want { kOk, kDueSoon, kOverdue };

// A stable pseudo-random number in [0, 100) for (seed, subject, rule, salt).
int Roll(uint64_t seed, const std::string& subject, const std::string& rule, int salt = 0) {
  uint64_t h = std::hash<std::string>{}(subject + "|" + rule) ^ (seed * 0x9E3779B97F4A7C15ULL);
  h ^= static_cast<uint64_t>(salt) * 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 31;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return static_cast<int>(h % 100);
}

core::LocalDate Min(core::LocalDate a, core::LocalDate b) { return a < b ? a : b; }

}  // namespace

std::vector<EvidenceFact> GenerateHistory(const RuleSet& rules, const Facts& facts,
                                          core::LocalDate anchor, core::LocalDate latest,
                                          const HistoryMix& mix) {
  std::vector<EvidenceFact> out;
  auto want = [&](const std::string& subject, const std::string& rule) {
    const int r = Roll(mix.seed, subject, rule);
    if (r < mix.ok_percent) return Want::kOk;
    if (r < mix.ok_percent + mix.due_soon_percent) return Want::kDueSoon;
    return Want::kOverdue;
  };
  auto add = [&](SubjectKind kind, const std::string& subject, const std::string& type,
                 core::LocalDate on) {
    if (latest < on) return;
    EvidenceFact e;
    e.subject_kind = kind;
    e.subject_id = subject;
    e.type = type;
    e.performed_on = on;
    out.push_back(std::move(e));
  };

  // Evaluate who each rule applies to with the evaluator itself (no evidence yet).
  Facts bare = facts;
  bare.evidence.clear();
  Evaluator ev(rules, bare);
  const auto rows = ev.EvaluateAll(core::EndOfLocalDay(anchor));
  for (const auto& row : rows) {
    if (row.state == State::kNotApplicable) continue;
    const Rule& rule = *row.rule;
    if (rule.evidence.empty()) continue;
    const std::string& type = rule.evidence.front();
    // Keyed by the subject's name so that the same inventory always gets the same history.
    const std::string& key = row.subject_name;
    const Want w = want(key, rule.id);
    const core::LocalDate start = rule.first_effective;
    switch (rule.kind) {
      case RuleKind::kRollingWindow: {
        const int months = rule.WindowMonths(row.level);
        const core::LocalDate window = core::AddMonthsClamped(anchor, -months);
        core::LocalDate last;
        const int jitter = Roll(mix.seed, key, rule.id, 1);
        if (w == Want::kOk) {
          last = core::AddDays(window, rule.warn_days + 3 + jitter % 20);
        } else if (w == Want::kDueSoon) {
          last = core::AddDays(window, 1 + jitter % std::max(1, rule.warn_days - 2));
        } else {
          last = core::AddDays(window, -(10 + jitter % 150));
        }
        last = Min(last, latest);
        for (core::LocalDate d = last; !(d < start); d = core::AddMonthsClamped(d, -months)) {
          add(row.subject_kind, row.subject_id, type, d);
        }
        break;
      }
      case RuleKind::kCalendarDeadline: {
        // One record inside each window up to the anchor year; the last one or two left out.
        for (int y = start.year; y <= anchor.year; ++y) {
          for (size_t k = 0; k < rule.deadlines.size(); ++k) {
            const auto md = rule.deadlines[k];
            const core::LocalDate due{y, md.month, md.day};
            if (due < start) continue;
            const bool current = !(due < anchor);  // the deadline not yet passed at the anchor
            const bool last_passed =
                due < anchor && !(core::AddMonthsClamped(
                                      due, 12 / static_cast<int>(rule.deadlines.size())) < anchor);
            if (current && w != Want::kOk) continue;
            if (last_passed && w == Want::kOverdue) continue;
            // Filed before the deadline, and never after the day the history is written.
            const core::LocalDate window_start = core::AddDays(
                k == 0
                    ? core::LocalDate{y - 1, rule.deadlines.back().month, rule.deadlines.back().day}
                    : core::LocalDate{y, rule.deadlines[k - 1].month, rule.deadlines[k - 1].day},
                1);
            const core::LocalDate on = Min(core::AddDays(due, -5), latest);
            if (on < window_start) continue;
            add(row.subject_kind, row.subject_id, type, on);
          }
        }
        break;
      }
      case RuleKind::kEventTimer:
      case RuleKind::kStanding:
        if (w == Want::kOk || (w == Want::kDueSoon && Roll(mix.seed, key, rule.id, 2) < 30)) {
          add(row.subject_kind, row.subject_id, type,
              Min(latest, std::max(start, core::LocalDate{2022, 11, 15})));
        }
        break;
    }
  }
  return out;
}

}  // namespace ucsc::compliance
