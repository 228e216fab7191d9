#include "inventory/importer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "capability/route.h"
#include "codec/entities.h"
#include "core/legal_time.h"
#include "inventory/internal/checks.h"
#include "inventory/validate.h"
#include "tabular/csv.h"
#include "tabular/xlsx.h"
#include "text/vietnamese.h"

namespace ucsc::inventory {
namespace {

namespace fs = std::filesystem;

using core::ErrorCode;
using internal::Quote;
using internal::TrimAscii;
using internal::Violation;

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---- Reading files ---------------------------------------------------------------------------

constexpr size_t kMaxXlsxFileBytes = size_t{100} * 1024 * 1024;

core::Result<std::string> ReadWholeFile(const fs::path& file, size_t max_bytes) {
  const std::string name = file.filename().string();
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return core::MakeError(ErrorCode::kUnavailable, name + ": cannot read: " + ec.message());
  if (size > max_bytes) {
    return core::MakeError(ErrorCode::kResourceExhausted, name + ": the file is larger than " +
                                                              std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::MakeError(ErrorCode::kUnavailable, name + ": cannot open the file");
  std::string data(static_cast<size_t>(size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (static_cast<size_t>(in.gcount()) != data.size()) {
    return core::MakeError(ErrorCode::kUnavailable, name + ": cannot read the file");
  }
  return data;
}

// Prefixes the parser's message with the file name.
tl::unexpected<core::Error> InFile(const fs::path& file, const core::Error& error) {
  return core::MakeError(error.code, file.filename().string() + ": " + error.message, error.field);
}

core::Result<tabular::Table> ReadCsvTable(const fs::path& file) {
  const tabular::CsvOptions options;
  UCSC_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(file, options.max_bytes));
  auto table = tabular::ParseCsv(data, options);
  if (!table) return InFile(file, table.error());
  table->name = file.stem().string();
  return std::move(*table);
}

// ---- Table and column layout -----------------------------------------------------------------

enum class Kind { kOrganisations, kSystems, kAssets, kContacts, kTeam, kUsers };

struct ColumnSpec {
  std::string_view name;
  bool required;
};

// Maps a JSON pointer prefix of the entity (as the Check functions report it) to a column.
struct PointerColumn {
  std::string_view pointer;
  std::string_view column;
};

struct TableSpec {
  Kind kind;
  std::string_view name;
  std::span<const ColumnSpec> columns;
  std::span<const PointerColumn> pointers;
};

constexpr std::array<ColumnSpec, 12> kOrgColumns{{{"key", true},
                                                  {"name", true},
                                                  {"short_name", false},
                                                  {"type", true},
                                                  {"parent_key", false},
                                                  {"network_member", false},
                                                  {"focal_name", false},
                                                  {"focal_phone", false},
                                                  {"focal_email", false},
                                                  {"address", false},
                                                  {"email", false},
                                                  {"phone", false}}};
constexpr std::array<PointerColumn, 9> kOrgPointers{{{"/name", "name"},
                                                     {"/short_name", "short_name"},
                                                     {"/parent_id", "parent_key"},
                                                     {"/focal_point/name", "focal_name"},
                                                     {"/focal_point/phone", "focal_phone"},
                                                     {"/focal_point/email", "focal_email"},
                                                     {"/address", "address"},
                                                     {"/email", "email"},
                                                     {"/phone", "phone"}}};

constexpr std::array<ColumnSpec, 11> kSystemColumns{{{"key", true},
                                                     {"name", true},
                                                     {"owner_key", true},
                                                     {"operator_key", false},
                                                     {"level", true},
                                                     {"decision_no", false},
                                                     {"decision_date", false},
                                                     {"approver", false},
                                                     {"national_important", false},
                                                     {"public_endpoints", false},
                                                     {"description", false}}};
constexpr std::array<PointerColumn, 9> kSystemPointers{{{"/name", "name"},
                                                        {"/owner_org_id", "owner_key"},
                                                        {"/operator_org_id", "operator_key"},
                                                        {"/level", "level"},
                                                        {"/approval/decision_no", "decision_no"},
                                                        {"/approval/date", "decision_date"},
                                                        {"/approval/approver", "approver"},
                                                        {"/public_endpoints", "public_endpoints"},
                                                        {"/description", "description"}}};

constexpr std::array<ColumnSpec, 7> kAssetColumns{{{"key", false},
                                                   {"system_key", true},
                                                   {"name", true},
                                                   {"ips", false},
                                                   {"hostnames", false},
                                                   {"os", false},
                                                   {"software", false}}};
constexpr std::array<PointerColumn, 7> kAssetPointers{{{"/name", "name"},
                                                       {"/system_id", "system_key"},
                                                       {"/org_id", "system_key"},
                                                       {"/ips", "ips"},
                                                       {"/hostnames", "hostnames"},
                                                       {"/os", "os"},
                                                       {"/software", "software"}}};

constexpr std::array<ColumnSpec, 6> kContactColumns{{{"org_key", true},
                                                     {"name", true},
                                                     {"position", false},
                                                     {"phone", false},
                                                     {"email", false},
                                                     {"focal_point", false}}};
constexpr std::array<PointerColumn, 5> kContactPointers{{{"/name", "name"},
                                                         {"/org_id", "org_key"},
                                                         {"/position", "position"},
                                                         {"/phone", "phone"},
                                                         {"/email", "email"}}};

constexpr std::array<ColumnSpec, 7> kTeamColumns{{{"org_key", true},
                                                  {"name", true},
                                                  {"email", false},
                                                  {"phone", false},
                                                  {"skills", false},
                                                  {"certificates", false},
                                                  {"outsourced", false}}};
constexpr std::array<PointerColumn, 6> kTeamPointers{{{"/name", "name"},
                                                      {"/org_id", "org_key"},
                                                      {"/email", "email"},
                                                      {"/phone", "phone"},
                                                      {"/skills", "skills"},
                                                      {"/certificates", "certificates"}}};

constexpr std::array<ColumnSpec, 5> kUserColumns{{{"username", true},
                                                  {"display_name", false},
                                                  {"role", true},
                                                  {"org_key", true},
                                                  {"email", false}}};

constexpr std::array<TableSpec, 6> kTables{{
    {Kind::kOrganisations, "organisations", kOrgColumns, kOrgPointers},
    {Kind::kSystems, "systems", kSystemColumns, kSystemPointers},
    {Kind::kAssets, "assets", kAssetColumns, kAssetPointers},
    {Kind::kContacts, "contacts", kContactColumns, kContactPointers},
    {Kind::kTeam, "ir_team", kTeamColumns, kTeamPointers},
    {Kind::kUsers, "users", kUserColumns, {}},
}};

constexpr size_t kKinds = kTables.size();

std::string JoinNames(std::span<const ColumnSpec> columns) {
  std::string out;
  for (const auto& c : columns) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

// ---- Cell syntax -----------------------------------------------------------------------------

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool IsUsername(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_' || c == '.' || c == '@';
    if (!ok) return false;
  }
  return true;
}

std::optional<bool> ParseBoolCell(std::string_view cell) {
  std::string s = LowerAscii(text::NormalizeNfc(cell));
  // Upper-case Ó and Ô (the only non-ASCII letters of "có" and "không") to lower case.
  constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kUpperToLower{
      {{"\xC3\x93", "\xC3\xB3"}, {"\xC3\x94", "\xC3\xB4"}}};
  for (const auto& [upper, lower] : kUpperToLower) {
    for (size_t pos = s.find(upper); pos != std::string::npos; pos = s.find(upper, pos)) {
      s.replace(pos, upper.size(), lower);
    }
  }
  if (s == "true" || s == "yes" || s == "1" || s == "c\xC3\xB3" || s == "co") return true;
  if (s == "false" || s == "no" || s == "0" || s == "kh\xC3\xB4ng" || s == "khong") return false;
  return std::nullopt;
}

bool ParseUnsigned(std::string_view s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// "YYYY-MM-DD", "d/m/yyyy" (Vietnamese order) or a spreadsheet serial day number → ISO date.
std::optional<std::string> ParseDateCell(std::string_view s) {
  if (IsValidIsoDate(s)) return std::string(s);
  size_t slash1 = s.find('/');
  if (slash1 != std::string_view::npos) {
    size_t slash2 = s.find('/', slash1 + 1);
    if (slash2 == std::string_view::npos) return std::nullopt;
    std::string_view day = s.substr(0, slash1);
    std::string_view month = s.substr(slash1 + 1, slash2 - slash1 - 1);
    std::string_view year = s.substr(slash2 + 1);
    int d = 0, m = 0, y = 0;
    if (day.size() > 2 || month.size() > 2 || year.size() != 4 || !ParseUnsigned(day, d) ||
        !ParseUnsigned(month, m) || !ParseUnsigned(year, y) || m < 1 || m > 12 || d < 1) {
      return std::nullopt;
    }
    core::LocalDate date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
    if (!core::IsValidDate(date)) return std::nullopt;
    return core::FormatIsoDate(date);
  }
  // Excel's serial dates count days from 1899-12-30 (for every day after 1900-02-28).
  int serial = 0;
  if (ParseUnsigned(s, serial) && serial >= 61 && serial <= 2958465) {
    return core::FormatIsoDate(core::AddDays(core::LocalDate{1899, 12, 30}, serial));
  }
  return std::nullopt;
}

// Splits on `sep`, except where the separator is escaped by a backslash (which is kept). Entries
// are trimmed; with `drop_empty`, blank ones are dropped.
std::vector<std::string> SplitEscaped(std::string_view s, char sep, bool drop_empty) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string_view t = TrimAscii(current);
    if (!t.empty() || !drop_empty) out.emplace_back(t);
    current.clear();
  };
  for (size_t pos = 0; pos < s.size(); ++pos) {
    if (s[pos] == '\\' && pos + 1 < s.size()) {
      current += s[pos];
      current += s[++pos];
    } else if (s[pos] == sep) {
      flush();
    } else {
      current += s[pos];
    }
  }
  flush();
  return out;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view item = TrimAscii(s.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// ---- Staged rows -----------------------------------------------------------------------------

// A reference to an organisation: a row of the organisations table or a stored organisation.
struct OrgRef {
  int file_idx = -1;
  std::string stored_id;
  bool Resolved() const { return file_idx >= 0 || !stored_id.empty(); }
};

struct RowState {
  int row = 0;
  bool bad = false;         // has a problem of its own
  bool importable = false;  // set by the dependency pass
  std::set<std::string, std::less<>> bad_columns;
};

struct OrgRow : RowState {
  core::Organisation org;
  std::string key;
  std::string parent_ref;
  OrgRef parent;
  int depth = 0;  // 0 for a root or a child of a stored organisation
};

struct SystemRow : RowState {
  core::InformationSystem sys;
  std::string key, owner_ref, operator_ref;
  OrgRef owner, op;
};

struct AssetRow : RowState {
  core::Asset asset;
  std::string key, system_ref;
  int system_idx = -1;
};

struct ContactRow : RowState {
  core::Contact contact;
  std::string org_ref;
  OrgRef org;
};

struct MemberRow : RowState {
  core::IrTeamMember member;
  std::string org_ref;
  OrgRef org;
};

struct UserRow : RowState {
  NewUser user;
  std::string org_ref;
  OrgRef org;
};

// One input table matched to its spec.
struct Sheet {
  const tabular::Table* table = nullptr;
  const TableSpec* spec = nullptr;
  std::map<std::string, size_t, std::less<>> columns;  // spec column → cell index
  std::set<std::string, std::less<>> missing;          // required columns not in the header
  bool broken = false;  // a header problem: none of its rows is imported
};

struct SortableProblem {
  int order;  // -1 for problems with the set of tables, else the Kind
  RowProblem problem;
};

class Importer {
 public:
  Importer(store::Tx& tx, const core::Clock& clock, const core::IdGenerator& ids,
           const ImportOptions& options)
      : tx_(tx), clock_(clock), ids_(ids), options_(options) {}

  core::Status Run(const std::vector<tabular::Table>& tables, ImportReport& report,
                   std::vector<NewUser>& users);

 private:
  // Reads the cells of one row and records its problems.
  class Cells {
   public:
    Cells(Importer& importer, const Sheet& sheet, const tabular::Row& row, RowState& state)
        : importer_(importer), sheet_(sheet), row_(row), state_(state) {
      state_.row = row.number;
      for (const auto& column : sheet.missing) state_.bad_columns.insert(column);
    }
    // The trimmed cell in NFC (so that names typed on any system compare equal), "" when the
    // column is absent.
    std::string Get(std::string_view column) const {
      auto it = sheet_.columns.find(column);
      if (it == sheet_.columns.end() || it->second >= row_.cells.size()) return {};
      return text::NormalizeNfc(TrimAscii(row_.cells[it->second]));
    }
    std::string Required(std::string_view column) {
      std::string value = Get(column);
      if (value.empty() && !state_.bad_columns.contains(column)) {
        Problem(column, std::string(column) + " is required");
      }
      return value;
    }
    bool Bool(std::string_view column) {
      std::string value = Get(column);
      if (value.empty()) return false;
      auto parsed = ParseBoolCell(value);
      if (!parsed) {
        Problem(column, std::string(column) + " must be true/false, yes/no, 1/0 or có/không, got " +
                            Quote(value));
        return false;
      }
      return *parsed;
    }
    std::string Date(std::string_view column) {
      std::string value = Get(column);
      if (value.empty()) return {};
      auto parsed = ParseDateCell(value);
      if (!parsed) {
        Problem(column, std::string(column) + " must be a date YYYY-MM-DD or dd/mm/yyyy, got " +
                            Quote(value));
        return {};
      }
      return *parsed;
    }
    // A slug key, unique in `seen` (which records the first row of each key).
    std::string Key(std::string_view column, bool required, std::map<std::string, int>& seen,
                    int index) {
      std::string key = required ? Required(column) : Get(column);
      if (key.empty()) return key;
      if (!IsSlug(key)) {
        Problem(column, std::string(column) +
                            " must be a slug of letters, digits, '-', '_' or '.' (at most 64 "
                            "bytes), got " +
                            Quote(key));
        return key;
      }
      auto [it, inserted] = seen.emplace(key, index);
      if (!inserted) {
        Problem(column, std::string(column) + " " + Quote(key) + " is already used on row " +
                            std::to_string(importer_.RowOf(sheet_.spec->kind, it->second)));
      }
      return key;
    }
    OrgRef Org(std::string_view column, const std::string& ref) {
      if (ref.empty()) return {};
      std::string why;
      OrgRef out = importer_.ResolveOrg(ref, why);
      if (!out.Resolved()) Problem(column, std::string(column) + " " + Quote(ref) + " " + why);
      return out;
    }
    void Problem(std::string_view column, std::string reason) {
      state_.bad = true;
      state_.bad_columns.insert(std::string(column));
      importer_.AddProblem(*sheet_.spec, sheet_.table->name, state_.row, std::string(column),
                           std::move(reason));
    }
    // Reports the Check violations whose column has no problem yet.
    void Violations(const std::vector<Violation>& violations) {
      for (const auto& v : violations) {
        auto [column, reason] = Describe(v);
        if (state_.bad_columns.contains(column)) continue;
        Problem(column, std::move(reason));
      }
    }

   private:
    std::pair<std::string, std::string> Describe(const Violation& v) const {
      for (const auto& pc : sheet_.spec->pointers) {
        std::string_view p = v.pointer;
        if (p.substr(0, pc.pointer.size()) != pc.pointer) continue;
        std::string_view rest = p.substr(pc.pointer.size());
        if (!rest.empty() && rest.front() != '/') continue;
        std::string reason(pc.column);
        if (!rest.empty()) {
          rest.remove_prefix(1);
          size_t slash = rest.find('/');
          std::string_view index = rest.substr(0, slash);
          int entry = 0;
          if (ParseUnsigned(index, entry)) reason += " entry " + std::to_string(entry + 1);
          if (slash != std::string_view::npos) reason += ": " + std::string(rest.substr(slash + 1));
        }
        return {std::string(pc.column), reason + " " + v.predicate};
      }
      return {"", internal::HumanPath(v.pointer) + " " + v.predicate};
    }

    Importer& importer_;
    const Sheet& sheet_;
    const tabular::Row& row_;
    RowState& state_;
  };

  void AddProblem(const TableSpec& spec, const std::string& sheet, int row, std::string column,
                  std::string reason) {
    problems_.push_back({static_cast<int>(spec.kind),
                         RowProblem{sheet, row, std::move(column), std::move(reason)}});
  }

  int RowOf(Kind kind, int index) const {
    switch (kind) {
      case Kind::kOrganisations:
        return orgs_[index].row;
      case Kind::kSystems:
        return systems_[index].row;
      case Kind::kAssets:
        return assets_[index].row;
      case Kind::kContacts:
        return contacts_[index].row;
      case Kind::kTeam:
        return members_[index].row;
      case Kind::kUsers:
        return users_[index].row;
    }
    return 0;
  }

  void MatchTables(const std::vector<tabular::Table>& tables);
  void CheckHeader(Sheet& sheet);
  core::Status LoadStoredOrgs();
  OrgRef ResolveOrg(const std::string& ref, std::string& why) const;
  // A key that identifies the referenced organisation, for duplicate checks.
  static std::string OrgIdentity(const OrgRef& ref) {
    return ref.file_idx >= 0 ? "#" + std::to_string(ref.file_idx) : ref.stored_id;
  }
  bool OrgImportable(const OrgRef& ref) const {
    return ref.file_idx < 0 || orgs_[ref.file_idx].importable;
  }
  // Calls fn(row) for each non-blank data row of the sheet of `kind`, if present.
  template <class Fn>
  void ForEachRow(Kind kind, Fn&& fn) {
    const Sheet& sheet = sheets_[static_cast<size_t>(kind)];
    if (sheet.table == nullptr) return;
    for (const auto& row : sheet.table->rows) {
      bool blank = std::all_of(row.cells.begin(), row.cells.end(),
                               [](const std::string& c) { return TrimAscii(c).empty(); });
      if (!blank) fn(sheet, row);
    }
  }

  void ParseOrgs();
  void LinkOrgParents();
  void ParseSystems();
  void ParseAssets();
  void ParseContacts();
  void ParseMembers();
  core::Status ParseUsers();
  void ResolveImportable();
  // Records that row `state` of `kind` depends on a row that is not imported (partial mode).
  void Cascade(Kind kind, RowState& state, std::string_view column, const std::string& ref,
               Kind target_kind, int target_row);
  core::Status Write(ImportReport& report, std::vector<NewUser>& users);
  core::Status Audit(std::string_view object_type, const std::string& id, const codec::Json& after);

  store::Tx& tx_;
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
  const ImportOptions& options_;

  std::array<Sheet, kKinds> sheets_;
  std::vector<SortableProblem> problems_;

  std::set<std::string, std::less<>> stored_ids_;
  std::map<std::string, std::vector<std::string>, std::less<>> stored_by_name_;

  std::vector<OrgRow> orgs_;
  std::vector<SystemRow> systems_;
  std::vector<AssetRow> assets_;
  std::vector<ContactRow> contacts_;
  std::vector<MemberRow> members_;
  std::vector<UserRow> users_;
  std::map<std::string, int> org_keys_, system_keys_, asset_keys_;
};

void Importer::MatchTables(const std::vector<tabular::Table>& tables) {
  for (const auto& table : tables) {
    std::string name = LowerAscii(TrimAscii(table.name));
    const TableSpec* spec = nullptr;
    for (const auto& candidate : kTables) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      problems_.push_back({-1, RowProblem{table.name, 0, "",
                                          "unknown table " + Quote(table.name) +
                                              "; expected organisations, systems, assets, "
                                              "contacts, ir_team or users"}});
      continue;
    }
    Sheet& sheet = sheets_[static_cast<size_t>(spec->kind)];
    if (sheet.table != nullptr) {
      problems_.push_back(
          {-1, RowProblem{table.name, 0, "",
                          "table " + Quote(spec->name) + " is given twice (also as " +
                              Quote(sheet.table->name) + "); this copy is ignored"}});
      continue;
    }
    sheet.table = &table;
    sheet.spec = spec;
  }
}

void Importer::CheckHeader(Sheet& sheet) {
  const auto& table = *sheet.table;
  const auto& spec = *sheet.spec;
  auto header_problem = [&](std::string column, std::string reason) {
    sheet.broken = true;
    AddProblem(spec, table.name, 1, std::move(column), std::move(reason));
  };
  for (size_t col_idx = 0; col_idx < table.header.size(); ++col_idx) {
    std::string name = LowerAscii(TrimAscii(table.header[col_idx]));
    if (name.empty()) {
      for (const auto& row : table.rows) {
        if (col_idx < row.cells.size() && !TrimAscii(row.cells[col_idx]).empty()) {
          header_problem("", "column " + std::to_string(col_idx + 1) +
                                 " has no name in the header but holds data on row " +
                                 std::to_string(row.number));
          break;
        }
      }
      continue;
    }
    bool known = std::any_of(spec.columns.begin(), spec.columns.end(),
                             [&](const ColumnSpec& c) { return c.name == name; });
    if (!known) {
      header_problem(table.header[col_idx], "unknown column " + Quote(table.header[col_idx]) +
                                                "; expected " + JoinNames(spec.columns));
      continue;
    }
    if (!sheet.columns.emplace(name, col_idx).second) {
      header_problem(name, "column " + Quote(name) + " appears twice");
    }
  }
  for (const auto& column : spec.columns) {
    if (column.required && !sheet.columns.contains(column.name)) {
      sheet.missing.emplace(column.name);
      header_problem(std::string(column.name), "missing required column " + Quote(column.name));
    }
  }
}

core::Status Importer::LoadStoredOrgs() {
  store::ListQuery query;
  query.limit = 1000;
  while (true) {
    UCSC_ASSIGN_OR_RETURN(auto page, tx_.Orgs().List(query));
    for (const auto& org : page.items) {
      stored_ids_.insert(org.id);
      stored_by_name_[org.name].push_back(org.id);
    }
    if (!page.more) break;
    query.after_key = page.last_key;
    query.after_id = page.last_id;
  }
  return core::Ok();
}

OrgRef Importer::ResolveOrg(const std::string& ref, std::string& why) const {
  OrgRef out;
  if (auto it = org_keys_.find(ref); it != org_keys_.end()) {
    out.file_idx = it->second;
    return out;
  }
  if (stored_ids_.contains(ref)) {
    out.stored_id = ref;
    return out;
  }
  if (auto it = stored_by_name_.find(ref); it != stored_by_name_.end()) {
    if (it->second.size() == 1) {
      out.stored_id = it->second.front();
      return out;
    }
    why = "matches " + std::to_string(it->second.size()) +
          " stored organisations by name; give the id of one of them";
    return out;
  }
  why = "matches no organisation";
  return out;
}

void Importer::ParseOrgs() {
  std::map<std::string, int> names;
  ForEachRow(Kind::kOrganisations, [&](const Sheet& sheet, const tabular::Row& row) {
    const int index = static_cast<int>(orgs_.size());
    OrgRow& r = orgs_.emplace_back();
    Cells cells(*this, sheet, row, r);
    auto& org = r.org;
    r.key = cells.Key("key", true, org_keys_, index);
    org.name = cells.Required("name");
    if (!org.name.empty()) {
      auto [it, inserted] = names.emplace(org.name, index);
      if (!inserted) {
        cells.Problem("name", "name " + Quote(org.name) + " is already used on row " +
                                  std::to_string(orgs_[it->second].row));
      } else if (auto stored = stored_by_name_.find(org.name); stored != stored_by_name_.end()) {
        cells.Problem("name", "an organisation named " + Quote(org.name) +
                                  " is already stored (id " + stored->second.front() +
                                  "); refer to it by name instead of importing it again");
      }
    }
    org.short_name = cells.Get("short_name");
    std::string type = cells.Required("type");
    if (!type.empty()) {
      if (auto parsed = core::ParseOrgType(LowerAscii(type))) {
        org.type = *parsed;
      } else {
        std::string names_list;
        for (auto each : core::OrgTypeNames()) {
          names_list += (names_list.empty() ? "" : ", ") + std::string(each);
        }
        cells.Problem("type", "type must be one of " + names_list + ", got " + Quote(type));
      }
    }
    r.parent_ref = cells.Get("parent_key");
    org.network_member = cells.Bool("network_member");
    org.focal_point.name = cells.Get("focal_name");
    org.focal_point.phone = cells.Get("focal_phone");
    org.focal_point.email = cells.Get("focal_email");
    org.address = cells.Get("address");
    org.email = cells.Get("email");
    org.phone = cells.Get("phone");
    cells.Violations(internal::CheckOrganisation(org));
  });
}

void Importer::LinkOrgParents() {
  const Sheet& sheet = sheets_[static_cast<size_t>(Kind::kOrganisations)];
  for (auto& r : orgs_) {
    if (r.parent_ref.empty()) continue;
    std::string why;
    r.parent = ResolveOrg(r.parent_ref, why);
    if (!r.parent.Resolved() && !r.bad_columns.contains("parent_key")) {
      r.bad = true;
      r.bad_columns.insert("parent_key");
      AddProblem(*sheet.spec, sheet.table->name, r.row, "parent_key",
                 "parent_key " + Quote(r.parent_ref) + " " + why);
    }
  }
  // Cycles among the file's rows (a stored organisation never has a new one as its parent).
  // Row indexes as fixed-width text, so that the links are visited in row order.
  auto id = [](size_t index) {
    std::string s = std::to_string(index);
    return std::string(12 - s.size(), '0') + s;
  };
  std::map<std::string, std::string> up;
  for (size_t i = 0; i < orgs_.size(); ++i) {
    if (orgs_[i].parent.file_idx >= 0)
      up[id(i)] = id(static_cast<size_t>(orgs_[i].parent.file_idx));
  }
  for (const auto& cycle : ParentCycles(up)) {
    std::string chain;
    for (const std::string& at : cycle) chain += orgs_[std::stoul(at)].key + " → ";
    chain += orgs_[std::stoul(cycle.front())].key;
    for (const std::string& at : cycle) {
      auto& r = orgs_[std::stoul(at)];
      r.bad = true;
      r.bad_columns.insert("parent_key");
      AddProblem(*sheet.spec, sheet.table->name, r.row, "parent_key",
                 "parent_key " + Quote(r.parent_ref) + " forms a cycle: " + chain);
    }
  }
}

void Importer::ParseSystems() {
  std::map<std::string, int> names;  // owner + name → index
  ForEachRow(Kind::kSystems, [&](const Sheet& sheet, const tabular::Row& row) {
    const int index = static_cast<int>(systems_.size());
    SystemRow& r = systems_.emplace_back();
    Cells cells(*this, sheet, row, r);
    auto& sys = r.sys;
    r.key = cells.Key("key", true, system_keys_, index);
    sys.name = cells.Required("name");
    r.owner_ref = cells.Required("owner_key");
    r.owner = cells.Org("owner_key", r.owner_ref);
    r.operator_ref = cells.Get("operator_key");
    if (r.operator_ref.empty()) {
      r.op = r.owner;
    } else {
      r.op = cells.Org("operator_key", r.operator_ref);
    }
    std::string level = cells.Required("level");
    if (!level.empty()) {
      int parsed = 0;
      if (ParseUnsigned(level, parsed) && parsed >= 1 && parsed <= 5) {
        sys.level = parsed;
      } else {
        cells.Problem("level", "level must be an integer 1–5, got " + Quote(level));
      }
    }
    sys.approval.decision_no = cells.Get("decision_no");
    sys.approval.date = cells.Date("decision_date");
    sys.approval.approver = cells.Get("approver");
    sys.national_important = cells.Bool("national_important");
    sys.public_endpoints = SplitList(cells.Get("public_endpoints"));
    sys.description = cells.Get("description");
    if (r.owner.Resolved() && !sys.name.empty()) {
      auto [it, inserted] = names.emplace(OrgIdentity(r.owner) + '\x1f' + sys.name, index);
      if (!inserted) {
        cells.Problem("name", "name " + Quote(sys.name) + " is already used on row " +
                                  std::to_string(systems_[it->second].row) + " for the same owner");
      }
    }
    // The references are checked above; give the rules placeholders of the right shape.
    sys.owner_org_id = r.owner_ref.empty() ? "" : "ref";
    sys.operator_org_id = r.operator_ref.empty() ? "" : "ref";
    cells.Violations(internal::CheckSystem(sys));
  });
}

void Importer::ParseAssets() {
  std::map<std::string, int> names;  // system + name → index
  ForEachRow(Kind::kAssets, [&](const Sheet& sheet, const tabular::Row& row) {
    const int index = static_cast<int>(assets_.size());
    AssetRow& r = assets_.emplace_back();
    Cells cells(*this, sheet, row, r);
    auto& asset = r.asset;
    r.key = cells.Key("key", false, asset_keys_, index);
    r.system_ref = cells.Required("system_key");
    if (!r.system_ref.empty()) {
      if (auto it = system_keys_.find(r.system_ref); it != system_keys_.end()) {
        r.system_idx = it->second;
      } else {
        cells.Problem("system_key", "system_key " + Quote(r.system_ref) + " matches no system");
      }
    }
    asset.name = cells.Required("name");
    asset.ips = SplitList(cells.Get("ips"));
    asset.hostnames = SplitList(cells.Get("hostnames"));
    asset.os = cells.Get("os");
    auto entries = SplitEscaped(cells.Get("software"), ';', true);
    for (size_t entry_idx = 0; entry_idx < entries.size(); ++entry_idx) {
      auto fields = SplitEscaped(entries[entry_idx], '|', false);
      if (fields.size() > 4) {
        cells.Problem("software", "software entry " + std::to_string(entry_idx + 1) + " has " +
                                      std::to_string(fields.size()) +
                                      " '|'-separated fields; expected vendor|product|version|cpe");
        continue;
      }
      fields.resize(4);
      asset.software.push_back(core::Software{fields[0], fields[1], fields[2], fields[3]});
    }
    if (r.system_idx >= 0 && !asset.name.empty()) {
      auto [it, inserted] =
          names.emplace(std::to_string(r.system_idx) + '\x1f' + asset.name, index);
      if (!inserted) {
        cells.Problem("name", "name " + Quote(asset.name) + " is already used on row " +
                                  std::to_string(assets_[it->second].row) + " for the same system");
      }
    }
    asset.system_id = r.system_ref.empty() ? "" : "ref";
    cells.Violations(internal::CheckAsset(asset));
  });
}

void Importer::ParseContacts() {
  std::map<std::string, int> names;  // org + name → index
  ForEachRow(Kind::kContacts, [&](const Sheet& sheet, const tabular::Row& row) {
    const int index = static_cast<int>(contacts_.size());
    ContactRow& r = contacts_.emplace_back();
    Cells cells(*this, sheet, row, r);
    auto& contact = r.contact;
    r.org_ref = cells.Required("org_key");
    r.org = cells.Org("org_key", r.org_ref);
    contact.name = cells.Required("name");
    contact.position = cells.Get("position");
    contact.phone = cells.Get("phone");
    contact.email = cells.Get("email");
    contact.focal_point = cells.Bool("focal_point");
    if (r.org.Resolved() && !contact.name.empty()) {
      auto [it, inserted] = names.emplace(OrgIdentity(r.org) + '\x1f' + contact.name, index);
      if (!inserted) {
        cells.Problem("name", "name " + Quote(contact.name) + " is already listed on row " +
                                  std::to_string(contacts_[it->second].row) +
                                  " for the same organisation");
      }
    }
    contact.org_id = r.org_ref.empty() ? "" : "ref";
    cells.Violations(internal::CheckContact(contact));
  });
}

void Importer::ParseMembers() {
  std::map<std::string, int> names;  // org + name → index
  ForEachRow(Kind::kTeam, [&](const Sheet& sheet, const tabular::Row& row) {
    const int index = static_cast<int>(members_.size());
    MemberRow& r = members_.emplace_back();
    Cells cells(*this, sheet, row, r);
    auto& member = r.member;
    r.org_ref = cells.Required("org_key");
    r.org = cells.Org("org_key", r.org_ref);
    member.name = cells.Required("name");
    member.email = cells.Get("email");
    member.phone = cells.Get("phone");
    member.skills = SplitList(cells.Get("skills"));
    member.certificates = SplitList(cells.Get("certificates"));
    member.outsourced = cells.Bool("outsourced");
    if (r.org.Resolved() && !member.name.empty()) {
      auto [it, inserted] = names.emplace(OrgIdentity(r.org) + '\x1f' + member.name, index);
      if (!inserted) {
        cells.Problem("name", "name " + Quote(member.name) + " is already listed on row " +
                                  std::to_string(members_[it->second].row) +
                                  " for the same organisation");
      }
    }
    member.org_id = r.org_ref.empty() ? "" : "ref";
    cells.Violations(internal::CheckMember(member));
  });
}

core::Status Importer::ParseUsers() {
  std::map<std::string, int> names;  // lower-case username → index
  core::Status status = core::Ok();
  ForEachRow(Kind::kUsers, [&](const Sheet& sheet, const tabular::Row& row) {
    if (!status) return;
    const int index = static_cast<int>(users_.size());
    UserRow& r = users_.emplace_back();
    Cells cells(*this, sheet, row, r);
    auto& user = r.user;
    user.username = cells.Required("username");
    if (!user.username.empty()) {
      if (!IsUsername(user.username)) {
        cells.Problem("username",
                      "username must be 1–64 letters, digits, '.', '_', '-' or '@', got " +
                          Quote(user.username));
      } else if (auto [it, inserted] = names.emplace(LowerAscii(user.username), index); !inserted) {
        cells.Problem("username", "username " + Quote(user.username) + " is already used on row " +
                                      std::to_string(users_[it->second].row));
      } else {
        auto existing = tx_.Users().GetByUsername(user.username);
        if (existing) {
          cells.Problem("username", "username " + Quote(user.username) + " is already taken");
        } else if (existing.error().code != ErrorCode::kNotFound) {
          status = tl::unexpected(existing.error());
          return;
        }
      }
    }
    user.display_name = cells.Get("display_name");
    if (user.display_name.size() > 200) {
      cells.Problem("display_name", "display_name is longer than 200 bytes");
    }
    std::string role = cells.Required("role");
    if (!role.empty()) {
      if (auto parsed = core::ParseRole(LowerAscii(role))) {
        user.role = *parsed;
      } else {
        std::string names_list;
        for (auto each : core::AllRoles()) {
          names_list += (names_list.empty() ? "" : ", ") + std::string(core::RoleName(each));
        }
        cells.Problem("role", "role must be one of " + names_list + ", got " + Quote(role));
      }
    }
    r.org_ref = cells.Required("org_key");
    r.org = cells.Org("org_key", r.org_ref);
    user.email = cells.Get("email");
    if (!user.email.empty() && !IsValidEmail(user.email)) {
      cells.Problem("email", "email is not a valid e-mail address: " + Quote(user.email));
    }
  });
  return status;
}

void Importer::Cascade(Kind kind, RowState& state, std::string_view column, const std::string& ref,
                       Kind target_kind, int target_row) {
  const Sheet& sheet = sheets_[static_cast<size_t>(kind)];
  if (!options_.partial || state.bad || sheet.broken) return;
  const Sheet& target = sheets_[static_cast<size_t>(target_kind)];
  AddProblem(*sheet.spec, sheet.table->name, state.row, std::string(column),
             std::string(column) + " " + Quote(ref) + " refers to " + target.table->name + " row " +
                 std::to_string(target_row) + ", which is not imported");
}

void Importer::ResolveImportable() {
  // Organisations: importable when valid and every ancestor within the file is importable.
  const bool orgs_broken = sheets_[static_cast<size_t>(Kind::kOrganisations)].broken;
  std::vector<int> state(orgs_.size(), 0);  // 0 unknown, 1 decided
  for (size_t start = 0; start < orgs_.size(); ++start) {
    std::vector<int> chain;
    int at = static_cast<int>(start);
    // Walk up until a decided row, a row decided by itself, or the top of the file's tree.
    while (at >= 0 && state[at] == 0) {
      chain.push_back(at);
      if (orgs_[at].bad || orgs_broken) break;
      at = orgs_[at].parent.file_idx;
    }
    // Decide from the top of the chain down.
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      OrgRow& r = orgs_[*it];
      state[*it] = 1;
      if (r.bad || orgs_broken) {
        r.importable = false;
        continue;
      }
      int parent = r.parent.file_idx;
      if (parent < 0) {
        r.importable = true;
        r.depth = 0;
      } else if (orgs_[parent].importable) {
        r.importable = true;
        r.depth = orgs_[parent].depth + 1;
      } else {
        r.importable = false;
        Cascade(Kind::kOrganisations, r, "parent_key", r.parent_ref, Kind::kOrganisations,
                orgs_[parent].row);
      }
    }
  }

  auto org_dependency = [&](Kind kind, RowState& r, std::string_view column, const std::string& ref,
                            const OrgRef& org) {
    if (org.file_idx >= 0 && !orgs_[org.file_idx].importable) {
      Cascade(kind, r, column, ref, Kind::kOrganisations, orgs_[org.file_idx].row);
      return false;
    }
    return true;
  };

  const bool systems_broken = sheets_[static_cast<size_t>(Kind::kSystems)].broken;
  for (auto& r : systems_) {
    bool deps = org_dependency(Kind::kSystems, r, "owner_key", r.owner_ref, r.owner);
    if (!r.operator_ref.empty()) {
      deps = org_dependency(Kind::kSystems, r, "operator_key", r.operator_ref, r.op) && deps;
    }
    r.importable = !r.bad && !systems_broken && deps;
  }
  const bool assets_broken = sheets_[static_cast<size_t>(Kind::kAssets)].broken;
  for (auto& r : assets_) {
    bool deps = true;
    if (r.system_idx >= 0 && !systems_[r.system_idx].importable) {
      Cascade(Kind::kAssets, r, "system_key", r.system_ref, Kind::kSystems,
              systems_[r.system_idx].row);
      deps = false;
    }
    r.importable = !r.bad && !assets_broken && deps;
  }
  const bool contacts_broken = sheets_[static_cast<size_t>(Kind::kContacts)].broken;
  for (auto& r : contacts_) {
    bool deps = org_dependency(Kind::kContacts, r, "org_key", r.org_ref, r.org);
    r.importable = !r.bad && !contacts_broken && deps;
  }
  const bool team_broken = sheets_[static_cast<size_t>(Kind::kTeam)].broken;
  for (auto& r : members_) {
    bool deps = org_dependency(Kind::kTeam, r, "org_key", r.org_ref, r.org);
    r.importable = !r.bad && !team_broken && deps;
  }
  const bool users_broken = sheets_[static_cast<size_t>(Kind::kUsers)].broken;
  for (auto& r : users_) {
    bool deps = org_dependency(Kind::kUsers, r, "org_key", r.org_ref, r.org);
    r.importable = !r.bad && !users_broken && deps;
  }
}

core::Status Importer::Audit(std::string_view object_type, const std::string& id,
                             const codec::Json& after) {
  return capability::AppendAudit(tx_, options_.actor, clock_.Now(), "import",
                                 std::string(object_type), id, "", after.dump());
}

core::Status Importer::Write(ImportReport& report, std::vector<NewUser>& users) {
  const core::Instant now = clock_.Now();
  auto stamp = [&](auto& entity) {
    entity.id = ids_.Next();
    entity.version = 1;
    entity.created_at = now;
    entity.updated_at = now;
  };
  auto org_id = [&](const OrgRef& ref) {
    return ref.file_idx >= 0 ? orgs_[ref.file_idx].org.id : ref.stored_id;
  };

  // Parents before children: by depth, then in file order.
  std::vector<int> order;
  for (size_t idx = 0; idx < orgs_.size(); ++idx) {
    if (orgs_[idx].importable) order.push_back(static_cast<int>(idx));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return orgs_[a].depth < orgs_[b].depth; });
  for (int idx : order) {
    OrgRow& r = orgs_[idx];
    stamp(r.org);
    r.org.parent_id = r.parent.Resolved() ? org_id(r.parent) : std::string();
    UCSC_RETURN_IF_ERROR(tx_.Orgs().Insert(r.org));
    UCSC_RETURN_IF_ERROR(Audit("organisation", r.org.id, codec::ToJson(r.org)));
    ++report.organisations;
  }
  for (auto& r : systems_) {
    if (!r.importable) continue;
    stamp(r.sys);
    r.sys.owner_org_id = org_id(r.owner);
    r.sys.operator_org_id = org_id(r.op);
    // The level history starts with the level the spreadsheet records (ND85, R19).
    r.sys.level_history.push_back(
        core::LevelHistoryEntry{r.sys.level, r.sys.approval, now, options_.actor});
    UCSC_RETURN_IF_ERROR(tx_.Systems().Insert(r.sys));
    UCSC_RETURN_IF_ERROR(Audit("system", r.sys.id, codec::ToJson(r.sys)));
    ++report.systems;
  }
  for (auto& r : assets_) {
    if (!r.importable) continue;
    stamp(r.asset);
    r.asset.system_id = systems_[r.system_idx].sys.id;
    r.asset.org_id = systems_[r.system_idx].sys.owner_org_id;
    UCSC_RETURN_IF_ERROR(tx_.Assets().Insert(r.asset));
    UCSC_RETURN_IF_ERROR(Audit("asset", r.asset.id, codec::ToJson(r.asset)));
    ++report.assets;
  }
  for (auto& r : contacts_) {
    if (!r.importable) continue;
    stamp(r.contact);
    r.contact.org_id = org_id(r.org);
    UCSC_RETURN_IF_ERROR(tx_.Contacts().Insert(r.contact));
    UCSC_RETURN_IF_ERROR(Audit("contact", r.contact.id, codec::ToJson(r.contact)));
    ++report.contacts;
  }
  for (auto& r : members_) {
    if (!r.importable) continue;
    stamp(r.member);
    r.member.org_id = org_id(r.org);
    UCSC_RETURN_IF_ERROR(tx_.Team().Insert(r.member));
    UCSC_RETURN_IF_ERROR(Audit("ir_team_member", r.member.id, codec::ToJson(r.member)));
    ++report.team;
  }
  for (auto& r : users_) {
    if (!r.importable) continue;
    r.user.org_id = org_id(r.org);
    users.push_back(r.user);
    ++report.users;
  }
  return core::Ok();
}

core::Status Importer::Run(const std::vector<tabular::Table>& tables, ImportReport& report,
                           std::vector<NewUser>& users) {
  MatchTables(tables);
  for (auto& sheet : sheets_) {
    if (sheet.table != nullptr) CheckHeader(sheet);
  }
  UCSC_RETURN_IF_ERROR(LoadStoredOrgs());
  ParseOrgs();
  LinkOrgParents();
  ParseSystems();
  ParseAssets();
  ParseContacts();
  ParseMembers();
  UCSC_RETURN_IF_ERROR(ParseUsers());
  ResolveImportable();

  std::stable_sort(problems_.begin(), problems_.end(),
                   [](const SortableProblem& a, const SortableProblem& b) {
                     if (a.order != b.order) return a.order < b.order;
                     return a.problem.row < b.problem.row;
                   });
  for (auto& p : problems_) report.problems.push_back(std::move(p.problem));
  if (!report.problems.empty() && !options_.partial) return core::Ok();
  UCSC_RETURN_IF_ERROR(Write(report, users));
  report.committed = true;
  return core::Ok();
}

}  // namespace

core::Result<std::vector<tabular::Table>> ReadInventoryFiles(const std::string& path) {
  const fs::path root(path);
  std::error_code ec;
  const auto status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    return core::NotFound(path + ": no such file or directory");
  }
  std::vector<tabular::Table> tables;
  if (fs::is_directory(status)) {
    std::vector<fs::path> files;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& file = it->path();
      const std::string name = file.filename().string();
      if (name.starts_with(".") || name.starts_with("~$")) continue;  // hidden, Office lock files
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec) || LowerAscii(file.extension().string()) != ".csv") {
        continue;
      }
      files.push_back(file);
    }
    if (ec) {
      return core::MakeError(ErrorCode::kUnavailable, path + ": cannot list: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      UCSC_ASSIGN_OR_RETURN(auto table, ReadCsvTable(file));
      tables.push_back(std::move(table));
    }
    return tables;
  }
  const std::string ext = LowerAscii(root.extension().string());
  if (ext == ".csv") {
    UCSC_ASSIGN_OR_RETURN(auto table, ReadCsvTable(root));
    tables.push_back(std::move(table));
    return tables;
  }
  if (ext == ".xlsx") {
    UCSC_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(root, kMaxXlsxFileBytes));
    auto sheets = tabular::ReadXlsx(data);
    if (!sheets) return InFile(root, sheets.error());
    return std::move(*sheets);
  }
  return core::InvalidArgument(path +
                               ": unsupported file type; expected a directory of .csv files, a "
                               ".csv file or an .xlsx workbook");
}

core::Result<ImportReport> ImportInventory(store::Store& store,
                                           const std::vector<tabular::Table>& tables,
                                           const core::Clock& clock, const core::IdGenerator& ids,
                                           const ImportOptions& options,
                                           std::vector<NewUser>* new_users) {
  ImportReport report;
  std::vector<NewUser> users;
  auto status = store.Write([&](store::Tx& tx) -> core::Status {
    report = ImportReport{};  // the store may run the function again after a conflict
    users.clear();
    Importer importer(tx, clock, ids, options);
    return importer.Run(tables, report, users);
  });
  if (!status) return tl::unexpected(status.error());
  if (new_users != nullptr) *new_users = std::move(users);
  return report;
}

}  // namespace ucsc::inventory
