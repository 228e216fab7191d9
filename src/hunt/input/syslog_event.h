// Syslog lines (RFC 5424 and RFC 3164 / BSD) -> flat Events.
//
// Fields (absent when the line has no such part or RFC 5424 gives the nil value "-"):
//   facility, severity   numbers from <PRI> (PRI / 8 and PRI % 8)
//   timestamp            as written (RFC 5424 / RFC 3339 time, or "Mmm dd hh:mm:ss")
//   hostname
//   app_name, program    RFC 5424 APP-NAME or the RFC 3164 tag (both names, same value)
//   procid               RFC 5424 PROCID or the pid in "tag[pid]:"
//   msgid                RFC 5424 only
//   <SD-ID>.<name>       each RFC 5424 structured-data parameter (escapes \" \\ \] undone)
//   message              the free text (a UTF-8 BOM before it is dropped)
// A line that is neither form (no <PRI>, no timestamp) becomes an event whose message is the
// whole line, so that keyword rules still see it.
//
// Thread-safety: reentrant.
#pragma once

#include <string_view>

#include "core/result.h"
#include "hunt/event.h"

namespace ucsc::hunt {

// Parses `line` (without its line break) into `out` (cleared first). Returns kInvalidArgument
// for an RFC 5424 line ("<PRI>1 ...") whose header or structured data is malformed.
[[nodiscard]] core::Status ParseSyslogLine(std::string_view line, Event* out);

}  // namespace ucsc::hunt
