#include "codec/entities.h"

#include "core/legal_time.h"

namespace ucsc::codec {
namespace {

using core::Status;

std::string Time(core::Instant t) {
  return core::ToUnixMillis(t) == 0 ? std::string() : core::FormatRfc3339Utc(t);
}

Need Req(Mode mode) { return mode == Mode::kPatch ? Need::kOptional : Need::kRequired; }

// Reads the bookkeeping fields: allowed in stored documents, refused in API input.
Status ReadMeta(ObjectReader& r, Mode mode, std::string& id, int64_t& version,
                core::Instant& created, core::Instant& updated, const Json& j) {
  if (mode == Mode::kStored) {
    UCSC_RETURN_IF_ERROR(r.String("id", id, Need::kRequired, 64));
    UCSC_RETURN_IF_ERROR(r.Int("version", version, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Time("created_at", created, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Time("updated_at", updated, Need::kOptional));
    return core::Ok();
  }
  for (const char* key : {"id", "version", "created_at", "updated_at"}) {
    if (j.is_object() && j.contains(key)) {
      return core::InvalidArgument("is read-only", r.PointerOf(key));
    }
  }
  return core::Ok();
}

void WriteMeta(Json& j, const std::string& id, int64_t version, core::Instant created,
               core::Instant updated) {
  j["id"] = id;
  j["version"] = version;
  j["created_at"] = Time(created);
  j["updated_at"] = Time(updated);
}

Status DecodeFocal(const Json& v, const std::string& ptr, core::FocalPoint& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(r.String("phone", out.phone, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  return r.Finish();
}

Status DecodeApproval(const Json& v, const std::string& ptr, core::LevelApproval& out) {
  ObjectReader r(v, ptr);
  UCSC_RETURN_IF_ERROR(r.String("decision_no", out.decision_no, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.String("date", out.date, Need::kOptional, 10));
  UCSC_RETURN_IF_ERROR(r.String("approver", out.approver, Need::kOptional, 300));
  return r.Finish();
}

Json ApprovalJson(const core::LevelApproval& a) {
  return Json{{"decision_no", a.decision_no}, {"date", a.date}, {"approver", a.approver}};
}

template <class E>
Status DecodeEnum(ObjectReader& r, std::string_view key, Need need, E& out,
                  std::optional<E> (*parse)(std::string_view), std::string_view allowed) {
  std::string text;
  UCSC_RETURN_IF_ERROR(r.String(key, text, need, 64));
  if (text.empty()) return core::Ok();
  auto e = parse(text);
  if (!e) return core::InvalidArgument("must be one of " + std::string(allowed), r.PointerOf(key));
  out = *e;
  return core::Ok();
}

}  // namespace

// ---- Organisation ----

Json ToJson(const core::Organisation& v) {
  Json j{{"name", v.name},
         {"short_name", v.short_name},
         {"type", core::OrgTypeName(v.type)},
         {"parent_id", v.parent_id.empty() ? Json(nullptr) : Json(v.parent_id)},
         {"network_member", v.network_member},
         {"focal_point",
          {{"name", v.focal_point.name},
           {"phone", v.focal_point.phone},
           {"email", v.focal_point.email}}},
         {"address", v.address},
         {"email", v.email},
         {"phone", v.phone}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::Organisation& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Req(mode), 300));
  UCSC_RETURN_IF_ERROR(r.String("short_name", out.short_name, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(DecodeEnum(r, "type", Req(mode), out.type, core::ParseOrgType,
                                  "coordinator, province, agency, commune, public_service_unit, "
                                  "enterprise, police, military, external"));
  if (j.is_object() && j.contains("parent_id") && j["parent_id"].is_null()) out.parent_id.clear();
  UCSC_RETURN_IF_ERROR(r.String("parent_id", out.parent_id, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.Bool("network_member", out.network_member, Need::kOptional));
  UCSC_RETURN_IF_ERROR(
      r.Value("focal_point", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeFocal(v, p, out.focal_point);
      }));
  UCSC_RETURN_IF_ERROR(r.String("address", out.address, Need::kOptional, 500));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  UCSC_RETURN_IF_ERROR(r.String("phone", out.phone, Need::kOptional, 64));
  return r.Finish();
}

// ---- InformationSystem ----

Json ToJson(const core::InformationSystem& v) {
  Json history = Json::array();
  for (const auto& h : v.level_history) {
    history.push_back({{"level", h.level},
                       {"approval", ApprovalJson(h.approval)},
                       {"changed_at", Time(h.changed_at)},
                       {"changed_by", h.changed_by}});
  }
  Json j{{"name", v.name},
         {"owner_org_id", v.owner_org_id},
         {"operator_org_id", v.operator_org_id},
         {"level", v.level},
         {"approval", ApprovalJson(v.approval)},
         {"level_history", history},
         {"national_important", v.national_important},
         {"public_endpoints", v.public_endpoints},
         {"description", v.description}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::InformationSystem& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Req(mode), 300));
  UCSC_RETURN_IF_ERROR(r.String("owner_org_id", out.owner_org_id, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("operator_org_id", out.operator_org_id, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.Int("level", out.level, Req(mode)));
  UCSC_RETURN_IF_ERROR(
      r.Value("approval", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        return DecodeApproval(v, p, out.approval);
      }));
  if (mode == Mode::kStored) {
    UCSC_RETURN_IF_ERROR(r.Value(
        "level_history", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
          if (!v.is_array()) return Status(core::InvalidArgument("must be an array", p));
          out.level_history.clear();
          for (size_t i = 0; i < v.size(); ++i) {
            core::LevelHistoryEntry e;
            ObjectReader h(v[i], p + "/" + std::to_string(i));
            UCSC_RETURN_IF_ERROR(h.Int("level", e.level, Need::kRequired));
            UCSC_RETURN_IF_ERROR(h.Value("approval", Need::kOptional,
                                         [&](const Json& a, const std::string& ap) -> Status {
                                           return DecodeApproval(a, ap, e.approval);
                                         }));
            UCSC_RETURN_IF_ERROR(h.Time("changed_at", e.changed_at, Need::kOptional));
            UCSC_RETURN_IF_ERROR(h.String("changed_by", e.changed_by, Need::kOptional, 200));
            UCSC_RETURN_IF_ERROR(h.Finish());
            out.level_history.push_back(std::move(e));
          }
          return core::Ok();
        }));
  } else if (j.is_object() && j.contains("level_history")) {
    return core::InvalidArgument("is read-only", "/level_history");
  }
  UCSC_RETURN_IF_ERROR(r.Bool("national_important", out.national_important, Need::kOptional));
  UCSC_RETURN_IF_ERROR(
      r.StringList("public_endpoints", out.public_endpoints, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(r.String("description", out.description, Need::kOptional, 10000));
  return r.Finish();
}

// ---- Asset ----

Json ToJson(const core::Asset& v) {
  Json sw = Json::array();
  for (const auto& s : v.software) {
    sw.push_back(
        {{"vendor", s.vendor}, {"product", s.product}, {"version", s.version}, {"cpe", s.cpe}});
  }
  Json j{{"system_id", v.system_id}, {"org_id", v.org_id}, {"name", v.name}, {"ips", v.ips},
         {"hostnames", v.hostnames}, {"os", v.os},         {"software", sw}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::Asset& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("system_id", out.system_id, Req(mode), 64));
  if (mode == Mode::kStored) {
    UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Need::kOptional, 64));
  } else if (j.is_object() && j.contains("org_id")) {
    return core::InvalidArgument("is read-only (taken from the system's owner)", "/org_id");
  }
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Req(mode), 300));
  UCSC_RETURN_IF_ERROR(r.StringList("ips", out.ips, Need::kOptional, 256));
  UCSC_RETURN_IF_ERROR(r.StringList("hostnames", out.hostnames, Need::kOptional, 256));
  UCSC_RETURN_IF_ERROR(r.String("os", out.os, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(
      r.Value("software", Need::kOptional, [&](const Json& v, const std::string& p) -> Status {
        if (!v.is_array()) return Status(core::InvalidArgument("must be an array", p));
        if (v.size() > 1000) return Status(core::InvalidArgument("has more than 1000 items", p));
        std::vector<core::Software> list;
        for (size_t i = 0; i < v.size(); ++i) {
          core::Software s;
          ObjectReader sr(v[i], p + "/" + std::to_string(i));
          UCSC_RETURN_IF_ERROR(sr.String("vendor", s.vendor, Need::kOptional, 200));
          UCSC_RETURN_IF_ERROR(sr.String("product", s.product, Need::kRequired, 200));
          UCSC_RETURN_IF_ERROR(sr.String("version", s.version, Need::kOptional, 100));
          UCSC_RETURN_IF_ERROR(sr.String("cpe", s.cpe, Need::kOptional, 500));
          UCSC_RETURN_IF_ERROR(sr.Finish());
          list.push_back(std::move(s));
        }
        out.software = std::move(list);
        return core::Ok();
      }));
  return r.Finish();
}

// ---- Contact ----

Json ToJson(const core::Contact& v) {
  Json j{{"org_id", v.org_id}, {"name", v.name},   {"position", v.position},
         {"phone", v.phone},   {"email", v.email}, {"focal_point", v.focal_point}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::Contact& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Req(mode), 200));
  UCSC_RETURN_IF_ERROR(r.String("position", out.position, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(r.String("phone", out.phone, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  UCSC_RETURN_IF_ERROR(r.Bool("focal_point", out.focal_point, Need::kOptional));
  return r.Finish();
}

// ---- IrTeamMember ----

Json ToJson(const core::IrTeamMember& v) {
  Json j{{"org_id", v.org_id},        {"name", v.name},     {"email", v.email},
         {"phone", v.phone},          {"skills", v.skills}, {"certificates", v.certificates},
         {"outsourced", v.outsourced}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::IrTeamMember& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("name", out.name, Req(mode), 200));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  UCSC_RETURN_IF_ERROR(r.String("phone", out.phone, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.StringList("skills", out.skills, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.StringList("certificates", out.certificates, Need::kOptional, 100));
  UCSC_RETURN_IF_ERROR(r.Bool("outsourced", out.outsourced, Need::kOptional));
  return r.Finish();
}

// ---- Task ----

Json ToJson(const core::Task& v) {
  Json j{{"org_id", v.org_id},
         {"system_id", v.system_id.empty() ? Json(nullptr) : Json(v.system_id)},
         {"kind", v.kind},
         {"title", v.title},
         {"assignee", v.assignee},
         {"due_date", v.due_date.empty() ? Json(nullptr) : Json(v.due_date)},
         {"state", core::TaskStateName(v.state)}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::Task& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Req(mode), 64));
  if (j.is_object() && j.contains("system_id") && j["system_id"].is_null()) out.system_id.clear();
  UCSC_RETURN_IF_ERROR(r.String("system_id", out.system_id, Need::kOptional, 64));
  UCSC_RETURN_IF_ERROR(r.String("kind", out.kind, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("title", out.title, Req(mode), 500));
  UCSC_RETURN_IF_ERROR(r.String("assignee", out.assignee, Need::kOptional, 64));
  if (j.is_object() && j.contains("due_date") && j["due_date"].is_null()) out.due_date.clear();
  UCSC_RETURN_IF_ERROR(r.String("due_date", out.due_date, Need::kOptional, 10));
  UCSC_RETURN_IF_ERROR(DecodeEnum(r, "state", Need::kOptional, out.state, core::ParseTaskState,
                                  "open, in_progress, done, cancelled"));
  return r.Finish();
}

// ---- Evidence ----

Json ToJson(const core::Evidence& v) {
  Json file = nullptr;
  if (!v.file.sha256.empty()) {
    file = Json{{"name", v.file.name},
                {"sha256", v.file.sha256},
                {"size", v.file.size},
                {"content_type", v.file.content_type}};
  }
  Json j{{"org_id", v.org_id},
         {"subject_kind", v.subject_kind},
         {"subject_id", v.subject_id},
         {"type", v.type},
         {"performed_on", v.performed_on},
         {"title", v.title},
         {"description", v.description},
         {"submitted_by", v.submitted_by},
         {"file", file},
         {"review", core::ReviewStateName(v.review)},
         {"review_reason", v.review_reason},
         {"reviewed_by", v.reviewed_by},
         {"reviewed_at", v.reviewed_at == core::Instant{}
                             ? Json(nullptr)
                             : Json(core::FormatRfc3339Utc(v.reviewed_at))}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Status Decode(const Json& j, Mode mode, core::Evidence& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  if (mode == Mode::kStored) {
    UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Need::kOptional, 64));
    UCSC_RETURN_IF_ERROR(r.String("submitted_by", out.submitted_by, Need::kOptional, 200));
    UCSC_RETURN_IF_ERROR(
        r.Value("file", Need::kOptional, [&](const Json& f, const std::string& fp) -> Status {
          if (f.is_null()) return core::Ok();
          ObjectReader fr(f, fp);
          UCSC_RETURN_IF_ERROR(fr.String("name", out.file.name, Need::kOptional, 255));
          UCSC_RETURN_IF_ERROR(fr.String("sha256", out.file.sha256, Need::kOptional, 64));
          UCSC_RETURN_IF_ERROR(fr.Int("size", out.file.size, Need::kOptional));
          UCSC_RETURN_IF_ERROR(
              fr.String("content_type", out.file.content_type, Need::kOptional, 100));
          return fr.Finish();
        }));
    UCSC_RETURN_IF_ERROR(DecodeEnum(r, "review", Need::kOptional, out.review,
                                    core::ParseReviewState, "pending, accepted, rejected"));
    UCSC_RETURN_IF_ERROR(r.String("review_reason", out.review_reason, Need::kOptional, 2000));
    UCSC_RETURN_IF_ERROR(r.String("reviewed_by", out.reviewed_by, Need::kOptional, 200));
    if (j.is_object() && j.contains("reviewed_at") && j["reviewed_at"].is_null()) {
      r.Ignore("reviewed_at");
    } else {
      UCSC_RETURN_IF_ERROR(r.Time("reviewed_at", out.reviewed_at, Need::kOptional));
    }
  } else {
    for (const char* key : {"org_id", "submitted_by", "file", "review", "review_reason",
                            "reviewed_by", "reviewed_at"}) {
      if (j.is_object() && j.contains(key)) {
        return core::InvalidArgument("is read-only", std::string("/") + key);
      }
    }
  }
  UCSC_RETURN_IF_ERROR(r.String("subject_kind", out.subject_kind, Req(mode), 20));
  UCSC_RETURN_IF_ERROR(r.String("subject_id", out.subject_id, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("type", out.type, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("performed_on", out.performed_on, Req(mode), 10));
  UCSC_RETURN_IF_ERROR(r.String("title", out.title, Req(mode), 500));
  UCSC_RETURN_IF_ERROR(r.String("description", out.description, Need::kOptional, 10000));
  return r.Finish();
}

// ---- ChangeEvent, Job, Audit (output only) ----

Json ToJson(const core::ChangeEvent& v) {
  return Json{{"id", v.id},         {"system_id", v.system_id}, {"field", v.field},
              {"before", v.before}, {"after", v.after},         {"actor", v.actor},
              {"at", Time(v.at)}};
}

Json ToJson(const core::Job& v) {
  return Json{{"id", v.id},
              {"kind", v.kind},
              {"payload", v.payload},
              {"state", core::JobStateName(v.state)},
              {"attempts", v.attempts},
              {"max_attempts", v.max_attempts},
              {"run_at", Time(v.run_at)},
              {"lease_until", Time(v.lease_until)},
              {"worker", v.worker},
              {"last_error", v.last_error},
              {"created_at", Time(v.created_at)},
              {"updated_at", Time(v.updated_at)}};
}

Json ToJson(const core::AuditRecord& v) {
  return Json{{"seq", v.seq},
              {"at", Time(v.at)},
              {"actor", v.actor},
              {"action", v.action},
              {"object_type", v.object_type},
              {"object_id", v.object_id},
              {"before", v.before},
              {"after", v.after},
              {"hash", v.hash}};
}

// ---- User ----

Json ToJson(const core::User& v) {
  Json j{{"username", v.username},
         {"display_name", v.display_name},
         {"role", core::RoleName(v.role)},
         {"org_id", v.org_id},
         {"email", v.email},
         {"totp_enabled", !v.totp_secret.empty()},
         {"must_change_password", v.must_change_password},
         {"disabled", v.disabled}};
  WriteMeta(j, v.id, v.version, v.created_at, v.updated_at);
  return j;
}

Json ToStoredJson(const core::User& v) {
  Json j = ToJson(v);
  j.erase("totp_enabled");
  j["password_hash"] = v.password_hash;
  j["totp_secret"] = v.totp_secret;
  j["totp_last_step"] = v.totp_last_step;
  j["failed_logins"] = v.failed_logins;
  j["locked_until"] = Time(v.locked_until);
  return j;
}

Status Decode(const Json& j, Mode mode, core::User& out) {
  ObjectReader r(j, "");
  UCSC_RETURN_IF_ERROR(ReadMeta(r, mode, out.id, out.version, out.created_at, out.updated_at, j));
  UCSC_RETURN_IF_ERROR(r.String("username", out.username, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("display_name", out.display_name, Need::kOptional, 200));
  UCSC_RETURN_IF_ERROR(DecodeEnum(r, "role", Req(mode), out.role, core::ParseRole,
                                  "admin, coordinator, responder, org_manager, org_staff, "
                                  "liaison, auditor"));
  UCSC_RETURN_IF_ERROR(r.String("org_id", out.org_id, Req(mode), 64));
  UCSC_RETURN_IF_ERROR(r.String("email", out.email, Need::kOptional, 254));
  UCSC_RETURN_IF_ERROR(r.Bool("disabled", out.disabled, Need::kOptional));
  if (mode == Mode::kStored) {
    UCSC_RETURN_IF_ERROR(r.String("password_hash", out.password_hash, Need::kOptional, 512));
    UCSC_RETURN_IF_ERROR(r.String("totp_secret", out.totp_secret, Need::kOptional, 128));
    UCSC_RETURN_IF_ERROR(r.Int("totp_last_step", out.totp_last_step, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Bool("must_change_password", out.must_change_password, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Int("failed_logins", out.failed_logins, Need::kOptional));
    UCSC_RETURN_IF_ERROR(r.Time("locked_until", out.locked_until, Need::kOptional));
  }
  return r.Finish();
}

}  // namespace ucsc::codec
