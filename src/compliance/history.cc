#include "compliance/history.h"

#include <algorithm>
#include <functional>
#include <map>
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
    const std::string* first = nullptr;
    for (const auto& t : rule.evidence) {
      if (std::find(mix.skip_types.begin(), mix.skip_types.end(), t) == mix.skip_types.end()) {
        first = &t;
        break;
      }
    }
    if (first == nullptr) continue;  // no evidence, or only types seeded elsewhere
    const std::string& type = *first;
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

core::Result<int64_t> WriteHistory(store::Store& store, const std::vector<EvidenceFact>& history,
                                   const Facts& facts, const core::IdGenerator& ids,
                                   core::Instant now, const std::string& actor) {
  std::map<std::string, std::string> owner;
  for (const auto& s : facts.systems) owner[s.id] = s.owner_org_id;
  static const std::map<std::string, std::string> kTitles = {
      {"hunt_report", "Báo cáo săn lùng mối nguy hại"},
      {"scan_report", "Báo cáo rà quét lỗ hổng"},
      {"ir_plan", "Phương án ứng cứu sự cố"},
      {"ir_plan_content", "Phương án ứng cứu sự cố đủ nội dung"},
      {"drill_report", "Báo cáo diễn tập thực chiến"},
      {"ir_team_decision", "Quyết định kiện toàn Đội ứng cứu sự cố"},
      {"periodic_report", "Báo cáo tổng hợp sự cố (Mẫu 05)"},
      {"incident_summary", "Báo cáo tổng hợp sự cố 6 tháng"},
      {"security_plan", "Phương án bảo đảm an toàn theo cấp độ"},
      {"inspection", "Biên bản kiểm tra, đánh giá an toàn thông tin"},
      {"level_report", "Báo cáo bảo đảm an toàn hệ thống thông tin theo cấp độ"},
      {"monitoring_report", "Báo cáo giám sát an toàn thông tin"},
      {"training", "Báo cáo đào tạo, tuyên truyền"},
      {"provincial_plan", "Kế hoạch ứng phó sự cố cấp tỉnh"},
  };
  const core::LocalDate today = core::LocalDateOf(now);
  const size_t batch = 5000;
  for (size_t start = 0; start < history.size(); start += batch) {
    UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
      for (size_t i = start; i < std::min(history.size(), start + batch); ++i) {
        const auto& h = history[i];
        core::Evidence e;
        e.id = ids.Next();
        e.subject_kind = std::string(SubjectKindName(h.subject_kind));
        e.subject_id = h.subject_id;
        e.org_id = h.subject_kind == SubjectKind::kSystem ? owner[h.subject_id] : h.subject_id;
        e.type = h.type;
        e.performed_on = core::FormatIsoDate(h.performed_on);
        auto t = kTitles.find(h.type);
        e.title =
            (t == kTitles.end() ? h.type : t->second) + " " + core::FormatVnDate(h.performed_on);
        e.submitted_by = actor;
        // The latest month's records wait for the coordinator's review; older ones were accepted.
        const bool recent = core::AddDays(today, -30) < h.performed_on;
        e.review = recent ? core::ReviewState::kPending : core::ReviewState::kAccepted;
        if (!recent) {
          e.reviewed_by = actor;
          e.reviewed_at = core::EndOfLocalDay(core::AddDays(h.performed_on, 7));
        }
        e.version = 1;
        e.created_at = e.updated_at = now;
        UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(e));
      }
      return core::Ok();
    }));
  }
  return static_cast<int64_t>(history.size());
}

}  // namespace ucsc::compliance
