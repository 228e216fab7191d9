// Port lists for the scanner: the --ports grammar, the project's own port ranking for --top N
// and the service a port is registered for (IANA) or commonly used by.
//
// The ranking is ucsc's own (docs/decisions/0009-service-scanner.md): IANA assignments ordered
// by how often the service is exposed on agency networks, from common administration knowledge.
// nmap's nmap-services frequency table is not used (its licence forbids shipping it).
// Thread-safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace ucsc::scan {

// Parses "22", "22,80,443", "8000-8100", "-" (1-65535), "1024-" (to 65535), "-100" (1-100),
// "top:N"; items separated by commas. Returns the sorted ports without duplicates, or
// kInvalidArgument naming the item: a port outside 1..65535, a reversed range, junk.
[[nodiscard]] core::Result<std::vector<uint16_t>> ParsePortSpec(std::string_view spec);

// The first `n` ports of the ranking; past the ranked list, the remaining ports in ascending
// order. Returns kInvalidArgument unless 1 <= n <= 65535.
[[nodiscard]] core::Result<std::vector<uint16_t>> TopPorts(int n);

// Number of ports in the explicit ranking.
int RankedPortCount();

// The service usually found on `port` ("ssh", "http", "https", ...) or "" when none is known.
std::string_view PortService(uint16_t port);

}  // namespace ucsc::scan
