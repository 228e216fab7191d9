// Who is told about an organisation's obligations (issue 4 points 4 and 5): its managers
// (accounts with role org_manager in it) and its focal point by e-mail and, for accounts, in the
// application; the coordinators when a reminder escalates. Shared by the reminder job and
// urging (đôn đốc).
//
// Thread-safety: LoadAudience runs inside the caller's transaction; the result is a value.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "notify/notifier.h"
#include "store/store.h"

namespace ucsc::compliance {

struct Recipients {
  std::vector<notify::Recipient> mail;  // distinct addresses
  std::vector<std::string> user_ids;    // accounts for in-app notifications, distinct
};

struct Audience {
  std::map<std::string, Recipients> by_org;  // organisation id -> its recipients
  std::map<std::string, std::string> org_name;
  Recipients coordinators;  // coordinator accounts and the coordinating body's focal point
  const Recipients& Of(const std::string& org_id) const;
};

// Reads every organisation and account once. Disabled accounts and empty addresses are left
// out; an account whose e-mail is the focal point's is notified in the application too.
// Errors: the store's.
[[nodiscard]] core::Result<Audience> LoadAudience(store::Tx& tx);

// Adds one in-app notification per account in `user_ids`. Errors: the store's.
[[nodiscard]] core::Status AddNotifications(store::Tx& tx, const core::IdGenerator& ids,
                                            const std::vector<std::string>& user_ids,
                                            const store::Notification& prototype);

}  // namespace ucsc::compliance
