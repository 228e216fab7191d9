// Bulk import of the inventory spreadsheets provinces keep: organisations, information systems,
// assets, contacts, the IR-team roster and user accounts, as a directory of CSV files or one XLSX
// workbook. Every row is validated and each bad row reported with its line and reason; nothing is
// imported unless every row is valid (or ImportOptions::partial is set).
//
// Tables (CSV file stems or XLSX sheet names, matched ignoring ASCII case) and their columns
// (header names matched ignoring ASCII case and surrounding spaces; any order; * = required):
//   organisations: key*, name*, short_name, type*, parent_key, network_member, focal_name,
//                  focal_phone, focal_email, address, email, phone
//   systems:       key*, name*, owner_key*, operator_key, level*, decision_no, decision_date,
//                  approver, national_important, public_endpoints, description
//   assets:        key, system_key*, name*, ips, hostnames, os, software
//   contacts:      org_key*, name*, position, phone, email, focal_point
//   ir_team:       org_key*, name*, email, phone, skills, certificates, outsourced
//   users:         username*, display_name, role*, org_key*, email
// Cell syntax:
//   - `key` is a file-local slug (letters, digits, '-', '_', '.'; at most 64 bytes), unique in
//     its table; other tables refer to it.
//   - parent_key, owner_key, operator_key, org_key: a key of organisations, else the id or the
//     exact name of an organisation already stored. operator_key defaults to owner_key.
//     system_key: a key of systems. An asset belongs to its system's owner organisation.
//   - lists (ips, hostnames, public_endpoints, skills, certificates, software) are separated by
//     ';'; empty entries are dropped. A software entry is `vendor|product|version|cpe` (trailing
//     fields may be left out; a backslash-escaped ';' or '|' inside a CPE does not separate).
//   - booleans: true/false, yes/no, 1/0, có/không (also co/khong), ignoring case; empty = false.
//   - level: an integer 1..5. type, role: the names of core::OrgType / core::Role.
//   - decision_date: YYYY-MM-DD, dd/mm/yyyy, or a spreadsheet date serial number.
// Leading and trailing spaces of cells are ignored; rows whose cells are all empty are skipped.
//
// Thread-safety: the functions are thread-safe; concurrent imports serialise in the store.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/model.h"
#include "core/result.h"
#include "store/store.h"
#include "tabular/table.h"

namespace ucsc::inventory {

// One bad cell, row or header. `row` is tabular::Row::number (the CSV line or sheet row); header
// problems (unknown, duplicate or missing columns) are on row 1 and problems with a whole table
// on row 0. `column` is empty when no single column is at fault.
struct RowProblem {
  std::string sheet;  // the table name as given
  int row = 0;
  std::string column;
  std::string reason;  // English, e.g. "level must be an integer 1–5, got '7'"
};

struct ImportReport {
  // Rows imported (all zero when nothing was committed). `users` counts the accounts returned in
  // `new_users`, which the caller creates.
  int organisations = 0, systems = 0, assets = 0, contacts = 0, team = 0, users = 0;
  // Sorted by table (in the order above), then row.
  std::vector<RowProblem> problems;
  // True when the rows were written: always when `problems` is empty, and with `partial` also
  // when some rows were skipped.
  bool committed = false;
};

struct ImportOptions {
  // Import the valid rows (whose references lead only to valid rows or stored organisations)
  // and report the others, instead of importing nothing when any row is bad.
  bool partial = false;
  std::string actor = "import";  // audit actor
};

// A user account from users.csv, validated, for the caller (the CLI) to create with a password.
struct NewUser {
  std::string username, display_name, email;
  core::Role role = core::Role::kOrgStaff;
  std::string org_id;  // resolved: the id of a stored or just-imported organisation
};

// Reads the tables of `path`: a directory (each *.csv in it, in name order; other files are
// ignored), one .csv file, or one .xlsx workbook (one table per worksheet). A CSV table is named
// after its file stem. Returns kNotFound when `path` does not exist, kInvalidArgument for an
// unsupported file type or a malformed file (the message starts with the file name),
// kResourceExhausted for a file over the parsers' limits, kUnavailable when a file cannot be read.
[[nodiscard]] core::Result<std::vector<tabular::Table>> ReadInventoryFiles(const std::string& path);

// Validates every row of `tables` (column names, required cells, enums, booleans, integers,
// dates, references between tables and to stored organisations, duplicates within a table,
// organisations whose name is already stored, usernames already taken, cycles of parent_key, and
// everything the Validate functions of validate.h check), then, in one store transaction,
// inserts organisations (parents first), systems, assets, contacts and IR-team members with new
// UUID v7 ids from `ids`, version 1 and created/updated = clock.Now(), and appends one audit
// record per inserted row (actor = options.actor, action "import", object_type "organisation",
// "system", "asset", "contact" or "ir_team_member", after = the row's JSON).
//
// Without options.partial, any problem means nothing is written (report.committed false). With
// it, valid rows are written and the others reported. Users are not written: `*new_users` (if
// not null) is set to the valid users, with resolved org ids, when committed, and emptied
// otherwise. Cells are compared and stored in NFC.
//
// Returns the report (bad input is a report, not an error), or the store's error when the
// transaction fails (nothing is written then). Tables with unknown names are reported as
// problems. REQUIRES: store, clock and ids outlive the call.
[[nodiscard]] core::Result<ImportReport> ImportInventory(store::Store& store,
                                                         const std::vector<tabular::Table>& tables,
                                                         const core::Clock& clock,
                                                         const core::IdGenerator& ids,
                                                         const ImportOptions& options,
                                                         std::vector<NewUser>* new_users = nullptr);

}  // namespace ucsc::inventory
