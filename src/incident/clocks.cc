#include "incident/clocks.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ucsc::incident {
namespace {

using core::Instant;

class Parser {
 public:
  explicit Parser(std::string_view path) : path_(path) {}

  core::Status Fail(const YAML::Node& n, const std::string& reason) const {
    return core::InvalidArgument(path_ + ":" + std::to_string(n.Mark().line + 1) + ": " + reason);
  }

  core::Status CheckKeys(const YAML::Node& n, const std::set<std::string>& known) const {
    for (const auto& kv : n) {
      const auto key = kv.first.as<std::string>();
      if (!known.contains(key)) return Fail(kv.first, "unknown key \"" + key + "\"");
    }
    return core::Ok();
  }

  core::Status Str(const YAML::Node& n, const char* key, std::string& out, bool required) const {
    const auto v = n[key];
    if (!v) return required ? Fail(n, std::string("missing \"") + key + "\"") : core::Ok();
    if (!v.IsScalar()) return Fail(v, std::string("\"") + key + "\" must be a string");
    out = v.as<std::string>();
    if (required && out.empty()) return Fail(v, std::string("\"") + key + "\" is empty");
    return core::Ok();
  }

  core::Status Int(const YAML::Node& n, const char* key, int& out) const {
    const auto v = n[key];
    if (!v) return core::Ok();
    try {
      out = v.as<int>();
    } catch (const YAML::Exception&) {
      return Fail(v, std::string("\"") + key + "\" must be an integer");
    }
    if (out <= 0) return Fail(v, std::string("\"") + key + "\" must be positive");
    return core::Ok();
  }

  core::Status Events(const YAML::Node& n, const char* key, std::vector<EventKind>& out) const {
    const auto v = n[key];
    if (!v) return core::Ok();
    if (!v.IsSequence()) return Fail(v, std::string("\"") + key + "\" must be a list");
    for (const auto& e : v) {
      auto kind = ParseEventKind(e.as<std::string>());
      if (!kind) return Fail(e, "unknown event kind \"" + e.as<std::string>() + "\"");
      out.push_back(*kind);
    }
    return core::Ok();
  }

  core::Status Clock(const YAML::Node& n, ClockDef& c) const {
    if (!n.IsMap()) return Fail(n, "a clock must be a map");
    UCSC_RETURN_IF_ERROR(CheckKeys(
        n, {"id", "rule", "title", "basis", "kind", "start", "satisfied_by", "stop",
            "requires_before", "from", "within_days", "within_hours", "deadlines", "ref"}));
    c.source = path_ + ":" + std::to_string(n.Mark().line + 1);
    UCSC_RETURN_IF_ERROR(Str(n, "id", c.id, true));
    UCSC_RETURN_IF_ERROR(Str(n, "rule", c.rule, true));
    const auto title = n["title"];
    if (!title || !title.IsMap()) return Fail(n, "missing \"title\" {vi, en}");
    UCSC_RETURN_IF_ERROR(CheckKeys(title, {"vi", "en"}));
    UCSC_RETURN_IF_ERROR(Str(title, "vi", c.title.vi, true));
    UCSC_RETURN_IF_ERROR(Str(title, "en", c.title.en, true));
    const auto basis = n["basis"];
    if (!basis || !basis.IsMap()) return Fail(n, "missing \"basis\" {document, article}");
    UCSC_RETURN_IF_ERROR(CheckKeys(basis, {"document", "article"}));
    UCSC_RETURN_IF_ERROR(Str(basis, "document", c.basis.document, true));
    UCSC_RETURN_IF_ERROR(Str(basis, "article", c.basis.article, true));
    std::string kind;
    UCSC_RETURN_IF_ERROR(Str(n, "kind", kind, true));
    if (kind == "deadline") {
      c.kind = ClockKind::kDeadline;
    } else if (kind == "per_ref") {
      c.kind = ClockKind::kPerRef;
    } else if (kind == "recurring") {
      c.kind = ClockKind::kRecurring;
    } else if (kind == "calendar") {
      c.kind = ClockKind::kCalendar;
    } else {
      return Fail(n["kind"],
                  "unknown kind \"" + kind + "\" (deadline, per_ref, recurring, calendar)");
    }
    UCSC_RETURN_IF_ERROR(Events(n, "start", c.start));
    UCSC_RETURN_IF_ERROR(Events(n, "satisfied_by", c.satisfied_by));
    UCSC_RETURN_IF_ERROR(Events(n, "stop", c.stop));
    UCSC_RETURN_IF_ERROR(Events(n, "requires_before", c.requires_before));
    std::string from;
    UCSC_RETURN_IF_ERROR(Str(n, "from", from, false));
    if (!from.empty() && from != "latest" && from != "first") {
      return Fail(n["from"], "\"from\" must be first or latest");
    }
    c.from_latest = from == "latest";
    UCSC_RETURN_IF_ERROR(Int(n, "within_days", c.within_days));
    UCSC_RETURN_IF_ERROR(Int(n, "within_hours", c.within_hours));
    UCSC_RETURN_IF_ERROR(Str(n, "ref", c.ref, false));
    if (c.satisfied_by.empty()) return Fail(n, "missing \"satisfied_by\"");
    if (c.kind == ClockKind::kCalendar) {
      const auto d = n["deadlines"];
      if (!d || !d.IsSequence() || d.size() == 0)
        return Fail(n, "a calendar clock needs deadlines");
      for (const auto& e : d) {
        const auto text = e.as<std::string>();
        auto date = core::ParseIsoDate("2024-" + text);  // a leap year accepts 02-29
        if (text.size() != 5 || !date) return Fail(e, "deadline \"" + text + "\" is not MM-DD");
        c.deadlines.emplace_back(date->month, date->day);
      }
      std::sort(c.deadlines.begin(), c.deadlines.end());
      if (c.within_days || c.within_hours || !c.start.empty()) {
        return Fail(n, "a calendar clock has deadlines, not start/within");
      }
    } else {
      if (c.start.empty()) return Fail(n, "missing \"start\"");
      if ((c.within_days > 0) == (c.within_hours > 0)) {
        return Fail(n, "exactly one of within_days and within_hours is needed");
      }
      if (c.kind == ClockKind::kRecurring && (c.stop.empty() || c.within_hours == 0)) {
        return Fail(n, "a recurring clock needs stop and within_hours");
      }
      if (n["deadlines"]) return Fail(n["deadlines"], "deadlines are for calendar clocks");
    }
    return core::Ok();
  }

 private:
  std::string path_;
};

bool In(const std::vector<EventKind>& kinds, EventKind k) {
  return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

ClockStatus Blank(const ClockDef& def) {
  ClockStatus s;
  s.clock_id = def.id;
  s.rule = def.rule;
  s.title = def.title;
  s.basis = def.basis;
  return s;
}

// Fills state/satisfied_at/late from the first satisfying event at or after the start.
void Settle(ClockStatus& s, std::optional<Instant> satisfied, Instant now) {
  if (satisfied) {
    s.state = ClockState::kSatisfied;
    s.satisfied_at = satisfied;
    s.late = *satisfied > *s.due_at;
  } else {
    s.state = now > *s.due_at ? ClockState::kOverdue : ClockState::kRunning;
  }
}

std::vector<ClockStatus> EvalDeadline(const ClockDef& def, const std::vector<Event>& ev,
                                      Instant now) {
  ClockStatus s = Blank(def);
  std::optional<Instant> start;
  for (const auto& e : ev) {
    if (!In(def.start, e.kind)) continue;
    if (!start || (def.from_latest ? e.at > *start : e.at < *start)) start = e.at;
  }
  if (!start) return {s};
  if (!def.requires_before.empty()) {
    const bool preceded = std::any_of(ev.begin(), ev.end(), [&](const Event& e) {
      return In(def.requires_before, e.kind) && e.at <= *start;
    });
    if (!preceded) return {s};
  }
  s.started_at = start;
  s.due_at = DueAfter(def, *start);
  std::optional<Instant> sat;
  for (const auto& e : ev) {
    if (In(def.satisfied_by, e.kind) && e.at >= *start && (!sat || e.at < *sat)) sat = e.at;
  }
  Settle(s, sat, now);
  return {s};
}

std::vector<ClockStatus> EvalPerRef(const ClockDef& def, const std::vector<Event>& ev,
                                    Instant now) {
  std::vector<ClockStatus> out;
  for (const auto& e : ev) {
    if (!In(def.start, e.kind)) continue;
    ClockStatus s = Blank(def);
    s.ref = e.ref;
    s.started_at = e.at;
    s.due_at = DueAfter(def, e.at);
    std::optional<Instant> sat;
    for (const auto& a : ev) {
      if (In(def.satisfied_by, a.kind) && a.ref == e.ref && a.at >= e.at && (!sat || a.at < *sat)) {
        sat = a.at;
      }
    }
    Settle(s, sat, now);
    out.push_back(std::move(s));
  }
  if (out.empty()) out.push_back(Blank(def));
  return out;
}

std::vector<ClockStatus> EvalRecurring(const ClockDef& def, const std::vector<Event>& ev,
                                       Instant now) {
  ClockStatus s = Blank(def);
  std::optional<Instant> start;
  for (const auto& e : ev) {
    if (In(def.start, e.kind) && (!start || e.at > *start)) start = e.at;  // latest (reopening)
  }
  if (!start) return {s};
  std::optional<Instant> stop;
  for (const auto& e : ev) {
    if (In(def.stop, e.kind) && e.at >= *start && (!stop || e.at < *stop)) stop = e.at;
  }
  std::vector<Instant> reports;
  for (const auto& e : ev) {
    if (In(def.satisfied_by, e.kind) && e.at >= *start && (!stop || e.at <= *stop)) {
      reports.push_back(e.at);
    }
  }
  std::sort(reports.begin(), reports.end());
  s.started_at = start;
  Instant last = *start;
  for (Instant r : reports) {
    if (r > DueAfter(def, last)) s.late = true;
    last = r;
  }
  s.due_at = DueAfter(def, last);
  if (!reports.empty()) s.satisfied_at = reports.back();
  if (stop) {
    if (*stop > *s.due_at) s.late = true;
    s.state = ClockState::kSatisfied;
    s.due_at.reset();
  } else {
    s.state = now > *s.due_at ? ClockState::kOverdue : ClockState::kRunning;
  }
  return {s};
}

std::vector<ClockStatus> EvalCalendar(const ClockDef& def, const std::vector<Event>& ev,
                                      Instant now) {
  // The deadlines of last year, this year and next, in order.
  const core::LocalDate today = core::LocalDateOf(now);
  std::vector<core::LocalDate> all;
  for (int year = today.year - 1; year <= today.year + 1; ++year) {
    for (const auto& [m, d] : def.deadlines) {
      core::LocalDate date{year, m, d};
      if (!core::IsValidDate(date)) date.day = 28;  // 02-29 outside a leap year
      all.push_back(date);
    }
  }
  size_t next = 0;
  while (next < all.size() && core::EndOfLocalDay(all[next]) < now) ++next;
  std::vector<ClockStatus> out;
  for (size_t idx = next - 1; idx <= next; ++idx) {  // next ≥ 1: last year's deadlines precede
    ClockStatus s = Blank(def);
    const Instant due = core::EndOfLocalDay(all[idx]);
    const Instant from = core::EndOfLocalDay(all[idx - 1]);
    s.ref = core::FormatIsoDate(all[idx]);
    s.started_at = from + std::chrono::milliseconds(1);
    s.due_at = due;
    std::optional<Instant> sat;
    for (const auto& e : ev) {
      if (In(def.satisfied_by, e.kind) && (def.ref.empty() || e.ref == def.ref) && e.at > from &&
          e.at <= due && (!sat || e.at < *sat)) {
        sat = e.at;
      }
    }
    Settle(s, sat, now);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string_view ClockKindName(ClockKind k) {
  switch (k) {
    case ClockKind::kDeadline:
      return "deadline";
    case ClockKind::kPerRef:
      return "per_ref";
    case ClockKind::kRecurring:
      return "recurring";
    case ClockKind::kCalendar:
      return "calendar";
  }
  return "?";
}

std::string_view ClockStateName(ClockState s) {
  switch (s) {
    case ClockState::kNotStarted:
      return "not_started";
    case ClockState::kRunning:
      return "running";
    case ClockState::kSatisfied:
      return "satisfied";
    case ClockState::kOverdue:
      return "overdue";
  }
  return "?";
}

const ClockDef* ClockSet::Find(std::string_view id) const {
  for (const auto& c : clocks) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

core::Result<ClockSet> ParseClocks(std::string_view text, std::string_view path) {
  Parser p(path);
  ClockSet set;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap()) return core::InvalidArgument(std::string(path) + ":1: not a YAML map");
    UCSC_RETURN_IF_ERROR(p.CheckKeys(root, {"pack", "version", "clocks"}));
    std::string name;
    std::string version;
    UCSC_RETURN_IF_ERROR(p.Str(root, "pack", name, true));
    UCSC_RETURN_IF_ERROR(p.Str(root, "version", version, true));
    set.pack = name + "@" + version;
    const auto clocks = root["clocks"];
    if (!clocks || !clocks.IsSequence())
      return tl::unexpected(p.Fail(root, "missing \"clocks\" list").error());
    std::set<std::string> ids;
    for (const auto& n : clocks) {
      ClockDef c;
      UCSC_RETURN_IF_ERROR(p.Clock(n, c));
      if (!ids.insert(c.id).second) {
        return tl::unexpected(p.Fail(n, "duplicate clock id \"" + c.id + "\"").error());
      }
      set.clocks.push_back(std::move(c));
    }
  } catch (const YAML::Exception& e) {
    return core::InvalidArgument(std::string(path) + ":" + std::to_string(e.mark.line + 1) + ": " +
                                 e.msg);
  }
  return set;
}

core::Result<ClockSet> LoadClocks(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::NotFound("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseClocks(buf.str(), path);
}

Instant DueAfter(const ClockDef& def, Instant start) {
  if (def.within_hours > 0) return start + std::chrono::hours(def.within_hours);
  return core::EndOfLocalDay(core::AddDays(core::LocalDateOf(start), def.within_days));
}

std::vector<ClockStatus> EvaluateClock(const ClockDef& def, const std::vector<Event>& events,
                                       Instant now) {
  std::vector<Event> past;
  for (const auto& e : events) {
    if (e.at <= now) past.push_back(e);
  }
  switch (def.kind) {
    case ClockKind::kDeadline:
      return EvalDeadline(def, past, now);
    case ClockKind::kPerRef:
      return EvalPerRef(def, past, now);
    case ClockKind::kRecurring:
      return EvalRecurring(def, past, now);
    case ClockKind::kCalendar:
      return EvalCalendar(def, past, now);
  }
  return {};
}

std::vector<ClockStatus> Evaluate(const ClockSet& set, const std::vector<Event>& events,
                                  Instant now) {
  std::vector<ClockStatus> out;
  for (const auto& def : set.clocks) {
    for (auto& s : EvaluateClock(def, events, now)) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ucsc::incident
