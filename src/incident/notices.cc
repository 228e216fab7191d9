#include "incident/notices.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace ucsc::incident {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view path) : path_(path) {}

  [[nodiscard]] core::Status Fail(const YAML::Node& n, const std::string& reason) const {
    return core::InvalidArgument(path_ + ":" + std::to_string(n.Mark().line + 1) + ": " + reason);
  }

  [[nodiscard]] core::Status CheckKeys(const YAML::Node& n,
                                       const std::set<std::string>& known) const {
    if (!n.IsMap()) return Fail(n, "must be a map");
    for (const auto& kv : n) {
      const auto key = kv.first.as<std::string>();
      if (!known.contains(key)) return Fail(kv.first, "unknown key \"" + key + "\"");
    }
    return core::Ok();
  }

  [[nodiscard]] core::Status Str(const YAML::Node& n, const char* key, std::string& out,
                                 bool required) const {
    const auto v = n[key];
    if (!v) return required ? Fail(n, std::string("missing \"") + key + "\"") : core::Ok();
    if (!v.IsScalar()) return Fail(v, std::string("\"") + key + "\" must be a string");
    out = v.as<std::string>();
    if (required && out.empty()) return Fail(v, std::string("\"") + key + "\" is empty");
    return core::Ok();
  }

  [[nodiscard]] core::Status Title(const YAML::Node& n, Text& out) const {
    const auto t = n["title"];
    if (!t) return Fail(n, "missing \"title\" {vi, en}");
    UCSC_RETURN_IF_ERROR(CheckKeys(t, {"vi", "en"}));
    UCSC_RETURN_IF_ERROR(Str(t, "vi", out.vi, true));
    return Str(t, "en", out.en, true);
  }

 private:
  std::string path_;
};

bool IsRoundEvent(EventKind k) {
  return k == EventKind::kNotificationSent || k == EventKind::kFollowUpSent ||
         k == EventKind::kInitialReportSent || k == EventKind::kProgressReportSent ||
         k == EventKind::kClosingReportSent;
}

// Time order; events of one instant keep the order they were made in (a notice before the
// round it completes).
bool EventLess(const Event& a, const Event& b) { return a.at < b.at; }

}  // namespace

const PartyDef* Recipients::Party(std::string_view id) const {
  for (const auto& p : parties) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const NoticeRule* Recipients::Document(std::string_view id) const {
  for (const auto& d : documents) {
    if (d.document == id) return &d;
  }
  return nullptr;
}

core::Result<Recipients> ParseRecipients(std::string_view text, std::string_view path) {
  Parser p(path);
  Recipients out;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) return core::InvalidArgument(std::string(path) + ":1: not a YAML map");
    UCSC_RETURN_IF_ERROR(p.CheckKeys(root, {"pack", "version", "parties", "documents"}));
    std::string name;
    std::string version;
    UCSC_RETURN_IF_ERROR(p.Str(root, "pack", name, true));
    UCSC_RETURN_IF_ERROR(p.Str(root, "version", version, true));
    out.pack = name + "@" + version;
    const auto parties = root["parties"];
    if (!parties || !parties.IsSequence() || parties.size() == 0) {
      return tl::unexpected(p.Fail(root, "missing \"parties\" list").error());
    }
    for (const auto& n : parties) {
      PartyDef d;
      UCSC_RETURN_IF_ERROR(p.CheckKeys(n, {"id", "title", "body"}));
      UCSC_RETURN_IF_ERROR(p.Str(n, "id", d.id, true));
      UCSC_RETURN_IF_ERROR(p.Title(n, d.title));
      UCSC_RETURN_IF_ERROR(p.Str(n, "body", d.body, false));
      if (out.Party(d.id) != nullptr) {
        return tl::unexpected(p.Fail(n, "duplicate party \"" + d.id + "\"").error());
      }
      out.parties.push_back(std::move(d));
    }
    const auto docs = root["documents"];
    if (!docs || !docs.IsSequence() || docs.size() == 0) {
      return tl::unexpected(p.Fail(root, "missing \"documents\" list").error());
    }
    for (const auto& n : docs) {
      NoticeRule d;
      UCSC_RETURN_IF_ERROR(p.CheckKeys(n, {"id", "rule", "title", "event", "required"}));
      UCSC_RETURN_IF_ERROR(p.Str(n, "id", d.document, true));
      UCSC_RETURN_IF_ERROR(p.Str(n, "rule", d.rule, false));
      UCSC_RETURN_IF_ERROR(p.Title(n, d.title));
      std::string event;
      UCSC_RETURN_IF_ERROR(p.Str(n, "event", event, false));
      if (!event.empty()) {
        d.event = ParseEventKind(event);
        if (!d.event || !IsRoundEvent(*d.event)) {
          return tl::unexpected(
              p.Fail(n["event"], "\"" + event + "\" is not an event a document sent gives")
                  .error());
        }
      }
      const auto req = n["required"];
      if (req) {
        if (!req.IsSequence()) return tl::unexpected(p.Fail(req, "must be a list").error());
        for (const auto& r : req) {
          const auto id = r.as<std::string>();
          if (out.Party(id) == nullptr) {
            return tl::unexpected(p.Fail(r, "unknown party \"" + id + "\"").error());
          }
          d.required.push_back(id);
        }
      }
      if (d.event && d.required.empty()) {
        return tl::unexpected(p.Fail(n, "a document with an event needs required parties").error());
      }
      if (out.Document(d.document) != nullptr) {
        return tl::unexpected(p.Fail(n, "duplicate document \"" + d.document + "\"").error());
      }
      out.documents.push_back(std::move(d));
    }
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": " +
                                 e.msg);
  }
  return out;
}

core::Result<Recipients> LoadRecipients(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseRecipients(buf.str(), path);
}

std::string_view NoticeDirectionName(NoticeDirection d) {
  return d == NoticeDirection::kReceived ? "received" : "sent";
}

std::optional<NoticeDirection> ParseNoticeDirection(std::string_view s) {
  if (s == "sent") return NoticeDirection::kSent;
  if (s == "received") return NoticeDirection::kReceived;
  return std::nullopt;
}

const std::vector<std::string_view>& NoticeChannels() {
  static const std::vector<std::string_view> kChannels{"letter", "fax",   "email",    "sms",
                                                       "system", "phone", "in_person"};
  return kChannels;
}

core::Status ValidateNotice(const Recipients& r, const Incident& inc, const Notice& n,
                            core::Instant now) {
  if (r.Document(n.document) == nullptr) {
    std::string known;
    for (const auto& d : r.documents) known += (known.empty() ? "" : ", ") + d.document;
    return core::InvalidArgument("is not a document (" + known + ")", "/document");
  }
  if (r.Party(n.party) == nullptr) {
    std::string known;
    for (const auto& p : r.parties) known += (known.empty() ? "" : ", ") + p.id;
    return core::InvalidArgument("is not a party (" + known + ")", "/party");
  }
  const auto& channels = NoticeChannels();
  if (std::find(channels.begin(), channels.end(), n.channel) == channels.end()) {
    return core::InvalidArgument("must be letter, fax, email, sms, system, phone or in_person",
                                 "/channel");
  }
  if (n.at > now) return core::InvalidArgument("is in the future", "/at");
  if (n.at < inc.detected_at) return core::InvalidArgument("is before the detection", "/at");
  return core::Ok();
}

std::vector<Event> NoticeEvents(const Recipients& r, const std::vector<Notice>& notices) {
  std::vector<const Notice*> sorted;
  sorted.reserve(notices.size());
  for (const auto& n : notices) sorted.push_back(&n);
  std::sort(sorted.begin(), sorted.end(), [](const Notice* a, const Notice* b) {
    return a->at != b->at ? a->at < b->at : a->id < b->id;
  });
  std::vector<Event> out;
  std::map<std::string, std::set<std::string>> covered;  // document → parties since last round
  for (const Notice* n : sorted) {
    if (n->direction == NoticeDirection::kReceived) {
      out.push_back({EventKind::kNoticeReceived, n->at, n->id, {}, n->document + " ← " + n->party});
      if (n->acknowledged_at) {
        out.push_back({EventKind::kAcknowledgementSent, *n->acknowledged_at, n->id,
                       n->acknowledged_by, n->ack_channel});
      }
      continue;
    }
    out.push_back({EventKind::kNoticeSent, n->at, n->id, {}, n->document + " → " + n->party});
    if (n->acknowledged_at) {
      out.push_back({EventKind::kAcknowledgementReceived, *n->acknowledged_at, n->id,
                     n->acknowledged_by, n->ack_channel});
    }
    const NoticeRule* rule = r.Document(n->document);
    if (rule == nullptr || !rule->event) continue;
    auto& set = covered[rule->document];
    set.insert(n->party);
    const bool complete = std::all_of(rule->required.begin(), rule->required.end(),
                                      [&](const std::string& p) { return set.contains(p); });
    if (complete) {
      out.push_back({*rule->event, n->at, n->id, {}, rule->document});
      set.clear();
    }
  }
  std::stable_sort(out.begin(), out.end(), EventLess);
  return out;
}

std::vector<Event> NewEvents(const std::vector<Event>& before, const std::vector<Event>& after) {
  std::vector<bool> used(before.size(), false);
  std::vector<Event> out;
  for (const auto& e : after) {
    bool found = false;
    for (size_t i = 0; i < before.size() && !found; ++i) {
      if (!used[i] && before[i] == e) {
        used[i] = true;
        found = true;
      }
    }
    if (!found) out.push_back(e);
  }
  return out;
}

void ApplyNoticeFacts(const std::vector<Event>& events, const std::vector<Notice>& notices,
                      Incident& inc) {
  auto reference = [&](const std::string& id) {
    for (const auto& n : notices) {
      if (n.id == id) return n.reference_no;
    }
    return std::string();
  };
  auto unset = [](core::Instant t) { return core::ToUnixMillis(t) == 0; };
  for (const auto& e : events) {
    switch (e.kind) {
      case EventKind::kNotificationSent:
        if (unset(inc.reported_at)) inc.reported_at = e.at;
        break;
      case EventKind::kInitialReportSent:
        if (unset(inc.initial_report.reported_at)) {
          inc.initial_report.reported_at = e.at;
          if (inc.initial_report.reference_no.empty()) {
            inc.initial_report.reference_no = reference(e.ref);
          }
        }
        break;
      case EventKind::kClosingReportSent:
        if (unset(inc.closing_report.reported_at)) {
          inc.closing_report.reported_at = e.at;
          if (inc.closing_report.reference_no.empty()) {
            inc.closing_report.reference_no = reference(e.ref);
          }
        }
        break;
      default:
        break;
    }
  }
}

std::vector<std::string> Addressees(const Recipients& r, std::string_view document,
                                    const Incident& inc) {
  std::vector<std::string> out;
  const NoticeRule* rule = r.Document(document);
  if (rule == nullptr) return out;
  for (const auto& id : rule->required) {
    const PartyDef* p = r.Party(id);
    if (p == nullptr) continue;
    if (id == "owner" && !inc.notification.owner_name.empty()) {
      out.push_back(inc.notification.owner_name);
    } else {
      out.push_back(p->body.empty() ? p->title.vi : p->body);
    }
  }
  return out;
}

}  // namespace ucsc::incident
