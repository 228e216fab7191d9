#include "store/internal/notification_repo.h"

namespace ucsc::store::internal {
namespace {

constexpr std::string_view kInsertNotification =
    "INSERT INTO notifications (id, user_id, org_id, kind, title, body, link, created_at, "
    "read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
constexpr std::string_view kSelectNotifications =
    "SELECT id, user_id, org_id, kind, title, body, link, created_at, read_at FROM notifications "
    "WHERE user_id = $1 AND ($2 = '' OR id < $2)";
constexpr std::string_view kCountUnread =
    "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at = 0";
constexpr std::string_view kMarkAllRead =
    "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = 0";
constexpr std::string_view kMarkOneRead =
    "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at = 0";

}  // namespace

core::Status NotificationRepoImpl::Add(const Notification& n) {
  std::vector<SqlParam> params{n.id,
                               n.user_id,
                               n.org_id,
                               n.kind,
                               n.title,
                               n.body,
                               n.link,
                               core::ToUnixMillis(n.created_at),
                               core::ToUnixMillis(n.read_at)};
  UCSC_ASSIGN_OR_RETURN(auto n_rows, conn_.Exec(kInsertNotification, params));
  (void)n_rows;
  return core::Ok();
}

core::Result<std::vector<Notification>> NotificationRepoImpl::List(const std::string& user_id,
                                                                   bool unread_only,
                                                                   const std::string& before_id,
                                                                   int limit) {
  std::vector<SqlParam> params{user_id, before_id, int64_t{limit}};
  std::string sql(kSelectNotifications);
  if (unread_only) sql += " AND read_at = 0";
  sql += " ORDER BY id DESC LIMIT $3";
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(sql, params));
  std::vector<Notification> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    out.push_back(Notification{CellText(r[0]), CellText(r[1]), CellText(r[2]), CellText(r[3]),
                               CellText(r[4]), CellText(r[5]), CellText(r[6]),
                               core::FromUnixMillis(CellInt(r[7])),
                               core::FromUnixMillis(CellInt(r[8]))});
  }
  return out;
}

core::Result<int64_t> NotificationRepoImpl::UnreadCount(const std::string& user_id) {
  std::vector<SqlParam> params{user_id};
  UCSC_ASSIGN_OR_RETURN(auto rows, conn_.Query(kCountUnread, params));
  return rows.empty() ? int64_t{0} : CellInt(rows[0][0]);
}

core::Result<int64_t> NotificationRepoImpl::MarkRead(const std::string& user_id,
                                                     const std::vector<std::string>& ids,
                                                     core::Instant at) {
  const int64_t at_ms = core::ToUnixMillis(at);
  if (ids.empty()) {
    std::vector<SqlParam> params{at_ms, user_id};
    return conn_.Exec(kMarkAllRead, params);
  }
  int64_t changed = 0;
  for (const auto& id : ids) {
    std::vector<SqlParam> params{at_ms, user_id, id};
    UCSC_ASSIGN_OR_RETURN(auto n, conn_.Exec(kMarkOneRead, params));
    changed += n;
  }
  return changed;
}

}  // namespace ucsc::store::internal
