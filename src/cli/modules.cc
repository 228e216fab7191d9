#include "cli/modules.h"

#include <cstdlib>

#include "compliance/module.h"
#include "hunting/module.h"
#include "incident/module.h"
#include "inventory/module.h"
#include "outbox/module.h"
#include "plan/module.h"
#include "vuln/module.h"

namespace ucsc::cli {

capability::ModuleList MakeModules(const capability::Env& env) {
  capability::ModuleList modules;
  modules.push_back(inventory::MakeModule(env));
  modules.push_back(outbox::MakeModule(env));
  modules.push_back(compliance::MakeModule(env));
  modules.push_back(vuln::MakeModule(env));
  modules.push_back(hunting::MakeModule(env));
  modules.push_back(plan::MakeModule(env));
  modules.push_back(incident::MakeModule(env));
  return modules;
}

capability::Json SettingsFromEnvironment() {
  capability::Json s = capability::Json::object();
  for (auto [key, var] : {std::pair<const char*, const char*>{"rulepacks_dir", "UCSC_RULEPACKS"},
                          {"evidence_dir", "UCSC_EVIDENCE_DIR"},
                          {"plans_dir", "UCSC_PLANS"},
                          {"sigma_rules_dir", "UCSC_SIGMA_RULES"},
                          {"hunt_dir", "UCSC_HUNT_DIR"},
                          {"nvd_path", "UCSC_NVD"},
                          {"kev_path", "UCSC_KEV"},
                          {"vuln_cache_dir", "UCSC_VULN_CACHE"},
                          {"compliance_cache_seconds", "UCSC_COMPLIANCE_CACHE_SECONDS"}}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') s[key] = v;
  }
  return s;
}

}  // namespace ucsc::cli
