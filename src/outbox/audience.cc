#include <algorithm>
#include <set>

#include "outbox/outbox.h"
#include "store/for_all.h"

namespace ucsc::outbox {

namespace {

void AddMail(Recipients& r, const std::string& address, const std::string& name) {
  if (address.empty()) return;
  const bool seen = std::any_of(r.mail.begin(), r.mail.end(),
                                [&](const notify::Recipient& m) { return m.address == address; });
  if (!seen) r.mail.push_back({address, name});
}

void AddUser(Recipients& r, const std::string& id) {
  if (std::find(r.user_ids.begin(), r.user_ids.end(), id) == r.user_ids.end()) {
    r.user_ids.push_back(id);
  }
}

}  // namespace

const Recipients& Audience::Of(const std::string& org_id) const {
  static const Recipients kNone;
  auto it = by_org.find(org_id);
  return it == by_org.end() ? kNone : it->second;
}

core::Result<Audience> LoadAudience(store::Tx& tx) {
  Audience a;
  std::map<std::string, std::string> focal_email;  // org id -> focal point e-mail
  std::set<std::string> coordinating_orgs;
  UCSC_RETURN_IF_ERROR(store::ForAll(tx.Orgs(), [&](const core::Organisation& o) {
    a.org_name[o.id] = o.name;
    Recipients& r = a.by_org[o.id];
    AddMail(r, o.focal_point.email, o.focal_point.name);
    focal_email[o.id] = o.focal_point.email;
    if (o.type == core::OrgType::kCoordinator) {
      coordinating_orgs.insert(o.id);
      AddMail(a.coordinators, o.focal_point.email, o.focal_point.name);
    }
  }));
  UCSC_ASSIGN_OR_RETURN(auto users, tx.Users().List(store::Scope::All()));
  for (const auto& u : users) {
    if (u.disabled) continue;
    auto fe = focal_email.find(u.org_id);
    const bool focal = fe != focal_email.end() && !u.email.empty() && u.email == fe->second;
    if (u.role == core::Role::kOrgManager || focal) {
      Recipients& r = a.by_org[u.org_id];
      AddMail(r, u.email, u.display_name);
      AddUser(r, u.id);
    }
    if (u.role == core::Role::kCoordinator) {
      AddMail(a.coordinators, u.email, u.display_name);
      AddUser(a.coordinators, u.id);
    }
  }
  return a;
}

core::Status AddNotifications(store::Tx& tx, const core::IdGenerator& ids,
                              const std::vector<std::string>& user_ids,
                              const store::Notification& prototype) {
  for (const auto& user_id : user_ids) {
    store::Notification n = prototype;
    n.id = ids.Next();
    n.user_id = user_id;
    UCSC_RETURN_IF_ERROR(tx.Notifications().Add(n));
  }
  return core::Ok();
}

}  // namespace ucsc::outbox
