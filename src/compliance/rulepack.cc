#include "compliance/rulepack.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace ucsc::compliance {

std::string_view RuleKindName(RuleKind k) {
  switch (k) {
    case RuleKind::kRollingWindow:
      return "rolling_window";
    case RuleKind::kCalendarDeadline:
      return "calendar_deadline";
    case RuleKind::kEventTimer:
      return "event_timer";
    case RuleKind::kStanding:
      return "standing";
  }
  return "?";
}

std::string_view SubjectKindName(SubjectKind k) {
  return k == SubjectKind::kSystem ? "system" : "organisation";
}

const std::vector<std::string_view>& EvidenceTypeNames() {
  static const std::vector<std::string_view> kNames = {
      "hunt_report",            // R1
      "scan_report",            // R2
      "ir_plan",                // R3: IR plan / scenarios version (uploaded or written in ucsc)
      "ir_plan_content",        // R4: complete plan approved in ucsc (recorded only)
      "drill_report",           // R5
      "remediation_task",       // R6
      "hunt_task",              // R6
      "ir_team_decision",       // R7
      "incident_notification",  // R8, R9
      "initial_report",         // R10 (Form 03)
      "closing_report",         // R11 (Form 04)
      "acknowledgement",        // R12
      "periodic_report",        // R16 (Form 05)
      "focal_point_profile",    // R17 (Form 01)
      "incident_summary",       // R18
      "approval_decision",      // R19, R20
      "security_plan",          // R21
      "inspection",             // R22
      "level_report",           // R23
      "monitoring_report",      // R24
      "training",               // R25
      "provincial_plan",        // R26
  };
  return kNames;
}

bool IsEvidenceType(std::string_view name) {
  const auto& n = EvidenceTypeNames();
  return std::find(n.begin(), n.end(), name) != n.end();
}

bool IsRecordedOnly(std::string_view type) {
  // R4: the content of a plan (its mandatory sections) is checked section by section only when
  // the plan is written and approved in ucsc; an uploaded file cannot prove it.
  return type == "ir_plan_content";
}

const std::vector<std::string_view>& TriggerNames() {
  static const std::vector<std::string_view> kNames = {
      "system_created",    "system_changed",           "exploitable_finding",
      "incident_detected", "incident_beyond_capacity", "incident_response_ended",
      "report_received",
  };
  return kNames;
}

const std::vector<std::string_view>& CheckNames() {
  static const std::vector<std::string_view> kNames = {"ir_team_min", "focal_point",
                                                       "level_approved"};
  return kNames;
}

int Rule::WindowMonths(int level) const {
  for (const auto& [l, m] : every_months_by_level) {
    if (l == level) return m;
  }
  return every_months_by_level.empty() ? every_months : 0;
}

const Rule* RuleSet::InForce(std::string_view id, core::LocalDate d) const {
  for (const auto& r : rules) {
    if (r.id == id && r.InForce(d)) return &r;
  }
  return nullptr;
}

std::vector<std::string> RuleSet::Ids() const {
  std::vector<std::string> ids;
  for (const auto& r : rules) {
    if (ids.empty() || ids.back() != r.id) ids.push_back(r.id);
  }
  return ids;
}

namespace {

// Errors carry "path:line: reason" (1-based lines).
class PackReader {
 public:
  explicit PackReader(std::string_view path) : path_(path) {}

  tl::unexpected<core::Error> Err(const YAML::Node& n, const std::string& reason) const {
    return core::InvalidArgument(Where(n) + ": " + reason);
  }
  std::string Where(const YAML::Node& n) const {
    return path_ + ":" + std::to_string(n.Mark().line + 1);
  }

  core::Status Keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                    std::string_view what) const {
    if (!map.IsMap()) return Err(map, std::string(what) + " must be a mapping");
    for (const auto& kv : map) {
      auto key = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        return Err(kv.first, "unknown key '" + key + "' in " + std::string(what));
      }
    }
    return core::Ok();
  }

  core::Result<std::string> Str(const YAML::Node& parent, const char* key, bool required) const {
    auto n = parent[key];
    if (!n) {
      if (required) return Err(parent, std::string("missing '") + key + "'");
      return std::string();
    }
    if (!n.IsScalar()) return Err(n, std::string("'") + key + "' must be text");
    return n.as<std::string>();
  }

  core::Result<int> Int(const YAML::Node& n, const std::string& what, int lo, int hi) const {
    if (!n.IsScalar()) return Err(n, what + " must be a whole number");
    const auto s = n.as<std::string>();
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) {
      return Err(n, what + " must be a whole number, not '" + s + "'");
    }
    if (v < lo || v > hi) {
      return Err(n, what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                        ", not " + s);
    }
    return v;
  }

  core::Result<core::LocalDate> Date(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) return Err(n, what + " must be a date YYYY-MM-DD");
    auto s = n.as<std::string>();
    auto d = core::ParseIsoDate(s);
    if (!d) return Err(n, what + ": bad date '" + s + "' (want YYYY-MM-DD, a real day)");
    return *d;
  }

  core::Result<bool> Bool(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) return Err(n, what + " must be true or false");
    auto s = n.as<std::string>();
    if (s == "true") return true;
    if (s == "false") return false;
    return Err(n, what + " must be true or false, not '" + s + "'");
  }

  core::Result<Text> ReadText(const YAML::Node& parent, const char* key) const {
    auto n = parent[key];
    if (!n) return Err(parent, std::string("missing '") + key + "' (with vi and en)");
    UCSC_RETURN_IF_ERROR(Keys(n, {"vi", "en"}, key));
    Text t;
    UCSC_ASSIGN_OR_RETURN(t.vi, Str(n, "vi", true));
    UCSC_ASSIGN_OR_RETURN(t.en, Str(n, "en", true));
    if (t.vi.empty() || t.en.empty()) return Err(n, std::string(key) + " needs vi and en text");
    return t;
  }

  core::Result<std::vector<std::string>> Names(const YAML::Node& n, const std::string& what,
                                               const std::vector<std::string_view>& known) const {
    if (!n.IsSequence() || n.size() == 0) return Err(n, what + " must be a non-empty list");
    std::vector<std::string> out;
    for (const auto& item : n) {
      if (!item.IsScalar()) return Err(item, what + ": each entry must be a name");
      auto s = item.as<std::string>();
      if (std::find(known.begin(), known.end(), s) == known.end()) {
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return Err(item, "unknown " + what + " '" + s + "' (known: " + list + ")");
      }
      out.push_back(s);
    }
    return out;
  }

  core::Result<MonthDay> ReadMonthDay(const YAML::Node& n) const {
    if (!n.IsScalar()) return Err(n, "a deadline must be MM-DD");
    auto s = n.as<std::string>();
    unsigned m = 0, d = 0;
    if (s.size() != 5 || s[2] != '-' ||
        std::sscanf(s.c_str(), "%2u-%2u", &m, &d) != 2) {  // NOLINT(cert-err34-c): checked below
      return Err(n, "bad deadline '" + s + "' (want MM-DD)");
    }
    // Any year with 29/02 would do; deadlines on 29/02 are refused as they do not recur.
    if (!core::IsValidDate({2023, m, d})) return Err(n, "bad deadline '" + s + "' (not a day)");
    return MonthDay{m, d};
  }

  core::Result<SubjectFilter> ReadFilter(const YAML::Node& n, SubjectKind subject) const {
    SubjectFilter f;
    if (!n) return f;
    UCSC_RETURN_IF_ERROR(Keys(n,
                              {"levels", "org_types", "network_member", "national_important",
                               "owns_systems", "operates_systems"},
                              "applies_to"));
    if (auto l = n["levels"]) {
      if (subject != SubjectKind::kSystem) return Err(l, "levels apply to system rules only");
      if (!l.IsSequence() || l.size() == 0) return Err(l, "levels must be a non-empty list");
      for (const auto& item : l) {
        UCSC_ASSIGN_OR_RETURN(int v, Int(item, "level", 1, 5));
        f.levels.push_back(v);
      }
    }
    if (auto t = n["org_types"]) {
      if (!t.IsSequence() || t.size() == 0) return Err(t, "org_types must be a non-empty list");
      for (const auto& item : t) {
        auto s = item.IsScalar() ? item.as<std::string>() : std::string();
        auto ot = core::ParseOrgType(s);
        if (!ot) return Err(item, "unknown organisation type '" + s + "'");
        f.org_types.push_back(*ot);
      }
    }
    if (auto b = n["network_member"]) {
      UCSC_ASSIGN_OR_RETURN(bool v, Bool(b, "network_member"));
      f.network_member = v;
    }
    if (auto b = n["national_important"]) {
      UCSC_ASSIGN_OR_RETURN(bool v, Bool(b, "national_important"));
      f.national_important = v;
    }
    for (const char* key : {"owns_systems", "operates_systems"}) {
      if (auto b = n[key]) {
        if (subject != SubjectKind::kOrganisation) {
          return Err(b, std::string(key) + " applies to organisation rules only");
        }
        UCSC_ASSIGN_OR_RETURN(bool v, Bool(b, key));
        (std::string_view(key) == "owns_systems" ? f.owns_systems : f.operates_systems) = v;
      }
    }
    return f;
  }

  core::Result<Rule> ReadRule(const YAML::Node& n, const std::string& pack) const {
    UCSC_RETURN_IF_ERROR(Keys(n, {"id",          "version",        "title",
                                  "basis",       "effective_from", "effective_until",
                                  "subject",     "applies_to",     "kind",
                                  "evidence",    "every_months",   "every_months_by_level",
                                  "deadlines",   "triggers",       "within_days",
                                  "initial_due", "check",          "min_count",
                                  "due",         "warn_days",      "grace_days",
                                  "note"},
                              "rule"));
    Rule r;
    r.pack = pack;
    r.source = Where(n);
    UCSC_ASSIGN_OR_RETURN(r.id, Str(n, "id", true));
    if (r.id.empty()) return Err(n, "empty rule id");
    if (auto v = n["version"]) {
      UCSC_ASSIGN_OR_RETURN(r.version, Int(v, "version", 1, 1000));
    }
    UCSC_ASSIGN_OR_RETURN(r.title, ReadText(n, "title"));
    auto basis = n["basis"];
    if (!basis) return Err(n, "rule " + r.id + ": missing 'basis' (legal document, article)");
    UCSC_RETURN_IF_ERROR(Keys(basis, {"document", "article"}, "basis"));
    UCSC_ASSIGN_OR_RETURN(r.basis.document, Str(basis, "document", true));
    UCSC_ASSIGN_OR_RETURN(r.basis.article, Str(basis, "article", false));
    if (!n["effective_from"]) return Err(n, "rule " + r.id + ": missing 'effective_from'");
    UCSC_ASSIGN_OR_RETURN(r.effective_from, Date(n["effective_from"], "effective_from"));
    r.first_effective = r.effective_from;
    if (auto u = n["effective_until"]) {
      UCSC_ASSIGN_OR_RETURN(auto d, Date(u, "effective_until"));
      if (d < r.effective_from) return Err(u, "effective_until is before effective_from");
      r.effective_until = d;
    }
    UCSC_ASSIGN_OR_RETURN(auto subject, Str(n, "subject", true));
    if (subject == "system") {
      r.subject = SubjectKind::kSystem;
    } else if (subject == "organisation") {
      r.subject = SubjectKind::kOrganisation;
    } else {
      return Err(n["subject"], "unknown subject '" + subject + "' (system or organisation)");
    }
    UCSC_ASSIGN_OR_RETURN(r.filter, ReadFilter(n["applies_to"], r.subject));

    UCSC_ASSIGN_OR_RETURN(auto kind, Str(n, "kind", true));
    if (kind == "rolling_window") {
      r.kind = RuleKind::kRollingWindow;
    } else if (kind == "calendar_deadline") {
      r.kind = RuleKind::kCalendarDeadline;
    } else if (kind == "event_timer") {
      r.kind = RuleKind::kEventTimer;
    } else if (kind == "standing") {
      r.kind = RuleKind::kStanding;
    } else {
      return Err(n["kind"], "unknown kind '" + kind +
                                "' (rolling_window, calendar_deadline, event_timer, standing)");
    }
    if (auto e = n["evidence"]) {
      std::vector<std::string_view> known = EvidenceTypeNames();
      UCSC_ASSIGN_OR_RETURN(r.evidence, Names(e, "evidence type", known));
    }
    if (auto w = n["warn_days"]) {
      UCSC_ASSIGN_OR_RETURN(r.warn_days, Int(w, "warn_days", 0, 366));
    }
    if (auto g = n["grace_days"]) {
      UCSC_ASSIGN_OR_RETURN(r.grace_days, Int(g, "grace_days", 0, 366));
    }

    auto refuse_other = [&](std::initializer_list<const char*> keys) -> core::Status {
      for (const char* k : keys) {
        if (n[k]) return Err(n[k], std::string("'") + k + "' does not apply to kind " + kind);
      }
      return core::Ok();
    };
    switch (r.kind) {
      case RuleKind::kRollingWindow: {
        UCSC_RETURN_IF_ERROR(refuse_other(
            {"deadlines", "triggers", "within_days", "initial_due", "check", "min_count", "due"}));
        if (r.evidence.empty()) return Err(n, "rule " + r.id + ": rolling_window needs evidence");
        if (auto m = n["every_months"]) {
          UCSC_ASSIGN_OR_RETURN(r.every_months, Int(m, "every_months", 1, 120));
        }
        if (auto by = n["every_months_by_level"]) {
          if (r.subject != SubjectKind::kSystem) {
            return Err(by, "every_months_by_level applies to system rules only");
          }
          if (!by.IsMap() || by.size() == 0) {
            return Err(by, "every_months_by_level must map levels to months");
          }
          for (const auto& kv : by) {
            UCSC_ASSIGN_OR_RETURN(int level, Int(kv.first, "level", 1, 5));
            UCSC_ASSIGN_OR_RETURN(int months, Int(kv.second, "months", 1, 120));
            r.every_months_by_level.emplace_back(level, months);
          }
        }
        if (r.every_months == 0 && r.every_months_by_level.empty()) {
          return Err(n, "rule " + r.id + ": rolling_window needs every_months");
        }
        break;
      }
      case RuleKind::kCalendarDeadline: {
        UCSC_RETURN_IF_ERROR(
            refuse_other({"every_months", "every_months_by_level", "triggers", "within_days",
                          "initial_due", "check", "min_count", "due"}));
        if (r.evidence.empty()) {
          return Err(n, "rule " + r.id + ": calendar_deadline needs evidence");
        }
        auto d = n["deadlines"];
        if (!d || !d.IsSequence() || d.size() == 0) {
          return Err(d ? d : n, "rule " + r.id + ": calendar_deadline needs a list of deadlines");
        }
        for (const auto& item : d) {
          UCSC_ASSIGN_OR_RETURN(auto md, ReadMonthDay(item));
          r.deadlines.push_back(md);
        }
        std::sort(r.deadlines.begin(), r.deadlines.end());
        if (std::adjacent_find(r.deadlines.begin(), r.deadlines.end()) != r.deadlines.end()) {
          return Err(d, "rule " + r.id + ": a deadline is listed twice");
        }
        break;
      }
      case RuleKind::kEventTimer: {
        UCSC_RETURN_IF_ERROR(refuse_other(
            {"every_months", "every_months_by_level", "deadlines", "check", "min_count", "due"}));
        if (r.evidence.empty()) return Err(n, "rule " + r.id + ": event_timer needs evidence");
        auto t = n["triggers"];
        if (!t) return Err(n, "rule " + r.id + ": event_timer needs triggers");
        std::vector<std::string_view> known = TriggerNames();
        UCSC_ASSIGN_OR_RETURN(r.triggers, Names(t, "trigger", known));
        if (!n["within_days"]) return Err(n, "rule " + r.id + ": event_timer needs within_days");
        UCSC_ASSIGN_OR_RETURN(r.within_days, Int(n["within_days"], "within_days", 0, 3660));
        if (auto i = n["initial_due"]) {
          UCSC_ASSIGN_OR_RETURN(auto d, Date(i, "initial_due"));
          r.initial_due = d;
        }
        break;
      }
      case RuleKind::kStanding: {
        UCSC_RETURN_IF_ERROR(refuse_other({"every_months", "every_months_by_level", "deadlines",
                                           "triggers", "within_days", "initial_due"}));
        if (n["check"]) {
          std::vector<std::string_view> known = CheckNames();
          auto c = n["check"];
          if (!c.IsScalar()) return Err(c, "check must be a name");
          auto s = c.as<std::string>();
          if (std::find(known.begin(), known.end(), s) == known.end()) {
            return Err(c, "unknown check '" + s + "' (ir_team_min, focal_point, level_approved)");
          }
          r.check = s;
        }
        if (auto m = n["min_count"]) {
          if (r.check != "ir_team_min") return Err(m, "min_count applies to check ir_team_min");
          UCSC_ASSIGN_OR_RETURN(r.min_count, Int(m, "min_count", 1, 1000));
        }
        if (r.check == "ir_team_min" && r.min_count == 0) {
          return Err(n, "rule " + r.id + ": check ir_team_min needs min_count");
        }
        if (r.check.empty() && r.evidence.empty()) {
          return Err(n, "rule " + r.id + ": standing needs a check or evidence");
        }
        if (r.check == "level_approved" && r.subject != SubjectKind::kSystem) {
          return Err(n, "rule " + r.id + ": level_approved applies to systems");
        }
        if ((r.check == "ir_team_min" || r.check == "focal_point") &&
            r.subject != SubjectKind::kOrganisation) {
          return Err(n, "rule " + r.id + ": " + r.check + " applies to organisations");
        }
        if (auto d = n["due"]) {
          UCSC_ASSIGN_OR_RETURN(auto v, Date(d, "due"));
          r.due = v;
        }
        break;
      }
    }
    return r;
  }

 private:
  std::string path_;
};

// Two versions of one rule must not be in force on the same day.
core::Status CheckOverlaps(std::vector<Rule>& rules) {
  std::stable_sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) {
    return a.id != b.id ? a.id < b.id : a.effective_from < b.effective_from;
  });
  for (size_t i = 1; i < rules.size(); ++i) {
    const Rule& a = rules[i - 1];
    Rule& b = rules[i];
    if (a.id != b.id) continue;
    if (!a.effective_until || *a.effective_until >= b.effective_from) {
      return core::InvalidArgument(
          b.source + ": rule " + b.id + " version " + std::to_string(b.version) + " (from " +
          core::FormatIsoDate(b.effective_from) + ") overlaps version " +
          std::to_string(a.version) + " at " + a.source + " (" +
          core::FormatIsoDate(a.effective_from) + " to " +
          (a.effective_until ? core::FormatIsoDate(*a.effective_until) : "open") + ")");
    }
    b.first_effective = a.first_effective;
    if (a.version == b.version) {
      return core::InvalidArgument(b.source + ": rule " + b.id + " version " +
                                   std::to_string(b.version) + " is also defined at " + a.source);
    }
  }
  return core::Ok();
}

}  // namespace

core::Result<RuleSet> ParsePack(std::string_view text, std::string_view path) {
  PackReader rd(path);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(std::string(path) + ":" + std::to_string(e.mark.line + 1) +
                                 ": YAML syntax: " + e.msg);
  }
  try {
    if (!root.IsMap()) {
      return core::InvalidArgument(std::string(path) + ":1: a rule pack is a mapping");
    }
    UCSC_RETURN_IF_ERROR(rd.Keys(root, {"pack", "version", "title", "rules", "unchecked"}, "pack"));
    RuleSet set;
    UCSC_ASSIGN_OR_RETURN(auto name, rd.Str(root, "pack", true));
    UCSC_ASSIGN_OR_RETURN(auto version, rd.Str(root, "version", true));
    if (name.empty()) return rd.Err(root, "empty pack name");
    set.packs.push_back(name + "@" + version);
    auto rules = root["rules"];
    if (!rules || !rules.IsSequence()) return rd.Err(root, "missing list 'rules'");
    for (const auto& n : rules) {
      UCSC_ASSIGN_OR_RETURN(auto rule, rd.ReadRule(n, name));
      set.rules.push_back(std::move(rule));
    }
    if (auto u = root["unchecked"]) {
      if (!u.IsSequence()) return rd.Err(u, "'unchecked' must be a list");
      for (const auto& n : u) {
        UCSC_RETURN_IF_ERROR(rd.Keys(n, {"id", "reason"}, "unchecked entry"));
        Unchecked item;
        UCSC_ASSIGN_OR_RETURN(item.id, rd.Str(n, "id", true));
        UCSC_ASSIGN_OR_RETURN(item.reason, rd.Str(n, "reason", true));
        set.unchecked.push_back(std::move(item));
      }
    }
    UCSC_RETURN_IF_ERROR(CheckOverlaps(set.rules));
    return set;
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": " +
                                 e.msg);
  }
}

core::Result<RuleSet> LoadPacks(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const auto ext = entry.path().extension();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return core::NotFound("no rule pack (*.yaml) in " + path);
  } else if (fs::is_regular_file(path, ec)) {
    files.emplace_back(path);
  } else {
    return core::NotFound("rule pack path not found: " + path);
  }
  RuleSet all;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return core::NotFound("cannot read rule pack " + f.string());
    std::stringstream ss;
    ss << in.rdbuf();
    UCSC_ASSIGN_OR_RETURN(auto set, ParsePack(ss.str(), f.string()));
    all.packs.insert(all.packs.end(), set.packs.begin(), set.packs.end());
    all.rules.insert(all.rules.end(), set.rules.begin(), set.rules.end());
    all.unchecked.insert(all.unchecked.end(), set.unchecked.begin(), set.unchecked.end());
  }
  UCSC_RETURN_IF_ERROR(CheckOverlaps(all.rules));
  return all;
}

core::Status RulePackHolder::Reload(const std::string& path) {
  UCSC_ASSIGN_OR_RETURN(auto set, LoadPacks(path));
  auto next = std::make_shared<const RuleSet>(std::move(set));
  std::lock_guard lock(mu_);
  current_ = std::move(next);
  return core::Ok();
}

std::shared_ptr<const RuleSet> RulePackHolder::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

}  // namespace ucsc::compliance
