// In-app notifications per account (table notifications).
// Thread-safety: belongs to its transaction's thread.
#pragma once

#include <string>
#include <vector>

#include "store/internal/sql.h"
#include "store/store.h"

namespace ucsc::store::internal {

class NotificationRepoImpl final : public NotificationRepo {
 public:
  explicit NotificationRepoImpl(SqlConnection& conn) : conn_(conn) {}
  core::Status Add(const Notification& n) override;
  core::Result<std::vector<Notification>> List(const std::string& user_id, bool unread_only,
                                               const std::string& before_id, int limit) override;
  core::Result<int64_t> UnreadCount(const std::string& user_id) override;
  core::Result<int64_t> MarkRead(const std::string& user_id, const std::vector<std::string>& ids,
                                 core::Instant at) override;

 private:
  SqlConnection& conn_;
};

}  // namespace ucsc::store::internal
