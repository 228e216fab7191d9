// The outbox as a module: the signed-in account's in-app notifications (reminders, urgings,
// scan decisions, advisories, incident alerts) and the "org_mail" job that sends the e-mail
// queued by EnqueueOrgMail.
#include "outbox/module.h"

#include <string>
#include <utility>
#include <vector>

#include "capability/route.h"
#include "core/legal_time.h"
#include "outbox/outbox.h"

namespace ucsc::outbox {
namespace {

using capability::Access;
using capability::Ctx;
using capability::Json;
using capability::LimitParam;
using capability::OnlyParams;
using capability::Param;
using capability::ParseBody;
using capability::RouteSpec;
using capability::SetJson;
using Status = core::Status;

class OutboxModule final : public capability::Module {
 public:
  explicit OutboxModule(const capability::Env& env)
      : clock_(env.clock), notifier_(env.notifier), depth_(env.max_json_depth) {}

  std::string_view Name() const override { return "outbox"; }

  void Register(capability::Registry& r) override {
    for (auto& route : Routes()) r.AddRoute(std::move(route));
    r.AddJob({"org_mail", [this](const core::Job& job, store::Store& store) -> Status {
                // Without a mail server the message is in-app only (added by its route).
                notify::Notifier* sender = notifier_ ? notifier_() : nullptr;
                if (sender == nullptr) return core::Ok();
                UCSC_ASSIGN_OR_RETURN(auto payload, codec::ParseJson(job.payload));
                UCSC_ASSIGN_OR_RETURN(auto mail, OrgMailFromJson(payload));
                UCSC_ASSIGN_OR_RETURN(bool sent, SendOrgMail(store, *sender, mail, clock_.Now()));
                (void)sent;
                return core::Ok();
              }});
  }

 private:
  std::vector<RouteSpec> Routes() {
    std::vector<RouteSpec> out;
    // In-app notifications of the signed-in account (reminders, urgings; later incidents). Every
    // role has its own; no one sees another account's.
    out.push_back(
        {"GET", "/api/v1/me/notifications",
         "Your notifications, newest first: ?unread=true ?limit= (1–200) ?before=<id>", false, "",
         Access::kRead, [](Ctx& c, store::Tx& tx) -> Status {
           UCSC_RETURN_IF_ERROR(OnlyParams(c, {"unread", "limit", "before"}));
           const std::string unread = Param(c, "unread"), before = Param(c, "before");
           if (!unread.empty() && unread != "true" && unread != "false") {
             return core::InvalidArgument("must be true or false", "/unread");
           }
           if (!before.empty() && !core::IsUuid(before)) {
             return core::InvalidArgument("must be a notification id", "/before");
           }
           UCSC_ASSIGN_OR_RETURN(const int limit, LimitParam(c, 50, 200));
           const std::string& user = c.principal.user.id;
           UCSC_ASSIGN_OR_RETURN(
               auto list, tx.Notifications().List(user, unread == "true", before, limit + 1));
           const bool more = static_cast<int>(list.size()) > limit;
           if (more) list.resize(static_cast<size_t>(limit));
           Json items = Json::array();
           for (const auto& n : list) {
             Json j{{"id", n.id},
                    {"kind", n.kind},
                    {"org_id", n.org_id},
                    {"title", n.title},
                    {"body", n.body},
                    {"link", n.link},
                    {"created_at", core::FormatRfc3339Utc(n.created_at)},
                    {"read", core::ToUnixMillis(n.read_at) != 0}};
             if (core::ToUnixMillis(n.read_at) != 0)
               j["read_at"] = core::FormatRfc3339Utc(n.read_at);
             items.push_back(std::move(j));
           }
           UCSC_ASSIGN_OR_RETURN(int64_t unread_count, tx.Notifications().UnreadCount(user));
           SetJson(c, 200,
                   Json{{"items", items},
                        {"unread", unread_count},
                        {"next_before", more ? Json(list.back().id) : Json(nullptr)}});
           return core::Ok();
         }});
    out.push_back({"POST", "/api/v1/me/notifications/read",
                   "Mark your notifications read: {\"ids\":[…]} or {\"all\":true}", true, "",
                   Access::kWrite, [this](Ctx& c, store::Tx& tx) -> Status {
                     UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, depth_));
                     std::vector<std::string> ids;
                     bool all = false;
                     codec::ObjectReader r(body, "");
                     UCSC_RETURN_IF_ERROR(r.StringList("ids", ids, codec::Need::kOptional, 200));
                     UCSC_RETURN_IF_ERROR(r.Bool("all", all, codec::Need::kOptional));
                     UCSC_RETURN_IF_ERROR(r.Finish());
                     if (all == !ids.empty()) {
                       return core::InvalidArgument("give either ids or \"all\": true", "/ids");
                     }
                     for (size_t i = 0; i < ids.size(); ++i) {
                       if (!core::IsUuid(ids[i])) {
                         return core::InvalidArgument("must be a notification id",
                                                      "/ids/" + std::to_string(i));
                       }
                     }
                     const std::string& user = c.principal.user.id;
                     UCSC_ASSIGN_OR_RETURN(int64_t marked,
                                           tx.Notifications().MarkRead(user, ids, clock_.Now()));
                     UCSC_ASSIGN_OR_RETURN(int64_t unread_count,
                                           tx.Notifications().UnreadCount(user));
                     SetJson(c, 200, Json{{"marked", marked}, {"unread", unread_count}});
                     return core::Ok();
                   }});

    return out;
  }

  const core::Clock& clock_;
  std::function<notify::Notifier*()> notifier_;
  int depth_;
};

}  // namespace

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env) {
  return std::make_unique<OutboxModule>(env);
}

}  // namespace ucsc::outbox
