#include "incident/codec.h"

#include <algorithm>

#include "core/legal_time.h"

namespace ucsc::incident {
namespace {

using codec::Json;
using codec::Mode;
using codec::Need;
using codec::ObjectReader;
using core::Status;

std::string TimeText(core::Instant t) {
  return core::ToUnixMillis(t) == 0 ? std::string() : core::FormatRfc3339Utc(t);
}

template <class E>
Status ReadEnum(ObjectReader& r, std::string_view key, Need need, E& out,
                std::optional<E> (*parse)(std::string_view), std::string_view allowed) {
  std::string text;
  UCSC_RETURN_IF_ERROR(r.String(key, text, need, 64));
  if (text.empty()) return core::Ok();
  auto e = parse(text);
  if (!e) return core::InvalidArgument("must be one of " + std::string(allowed), r.PointerOf(key));
  out = *e;
  return core::Ok();
}

constexpr std::string_view kTypeNames =
    "dos, spoofing, malware, unauthorised_access, defacement, encryption, destruction, "
    "data_theft, combined_attack, other_attack";
constexpr std::string_view kHarmNames =
    "service_interruption, secret_data_leak, integrity_unrecoverable, loss_of_control, "
    "chain_effect";

Json PartyJson(const Party& p) {
  return Json{{"name", p.name}, {"address", p.address}, {"phone", p.phone}, {"email", p.email}};
}

Status DecodeParty(const Json& v, const std::string& ptr, Party& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("address", out.address, Need::kOptional, 500));
  UCSC_RETURN_IF_ERROR(r.String("phone", out.phone, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  return r.Finish();
}

Json ContactJson(const ContactPerson& p) {
  return Json{{"name", p.name}, {"position", p.position}, {"phone", p.phone}, {"email", p.email}};
}

Status DecodeContact(const Json& v, const std::string& ptr, ContactPerson& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("position", out.position, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("phone", out.phone, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  return r.Finish();
}

Json SystemJson(const AffectedSystem& s) {
  return Json{{"system_id", s.system_id},
              {"name", s.name},
              {"address", s.address},
              {"level", s.level},
              {"national_important", s.national_important}};
}

Status DecodeSystem(const Json& v, const std::string& ptr, AffectedSystem& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.String("system_id", out.system_id, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("address", out.address, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.Int("level", out.level, Need::kOptional));
  if (out.level < 0 || out.level > 5) {
    return core::InvalidArgument("must be 0 (not classified) or a level 1..5",
                                 r.PointerOf("level"));
  }
  UCSC_RETURN_IF_ERROR(r.Bool("national_important", out.national_important, Need::kOptional));
  if (out.system_id.empty() && out.name.empty() && out.address.empty()) {
    return core::InvalidArgument("needs a system_id, a name or an address", ptr);
  }
  return r.Finish();
}

Json NotificationJson(const Notification& n) {
  return Json{{"reporter", PartyJson(n.reporter)},    {"operator_name", n.operator_name},
              {"owner_name", n.owner_name},           {"handling_result", n.handling_result},
              {"recommendations", n.recommendations}, {"other_information", n.other_information}};
}

Status DecodeNotification(const Json& v, const std::string& ptr, Notification& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(
      r.Value("reporter", Need::kOptional, [&](const Json& e, const std::string& p) -> Status {
        return DecodeParty(e, p, out.reporter);
      }));
  UCSC_RETURN_IF_ERROR(r.String("operator_name", out.operator_name, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("owner_name", out.owner_name, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("handling_result", out.handling_result, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(r.String("recommendations", out.recommendations, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(
      r.String("other_information", out.other_information, Need::kOptional, 20000));
  return r.Finish();
}

Json InitialJson(const InitialReport& f) {
  return Json{{"contact", ContactJson(f.contact)},
              {"security_service_provider", f.security_service_provider},
              {"isp", f.isp},
              {"status", HandlingStatusName(f.status)},
              {"detected_by_ids", f.detected_by_ids},
              {"detected_by_log_review", f.detected_by_log_review},
              {"detected_notified_by", f.detected_notified_by},
              {"detected_other", f.detected_other},
              {"notified_network_member", f.notified_network_member},
              {"notified_isp", f.notified_isp},
              {"notified_coordinating_agency", f.notified_coordinating_agency},
              {"os", f.os},
              {"services", f.services},
              {"security_measures", f.security_measures},
              {"public_ips", f.public_ips},
              {"domains", f.domains},
              {"system_purpose", f.system_purpose},
              {"attachments", f.attachments},
              {"confidential", f.confidential},
              {"proposals", f.proposals},
              {"reference_no", f.reference_no},
              {"reported_at", TimeText(f.reported_at)}};
}

Status DecodeInitial(const Json& v, const std::string& ptr, InitialReport& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(
      r.Value("contact", Need::kOptional, [&](const Json& e, const std::string& p) -> Status {
        return DecodeContact(e, p, out.contact);
      }));
  UCSC_RETURN_IF_ERROR(
      r.String("security_service_provider", out.security_service_provider, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.String("isp", out.isp, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(ReadEnum(r, "status", Need::kOptional, out.status, ParseHandlingStatus,
                                "unknown, handled, not_handled"));
  UCSC_RETURN_IF_ERROR(r.Bool("detected_by_ids", out.detected_by_ids, Need::kOptional));
  UCSC_RETURN_IF_ERROR(
      r.Bool("detected_by_log_review", out.detected_by_log_review, Need::kOptional));
  UCSC_RETURN_IF_ERROR(
      r.String("detected_notified_by", out.detected_notified_by, Need::kOptional, 500));
  UCSC_RETURN_IF_ERROR(r.String("detected_other", out.detected_other, Need::kOptional, 500));
  UCSC_RETURN_IF_ERROR(
      r.Bool("notified_network_member", out.notified_network_member, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Bool("notified_isp", out.notified_isp, Need::kOptional));
  UCSC_RETURN_IF_ERROR(
      r.Bool("notified_coordinating_agency", out.notified_coordinating_agency, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.String("os", out.os, Need::kOptional, 300));
  UCSC_RETURN_IF_ERROR(r.StringList("services", out.services, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(
      r.StringList("security_measures", out.security_measures, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.StringList("public_ips", out.public_ips, Need::kOptional, 1000));
  UCSC_RETURN_IF_ERROR(r.StringList("domains", out.domains, Need::kOptional, 1000));
  UCSC_RETURN_IF_ERROR(r.String("system_purpose", out.system_purpose, Need::kOptional, 2000));
  UCSC_RETURN_IF_ERROR(r.StringList("attachments", out.attachments, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.Bool("confidential", out.confidential, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.String("proposals", out.proposals, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(r.String("reference_no", out.reference_no, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.Time("reported_at", out.reported_at, Need::kOptional));
  return r.Finish();
}

Json ClosingJson(const ClosingReport& f) {
  return Json{{"what_happened", f.what_happened}, {"resolution", f.resolution},
              {"proposals", f.proposals},         {"attachments", f.attachments},
              {"reference_no", f.reference_no},   {"reported_at", TimeText(f.reported_at)}};
}

Status DecodeClosing(const Json& v, const std::string& ptr, ClosingReport& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.String("what_happened", out.what_happened, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(r.String("resolution", out.resolution, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(r.String("proposals", out.proposals, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(r.StringList("attachments", out.attachments, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.String("reference_no", out.reference_no, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.Time("reported_at", out.reported_at, Need::kOptional));
  return r.Finish();
}

Json SupportJson(const ResponseSupport& s) {
  return Json{{"domestic_helpers", s.domestic_helpers},
              {"foreign_helpers", s.foreign_helpers},
              {"estimated_damage_vnd", s.estimated_damage_vnd}};
}

Status DecodeSupport(const Json& v, const std::string& ptr, ResponseSupport& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.StringList("domestic_helpers", out.domestic_helpers, Need::kOptional, 50));
  UCSC_RETURN_IF_ERROR(r.StringList("foreign_helpers", out.foreign_helpers, Need::kOptional, 50));
  UCSC_RETURN_IF_ERROR(r.Int("estimated_damage_vnd", out.estimated_damage_vnd, Need::kOptional));
  // At most 10^15 VND: far above any incident, and exact in a JSON number.
  if (out.estimated_damage_vnd < 0 || out.estimated_damage_vnd > 1'000'000'000'000'000) {
    return core::InvalidArgument("must be 0 .. 10^15 VND", r.PointerOf("estimated_damage_vnd"));
  }
  for (const auto* list : {&out.domestic_helpers, &out.foreign_helpers}) {
    for (const auto& name : *list) {
      if (name.empty() || name.size() > 300) {
        return core::InvalidArgument(
            "each helper is a name of 1..300 bytes",
            r.PointerOf(list == &out.domestic_helpers ? "domestic_helpers" : "foreign_helpers"));
      }
    }
  }
  return r.Finish();
}

template <class T>
Status DecodeArray(const Json& v, const std::string& ptr, size_t max_items, std::vector<T>& out,
                   Status (*one)(const Json&, const std::string&, T&)) {
  if (!v.is_array()) return core::InvalidArgument("must be an array", ptr);
  if (v.size() > max_items) {
    return core::InvalidArgument("has more than " + std::to_string(max_items) + " items", ptr);
  }
  std::vector<T> items(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    UCSC_RETURN_IF_ERROR(one(v[i], ptr + "/" + std::to_string(i), items[i]));
  }
  out = std::move(items);
  return core::Ok();
}

Status DecodeHarm(const Json& v, const std::string& ptr, Harm& out) {
  if (!v.is_string()) return core::InvalidArgument("must be a string", ptr);
  auto h = ParseHarm(v.get_ref<const std::string&>());
  if (!h) return core::InvalidArgument("must be one of " + std::string(kHarmNames), ptr);
  out = *h;
  return core::Ok();
}

Status DecodeProgress(const Json& v, const std::string& ptr, ProgressEntry& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.Time("at", out.at, Need::kRequired));
  UCSC_RETURN_IF_ERROR(r.String("description", out.description, Need::kRequired, 20000));
  return r.Finish();
}

Status DecodeEventAt(const Json& v, const std::string& ptr, Event& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(ReadEnum(r, "kind", Need::kRequired, out.kind, ParseEventKind,
                                "a known event kind (model.h EventKind)"));
  UCSC_RETURN_IF_ERROR(r.Time("at", out.at, Need::kRequired));
  UCSC_RETURN_IF_ERROR(r.String("ref", out.ref, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(r.String("actor", out.actor, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("detail", out.detail, Need::kOptional, 4000));
  return r.Finish();
}

// "/closing_report/reported_at" → "closing_report.reported_at", the name the forms use.
std::string DottedName(std::string_view pointer) {
  std::string out(pointer.substr(pointer.empty() ? 0 : 1));
  std::replace(out.begin(), out.end(), '/', '.');
  return out;
}

}  // namespace

const std::vector<std::string_view>& ServerSetPointers() {
  static const std::vector<std::string_view> pointers{"/reported_at", "/initial_report/reported_at",
                                                      "/closing_report/reported_at"};
  return pointers;
}

bool IsServerSetPointer(std::string_view pointer) {
  const auto& all = ServerSetPointers();
  return std::find(all.begin(), all.end(), pointer) != all.end();
}

std::string ServerSetDetail(std::string_view pointer, bool en) {
  const std::string name = DottedName(pointer);
  return en ? name +
                  " is set by the server when the document is sent: record each notice with "
                  "POST /api/v1/incidents/{id}/notices (R8, R10, R11)"
            : name +
                  " do hệ thống ghi nhận khi văn bản được gửi: ghi từng lần gửi qua "
                  "POST /api/v1/incidents/{id}/notices (R8, R10, R11), không nhập trực tiếp";
}

Json ToJson(const Incident& v) {
  Json systems = Json::array();
  for (const auto& s : v.affected_systems) systems.push_back(SystemJson(s));
  Json harms = Json::array();
  for (Harm h : v.harms) harms.push_back(HarmName(h));
  Json progress = Json::array();
  for (const auto& p : v.progress) {
    progress.push_back(Json{{"at", TimeText(p.at)}, {"description", p.description}});
  }
  return Json{{"id", v.id},
              {"org_id", v.org_id},
              {"title", v.title},
              {"description", v.description},
              {"type", IncidentTypeName(v.type)},
              {"detected_at", TimeText(v.detected_at)},
              {"reported_at", TimeText(v.reported_at)},
              {"affected_systems", systems},
              {"harms", harms},
              {"harm_description", v.harm_description},
              {"capacity", CapacityName(v.capacity)},
              {"state", IncidentStateName(v.state)},
              {"process", ProcessKindName(v.process)},
              {"step", v.step},
              {"checklist_done", v.checklist_done},
              {"reopen_count", v.reopen_count},
              {"notification", NotificationJson(v.notification)},
              {"initial_report", InitialJson(v.initial_report)},
              {"closing_report", ClosingJson(v.closing_report)},
              {"support", SupportJson(v.support)},
              {"progress", progress},
              {"version", v.version},
              {"created_at", TimeText(v.created_at)},
              {"updated_at", TimeText(v.updated_at)}};
}

Json ToJson(const Event& v) {
  return Json{{"kind", EventKindName(v.kind)},
              {"at", TimeText(v.at)},
              {"ref", v.ref},
              {"actor", v.actor},
              {"detail", v.detail}};
}

Status Decode(const Json& j, Mode mode, Incident& out) {
  ObjectReader r(j, "");
  const Need req = mode == Mode::kCreate ? Need::kRequired : Need::kOptional;
  if (mode == Mode::kStored) {
    UCSC_RETURN_IF_ERROR(r.String("id", out.id, Need::kRequired, 64));
    UCSC_RETURN_IF_ERROR(r.Int("version", out.version, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Time("created_at", out.created_at, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Time("updated_at", out.updated_at, Need::kOptional));
    UCSC_RETURN_IF_ERROR(ReadEnum(r, "state", Need::kOptional, out.state, ParseIncidentState,
                                  "open, response_ended, closed"));
    UCSC_RETURN_IF_ERROR(
        ReadEnum(r, "process", Need::kOptional, out.process, ParseProcessKind, "normal, serious"));
    UCSC_RETURN_IF_ERROR(r.Int("step", out.step, Need::kOptional));
    const int max_step = out.process == ProcessKind::kSerious ? 7 : 4;
    if (out.step < 1 || out.step > max_step) {
      return core::InvalidArgument("must be a step 1.." + std::to_string(max_step),
                                   r.PointerOf("step"));
    }
    UCSC_RETURN_IF_ERROR(r.StringList("checklist_done", out.checklist_done, Need::kOptional, 200));
    UCSC_RETURN_IF_ERROR(r.Int("reopen_count", out.reopen_count, Need::kOptional));
  } else {
    for (const char* key : {"id", "version", "created_at", "updated_at", "state", "process", "step",
                            "checklist_done", "reopen_count"}) {
      if (j.is_object() && j.contains(key)) {
        return core::InvalidArgument("is read-only", r.PointerOf(key));
      }
    }
    // Issue 14 task 1: the report times are what the notices prove, never typed in.
    for (std::string_view ptr : ServerSetPointers()) {
      const Json* at = &j;
      std::string_view rest = ptr;
      bool present = true;
      while (present && !rest.empty()) {
        rest.remove_prefix(1);
        const auto slash = rest.find('/');
        const std::string key(rest.substr(0, slash));
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
        present = at->is_object() && at->contains(key);
        if (present) at = &(*at)[key];
      }
      if (present) return core::InvalidArgument(ServerSetDetail(ptr, true), std::string(ptr));
    }
  }
  UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("title", out.title, req, 500));
  UCSC_RETURN_IF_ERROR(r.String("description", out.description, req, 20000));
  UCSC_RETURN_IF_ERROR(ReadEnum(r, "type", req, out.type, ParseIncidentType, kTypeNames));
  UCSC_RETURN_IF_ERROR(r.Time("detected_at", out.detected_at, req));
  UCSC_RETURN_IF_ERROR(r.Time("reported_at", out.reported_at, Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Value(
      "affected_systems", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeArray<AffectedSystem>(v, p, 200, out.affected_systems, DecodeSystem);
      }));
  UCSC_RETURN_IF_ERROR(
      r.Value("harms", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeArray<Harm>(v, p, 5, out.harms, DecodeHarm);
      }));
  UCSC_RETURN_IF_ERROR(r.String("harm_description", out.harm_description, Need::kOptional, 20000));
  UCSC_RETURN_IF_ERROR(ReadEnum(r, "capacity", Need::kOptional, out.capacity, ParseCapacity,
                                "unknown, within_capacity, beyond_capacity"));
  UCSC_RETURN_IF_ERROR(
      r.Value("notification", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeNotification(v, p, out.notification);
      }));
  UCSC_RETURN_IF_ERROR(r.Value("initial_report", Need::kOptional,
                               [&](const Json& v, const std::string& p) -> Status {
                                 return DecodeInitial(v, p, out.initial_report);
                               }));
  UCSC_RETURN_IF_ERROR(r.Value("closing_report", Need::kOptional,
                               [&](const Json& v, const std::string& p) -> Status {
                                 return DecodeClosing(v, p, out.closing_report);
                               }));
  UCSC_RETURN_IF_ERROR(
      r.Value("support", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeSupport(v, p, out.support);
      }));
  UCSC_RETURN_IF_ERROR(
      r.Value("progress", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeArray<ProgressEntry>(v, p, 10000, out.progress, DecodeProgress);
      }));
  return r.Finish();
}

Status Decode(const Json& j, Event& out) { return DecodeEventAt(j, "", out); }

core::Result<Incident> ParseIncident(std::string_view text, codec::Mode mode) {
  UCSC_ASSIGN_OR_RETURN(Json j, codec::ParseJson(text));
  Incident out;
  UCSC_RETURN_IF_ERROR(Decode(j, mode, out));
  return out;
}

}  // namespace ucsc::incident
