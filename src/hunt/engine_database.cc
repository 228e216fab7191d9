// Vectorscan literal databases of a plan (internal/engine_plan.h): one per set of sources an
// event can route to, compiled or read from the cache directory.
#include "hunt/internal/engine_plan.h"

#ifdef UCSC_HUNT_HAVE_HS
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace ucsc::hunt::internal {

namespace {

core::Status CompileLiteralDb(const std::vector<std::string>& literals,
                              const std::vector<int>& ids_in, unsigned mode, hs_database_t** db) {
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> flags, ids;
  for (int i : ids_in) {
    const std::string& l = literals[static_cast<std::size_t>(i)];
    exprs.push_back(l.data() + 1);
    lens.push_back(l.size() - 1);
    flags.push_back(HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(i));
  }
  *db = nullptr;
  if (exprs.empty()) return core::Ok();
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), mode, nullptr, db,
                           &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    hs_free_compile_error(err);
    return core::Internal("cannot compile the literal prefilter: " + msg);
  }
  return core::Ok();
}

}  // namespace

// Compiles the literal databases of `im`, or reads them from `cache_dir` (one file keyed by a
// hash of the literals and the Vectorscan version: per database a 64-bit length, then its
// serialised bytes; a bad or stale file is recompiled).
core::Status BuildDatabases(Plan::Impl* im, const std::string& cache_dir, PlanStats* stats) {
  const LogSourceMap& map = *im->map;
  const std::size_t nsources = map.sources().size();
  // Literal ids per source (field and keyword literals of the source's instances and gates;
  // exact values are in exact_index).
  std::vector<std::vector<int>> source_lits(nsources);
  for (std::size_t i = 0; i < nsources; ++i) {
    for (int l : im->source_literals[i]) {
      if (im->literals[static_cast<std::size_t>(l)][0] != kExactLit) source_lits[i].push_back(l);
    }
  }
  // Every set of sources an event can route to: per channel of the map, each event id the map
  // names and one it does not (also for a channel the map does not name, in case a source
  // matches any channel). One database per distinct set.
  std::vector<std::string> channels{std::string("\x01")};
  std::vector<std::string> event_ids{std::string("\x01")};
  for (const auto& src : map.sources()) {
    channels.push_back(src.channel_lower);
    event_ids.insert(event_ids.end(), src.event_ids.begin(), src.event_ids.end());
  }
  std::sort(channels.begin(), channels.end());
  channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
  std::sort(event_ids.begin(), event_ids.end());
  event_ids.erase(std::unique(event_ids.begin(), event_ids.end()), event_ids.end());
  std::vector<std::vector<int>> lits;
  for (const auto& channel : channels) {
    for (const auto& event_id : event_ids) {
      std::vector<int> set;
      for (std::size_t i = 0; i < nsources; ++i) {
        if (map.EventMatches(static_cast<int>(i), channel, event_id)) {
          set.push_back(static_cast<int>(i));
        }
      }
      if (set.empty() || im->set_db.count(set)) continue;
      std::vector<int> ids[2];  // field literals, keyword literals
      for (int i : set) {
        for (int l : source_lits[static_cast<std::size_t>(i)]) {
          const char mark = im->literals[static_cast<std::size_t>(l)][0];
          ids[mark == kKeywordLit || mark == kKeywordFoldLit].push_back(l);
        }
      }
      // A set with keyword literals scans every value anyway: its field literals join that one
      // scan (a hit in a field no rule reads only makes an instance run).
      if (!ids[1].empty()) {
        ids[1].insert(ids[1].end(), ids[0].begin(), ids[0].end());
        ids[0].clear();
      }
      im->set_db.emplace(std::move(set), static_cast<int>(lits.size() / 2));
      for (auto& v : ids) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        lits.push_back(std::move(v));
      }
    }
  }
  const std::size_t ndbs = lits.size();
  im->dbs.assign(ndbs, nullptr);
  stats->vectorscan = true;
  std::string cache_file;
  if (!cache_dir.empty()) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::string_view s) {
      for (char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
      h = (h ^ 0xFFu) * 1099511628211ull;
    };
    mix(hs_version());
    mix("dbs-per-source-set-merged-keyword");
    for (const auto& ids : lits) {
      mix(std::to_string(ids.size()));
      for (int i : ids) mix(std::to_string(i));
    }
    for (const auto& l : im->literals) mix(l);
    char name[64];
    std::snprintf(name, sizeof name, "hunt-prefilter-%016llx.hsdb",
                  static_cast<unsigned long long>(h));
    cache_file = cache_dir + "/" + name;
    std::ifstream in(cache_file, std::ios::binary);
    if (in) {
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      std::size_t pos = 0;
      bool good = true;
      for (std::size_t d = 0; d < ndbs && good; ++d) {
        std::uint64_t len = 0;
        if (bytes.size() - pos < sizeof len) {
          good = false;
          break;
        }
        std::memcpy(&len, bytes.data() + pos, sizeof len);
        pos += sizeof len;
        if (len > bytes.size() - pos) {
          good = false;
          break;
        }
        if (len > 0 &&
            hs_deserialize_database(bytes.data() + pos, len, &im->dbs[d]) != HS_SUCCESS) {
          im->dbs[d] = nullptr;
          good = false;
        }
        pos += len;
      }
      if (good && pos == bytes.size()) {
        stats->cache_hit = true;
        return core::Ok();
      }
      for (auto& db : im->dbs) {
        if (db) hs_free_database(db);
        db = nullptr;
      }
    }
  }
  for (std::size_t d = 0; d < ndbs; ++d) {
    auto st = CompileLiteralDb(im->literals, lits[d], HS_MODE_BLOCK, &im->dbs[d]);
    if (!st) return st;
  }
  if (cache_file.empty()) return core::Ok();
  std::string out;
  for (auto* db : im->dbs) {
    char* bytes = nullptr;
    std::size_t len = 0;
    if (db && hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return core::Ok();
    const std::uint64_t len64 = len;
    out.append(reinterpret_cast<const char*>(&len64), sizeof len64);
    if (bytes) out.append(bytes, len);
    std::free(bytes);
  }
  std::error_code ec;
  std::filesystem::create_directories(cache_dir, ec);
  const std::string tmp = cache_file + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream o(tmp, std::ios::binary);
    o.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  std::filesystem::rename(tmp, cache_file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
  return core::Ok();
}

}  // namespace ucsc::hunt::internal
#endif
