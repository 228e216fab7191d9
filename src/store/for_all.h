// Reads every row of an entity repository page by page, for jobs and capabilities that work
// set-wise (compliance facts, audiences, advisories).
// Thread-safety: call inside the caller's transaction.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace ucsc::store {

// Calls fn on every row of `repo` (unscoped) that passes `filters` (column -> exact value),
// reading pages of 500. Errors: the store's.
template <class T, class Fn>
[[nodiscard]] core::Status ForAll(EntityRepo<T>& repo,
                                  std::vector<std::pair<std::string, std::string>> filters,
                                  const Fn& fn) {
  ListQuery q;
  q.limit = 500;
  q.filters = std::move(filters);
  for (;;) {
    UCSC_ASSIGN_OR_RETURN(auto page, repo.List(q));
    for (auto& item : page.items) fn(item);
    if (!page.more) return core::Ok();
    q.after_key = page.last_key;
    q.after_id = page.last_id;
  }
}

template <class T, class Fn>
[[nodiscard]] core::Status ForAll(EntityRepo<T>& repo, const Fn& fn) {
  return ForAll(repo, {}, fn);
}

}  // namespace ucsc::store
