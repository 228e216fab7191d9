#include "compliance/run_evidence.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "auth/random.h"
#include "capability/route.h"
#include "codec/entities.h"
#include "compliance/rulepack.h"
#include "core/legal_time.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace ucsc::compliance {

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

// The file name as given, checked: no path, no control characters, not hidden, valid UTF-8.
core::Result<std::string> CheckEvidenceFileName(const std::string& name) {
  if (name.empty()) return core::InvalidArgument("a file name is required (X-File-Name)", "/name");
  if (name.size() > 255) return core::InvalidArgument("the file name is too long", "/name");
  if (!text::IsValidUtf8(name)) return core::InvalidArgument("the file name is not UTF-8", "/name");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':') {
      return core::InvalidArgument("the file name may not contain a path or control characters",
                                   "/name");
    }
  }
  if (name == "." || name == ".." || name.front() == '.') {
    return core::InvalidArgument("the file name may not start with a dot", "/name");
  }
  return name;
}

// The content type the bytes show, or "" when not an accepted kind. Accepted: PDF, PNG, JPEG,
// DOCX/XLSX (zip), plain text/CSV in UTF-8.
std::string SniffEvidenceType(const std::string& bytes, const std::string& name) {
  auto starts = [&](std::string_view magic) { return bytes.compare(0, magic.size(), magic) == 0; };
  const std::string lower = text::AsciiLower(name);
  if (starts("%PDF-")) return "application/pdf";
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts(std::string_view("PK\x03\x04", 4))) {
    if (EndsWith(lower, ".docx")) {
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    }
    if (EndsWith(lower, ".xlsx")) {
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    return "application/zip";
  }
  if (bytes.find('\0') == std::string::npos && text::IsValidUtf8(bytes)) {
    return EndsWith(lower, ".csv")     ? "text/csv"
           : EndsWith(lower, ".jsonl") ? "application/jsonl"
                                       : "text/plain";
  }
  return "";
}

// Writes the bytes to <dir>/<sha256> (owner-only) through a temporary file and a rename, so a
// crash never leaves a partial file under the final name.
core::Status StoreEvidenceFile(const std::string& dir, const std::string& sha,
                               const std::string& bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot create the evidence directory");
  ::chmod(dir.c_str(), 0700);
  const fs::path final_path = fs::path(dir) / sha;
  if (fs::exists(final_path, ec)) return core::Ok();  // same bytes already kept
  const fs::path tmp = fs::path(dir) / (".tmp-" + sha + "-" + auth::RandomToken(6));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return core::MakeError(core::ErrorCode::kUnavailable, "cannot write the evidence file");
    ::chmod(tmp.c_str(), 0600);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return core::MakeError(core::ErrorCode::kUnavailable, "cannot write the evidence file");
    }
  }
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return core::MakeError(core::ErrorCode::kUnavailable, "cannot store the evidence file");
  }
  return core::Ok();
}

core::Result<core::Evidence> RecordRunEvidence(store::Store& store, const core::IdGenerator& ids,
                                               core::Instant now, const RunEvidence& run) {
  if (run.type != "hunt_report" && run.type != "scan_report") {
    return core::InvalidArgument("must be hunt_report or scan_report", "/type");
  }
  if (run.performed_on > core::LocalDateOf(now)) {
    return core::InvalidArgument("is after today", "/performed_on");
  }
  core::Evidence e;
  e.id = ids.Next();
  e.subject_kind = "system";
  e.subject_id = run.system_id;
  e.type = run.type;
  e.performed_on = core::FormatIsoDate(run.performed_on);
  e.title = run.title;
  e.description = run.description;
  e.submitted_by = run.submitted_by;
  e.review = core::ReviewState::kPending;
  e.version = 1;
  e.created_at = e.updated_at = now;
  if (!run.file_name.empty()) {
    UCSC_ASSIGN_OR_RETURN(std::string name, CheckEvidenceFileName(run.file_name));
    const std::string type = SniffEvidenceType(run.file_bytes, name);
    if (type.empty()) return core::InvalidArgument("not a kind of file kept as evidence", "/file");
    e.file = {name, auth::Sha256Hex(run.file_bytes), static_cast<int64_t>(run.file_bytes.size()),
              type};
  }
  UCSC_RETURN_IF_ERROR(store.Write([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(auto system, tx.Systems().Get(run.system_id, store::Scope::All()));
    e.org_id = system.owner_org_id;
    // The file first: a record never points at a missing file (a file without a record, after
    // a failed insert, is harmless and reused by the same bytes).
    if (!e.file.sha256.empty()) {
      UCSC_RETURN_IF_ERROR(StoreEvidenceFile(run.evidence_dir, e.file.sha256, run.file_bytes));
    }
    UCSC_RETURN_IF_ERROR(tx.Evidence().Insert(e));
    return capability::AppendAudit(tx, run.submitted_by, now, "create", "evidence", e.id, "",
                                   codec::ToJson(e).dump());
  }));
  return e;
}

}  // namespace ucsc::compliance
