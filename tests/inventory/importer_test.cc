// The bulk importer against real SQLite and PostgreSQL stores (STYLE.md "Tests").
#include "inventory/importer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "codec/json_reader.h"
#include "store/test_store.h"
#include "tabular/csv.h"
#include "tabular/xlsx.h"

namespace ucsc::inventory {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

core::Instant T0() { return core::FromUnixMillis(1'780'000'000'000); }

const std::string kDemoDir = std::string(UCSC_SOURCE_DIR) + "/data/demo";

tabular::Table Csv(const std::string& name, const std::string& text) {
  auto table = tabular::ParseCsv(text);
  EXPECT_TRUE(table) << name << ": " << table.error().ToString();
  if (!table) return {};
  table->name = name;
  return *table;
}

// Row counts of every inventory table plus the audit log.
struct Counts {
  int64_t orgs = 0, systems = 0, assets = 0, contacts = 0, team = 0, audit = 0;
  friend bool operator==(const Counts&, const Counts&) = default;
};

void PrintTo(const Counts& c, std::ostream* os) {
  *os << "{orgs " << c.orgs << ", systems " << c.systems << ", assets " << c.assets << ", contacts "
      << c.contacts << ", team " << c.team << ", audit " << c.audit << "}";
}

using Problem = std::tuple<std::string, int, std::string>;  // sheet, row, column

std::set<Problem> Located(const ImportReport& report) {
  std::set<Problem> out;
  for (const auto& p : report.problems) out.emplace(p.sheet, p.row, p.column);
  return out;
}

std::string Dump(const ImportReport& report) {
  std::string out;
  for (const auto& p : report.problems) {
    out += p.sheet + ":" + std::to_string(p.row) + " [" + p.column + "] " + p.reason + "\n";
  }
  return out;
}

// The reason of the problem at (sheet, row, column), or "" when there is none.
std::string ReasonAt(const ImportReport& report, const std::string& sheet, int row,
                     const std::string& column) {
  for (const auto& p : report.problems) {
    if (p.sheet == sheet && p.row == row && p.column == column) return p.reason;
  }
  return {};
}

class InventoryImport : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ts_ = Open();
    if (!skip_.empty()) GTEST_SKIP() << skip_;
    ASSERT_NE(ts_, nullptr);
  }

  std::unique_ptr<store::testing::TestStore> Open() {
    return store::testing::MakeTestStore(GetParam(), clock_, skip_);
  }
  store::Store& db() { return *ts_->store; }

  core::Result<ImportReport> Import(store::Store& target, const std::vector<tabular::Table>& tables,
                                    bool partial = false, std::vector<NewUser>* users = nullptr) {
    ImportOptions options;
    options.partial = partial;
    options.actor = "cli:tester";
    return ImportInventory(target, tables, clock_, ids_, options, users);
  }

  Counts Count(store::Store& target) {
    Counts c;
    auto st = target.Read([&](store::Tx& tx) -> core::Status {
      auto all = store::Scope::All();
      UCSC_ASSIGN_OR_RETURN(c.orgs, tx.Orgs().Count(all));
      UCSC_ASSIGN_OR_RETURN(c.systems, tx.Systems().Count(all));
      UCSC_ASSIGN_OR_RETURN(c.assets, tx.Assets().Count(all));
      UCSC_ASSIGN_OR_RETURN(c.contacts, tx.Contacts().Count(all));
      UCSC_ASSIGN_OR_RETURN(c.team, tx.Team().Count(all));
      UCSC_ASSIGN_OR_RETURN(auto audit, tx.Audit().List(0, 10000));
      c.audit = static_cast<int64_t>(audit.size());
      return core::Ok();
    });
    EXPECT_TRUE(st) << st.error().ToString();
    return c;
  }

  template <class T>
  std::vector<T> All(store::Store& target, store::EntityRepo<T>& (store::Tx::*repo)()) {
    std::vector<T> out;
    auto st = target.Read([&](store::Tx& tx) -> core::Status {
      store::ListQuery q;
      q.limit = 1000;
      while (true) {
        UCSC_ASSIGN_OR_RETURN(auto page, (tx.*repo)().List(q));
        for (auto& item : page.items) out.push_back(std::move(item));
        if (!page.more) break;
        q.after_key = page.last_key;
        q.after_id = page.last_id;
      }
      return core::Ok();
    });
    EXPECT_TRUE(st) << st.error().ToString();
    return out;
  }

  // Every imported fact with ids replaced by names, sorted: two imports of the same data give
  // equal snapshots.
  std::vector<std::string> Snapshot(store::Store& target) {
    std::map<std::string, std::string> org_name, system_name;
    auto orgs = All(target, &store::Tx::Orgs);
    for (const auto& o : orgs) org_name[o.id] = o.name;
    auto systems = All(target, &store::Tx::Systems);
    for (const auto& s : systems) system_name[s.id] = s.name;
    std::vector<std::string> out;
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& e : v) s += e + ";";
      return s;
    };
    for (const auto& o : orgs) {
      out.push_back("org|" + o.name + "|" + o.short_name + "|" + std::string(OrgTypeName(o.type)) +
                    "|" + org_name[o.parent_id] + "|" + std::to_string(o.network_member) + "|" +
                    o.focal_point.name + "|" + o.focal_point.phone + "|" + o.focal_point.email +
                    "|" + o.address + "|" + o.email + "|" + o.phone);
    }
    for (const auto& s : systems) {
      out.push_back("system|" + s.name + "|" + org_name[s.owner_org_id] + "|" +
                    org_name[s.operator_org_id] + "|" + std::to_string(s.level) + "|" +
                    s.approval.decision_no + "|" + s.approval.date + "|" + s.approval.approver +
                    "|" + std::to_string(s.national_important) + "|" + join(s.public_endpoints) +
                    "|" + s.description);
    }
    for (const auto& a : All(target, &store::Tx::Assets)) {
      std::string sw;
      for (const auto& s : a.software) {
        sw += s.vendor + "," + s.product + "," + s.version + "," + s.cpe + ";";
      }
      out.push_back("asset|" + a.name + "|" + system_name[a.system_id] + "|" + org_name[a.org_id] +
                    "|" + join(a.ips) + "|" + join(a.hostnames) + "|" + a.os + "|" + sw);
    }
    for (const auto& c : All(target, &store::Tx::Contacts)) {
      out.push_back("contact|" + org_name[c.org_id] + "|" + c.name + "|" + c.position + "|" +
                    c.phone + "|" + c.email + "|" + std::to_string(c.focal_point));
    }
    for (const auto& m : All(target, &store::Tx::Team)) {
      out.push_back("member|" + org_name[m.org_id] + "|" + m.name + "|" + m.email + "|" + m.phone +
                    "|" + join(m.skills) + "|" + join(m.certificates) + "|" +
                    std::to_string(m.outsourced));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  core::Status AddOrg(const std::string& id, const std::string& name) {
    core::Organisation o;
    o.id = id;
    o.name = name;
    o.type = core::OrgType::kAgency;
    o.version = 1;
    o.created_at = o.updated_at = T0();
    return db().Write([&](store::Tx& tx) { return tx.Orgs().Insert(o); });
  }

  core::FakeClock clock_{T0()};
  uint64_t counter_ = 0;
  // Deterministic "random" bytes: a counter in the bytes that UUID v7 keeps whole, so that ids
  // differ although the fake clock stands still.
  core::IdGenerator ids_{
      clock_, [this](std::span<uint8_t> out) {
        ++counter_;
        std::fill(out.begin(), out.end(), uint8_t{0});
        for (size_t byte_idx = 3; byte_idx < out.size(); ++byte_idx) {
          out[byte_idx] = static_cast<uint8_t>(counter_ >> (8 * (out.size() - 1 - byte_idx)));
        }
      }};
  std::string skip_;
  std::unique_ptr<store::testing::TestStore> ts_;
};

// ---- The demo province -----------------------------------------------------------------------

std::map<std::string, size_t> RowCounts(const std::vector<tabular::Table>& tables) {
  std::map<std::string, size_t> out;
  for (const auto& t : tables) out[t.name] = t.rows.size();
  return out;
}

TEST_P(InventoryImport, DemoProvinceImportsCleanly) {
  auto tables = ReadInventoryFiles(kDemoDir);
  ASSERT_TRUE(tables) << tables.error().ToString();
  auto rows = RowCounts(*tables);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_GT(rows["assets"], 300u);

  std::vector<NewUser> users;
  auto report = Import(db(), *tables, false, &users);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_TRUE(report->problems.empty()) << Dump(*report);
  EXPECT_TRUE(report->committed);
  EXPECT_EQ(report->organisations, static_cast<int>(rows["organisations"]));
  EXPECT_EQ(report->systems, static_cast<int>(rows["systems"]));
  EXPECT_EQ(report->assets, static_cast<int>(rows["assets"]));
  EXPECT_EQ(report->contacts, static_cast<int>(rows["contacts"]));
  EXPECT_EQ(report->team, static_cast<int>(rows["ir_team"]));
  EXPECT_EQ(report->users, static_cast<int>(rows["users"]));

  Counts counts = Count(db());
  EXPECT_EQ(counts.orgs, static_cast<int64_t>(rows["organisations"]));
  EXPECT_EQ(counts.systems, static_cast<int64_t>(rows["systems"]));
  EXPECT_EQ(counts.assets, static_cast<int64_t>(rows["assets"]));
  EXPECT_EQ(counts.contacts, static_cast<int64_t>(rows["contacts"]));
  EXPECT_EQ(counts.team, static_cast<int64_t>(rows["ir_team"]));
  EXPECT_EQ(counts.audit,
            counts.orgs + counts.systems + counts.assets + counts.contacts + counts.team);

  // Users are returned, not stored, with their organisations resolved.
  auto orgs = All(db(), &store::Tx::Orgs);
  std::map<std::string, core::Organisation> by_id, by_short;
  for (const auto& o : orgs) by_id[o.id] = o;
  ASSERT_EQ(users.size(), rows["users"]);
  for (const auto& u : users) {
    ASSERT_TRUE(by_id.contains(u.org_id)) << u.username;
    EXPECT_FALSE(u.display_name.empty());
  }
  auto admin = std::find_if(users.begin(), users.end(),
                            [](const NewUser& u) { return u.username == "admin"; });
  ASSERT_NE(admin, users.end());
  EXPECT_EQ(admin->role, core::Role::kAdmin);
  EXPECT_EQ(by_id[admin->org_id].short_name, "PA05 Công an tỉnh");

  // The tree: PA05 → Công an tỉnh → the province (the root).
  const auto& pa05 = by_id[admin->org_id];
  EXPECT_EQ(pa05.type, core::OrgType::kCoordinator);
  EXPECT_TRUE(pa05.network_member);
  const auto& police = by_id[pa05.parent_id];
  EXPECT_EQ(police.name, "Công an tỉnh Sông Hồng");
  const auto& province = by_id[police.parent_id];
  EXPECT_EQ(province.type, core::OrgType::kProvince);
  EXPECT_TRUE(province.parent_id.empty());
  EXPECT_EQ(province.version, 1);
  EXPECT_EQ(province.created_at, T0());
  EXPECT_TRUE(core::IsUuid(province.id));

  // A system: owner, operator, approval, lists.
  auto systems = All(db(), &store::Tx::Systems);
  auto dc = std::find_if(systems.begin(), systems.end(),
                         [](const auto& s) { return s.name == "Trung tâm dữ liệu tỉnh"; });
  ASSERT_NE(dc, systems.end());
  EXPECT_EQ(dc->level, 4);
  EXPECT_EQ(dc->owner_org_id, province.id);
  EXPECT_NE(dc->operator_org_id, province.id);
  EXPECT_EQ(dc->approval.decision_no, "86/QĐ-UBND");
  EXPECT_EQ(dc->approval.date, "2022-03-14");
  EXPECT_TRUE(dc->national_important);
  EXPECT_EQ(dc->public_endpoints, std::vector<std::string>{"203.0.113.1"});

  // Assets belong to their system's owner; software entries are split.
  std::map<std::string, core::InformationSystem> system_by_id;
  for (const auto& s : systems) system_by_id[s.id] = s;
  for (const auto& a : All(db(), &store::Tx::Assets)) {
    ASSERT_TRUE(system_by_id.contains(a.system_id)) << a.name;
    EXPECT_EQ(a.org_id, system_by_id[a.system_id].owner_org_id) << a.name;
    if (a.name == "Tường lửa biên Trung tâm dữ liệu – Trung tâm dữ liệu tỉnh") {
      EXPECT_EQ(a.system_id, dc->id);
      EXPECT_EQ(a.ips, (std::vector<std::string>{"10.10.16.18", "203.0.113.1"}));
      ASSERT_EQ(a.software.size(), 2u);
      EXPECT_EQ(a.software[0], (core::Software{"fortinet", "fortios", "7.0.12",
                                               "cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*"}));
    }
  }
}

TEST_P(InventoryImport, AuditRecordsDescribeEachImportedRow) {
  auto tables = ReadInventoryFiles(kDemoDir);
  ASSERT_TRUE(tables);
  auto report = Import(db(), *tables);
  ASSERT_TRUE(report && report->committed);
  std::vector<core::AuditRecord> records;
  std::vector<std::string> problems;
  ASSERT_TRUE(db().Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(records, tx.Audit().List(0, 10000));
    UCSC_ASSIGN_OR_RETURN(auto verify, tx.Audit().Verify());
    problems = verify.problems;
    return core::Ok();
  }));
  EXPECT_TRUE(problems.empty());
  std::map<std::string, int> by_type;
  for (const auto& r : records) {
    EXPECT_EQ(r.actor, "cli:tester");
    EXPECT_EQ(r.action, "import");
    EXPECT_EQ(r.at, T0());
    EXPECT_TRUE(r.before.empty());
    auto after = codec::ParseJson(r.after);
    ASSERT_TRUE(after) << r.after;
    EXPECT_EQ((*after)["id"], r.object_id);
    EXPECT_TRUE(after->contains("name"));
    ++by_type[r.object_type];
  }
  EXPECT_EQ(by_type["organisation"], report->organisations);
  EXPECT_EQ(by_type["system"], report->systems);
  EXPECT_EQ(by_type["asset"], report->assets);
  EXPECT_EQ(by_type["contact"], report->contacts);
  EXPECT_EQ(by_type["ir_team_member"], report->team);
}

TEST_P(InventoryImport, ImportingTheSameOrganisationsTwiceIsRefused) {
  auto tables = ReadInventoryFiles(kDemoDir);
  ASSERT_TRUE(tables);
  ASSERT_TRUE(Import(db(), *tables));
  Counts before = Count(db());
  auto again = Import(db(), *tables);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->committed);
  EXPECT_EQ(again->organisations, 0);
  EXPECT_EQ(Count(db()), before);
  int name_problems = 0, username_problems = 0;
  for (const auto& p : again->problems) {
    name_problems += p.sheet == "organisations" && p.column == "name";
    username_problems += p.sheet == "users" && p.column == "username";
  }
  EXPECT_EQ(name_problems, before.orgs) << Dump(*again);
  EXPECT_EQ(username_problems, 0);  // users were not stored by the first import
}

TEST_P(InventoryImport, XlsxWorkbookImportsTheSameAsCsv) {
  auto csv = ReadInventoryFiles(kDemoDir);
  ASSERT_TRUE(csv);
  auto bytes = tabular::WriteXlsx(*csv);
  ASSERT_TRUE(bytes) << bytes.error().ToString();
  fs::path dir = fs::temp_directory_path() /
                 ("ucsc_inventory_xlsx_" + std::to_string(getpid()) + "_" + GetParam());
  fs::create_directories(dir);
  fs::path file = dir / "Sông Hồng.xlsx";
  {
    std::ofstream out(file, std::ios::binary);
    out.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  }
  auto xlsx = ReadInventoryFiles(file.string());
  fs::remove_all(dir);
  ASSERT_TRUE(xlsx) << xlsx.error().ToString();
  EXPECT_EQ(RowCounts(*xlsx), RowCounts(*csv));
  for (const auto& t : *xlsx) EXPECT_EQ(t.rows.front().number, 2) << t.name;

  auto from_csv = Import(db(), *csv);
  ASSERT_TRUE(from_csv && from_csv->committed);

  auto other = Open();
  ASSERT_NE(other, nullptr);
  auto from_xlsx = Import(*other->store, *xlsx);
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().ToString();
  EXPECT_TRUE(from_xlsx->problems.empty()) << Dump(*from_xlsx);
  EXPECT_TRUE(from_xlsx->committed);
  EXPECT_EQ(from_xlsx->organisations, from_csv->organisations);
  EXPECT_EQ(from_xlsx->systems, from_csv->systems);
  EXPECT_EQ(from_xlsx->assets, from_csv->assets);
  EXPECT_EQ(from_xlsx->contacts, from_csv->contacts);
  EXPECT_EQ(from_xlsx->team, from_csv->team);
  EXPECT_EQ(from_xlsx->users, from_csv->users);
  EXPECT_EQ(Snapshot(*other->store), Snapshot(db()));
}

// ---- Bad input -------------------------------------------------------------------------------

// Each bad row is commented with its CSV line and what is wrong.
std::vector<tabular::Table> BadTables() {
  return {
      Csv("organisations",
          "key,name,short_name,type,parent_key,network_member,focal_email\n"
          "root,UBND tỉnh Thử,UBND,province,,false,\n"  // 2 ok
          "a,Sở A,,agency,root,Có,a@so-a.vn\n"          // 3 ok
          "c1,Vòng Một,,agency,c2,,\n"                  // 4 cycle
          "c2,Vòng Hai,,agency,c1,,\n"                  // 5 cycle
          "b,Sở B,,agency,root,maybe,\n"                // 6 bad boolean
          "d,Sở D,,agency,root,,bad@mail\n"             // 7 bad e-mail
          "a,Sở A lần hai,,agency,root,,\n"             // 8 duplicate key
          "e,,,agency,root,,\n"                         // 9 missing name
          "f,Sở F,,ministry,root,,\n"                   // 10 bad type
          "g,Sở G,,agency,nowhere,,\n"                  // 11 unknown parent
          "h,Sở H,,agency,Sở Có Sẵn,KHÔNG,\n"),         // 12 ok: stored parent by name
      Csv("systems",
          "key,name,owner_key,operator_key,level,decision_no,decision_date,approver,"
          "national_important,public_endpoints,description\n"
          "s1,Cổng thông tin,a,,3,1/QĐ-SA,2024-01-02,Giám đốc Sở A,false,https://a.vn,\n"  // 2 ok
          "s2,Hệ thống 2,a,,7,,,,,,\n"                              // 3 bad level
          "s3,Hệ thống 3,so-yte,,2,,,,,,\n"                         // 4 unknown owner
          "s4,Hệ thống 4,a,,2,5/QĐ-SA,,,,,\n"                       // 5 decision, no date/approver
          "s5,Hệ thống 5,root,existing-org,2,,31/12/2024,,yes,,\n"  // 6 ok: dd/mm/yyyy, stored id
          "s6,Hệ thống 6,c1,,2,,,,,,\n"),                           // 7 owner in a cycle
      Csv("assets",
          "key,system_key,name,ips,hostnames,os,software\n"
          "h1,s1,web01,10.0.0.1; 2001:db8::1,web01.a.vn,Ubuntu 22.04,"
          "canonical|ubuntu_linux|22.04|cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:*:*:*:*;"
          "x|prod\\:uct|1.0|cpe:2.3:a:x:prod\\:uct:1.0:*:*:*:*:*:*:*\n"  // 2 ok
          "h2,s1,web02,10.0.0.300,,,\n"                                  // 3 bad IP
          "h3,s1,web03,,,,apache|http_server|2.4|cpe:2.3:a:apache\n"     // 4 bad CPE
          "h4,s9,web04,,,,\n"                                            // 5 unknown system
          "h5,s2,web05,10.0.0.5,,,\n"),                                  // 6 system s2 is bad
      Csv("contacts",
          "org_key,name,position,phone,email,focal_point\n"
          "a,Nguyễn Văn An,Giám đốc,0912345678,anv@so-a.vn,true\n"  // 2 ok
          "a,,Phó Giám đốc,,,\n"                                    // 3 missing name
          "existing-org,Lê Thị Bình,,,,false\n"),                   // 4 ok: stored id
      Csv("ir_team",
          "org_key,name,email,fax\n"  // unknown column
          "a,Trần Bảo,bao@so-a.vn,0200123\n"),
      Csv("users",
          "username,display_name,role,org_key,email\n"
          "u1,Người dùng 1,org_manager,a,u1@so-a.vn\n"  // 2 ok
          "u2,Người dùng 2,superuser,a,\n"),            // 3 bad role
  };
}

const std::set<Problem> kBadRowProblems = {
    {"organisations", 4, "parent_key"},
    {"organisations", 5, "parent_key"},
    {"organisations", 6, "network_member"},
    {"organisations", 7, "focal_email"},
    {"organisations", 8, "key"},
    {"organisations", 9, "name"},
    {"organisations", 10, "type"},
    {"organisations", 11, "parent_key"},
    {"systems", 3, "level"},
    {"systems", 4, "owner_key"},
    {"systems", 5, "decision_date"},
    {"systems", 5, "approver"},
    {"assets", 3, "ips"},
    {"assets", 4, "software"},
    {"assets", 5, "system_key"},
    {"contacts", 3, "name"},
    {"ir_team", 1, "fax"},
    {"users", 3, "role"},
};

TEST_P(InventoryImport, BadRowsAreAllReportedAndNothingIsWritten) {
  ASSERT_TRUE(AddOrg("existing-org", "Sở Có Sẵn"));
  Counts before = Count(db());
  std::vector<NewUser> users;
  auto report = Import(db(), BadTables(), false, &users);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_FALSE(report->committed);
  EXPECT_EQ(Located(*report), kBadRowProblems) << Dump(*report);
  EXPECT_EQ(report->problems.size(), kBadRowProblems.size()) << Dump(*report);
  EXPECT_EQ(Count(db()), before);
  EXPECT_TRUE(users.empty());
  EXPECT_EQ(report->organisations + report->systems + report->assets + report->contacts +
                report->team + report->users,
            0);

  // Sorted by table, then row.
  EXPECT_EQ(report->problems.front().sheet, "organisations");
  EXPECT_EQ(report->problems.back().sheet, "users");
  EXPECT_TRUE(
      std::is_sorted(report->problems.begin(), report->problems.begin() + 8,
                     [](const RowProblem& a, const RowProblem& b) { return a.row < b.row; }));

  // Precise reasons.
  EXPECT_EQ(ReasonAt(*report, "systems", 3, "level"), "level must be an integer 1–5, got '7'");
  EXPECT_EQ(ReasonAt(*report, "systems", 4, "owner_key"),
            "owner_key 'so-yte' matches no organisation");
  EXPECT_EQ(ReasonAt(*report, "organisations", 11, "parent_key"),
            "parent_key 'nowhere' matches no organisation");
  EXPECT_EQ(ReasonAt(*report, "organisations", 4, "parent_key"),
            "parent_key 'c2' forms a cycle: c1 → c2 → c1");
  EXPECT_EQ(ReasonAt(*report, "organisations", 8, "key"), "key 'a' is already used on row 3");
  EXPECT_EQ(ReasonAt(*report, "organisations", 9, "name"), "name is required");
  EXPECT_EQ(ReasonAt(*report, "organisations", 7, "focal_email"),
            "focal_email is not a valid e-mail address: 'bad@mail'");
  EXPECT_EQ(ReasonAt(*report, "organisations", 6, "network_member"),
            "network_member must be true/false, yes/no, 1/0 or có/không, got 'maybe'");
  EXPECT_NE(ReasonAt(*report, "organisations", 10, "type").find("got 'ministry'"),
            std::string::npos);
  EXPECT_EQ(ReasonAt(*report, "assets", 3, "ips"),
            "ips entry 1 is not a valid IPv4 or IPv6 address: '10.0.0.300'");
  EXPECT_EQ(ReasonAt(*report, "assets", 4, "software"),
            "software entry 1: cpe is not a valid CPE 2.3 name: 'cpe:2.3:a:apache'");
  EXPECT_EQ(ReasonAt(*report, "assets", 5, "system_key"), "system_key 's9' matches no system");
  EXPECT_EQ(ReasonAt(*report, "systems", 5, "decision_date"),
            "decision_date is required when decision_no is set");
  EXPECT_NE(ReasonAt(*report, "ir_team", 1, "fax").find("unknown column 'fax'"), std::string::npos);
  EXPECT_NE(ReasonAt(*report, "users", 3, "role").find("got 'superuser'"), std::string::npos);
}

TEST_P(InventoryImport, PartialImportsTheGoodRows) {
  ASSERT_TRUE(AddOrg("existing-org", "Sở Có Sẵn"));
  Counts before = Count(db());
  std::vector<NewUser> users;
  auto report = Import(db(), BadTables(), true, &users);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_TRUE(report->committed);

  // The bad rows, plus the rows that lean on them.
  auto expected = kBadRowProblems;
  expected.emplace("systems", 7, "owner_key");  // owner c1 is in a cycle
  expected.emplace("assets", 6, "system_key");  // system s2 has a bad level
  EXPECT_EQ(Located(*report), expected) << Dump(*report);
  EXPECT_EQ(ReasonAt(*report, "systems", 7, "owner_key"),
            "owner_key 'c1' refers to organisations row 4, which is not imported");

  EXPECT_EQ(report->organisations, 3);  // root, a, h
  EXPECT_EQ(report->systems, 2);        // s1, s5
  EXPECT_EQ(report->assets, 1);         // h1
  EXPECT_EQ(report->contacts, 2);
  EXPECT_EQ(report->team, 0);  // the table has an unknown column
  EXPECT_EQ(report->users, 1);
  Counts after = Count(db());
  EXPECT_EQ(after.orgs, before.orgs + 3);
  EXPECT_EQ(after.systems, before.systems + 2);
  EXPECT_EQ(after.assets, before.assets + 1);
  EXPECT_EQ(after.contacts, before.contacts + 2);
  EXPECT_EQ(after.team, before.team);
  EXPECT_EQ(after.audit, before.audit + 8);

  std::map<std::string, core::Organisation> by_name;
  for (const auto& o : All(db(), &store::Tx::Orgs)) by_name[o.name] = o;
  ASSERT_TRUE(by_name.contains("Sở A"));
  EXPECT_EQ(by_name["Sở A"].parent_id, by_name["UBND tỉnh Thử"].id);
  EXPECT_TRUE(by_name["Sở A"].network_member);  // "Có"
  EXPECT_EQ(by_name["Sở H"].parent_id, "existing-org");
  EXPECT_FALSE(by_name["Sở H"].network_member);  // "KHÔNG"

  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].username, "u1");
  EXPECT_EQ(users[0].role, core::Role::kOrgManager);
  EXPECT_EQ(users[0].org_id, by_name["Sở A"].id);

  for (const auto& s : All(db(), &store::Tx::Systems)) {
    if (s.name == "Hệ thống 5") {
      EXPECT_EQ(s.approval.date, "2024-12-31");
      EXPECT_EQ(s.owner_org_id, by_name["UBND tỉnh Thử"].id);
      EXPECT_EQ(s.operator_org_id, "existing-org");
      EXPECT_TRUE(s.national_important);
    } else {
      EXPECT_EQ(s.name, "Cổng thông tin");
      EXPECT_EQ(s.operator_org_id, s.owner_org_id);  // operator defaults to the owner
    }
  }
  auto assets = All(db(), &store::Tx::Assets);
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].ips, (std::vector<std::string>{"10.0.0.1", "2001:db8::1"}));
  ASSERT_EQ(assets[0].software.size(), 2u);
  EXPECT_EQ(assets[0].software[1].product, "prod\\:uct");
  EXPECT_EQ(assets[0].software[1].cpe, "cpe:2.3:a:x:prod\\:uct:1.0:*:*:*:*:*:*:*");
  EXPECT_EQ(assets[0].org_id, by_name["Sở A"].id);
}

TEST_P(InventoryImport, ParentsMayFollowTheirChildren) {
  auto report = Import(db(), {Csv("Organisations",
                                  "Key , NAME,type,parent_key\n"
                                  "grandchild,Trường THPT,public_service_unit,child\n"
                                  "child,Sở Giáo dục,agency,root\n"
                                  "root,UBND tỉnh,province,\n")});
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_TRUE(report->problems.empty()) << Dump(*report);
  EXPECT_EQ(report->organisations, 3);
  std::map<std::string, core::Organisation> by_name;
  for (const auto& o : All(db(), &store::Tx::Orgs)) by_name[o.name] = o;
  EXPECT_EQ(by_name["Trường THPT"].parent_id, by_name["Sở Giáo dục"].id);
  EXPECT_EQ(by_name["Sở Giáo dục"].parent_id, by_name["UBND tỉnh"].id);
  EXPECT_TRUE(by_name["UBND tỉnh"].parent_id.empty());
}

TEST_P(InventoryImport, ReferencesToStoredOrganisationsByIdOrExactName) {
  ASSERT_TRUE(AddOrg("org-1", "Sở Y tế"));
  ASSERT_TRUE(AddOrg("org-2", "Sở Tư pháp"));
  ASSERT_TRUE(AddOrg("org-3", "Sở Tư pháp"));  // two with one name: ambiguous
  auto report = Import(db(), {Csv("contacts",
                                  "org_key,name\n"
                                  "Sở Y tế,An\n"
                                  "org-2,Bình\n"
                                  "Sở Tư pháp,Chi\n"
                                  "sở y tế,Dũng\n"
                                  // "Sở Y tế" decomposed (NFD), as macOS may write it.
                                  "So\xCC\x9B\xCC\x89 Y te\xCC\x82\xCC\x81,Em\n")});
  ASSERT_TRUE(report);
  EXPECT_EQ(Located(*report),
            (std::set<Problem>{{"contacts", 4, "org_key"}, {"contacts", 5, "org_key"}}))
      << Dump(*report);
  EXPECT_NE(ReasonAt(*report, "contacts", 4, "org_key").find("matches 2 stored organisations"),
            std::string::npos);
  EXPECT_EQ(ReasonAt(*report, "contacts", 5, "org_key"),
            "org_key 'sở y tế' matches no organisation");
}

TEST_P(InventoryImport, DuplicatesWithinAFileAreReported) {
  auto report = Import(db(), {Csv("organisations",
                                  "key,name,type\n"
                                  "a,Sở A,agency\n"
                                  "b,Sở A,agency\n"),
                              Csv("systems",
                                  "key,name,owner_key,level\n"
                                  "s1,Cổng,a,2\n"
                                  "s2,Cổng,a,2\n"
                                  "s1,Khác,a,2\n"),
                              Csv("users",
                                  "username,role,org_key\n"
                                  "an,org_staff,a\n"
                                  "AN,org_staff,a\n")});
  ASSERT_TRUE(report);
  EXPECT_EQ(Located(*report), (std::set<Problem>{{"organisations", 3, "name"},
                                                 {"systems", 3, "name"},
                                                 {"systems", 4, "key"},
                                                 {"users", 3, "username"}}))
      << Dump(*report);
  EXPECT_EQ(ReasonAt(*report, "systems", 4, "key"), "key 's1' is already used on row 2");
}

TEST_P(InventoryImport, HeaderProblemsAndUnknownTables) {
  auto report = Import(db(), {Csv("organisations",
                                  "key,type\n"  // no name column
                                  "a,agency\n"),
                              Csv("systems",
                                  "key,name,name,owner_key,level\n"
                                  "s1,X,Y,a,2\n"),
                              Csv("sytems", "key\nx\n")});
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->committed);
  EXPECT_EQ(
      Located(*report),
      (std::set<Problem>{{"sytems", 0, ""}, {"organisations", 1, "name"}, {"systems", 1, "name"}}))
      << Dump(*report);
  EXPECT_EQ(report->problems.front().sheet, "sytems");
  EXPECT_EQ(ReasonAt(*report, "organisations", 1, "name"), "missing required column 'name'");
  EXPECT_EQ(ReasonAt(*report, "systems", 1, "name"), "column 'name' appears twice");
}

TEST_P(InventoryImport, CellSyntax) {
  auto report = Import(db(),
                       {Csv("organisations",
                            "key,name,type,network_member\n"
                            "a,Sở A,Agency,yes\n"
                            "b,Sở B,agency,0\n"
                            "Sở C,Sở C,agency,\n"),  // 4: key is not a slug
                        Csv("systems",
                            "key,name,owner_key,level,decision_date\n"
                            "s1,S1,a,2,45292\n"         // spreadsheet serial day → 2024-01-01
                            "s2,S2,a,2.0,\n"            // 3: level not an integer
                            "s3,S3,a,2,30/02/2024\n"    // 4: no such date
                            "s4,S4,a, 5 ,2024-1-1\n"),  // 5: level trimmed; date not ISO
                        Csv("assets",
                            "system_key,name,software\n"
                            "s1,h1,a|b|c|d|e\n"  // 2: five fields
                            "s1,h2,vendor|\n"    // 3: no product
                            "s1,h3,;;\n"),       // empty entries are dropped
                        Csv("ir_team",
                            "org_key,name,skills,outsourced\n"
                            "a,Trần An,;log analysis;;forensics;,Có\n")},
                       true);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ(Located(*report), (std::set<Problem>{{"organisations", 4, "key"},
                                                 {"systems", 3, "level"},
                                                 {"systems", 4, "decision_date"},
                                                 {"systems", 5, "decision_date"},
                                                 {"assets", 2, "software"},
                                                 {"assets", 3, "software"}}))
      << Dump(*report);
  EXPECT_EQ(ReasonAt(*report, "assets", 3, "software"), "software entry 1: product is required");
  EXPECT_EQ(ReasonAt(*report, "systems", 4, "decision_date"),
            "decision_date must be a date YYYY-MM-DD or dd/mm/yyyy, got '30/02/2024'");
  EXPECT_EQ(report->systems, 1);
  auto systems = All(db(), &store::Tx::Systems);
  ASSERT_EQ(systems.size(), 1u);
  EXPECT_EQ(systems[0].approval.date, "2024-01-01");
  auto members = All(db(), &store::Tx::Team);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].skills, (std::vector<std::string>{"log analysis", "forensics"}));
  EXPECT_TRUE(members[0].outsourced);
  auto assets = All(db(), &store::Tx::Assets);
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_TRUE(assets[0].software.empty());
}

TEST_P(InventoryImport, UsernamesAlreadyTakenAreReported) {
  ASSERT_TRUE(AddOrg("org-1", "Sở Y tế"));
  core::User u;
  u.id = "user-1";
  u.username = "quanly";
  u.org_id = "org-1";
  u.version = 1;
  u.created_at = u.updated_at = T0();
  ASSERT_TRUE(db().Write([&](store::Tx& tx) { return tx.Users().Insert(u); }));
  std::vector<NewUser> users;
  auto report = Import(db(),
                       {Csv("users",
                            "username,role,org_key\n"
                            "quanly,org_manager,org-1\n"
                            "canbo,org_staff,Sở Y tế\n")},
                       false, &users);
  ASSERT_TRUE(report);
  EXPECT_EQ(Located(*report), (std::set<Problem>{{"users", 2, "username"}}));
  EXPECT_EQ(ReasonAt(*report, "users", 2, "username"), "username 'quanly' is already taken");
  EXPECT_TRUE(users.empty());
}

TEST_P(InventoryImport, NoTablesCommitsNothing) {
  auto report = Import(db(), {});
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->committed);
  EXPECT_TRUE(report->problems.empty());
  EXPECT_EQ(Count(db()), Counts{});
}

INSTANTIATE_TEST_SUITE_P(Backends, InventoryImport, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// ---- Reading files ---------------------------------------------------------------------------

class ReadInventoryFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ucsc_inventory_files_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out << bytes;
  }
  fs::path dir_;
};

TEST_F(ReadInventoryFilesTest, DirectoryOfCsvFilesInNameOrder) {
  Write("systems.csv", "key,name\ns1,S\n");
  Write("Organisations.CSV", "key,name\na,A\n");
  Write("README.md", "# not a table\n");
  Write(".hidden.csv", "junk\n");
  fs::create_directories(dir_ / "sub.csv");
  auto tables = ReadInventoryFiles(dir_.string());
  ASSERT_TRUE(tables) << tables.error().ToString();
  ASSERT_EQ(tables->size(), 2u);
  EXPECT_EQ((*tables)[0].name, "Organisations");
  EXPECT_EQ((*tables)[1].name, "systems");
  EXPECT_EQ((*tables)[1].rows.at(0).cells, (std::vector<std::string>{"s1", "S"}));
  EXPECT_EQ((*tables)[1].rows.at(0).number, 2);
}

TEST_F(ReadInventoryFilesTest, SingleCsvFileIsNamedAfterItsStem) {
  Write("assets.csv", "\xEF\xBB\xBFkey;name\nh1;Máy chủ\n");
  auto tables = ReadInventoryFiles((dir_ / "assets.csv").string());
  ASSERT_TRUE(tables) << tables.error().ToString();
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].name, "assets");
  EXPECT_EQ((*tables)[0].header, (std::vector<std::string>{"key", "name"}));
}

TEST_F(ReadInventoryFilesTest, Errors) {
  EXPECT_EQ(ReadInventoryFiles((dir_ / "missing").string()).error().code, ErrorCode::kNotFound);
  Write("inventory.ods", "x");
  EXPECT_EQ(ReadInventoryFiles((dir_ / "inventory.ods").string()).error().code,
            ErrorCode::kInvalidArgument);
  Write("broken.csv", "key,name\n\"open quote\n");
  auto broken = ReadInventoryFiles((dir_ / "broken.csv").string());
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(broken.error().message.rfind("broken.csv: ", 0), 0u) << broken.error().message;
  Write("fake.xlsx", "not a zip");
  auto fake = ReadInventoryFiles((dir_ / "fake.xlsx").string());
  ASSERT_FALSE(fake);
  EXPECT_EQ(fake.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake.error().message.rfind("fake.xlsx: ", 0), 0u) << fake.error().message;
  // A bad file in a directory fails the whole read.
  auto dir = ReadInventoryFiles(dir_.string());
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().message.rfind("broken.csv: ", 0), 0u);
}

}  // namespace
}  // namespace ucsc::inventory
