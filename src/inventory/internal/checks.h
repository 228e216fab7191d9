// The rules behind validate.h, collecting every violation instead of stopping at the first, so
// that the importer can report all the problems of a row at once.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace ucsc::inventory::internal {

// One broken rule: the JSON pointer of the field ("/software/2/cpe") and a predicate that reads
// after the field's name ("is not a valid CPE 2.3 name: 'x'").
struct Violation {
  std::string pointer;
  std::string predicate;
};

std::vector<Violation> CheckOrganisation(const core::Organisation& org);
std::vector<Violation> CheckSystem(const core::InformationSystem& system);
std::vector<Violation> CheckAsset(const core::Asset& asset);
std::vector<Violation> CheckContact(const core::Contact& contact);
std::vector<Violation> CheckMember(const core::IrTeamMember& member);
std::vector<Violation> CheckTask(const core::Task& task);

// "/software/2/cpe" -> "software[2].cpe"; "/focal_point/email" -> "focal_point.email".
std::string HumanPath(std::string_view pointer);

// Quotes a value for a message, shortened to at most 80 bytes (on a UTF-8 boundary): 'value'.
std::string Quote(std::string_view value);

// Removes leading and trailing ASCII white space (space, tab, CR, LF, VT, FF).
std::string_view TrimAscii(std::string_view s);

}  // namespace ucsc::inventory::internal
