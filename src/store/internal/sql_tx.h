// One transaction's view of the store: every repository over the transaction's connection, and
// Tx::Sql() for the repositories of capability modules.
// Thread-safety: belongs to the thread running the transaction's callback.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "store/internal/audit_log.h"
#include "store/internal/change_repo.h"
#include "store/internal/compliance_repo.h"
#include "store/internal/entity_repo.h"
#include "store/internal/job_queue.h"
#include "store/internal/notification_repo.h"
#include "store/internal/scan_repo.h"
#include "store/internal/session_repo.h"
#include "store/internal/sql.h"
#include "store/internal/token_repo.h"
#include "store/internal/user_repo.h"
#include "store/internal/write_log.h"
#include "store/store.h"

namespace ucsc::store::internal {

// Tx::Sql(): the connection, named for the repositories of capability modules.
class SqlSessionImpl final : public SqlSession {
 public:
  SqlSessionImpl(SqlConnection& c, const Dialect& d) : conn_(c), dialect_(d) {}
  core::Result<std::vector<SqlRow>> Query(std::string_view sql,
                                          std::span<const SqlParam> params) override {
    return conn_.Query(sql, params);
  }
  core::Result<int64_t> Exec(std::string_view sql, std::span<const SqlParam> params) override {
    return conn_.Exec(sql, params);
  }
  std::string_view Backend() const override { return dialect_.name; }

 private:
  SqlConnection& conn_;
  const Dialect& dialect_;
};

class SqlTx final : public Tx {
 public:
  // `log` and `begin_seq` (the log's Seq() read before the transaction began) serve
  // DataVersion; a null log answers it empty.
  SqlTx(SqlConnection& c, const Dialect& d, const WriteLog* log = nullptr, uint64_t begin_seq = 0)
      : conn_(c),
        log_(log),
        begin_seq_(begin_seq),
        sql_(c, d),
        orgs_(c, d),
        systems_(c, d),
        assets_(c, d),
        contacts_(c, d),
        team_(c, d),
        tasks_(c, d),
        evidence_(c, d),
        compliance_(c),
        notifications_(c),
        scans_(c, d),
        users_(c, d),
        sessions_(c),
        tokens_(c),
        audit_(c, d),
        changes_(c),
        jobs_(c, d) {}
  EntityRepo<core::Organisation>& Orgs() override { return orgs_; }
  EntityRepo<core::InformationSystem>& Systems() override { return systems_; }
  EntityRepo<core::Asset>& Assets() override { return assets_; }
  EntityRepo<core::Contact>& Contacts() override { return contacts_; }
  EntityRepo<core::IrTeamMember>& Team() override { return team_; }
  EntityRepo<core::Task>& Tasks() override { return tasks_; }
  EntityRepo<core::Evidence>& Evidence() override { return evidence_; }
  ComplianceRepo& Compliance() override { return compliance_; }
  NotificationRepo& Notifications() override { return notifications_; }
  ScanRepo& Scans() override { return scans_; }
  UserRepo& Users() override { return users_; }
  SessionRepo& Sessions() override { return sessions_; }
  TokenRepo& Tokens() override { return tokens_; }
  AuditLog& Audit() override { return audit_; }
  ChangeRepo& Changes() override { return changes_; }
  JobQueue& Jobs() override { return jobs_; }
  core::Result<std::vector<std::pair<std::string, std::string>>> OrgParentLinks() override;
  SqlSession& Sql() override { return sql_; }
  std::optional<uint64_t> DataVersion(std::span<const std::string_view> tables) override;

 private:
  SqlConnection& conn_;
  const WriteLog* log_;
  uint64_t begin_seq_;
  SqlSessionImpl sql_;
  EntityRepoImpl<core::Organisation> orgs_;
  EntityRepoImpl<core::InformationSystem> systems_;
  EntityRepoImpl<core::Asset> assets_;
  EntityRepoImpl<core::Contact> contacts_;
  EntityRepoImpl<core::IrTeamMember> team_;
  EntityRepoImpl<core::Task> tasks_;
  EntityRepoImpl<core::Evidence> evidence_;
  ComplianceRepoImpl compliance_;
  NotificationRepoImpl notifications_;
  ScanRepoImpl scans_;
  UserRepoImpl users_;
  SessionRepoImpl sessions_;
  TokenRepoImpl tokens_;
  AuditLogImpl audit_;
  ChangeRepoImpl changes_;
  JobQueueImpl jobs_;
};

}  // namespace ucsc::store::internal
