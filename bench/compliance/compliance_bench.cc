// Compliance evaluation benchmark (issue 4): N organisations × M systems × every rule of
// data/rulepacks, with 5 years of evidence, on SQLite.
//
//   build-bench/bench/compliance/compliance_bench [--orgs 1000] [--systems-per-org 10]
//       [--db /tmp/ucsc-compliance-bench.db] [--rules data/rulepacks] [--runs 5]
//
// Prints: cold full evaluation (open the store, load every fact set-wise, evaluate every pair),
// and re-evaluation after one new evidence record (insert it in the store, add it to the
// in-memory facts, re-evaluate its subject) — median and max over --runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compliance/evaluate.h"
#include "compliance/facts.h"
#include "compliance/history.h"
#include "compliance/rulepack.h"
#include "core/ids.h"
#include "store/store.h"
#include "sys/system_clock.h"

using namespace ucsc;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void Die(const core::Error& e) {
  std::fprintf(stderr, "compliance_bench: %s\n", e.ToString().c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  int orgs = 1000, per_org = 10, runs = 5;
  std::string db = "/tmp/ucsc-compliance-bench.db", rules_dir = "data/rulepacks";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--orgs")) orgs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--systems-per-org")) per_org = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    if (!std::strcmp(argv[i], "--rules")) rules_dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--runs")) runs = std::max(1, std::atoi(argv[i + 1]));
  }
  sys::SystemClock clock;
  core::IdGenerator ids(clock, sys::SecureRandomFill);
  auto rules = compliance::LoadPacks(rules_dir);
  if (!rules) Die(rules.error());

  std::filesystem::remove(db);
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  const std::string url = "sqlite:" + db;
  const auto at = core::EndOfLocalDay({2026, 12, 31});
  {
    auto store = store::Open(url, clock);
    if (!store) Die(store.error());
    if (auto st = (*store)->Migrate(); !st) Die(st.error());
    const auto created = core::StartOfLocalDay({2021, 6, 1});
    std::vector<std::string> org_ids;
    auto st = (*store)->Write([&](store::Tx& tx) -> core::Status {
      for (int o = 0; o < orgs; ++o) {
        core::Organisation org;
        org.id = ids.Next();
        org.name = "Đơn vị " + std::to_string(o + 1);
        org.type = o == 0 ? core::OrgType::kCoordinator : core::OrgType::kAgency;
        org.network_member = o % 3 == 0;
        org.focal_point = {"Đầu mối", "0912000000", "daumoi@example.vn"};
        org.version = 1;
        org.created_at = org.updated_at = created;
        UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(org));
        org_ids.push_back(org.id);
        for (int s = 0; s < per_org; ++s) {
          core::InformationSystem sys;
          sys.id = ids.Next();
          sys.name = "Hệ thống " + std::to_string(o + 1) + "." + std::to_string(s + 1);
          sys.owner_org_id = sys.operator_org_id = org.id;
          sys.level = 1 + (o * per_org + s) % 5;
          sys.approval = {"QĐ", "2023-01-01", "UBND"};
          sys.version = 1;
          sys.created_at = sys.updated_at = created;
          UCSC_RETURN_IF_ERROR(tx.Systems().Insert(sys));
        }
      }
      return core::Ok();
    });
    if (!st) Die(st.error());
    compliance::Facts facts;
    st = (*store)->Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(facts, compliance::LoadFacts(tx, at));
      return core::Ok();
    });
    if (!st) Die(st.error());
    const core::LocalDate today = core::LocalDateOf(clock.Now());
    auto history = compliance::GenerateHistory(*rules, facts, {2026, 12, 31}, today, {});
    auto written = compliance::WriteHistory(**store, history, facts, ids, clock.Now(), "bench");
    if (!written) Die(written.error());
    std::printf(
        "data: %d organisations, %zu systems, %zu rule versions (%zu rules), %zu evidence "
        "records (2022-10 to %s)\n",
        orgs, facts.systems.size(), rules->rules.size(), rules->Ids().size(), history.size(),
        core::FormatIsoDate(today).c_str());
  }

  std::vector<double> cold, load_only, incr, insert_only, reeval_only;
  size_t pairs = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    auto store = store::Open(url, clock);
    if (!store) Die(store.error());
    compliance::Facts facts;
    auto st = (*store)->Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(facts, compliance::LoadFacts(tx, at));
      return core::Ok();
    });
    if (!st) Die(st.error());
    const auto t1 = Clock::now();
    compliance::Evaluator ev(*rules, facts);
    auto rows = ev.EvaluateAll(at);
    const auto t2 = Clock::now();
    pairs = rows.size();
    cold.push_back(Ms(t2 - t0));
    load_only.push_back(Ms(t1 - t0));

    // One new evidence record: stored, then the subject re-evaluated.
    const auto& subject = facts.systems[static_cast<size_t>(r * 7919) % facts.systems.size()];
    const auto t3 = Clock::now();
    core::Evidence e;
    e.id = ids.Next();
    e.subject_kind = "system";
    e.subject_id = subject.id;
    e.org_id = subject.owner_org_id;
    e.type = "hunt_report";
    e.performed_on = "2026-11-20";
    e.title = "hunt";
    e.version = 1;
    e.created_at = e.updated_at = clock.Now();
    st = (*store)->Write([&](store::Tx& tx) { return tx.Evidence().Insert(e); });
    if (!st) Die(st.error());
    const auto t3b = Clock::now();
    ev.AddEvidence({e.id,
                    compliance::SubjectKind::kSystem,
                    e.subject_id,
                    e.type,
                    {2026, 11, 20},
                    false,
                    true});
    auto sub = ev.EvaluateSubject(subject.id, at);
    const auto t4 = Clock::now();
    incr.push_back(Ms(t4 - t3));
    insert_only.push_back(Ms(t3b - t3));
    reeval_only.push_back(Ms(t4 - t3b));
    if (sub.empty()) Die(core::Error{core::ErrorCode::kInternal, "no rows for subject", ""});
  }
  std::printf("pairs evaluated: %zu\n", pairs);
  std::printf(
      "cold full evaluation (open + load facts + evaluate): median %.1f ms, max %.1f ms "
      "(load facts alone: median %.1f ms)\n",
      Median(cold), *std::max_element(cold.begin(), cold.end()), Median(load_only));
  std::printf(
      "re-evaluation after one new evidence record (insert + re-evaluate subject): "
      "median %.2f ms, max %.2f ms (insert transaction alone: median %.2f ms; "
      "re-evaluation alone: median %.3f ms, max %.3f ms)\n",
      Median(incr), *std::max_element(incr.begin(), incr.end()), Median(insert_only),
      Median(reeval_only), *std::max_element(reeval_only.begin(), reeval_only.end()));
  return 0;
}
