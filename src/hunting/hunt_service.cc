#include "hunting/hunt_service.h"

#include <filesystem>
#include <sstream>

#include "auth/random.h"
#include "capability/records.h"
#include "codec/json_reader.h"
#include "compliance/run_evidence.h"
#include "core/legal_time.h"
#include "hunt/engine.h"
#include "hunt/hunt.h"
#include "hunt/sigma/logsource.h"
#include "hunt/sigma/sigma_rule.h"

namespace ucsc::hunting {

using codec::Json;

struct HuntService::Compiled {
  hunt::LogSourceMap map;
  std::vector<hunt::Rule> rules;
  std::size_t rejected = 0;
  std::unique_ptr<hunt::Plan> plan;
};

HuntService::HuntService(const core::Clock& clock, const core::IdGenerator& ids,
                         HuntServiceConfig config)
    : clock_(clock), ids_(ids), config_(std::move(config)) {}

HuntService::~HuntService() = default;

core::Result<std::string> HuntService::KeepInput(const std::string& bytes) {
  const std::string sha = auth::Sha256Hex(bytes);
  UCSC_RETURN_IF_ERROR(compliance::StoreEvidenceFile(config_.input_dir, sha, bytes));
  return sha;
}

core::Result<std::shared_ptr<const HuntService::Compiled>> HuntService::Rules() {
  std::lock_guard lock(mu_);
  if (compiled_) return compiled_;
  auto map = hunt::LogSourceMap::Parse(hunt::LogSourceMap::DefaultText());
  if (!map) return tl::unexpected(map.error());
  auto c = std::make_shared<Compiled>(Compiled{std::move(*map), {}, 0, nullptr});
  hunt::LoadOptions opts;
  opts.placeholders = &c->map.placeholders();
  auto loaded = hunt::LoadRulePaths({config_.rules_dir}, opts);
  c->rules = std::move(loaded.rules);
  c->rejected = loaded.errors.size();
  if (c->rules.empty()) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "no Sigma rule loads from " + config_.rules_dir);
  }
  hunt::CompileOptions copts;
  copts.cache_dir = (std::filesystem::path(config_.input_dir) / "plan-cache").string();
  auto plan = hunt::Plan::Compile(c->rules, c->map, copts);
  if (!plan) return tl::unexpected(plan.error());
  c->plan = std::move(*plan);
  compiled_ = c;
  return compiled_;
}

core::Status HuntService::RunJob(const core::Job& job, store::Store& store) {
  UCSC_ASSIGN_OR_RETURN(auto payload, codec::ParseJson(job.payload));
  if (!payload.is_object() || !payload.contains("run_id") || !payload["run_id"].is_string()) {
    return core::InvalidArgument("payload must be {\"run_id\": \"...\"}");
  }
  store::ScanRecord run;
  UCSC_RETURN_IF_ERROR(store.Read([&](store::Tx& tx) -> core::Status {
    UCSC_ASSIGN_OR_RETURN(
        run, tx.Scans().Get(store::ScanTable::kHuntRuns, payload["run_id"].get<std::string>(),
                            store::Scope::All()));
    return core::Ok();
  }));
  if (run.state != "queued") return core::Ok();
  Json doc = codec::ParseJson(run.doc).value_or(Json::object());
  const core::Instant start = clock_.Now();
  doc["started_at"] = core::FormatRfc3339Utc(start);
  UCSC_RETURN_IF_ERROR(
      capability::SaveRun(store, store::ScanTable::kHuntRuns, run, doc, "running", start));

  auto fail = [&](const std::string& why) {
    doc["error"] = why;
    doc["finished_at"] = core::FormatRfc3339Utc(clock_.Now());
    return capability::SaveRun(store, store::ScanTable::kHuntRuns, run, doc, "failed",
                               clock_.Now());
  };
  auto compiled = Rules();
  if (!compiled) return fail(compiled.error().message);
  const auto& c = **compiled;
  hunt::HuntOptions options;
  options.inputs = {
      (std::filesystem::path(config_.input_dir) / doc.value("input_sha256", "")).string()};
  options.format =
      hunt::ParseInputFormat(doc.value("format", "auto")).value_or(hunt::InputFormat::kAuto);
  options.threads = 1;
  options.map = &c.map;  // correlation fields and Sigma filters read through the mapping
  std::ostringstream detections, bad;
  const hunt::HuntStats stats = hunt::RunHunt(c.rules, *c.plan, options, detections, bad);
  const core::Instant end = clock_.Now();
  doc["finished_at"] = core::FormatRfc3339Utc(end);
  doc["stats"] = Json{{"events", stats.events},
                      {"bytes", stats.bytes},
                      {"bad_records", stats.bad_records},
                      {"detections", stats.detections},
                      {"correlation_detections", stats.correlation_detections},
                      {"rules", c.rules.size()},
                      {"rules_rejected", c.rejected}};
  if (!stats.input_errors.empty())
    return fail("the log file could not be read: " + stats.input_errors.front());
  if (stats.events == 0) return fail("no event could be read from the log file");

  compliance::RunEvidence ev;
  ev.system_id = run.system_id;
  ev.type = "hunt_report";
  ev.performed_on = core::LocalDateOf(end);
  ev.title = "Săn lùng mối nguy hại: " + std::to_string(stats.events) + " sự kiện, " +
             std::to_string(stats.detections) + " phát hiện";
  ev.description = std::to_string(c.rules.size()) + " luật Sigma trên tệp nhật ký " +
                   doc.value("file_name", "") + " (" + std::to_string(stats.bytes) +
                   " byte); lần săn lùng " + run.id + ".";
  ev.submitted_by = doc.value("requested_by", "");
  std::string report = detections.str();
  if (report.empty()) {
    ev.file_name = "hunt-" + run.id + ".json";
    report = doc.dump(2) + "\n";
  } else {
    ev.file_name = "hunt-" + run.id + ".jsonl";
  }
  ev.file_bytes = std::move(report);
  ev.evidence_dir = config_.evidence_dir;
  auto evidence = compliance::RecordRunEvidence(store, ids_, end, ev);
  if (!evidence && evidence.error().field == "/file") {
    // Detections that are not a keepable file (not UTF-8 text): the record without the file.
    ev.file_name.clear();
    ev.file_bytes.clear();
    evidence = compliance::RecordRunEvidence(store, ids_, end, ev);
  }
  if (!evidence)
    return fail("the hunt ran but its evidence was not recorded: " + evidence.error().message);
  doc["evidence_id"] = evidence->id;
  return capability::SaveRun(store, store::ScanTable::kHuntRuns, run, doc, "done", end);
}

}  // namespace ucsc::hunting
