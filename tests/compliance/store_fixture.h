// A store (SQLite or PostgreSQL, by test parameter) holding the coordinating body (PA05), Sở Y
// tế with one level-2 system created 01/01/2025, its manager (u1) and a coordinator (u2): the
// fixture of the compliance tests that need a store.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "compliance/rulepack.h"
#include "core/ids.h"
#include "store/test_store.h"

namespace ucsc::compliance::testing {

inline core::Instant At(int y, unsigned m, unsigned d) { return core::EndOfLocalDay({y, m, d}); }

inline const RuleSet& Packs() {
  static const RuleSet set = *LoadPacks(std::string(UCSC_SOURCE_DIR) + "/data/rulepacks");
  return set;
}

class ComplianceStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string skip;
    ts_ = store::testing::MakeTestStore(GetParam(), clock_, skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_NE(ts_, nullptr);
    const auto created = core::StartOfLocalDay({2025, 1, 1});
    ASSERT_TRUE(ts_->store->Write([&](store::Tx& tx) -> core::Status {
      core::Organisation coord;
      coord.id = "coord";
      coord.name = "Công an tỉnh (PA05)";
      coord.type = core::OrgType::kCoordinator;
      coord.focal_point = {"Trực ban PA05", "0912000000", "pa05@songhong.example.vn"};
      coord.version = 1;
      coord.created_at = coord.updated_at = created;
      UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(coord));
      core::Organisation org = coord;
      org.id = "syt";
      org.name = "Sở Y tế";
      org.type = core::OrgType::kAgency;
      org.focal_point = {"Nguyễn Thị Hoa", "0912111111", "hoa.syt@songhong.example.vn"};
      UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(org));
      core::InformationSystem s;
      s.id = "his";
      s.name = "Hệ thống thông tin bệnh viện";
      s.owner_org_id = s.operator_org_id = "syt";
      s.level = 2;
      s.approval = {"QĐ 1", "2025-01-10", "Sở Y tế"};
      s.version = 1;
      s.created_at = s.updated_at = created;
      UCSC_RETURN_IF_ERROR(tx.Systems().Insert(s));
      core::User mgr;
      mgr.id = "u1";
      mgr.username = "giamdoc.syt";
      mgr.display_name = "Trần Văn Minh";
      mgr.email = "minh.syt@songhong.example.vn";
      mgr.role = core::Role::kOrgManager;
      mgr.org_id = "syt";
      mgr.password_hash = "x";
      mgr.version = 1;
      mgr.created_at = mgr.updated_at = created;
      UCSC_RETURN_IF_ERROR(tx.Users().Insert(mgr));
      core::User c = mgr;
      c.id = "u2";
      c.username = "dieuphoi";
      c.display_name = "Lê Điều Phối";
      c.email = "dieuphoi@songhong.example.vn";
      c.role = core::Role::kCoordinator;
      c.org_id = "coord";
      return tx.Users().Insert(c);
    }));
  }
  store::Store& store() { return *ts_->store; }

  // The in-app notifications of account `user_id`, newest first.
  std::vector<store::Notification> Inbox(const std::string& user_id) {
    std::vector<store::Notification> out;
    EXPECT_TRUE(store().Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(out, tx.Notifications().List(user_id, false, "", 100));
      return core::Ok();
    }));
    return out;
  }

  core::FakeClock clock_{At(2025, 1, 1)};
  uint64_t counter_ = 0;
  // Distinct ids although the fake clock stands still: a counter in the random bytes.
  core::IdGenerator ids_{clock_, [this](std::span<uint8_t> out) {
                           std::fill(out.begin(), out.end(), uint8_t{0});
                           uint64_t n = ++counter_;
                           for (size_t i = out.size(); i-- > 0 && n > 0; n >>= 8) {
                             out[i] = static_cast<uint8_t>(n & 0xFF);
                           }
                         }};
  std::unique_ptr<store::testing::TestStore> ts_;
};

}  // namespace ucsc::compliance::testing
