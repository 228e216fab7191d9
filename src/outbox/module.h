// The outbox capability as a module (outbox.h has the functions other capabilities call):
// GET /api/v1/me/notifications, POST /api/v1/me/notifications/read and the "org_mail" job.
// No settings; e-mail goes out through capability::Env::notifier when one is configured.
// Thread-safety: see capability/module.h.
#pragma once

#include <memory>

#include "capability/module.h"

namespace ucsc::outbox {

std::unique_ptr<capability::Module> MakeModule(const capability::Env& env);

}  // namespace ucsc::outbox
