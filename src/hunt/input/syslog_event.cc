#include "hunt/input/syslog_event.h"

#include <string>

namespace ucsc::hunt {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "<PRI>" at the start of `s`: the value (0..191) and its length, or -1.
int ParsePri(std::string_view s, std::size_t* len) {
  if (s.size() < 3 || s[0] != '<') return -1;
  int value = 0;
  std::size_t i = 1;
  while (i < s.size() && i <= 4 && IsDigit(s[i])) value = value * 10 + (s[i++] - '0');
  if (i == 1 || i > 4 || i >= s.size() || s[i] != '>' || value > 191) return -1;
  *len = i + 1;
  return value;
}

// Next space-delimited token of `s` from `*pos`; moves past one following space.
std::string_view Token(std::string_view s, std::size_t* pos) {
  const std::size_t start = *pos;
  std::size_t end = s.find(' ', start);
  if (end == std::string_view::npos) end = s.size();
  *pos = end < s.size() ? end + 1 : end;
  return s.substr(start, end - start);
}

void AddUnlessNil(Event* out, std::string_view name, std::string_view value) {
  if (!value.empty() && value != "-") out->Add(name, value);
}

std::string_view StripBom(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

core::Status ParseStructuredData(std::string_view s, std::size_t* pos, Event* out) {
  if (*pos < s.size() && s[*pos] == '-') {
    ++*pos;
    return core::Ok();
  }
  if (*pos >= s.size() || s[*pos] != '[') {
    return core::InvalidArgument("RFC 5424: structured data must be '-' or start with '['");
  }
  std::string name, value;
  while (*pos < s.size() && s[*pos] == '[') {
    std::size_t i = *pos + 1;
    const std::size_t id_end = s.find_first_of(" ]", i);
    if (id_end == std::string_view::npos || id_end == i) {
      return core::InvalidArgument("RFC 5424: bad SD-ID");
    }
    const std::string_view id = s.substr(i, id_end - i);
    i = id_end;
    while (i < s.size() && s[i] == ' ') {
      ++i;
      const std::size_t eq = s.find('=', i);
      if (eq == std::string_view::npos || eq == i || eq + 1 >= s.size() || s[eq + 1] != '"') {
        return core::InvalidArgument("RFC 5424: bad structured-data parameter in [" +
                                     std::string(id) + "]");
      }
      name.assign(id);
      name.push_back('.');
      name.append(s.substr(i, eq - i));
      value.clear();
      i = eq + 2;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i];
        if (c == '\\' && i + 1 < s.size() &&
            (s[i + 1] == '"' || s[i + 1] == '\\' || s[i + 1] == ']')) {
          value.push_back(s[i + 1]);
          i += 2;
          continue;
        }
        ++i;
        if (c == '"') {
          closed = true;
          break;
        }
        value.push_back(c);
      }
      if (!closed) {
        return core::InvalidArgument("RFC 5424: unterminated parameter value in [" +
                                     std::string(id) + "]");
      }
      out->Add(name, value);
    }
    if (i >= s.size() || s[i] != ']') {
      return core::InvalidArgument("RFC 5424: structured-data element [" + std::string(id) +
                                   "] is not closed");
    }
    *pos = i + 1;
  }
  return core::Ok();
}

core::Status Parse5424(std::string_view s, std::size_t pos, Event* out) {
  // VERSION already checked by the caller.
  std::string_view fields[5];
  static constexpr std::string_view kNames[5] = {"timestamp", "hostname", "app_name", "procid",
                                                 "msgid"};
  for (int i = 0; i < 5; ++i) {
    if (pos >= s.size()) {
      return core::InvalidArgument("RFC 5424: the header ends before " + std::string(kNames[i]));
    }
    fields[i] = Token(s, &pos);
    if (fields[i].empty()) {
      return core::InvalidArgument("RFC 5424: empty " + std::string(kNames[i]) +
                                   " (two spaces in the header)");
    }
  }
  AddUnlessNil(out, "timestamp", fields[0]);
  AddUnlessNil(out, "hostname", fields[1]);
  AddUnlessNil(out, "app_name", fields[2]);
  AddUnlessNil(out, "program", fields[2]);
  AddUnlessNil(out, "procid", fields[3]);
  AddUnlessNil(out, "msgid", fields[4]);
  if (pos >= s.size()) return core::InvalidArgument("RFC 5424: structured data missing");
  if (auto st = ParseStructuredData(s, &pos, out); !st) return st;
  if (pos < s.size()) {
    if (s[pos] != ' ') {
      return core::InvalidArgument("RFC 5424: a space must follow the structured data");
    }
    const std::string_view msg = StripBom(s.substr(pos + 1));
    if (!msg.empty()) out->Add("message", msg);
  }
  return core::Ok();
}

bool IsMonth(std::string_view m) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::string_view k : kMonths) {
    if (m == k) return true;
  }
  return false;
}

// Length of an RFC 3164 "Mmm dd hh:mm:ss" or an RFC 3339 timestamp at the start of `s`, or 0.
std::size_t TimestampLength(std::string_view s) {
  if (s.size() >= 15 && IsMonth(s.substr(0, 3)) && s[3] == ' ' && (s[4] == ' ' || IsDigit(s[4])) &&
      IsDigit(s[5]) && s[6] == ' ' && IsDigit(s[7]) && IsDigit(s[8]) && s[9] == ':' &&
      IsDigit(s[10]) && IsDigit(s[11]) && s[12] == ':' && IsDigit(s[13]) && IsDigit(s[14])) {
    return 15;
  }
  if (s.size() >= 19 && IsDigit(s[0]) && IsDigit(s[1]) && IsDigit(s[2]) && IsDigit(s[3]) &&
      s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':') {
    const std::size_t sp = s.find(' ');
    return sp == std::string_view::npos ? s.size() : sp;
  }
  return 0;
}

void Parse3164(std::string_view s, Event* out) {
  const std::size_t ts = TimestampLength(s);
  if (ts == 0) {
    if (!s.empty()) out->Add("message", s);
    return;
  }
  out->Add("timestamp", s.substr(0, ts));
  std::size_t pos = ts;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  // HOSTNAME, unless the next word is already the tag ("prog[12]:" or "prog:").
  std::size_t probe = pos;
  const std::string_view first = Token(s, &probe);
  const bool first_is_tag =
      !first.empty() && (first.back() == ':' || first.find('[') != std::string_view::npos);
  if (!first_is_tag && !first.empty()) {
    out->Add("hostname", first);
    pos = probe;
  }
  // TAG: letters up to '[', ':' or ' '.
  std::string_view rest = s.substr(pos);
  const std::size_t tag_end = rest.find_first_of("[: ");
  if (tag_end != std::string_view::npos && tag_end > 0 && rest[tag_end] != ' ') {
    const std::string_view tag = rest.substr(0, tag_end);
    std::size_t i = tag_end;
    std::string_view pid;
    if (rest[i] == '[') {
      const std::size_t close = rest.find(']', i);
      if (close != std::string_view::npos) {
        pid = rest.substr(i + 1, close - i - 1);
        i = close + 1;
      }
    }
    if (i < rest.size() && rest[i] == ':') {
      out->Add("app_name", tag);
      out->Add("program", tag);
      if (!pid.empty()) out->Add("procid", pid);
      ++i;
      if (i < rest.size() && rest[i] == ' ') ++i;
      rest.remove_prefix(i);
    }
  }
  rest = StripBom(rest);
  if (!rest.empty()) out->Add("message", rest);
}

}  // namespace

core::Status ParseSyslogLine(std::string_view line, Event* out) {
  out->Clear();
  std::size_t pri_len = 0;
  const int pri = ParsePri(line, &pri_len);
  if (pri < 0) {
    Parse3164(line, out);
    return core::Ok();
  }
  const std::string facility = std::to_string(pri / 8);
  const std::string severity = std::to_string(pri % 8);
  out->Add("facility", facility);
  out->Add("severity", severity);
  std::string_view rest = line.substr(pri_len);
  if (rest.size() >= 2 && IsDigit(rest[0]) &&
      (rest[1] == ' ' || (rest.size() >= 3 && IsDigit(rest[1]) && rest[2] == ' '))) {
    std::size_t pos = 0;
    const std::string_view version = Token(rest, &pos);
    if (version != "1") {
      return core::InvalidArgument("RFC 5424: unsupported version " + std::string(version));
    }
    return Parse5424(rest, pos, out);
  }
  Parse3164(rest, out);
  return core::Ok();
}

}  // namespace ucsc::hunt
