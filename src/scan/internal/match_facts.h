// Private to src/scan/match.cc: the compact facts of one NVD criterion that CVE matching reads
// on its hot path, kept by scan::Matcher in a table beside the (large) Criterion records.
// Thread-safety: plain values.
#pragma once

#include <cstdint>

namespace ucsc::scan::internal {

struct CriterionFacts {
  bool valid = false;
  bool range = false;               // a version range (Criterion::HasRange())
  bool start = false, end = false;  // which parsed bounds exist
  bool start_including = false, end_including = false;
  uint16_t attrs = 0;  // bit a set when WFN attribute a of the criteria is not ANY
};

}  // namespace ucsc::scan::internal
