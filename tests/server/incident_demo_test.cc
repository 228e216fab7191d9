// The incident module's demo seed (issue 14 item 8, src/incident/demo.h) on both back ends: run
// as `ucsc demo init` runs it (the registry's "incident" DemoSpec over the demo province), then
// read back through the API — every incident type of §3.2, both procedures (TT20 Art 11 and
// QĐ05 Art 14, R14), overdue clocks (R8, R11, R12), closed incidents with Form 04 sent (R11),
// Form 05 of 2026 with counts (R16), observables shared between incidents, all in the past.
#include <map>
#include <set>

#include "capability/module.h"
#include "core/legal_time.h"
#include "server/api_test_util.h"
#include "store/for_all.h"
#include "store/store.h"

namespace ucsc::server::testing {
namespace {

using core::Role;
using std::chrono::hours;

class IncidentDemo : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    if (!h_.Open(GetParam(), skip)) {
      if (!skip.empty()) {
        GTEST_SKIP() << skip;
      }
      FAIL() << "cannot open the store";
    }
    // The demo clock: 8/12/2026 10:00 local, as `ucsc demo init` on the day.
    h_.clock().Set(core::StartOfLocalDay({2026, 12, 8}) + hours(10));
  }

  // Runs the incident module's DemoSpec as cli::SeedModuleDemos does.
  void Seed() {
    const capability::DemoSpec* spec = nullptr;
    for (const auto& d : h_.registry().demos()) {
      if (d.name == "incident") spec = &d;
    }
    ASSERT_NE(spec, nullptr) << "the incident module registers its demo (AddDemo)";
    EXPECT_TRUE(spec->evidence_types.empty());
    capability::DemoEnv env{h_.store(), h_.clock(), h_.ids(), {}, {}, {}};
    ASSERT_TRUE(h_.store().Read([&](store::Tx& tx) -> core::Status {
      UCSC_RETURN_IF_ERROR(
          store::ForAll(tx.Orgs(), [&](const core::Organisation& o) { env.orgs.push_back(o); }));
      UCSC_RETURN_IF_ERROR(store::ForAll(
          tx.Systems(), [&](const core::InformationSystem& s) { env.systems.push_back(s); }));
      UCSC_ASSIGN_OR_RETURN(env.users, tx.Users().List(store::Scope::All()));
      return core::Ok();
    }));
    auto seeded = spec->seed(env);
    ASSERT_TRUE(seeded) << seeded.error().ToString();
  }

  ApiHarness h_;
};

TEST_P(IncidentDemo, SeedsIncidentsOfBothProcessesWithClocksNoticesAndForm05) {
  Seed();
  if (HasFatalFailure()) return;
  const core::Instant now = h_.clock().Now();
  Client coord = h_.SignIn(Role::kCoordinator);
  Response r = coord.Get("/api/v1/incidents", {{"limit", "200"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const Json items = Body(r)["items"];
  ASSERT_GE(items.size(), 20U);
  ASSERT_LE(items.size(), 30U);

  std::map<std::string, int> types, processes, states;
  int closed_with_form04 = 0, serious = 0;
  for (const auto& i : items) {
    ++types[i["type"].get<std::string>()];
    ++processes[i["process"].get<std::string>()];
    ++states[i["state"].get<std::string>()];
    serious += i["classification"]["outcome"] == "serious";
    // Every time is in the past of the demo clock.
    EXPECT_LE(*core::ParseRfc3339(i["detected_at"].get<std::string>()), now) << i["id"];
    EXPECT_LE(*core::ParseRfc3339(i["updated_at"].get<std::string>()), now) << i["id"];
    if (i["state"] == "closed") {
      // R11: closing needs Form 04 sent.
      EXPECT_NE(i["closing_report"]["reported_at"], "") << i["id"];
      closed_with_form04 += i["closing_report"]["reported_at"] != "";
    }
  }
  // All 10 types of DOMAIN.md §3.2.
  EXPECT_EQ(types.size(), 10U) << ::testing::PrintToString(types);
  // Both procedures; at least 3 serious (R14) on QĐ05 Art 14, most on TT20 Art 11.
  EXPECT_GE(processes["serious"], 3) << ::testing::PrintToString(processes);
  EXPECT_GT(processes["normal"], processes["serious"]);
  EXPECT_GE(serious, 3);
  // States spread: new/being handled (open), response ended, closed.
  EXPECT_GE(states["open"], 3) << ::testing::PrintToString(states);
  EXPECT_GE(states["response_ended"], 1) << ::testing::PrintToString(states);
  EXPECT_GE(closed_with_form04, 10);

  // The legal clocks: R8 overdue (never notified), R8 met late, R11 overdue (no Form 04 after
  // the response ended), R12 met and overdue (a coordination order not acknowledged).
  std::map<std::string, int> clocks;
  int shared_observables = 0;
  for (const auto& i : items) {
    const std::string id = i["id"].get<std::string>();
    Response c = coord.Get("/api/v1/incidents/" + id + "/clocks");
    ASSERT_EQ(c.status, 200) << c.body;
    const Json clock_list = Body(c)["items"];
    for (const auto& k : clock_list) {
      const std::string rule = k["rule"].get<std::string>();
      if (k["state"] == "overdue") ++clocks[rule + "/overdue"];
      if (k["state"] == "satisfied") ++clocks[rule + (k["late"] == true ? "/late" : "/met")];
    }
    Response o = coord.Get("/api/v1/incidents/" + id + "/observables");
    ASSERT_EQ(o.status, 200) << o.body;
    const Json observables = Body(o)["items"];
    for (const auto& ob : observables) shared_observables += !ob["seen_in_incidents"].empty();
  }
  EXPECT_GE(clocks["R8/overdue"], 2) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R8/late"], 3) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R8/met"], 10) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R11/overdue"], 1) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R11/met"], 10) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R12/met"], 2) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R12/overdue"], 1) << ::testing::PrintToString(clocks);
  EXPECT_GE(clocks["R10/met"], 3) << ::testing::PrintToString(clocks);
  // Correlation: observables seen in more than one incident.
  EXPECT_GE(shared_observables, 6);

  // R16: Form 05 of the 2026 year for the province has counts, by type, with helpers.
  Response f = coord.Get("/api/v1/incident-summaries/form05", {{"year", "2026"}, {"half", "year"}});
  ASSERT_EQ(f.status, 200) << f.body;
  const Json form05 = Body(f);
  EXPECT_GE(form05["total"]["count"].get<int>(), 10) << form05["total"].dump();
  EXPECT_GT(form05["total"]["self_handled"].get<int>(), 0);
  EXPECT_GT(form05["total"]["domestic_help"].get<int>(), 0);
  EXPECT_GT(form05["total"]["support_requested"].get<int>(), 0);
  EXPECT_GT(form05["total"]["estimated_damage_vnd"].get<int64_t>(), 0);
  int rows_with_counts = 0;
  for (const auto& row : form05["rows"]) rows_with_counts += row["count"].get<int>() > 0;
  EXPECT_GE(rows_with_counts, 8);
  Response y2025 =
      coord.Get("/api/v1/incident-summaries/form05", {{"year", "2025"}, {"half", "year"}});
  ASSERT_EQ(y2025.status, 200);
  EXPECT_GT(Body(y2025)["total"]["count"].get<int>(), 0);

  // The audit trail holds the module's own records, by the organisations' people.
  std::set<std::string> actions;
  std::set<std::string> actors;
  for (const auto& a : h_.AuditRecords()) {
    if (a.object_type != "incident") continue;
    actions.insert(a.action);
    actors.insert(a.actor);
  }
  for (const char* want : {"create", "notice", "acknowledge_notice", "check_item", "complete_step",
                           "close", "classify", "add_observables", "update"}) {
    EXPECT_TRUE(actions.contains(want)) << want;
  }
  EXPECT_GE(actors.size(), 3U) << ::testing::PrintToString(actors);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentDemo, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace ucsc::server::testing
