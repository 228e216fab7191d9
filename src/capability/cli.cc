#include "capability/cli.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace ucsc::capability {

std::string EnvVar(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : fallback;
}

std::string OsUser() {
  const passwd* pw = getpwuid(getuid());
  return pw != nullptr ? pw->pw_name : "unknown";
}

int Fail(const core::Error& e) {
  std::cerr << "ucsc: " << e.ToString() << "\n";
  return 1;
}

Common DefaultCommon() {
  Common c;
  c.db = EnvVar("UCSC_DB", "sqlite:./var/ucsc.db");
  c.lang = EnvVar("LANG", "vi").rfind("en", 0) == 0 ? "en" : "vi";
  return c;
}

void AddStoreOptions(CLI::App* sub, Common& common, const CliEnv& env) {
  sub->add_option("--db", common.db, "Store: sqlite:PATH or postgresql://… (env UCSC_DB)");
  sub->add_option("--lang", common.lang, "Language of messages: vi or en")
      ->check(CLI::IsMember({"vi", "en"}));
  if (env.tables != nullptr) common.tables = *env.tables;
}

core::Result<std::unique_ptr<store::Store>> OpenStore(const Common& c, const core::Clock& clock,
                                                      bool migrate) {
  UCSC_ASSIGN_OR_RETURN(auto store, store::Open(c.db, clock, c.tables));
  if (migrate) UCSC_RETURN_IF_ERROR(store->Migrate());
  return store;
}

}  // namespace ucsc::capability
