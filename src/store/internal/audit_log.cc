#include "store/internal/audit_log.h"

#include <openssl/evp.h>

#include <algorithm>

namespace ucsc::store::internal {
namespace {

const std::string kGenesisHash(64, '0');

constexpr std::string_view kSelectAuditTail =
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
constexpr std::string_view kInsertAudit =
    "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, before_json, "
    "after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr std::string_view kSelectAudit =
    "SELECT seq, at, actor, action, object_type, object_id, before_json, after_json, prev_hash, "
    "hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2";

}  // namespace

core::Result<core::AuditRecord> AuditLogImpl::Append(core::AuditRecord r) {
  if (!d_.audit_lock.empty()) {
    UCSC_ASSIGN_OR_RETURN(auto locked, conn_.Query(d_.audit_lock, {}));
    (void)locked;
  }
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectAuditTail, {}));
  r.seq = rows.empty() ? 1 : CellInt(rows[0][0]) + 1;
  r.prev_hash = rows.empty() ? kGenesisHash : CellText(rows[0][1]);
  r.hash = AuditHash(r.prev_hash, r);
  std::vector<SqlParam> params{r.seq,         core::ToUnixMillis(r.at),
                               r.actor,       r.action,
                               r.object_type, r.object_id,
                               r.before,      r.after,
                               r.prev_hash,   r.hash};
  UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kInsertAudit, params));
  (void)n;
  return r;
}

core::Result<std::vector<core::AuditRecord>> AuditLogImpl::List(int64_t after_seq, int limit) {
  std::vector<SqlParam> params{after_seq, int64_t{std::clamp(limit, 1, 10000)}};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kSelectAudit, params));
  std::vector<core::AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back(core::AuditRecord{CellInt(row[0]), core::FromUnixMillis(CellInt(row[1])),
                                    CellText(row[2]), CellText(row[3]), CellText(row[4]),
                                    CellText(row[5]), CellText(row[6]), CellText(row[7]),
                                    CellText(row[8]), CellText(row[9])});
  }
  return out;
}

core::Result<AuditVerifyReport> AuditLogImpl::Verify() {
  AuditVerifyReport report;
  int64_t expect_seq = 1;
  std::string prev = kGenesisHash;
  for (;;) {
    UCSC_ASSIGN_OR_RETURN(auto batch, List(expect_seq - 1, 5000));
    if (batch.empty()) break;
    for (const auto& r : batch) {
      ++report.records;
      if (r.seq != expect_seq) {
        report.problems.push_back("records " + std::to_string(expect_seq) + "–" +
                                  std::to_string(r.seq - 1) + " are missing (deleted)");
      }
      if (r.prev_hash != prev) {
        report.problems.push_back("record " + std::to_string(r.seq) +
                                  " does not chain to the record before it");
      }
      if (AuditHash(r.prev_hash, r) != r.hash) {
        report.problems.push_back("record " + std::to_string(r.seq) +
                                  " was altered after it was written");
      }
      prev = r.hash;
      report.head_hash = r.hash;
      expect_seq = r.seq + 1;
      if (report.problems.size() > 100) return report;
    }
  }
  return report;
}

std::string AuditHash(const std::string& prev_hash, const core::AuditRecord& r) {
  std::string text;
  auto field = [&](std::string_view v) {
    text += std::to_string(v.size());
    text += ':';
    text += v;
    text += '\n';
  };
  field(std::to_string(r.seq));
  field(std::to_string(core::ToUnixMillis(r.at)));
  field(r.actor);
  field(r.action);
  field(r.object_type);
  field(r.object_id);
  field(r.before);
  field(r.after);
  field(prev_hash);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

}  // namespace ucsc::store::internal
