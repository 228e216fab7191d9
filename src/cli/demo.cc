#include "cli/demo.h"

#include <algorithm>
#include <map>

#include "auth/random.h"
#include "codec/entities.h"
#include "compliance/facts.h"
#include "compliance/history.h"
#include "compliance/rulepack.h"
#include "inventory/importer.h"
#include "store/for_all.h"

namespace ucsc::cli {

core::Result<std::vector<DemoCredential>> InitDemo(store::Store& store, const std::string& demo_dir,
                                                   const core::Clock& clock,
                                                   const core::IdGenerator& ids,
                                                   auth::HashStrength strength,
                                                   core::Instant inventory_since) {
  UCSC_ASSIGN_OR_RETURN(auto tables, inventory::ReadInventoryFiles(demo_dir));
  // The demo inventory may be dated back, as if entered years ago (compliance windows run from a
  // system's creation).
  core::FakeClock since_clock(inventory_since);
  const core::Clock& import_clock =
      inventory_since == core::Instant{} ? clock : static_cast<const core::Clock&>(since_clock);
  std::vector<inventory::NewUser> users;
  inventory::ImportOptions options;
  options.actor = "demo";
  UCSC_ASSIGN_OR_RETURN(
      auto report, inventory::ImportInventory(store, tables, import_clock, ids, options, &users));
  if (!report.committed) {
    std::string why = "the demo data did not import";
    if (!report.problems.empty()) {
      const auto& p = report.problems.front();
      why += ": " + p.sheet + " row " + std::to_string(p.row) + " " + p.column + ": " + p.reason;
    }
    return core::Internal(why);
  }
  std::vector<DemoCredential> creds;
  UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
    for (const auto& nu : users) {
      core::User u;
      u.id = ids.Next();
      u.username = nu.username;
      u.display_name = nu.display_name;
      u.email = nu.email;
      u.role = nu.role;
      u.org_id = nu.org_id;
      // One-time password: long enough for the policy, changed at first sign-in.
      std::string password = "Demo-" + auth::RandomToken(12);
      UCSC_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(password, strength));
      u.must_change_password = true;
      u.version = 1;
      u.created_at = u.updated_at = clock.Now();
      UCSC_RETURN_IF_ERROR(tx.Users().Insert(u));
      core::AuditRecord r;
      r.at = clock.Now();
      r.actor = "demo";
      r.action = "create";
      r.object_type = "user";
      r.object_id = u.id;
      r.after = codec::ToJson(u).dump();
      UCSC_ASSIGN_OR_RETURN(auto appended, tx.Audit().Append(r));
      (void)appended;
      creds.push_back({u.username, std::string(core::RoleName(u.role)), password});
    }
    return core::Ok();
  }));
  return creds;
}

core::Status GenerateInventory(store::Store& store, int orgs, int systems, const core::Clock& clock,
                               const core::IdGenerator& ids) {
  static const char* kKinds[] = {"Cổng thông tin điện tử",     "Hệ thống quản lý văn bản",
                                 "Hệ thống thư điện tử",       "Phần mềm một cửa điện tử",
                                 "Cơ sở dữ liệu chuyên ngành", "Hệ thống camera giám sát",
                                 "Phần mềm kế toán",           "Hệ thống hội nghị truyền hình"};
  std::vector<std::string> org_ids;
  const auto now = clock.Now();
  UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
    for (int i = 0; i < orgs; ++i) {
      core::Organisation o;
      o.id = ids.Next();
      o.name = "Đơn vị thử tải số " + std::to_string(i + 1);
      o.type = core::OrgType::kAgency;
      o.version = 1;
      o.created_at = o.updated_at = now;
      UCSC_RETURN_IF_ERROR(tx.Orgs().Insert(o));
      org_ids.push_back(o.id);
    }
    return core::Ok();
  }));
  const int batch = 5000;
  for (int start = 0; start < systems; start += batch) {
    UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
      for (int i = start; i < std::min(systems, start + batch); ++i) {
        core::InformationSystem s;
        s.id = ids.Next();
        s.name = std::string(kKinds[i % 8]) + " " + std::to_string(i + 1);
        s.owner_org_id = s.operator_org_id = org_ids[i % org_ids.size()];
        s.level = 1 + (i * 7) % 5;
        s.version = 1;
        s.created_at = s.updated_at = now;
        s.level_history.push_back({s.level, {}, now, "generator"});
        UCSC_RETURN_IF_ERROR(tx.Systems().Insert(s));
      }
      return core::Ok();
    }));
  }
  return core::Ok();
}

core::Result<std::vector<std::string>> SeedModuleDemos(
    store::Store& store, const std::vector<capability::DemoSpec>& demos, const core::Clock& clock,
    const core::IdGenerator& ids) {
  std::vector<std::string> types;
  if (demos.empty()) return types;
  capability::DemoEnv env{store, clock, ids, {}, {}, {}};
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_RETURN_IF_ERROR(
        store::ForAll(tx.Orgs(), [&](const core::Organisation& o) { env.orgs.push_back(o); }));
    UCSC_RETURN_IF_ERROR(store::ForAll(
        tx.Systems(), [&](const core::InformationSystem& s) { env.systems.push_back(s); }));
    UCSC_ASSIGN_OR_RETURN(env.users, tx.Users().List(store::Scope::All()));
    return core::Ok();
  }));
  for (const auto& demo : demos) {
    auto seeded = demo.seed(env);
    if (!seeded) {
      core::Error e = seeded.error();
      e.message = "demo " + demo.name + ": " + e.message;
      return tl::unexpected(e);
    }
    types.insert(types.end(), demo.evidence_types.begin(), demo.evidence_types.end());
  }
  return types;
}

core::Result<int64_t> SeedComplianceHistory(store::Store& store, const std::string& rules_dir,
                                            const core::Clock& clock, const core::IdGenerator& ids,
                                            const std::vector<std::string>& skip_types) {
  UCSC_ASSIGN_OR_RETURN(auto rules, compliance::LoadPacks(rules_dir));
  compliance::Facts facts;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(facts, compliance::LoadFacts(tx, clock.Now()));
    return core::Ok();
  }));
  const core::LocalDate today = core::LocalDateOf(clock.Now());
  const core::LocalDate anchor = std::max(today, core::LocalDate{2026, 12, 31});
  compliance::HistoryMix mix;
  mix.skip_types = skip_types;  // R3–R5 from the plan module's plans and drills, not from uploads
  auto history = compliance::GenerateHistory(rules, facts, anchor, today, mix);
  return compliance::WriteHistory(store, history, facts, ids, clock.Now(), "demo");
}

}  // namespace ucsc::cli
