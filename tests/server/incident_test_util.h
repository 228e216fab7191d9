// The incident tests' shared fixture (issue 14): the demo province with Sở Y tế and a level-3
// system of it, and the steps the incident tests take through the API — report an incident, send
// a notice (or one to every party a document requires), read one legal clock, and complete
// workflow steps by checking every item of each.
// Thread-safety: one fixture per test, used by the test's thread.
#pragma once

#include <string>
#include <vector>

#include "server/api_test_util.h"

namespace ucsc::server::testing {

// The parties the notification must reach (R8, TT20 Art 9.2a).
extern const std::vector<std::string> kNotificationParties;

class IncidentFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;

  // Reports an encryption incident on `system` (the level-3 system by default) detected at
  // `detected`; returns its id.
  std::string Create(const Client& c, const std::string& title, core::Instant detected,
                     const core::InformationSystem* system = nullptr,
                     const Json& extra = Json::object());

  // Records `document` sent to `party` by e-mail at `at`, with reference number `ref`.
  Response Notice(const Client& c, const std::string& id, const std::string& document,
                  const std::string& party, core::Instant at, const std::string& ref = "");

  // Sends `document` to each party; the last one at `last`, the others an hour before it.
  void SendAll(const Client& c, const std::string& id, const std::string& document,
               const std::vector<std::string>& parties, core::Instant last,
               const std::string& ref = "07/BC-SYT");

  // The legal clock `clock_id` of the incident (GET …/clocks).
  Json ClockOf(const Client& c, const std::string& id, const std::string& clock_id);

  // Checks every item of the current step and completes it, `steps` times.
  void CompleteSteps(const Client& c, const std::string& id, int steps);

  ApiHarness h_;
  std::string syt_;
  core::InformationSystem level3_;
};

}  // namespace ucsc::server::testing
