// ucsc: the server and the command line in one binary (DESIGN.md "Contracts: CLI and the
// database"). Commands that touch stored data open the store named by --db or UCSC_DB and act as
// cli:<os user>, audited like API calls.
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "auth/password.h"
#include "auth/random.h"
#include "capability/cli.h"
#include "cli/demo.h"
#include "cli/modules.h"
#include "codec/entities.h"
#include "inventory/importer.h"
#include "notify/smtp_notifier.h"
#include "scan/sla.h"
#include "server/api.h"
#include "server/http_server.h"
#include "server/static_files.h"
#include "server/worker.h"
#include "store/store.h"
#include "sys/system_clock.h"

namespace ucsc::cli {

using capability::AddStoreOptions;
using capability::Common;
using capability::DefaultCommon;
using capability::EnvVar;
using capability::Fail;
using capability::OpenStore;
using capability::OsUser;

namespace {

std::atomic<int> g_signal{0};

void OnSignal(int sig) { g_signal = sig; }

// Structured JSON log line on stderr.
void Log(std::string_view level, std::string_view msg, codec::Json fields = codec::Json::object()) {
  sys::SystemClock clock;
  fields["ts"] = core::FormatRfc3339Utc(clock.Now());
  fields["level"] = level;
  fields["msg"] = msg;
  std::cerr << fields.dump(-1, ' ', false, codec::Json::error_handler_t::replace) << "\n";
}

// Reads a JSON config file ({"listen": "...", "db": "...", "threads": N, ...}); environment
// variables override it and command-line flags override both.
struct ServeConfig {
  std::string listen = "127.0.0.1:8080";
  int threads = 4;
  int workers = 2;
  std::string tls_cert;
  std::string tls_key;
  size_t max_body_bytes = 1 << 20;
  // Sender of compliance reminders, e.g. {"kind": "smtp", "host": …, "from": …} (notify/);
  // null: no reminders are sent.
  codec::Json notify = nullptr;
  int escalate_after_days = 7;
  // Remediation deadlines of findings by severity, days: {"critical_days": 7, "high_days": 30,
  // "medium_days": 90, "low_days": 180, "unknown_days": 90} (issue 6: configurable).
  scan::SlaPolicy finding_sla;
};

core::Status LoadConfigFile(const std::string& path, ServeConfig& cfg, Common& common) {
  std::ifstream in(path);
  if (!in) return core::InvalidArgument("cannot read config file " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  UCSC_ASSIGN_OR_RETURN(auto j, codec::ParseJson(text));
  codec::ObjectReader r(j, "");
  int64_t threads = cfg.threads, workers = cfg.workers,
          body = static_cast<int64_t>(cfg.max_body_bytes);
  UCSC_RETURN_IF_ERROR(r.String("listen", cfg.listen, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.String("db", common.db, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Int("threads", threads, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Int("workers", workers, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Int("max_body_bytes", body, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.String("tls_cert", cfg.tls_cert, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.String("tls_key", cfg.tls_key, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Value("notify", codec::Need::kOptional,
                               [&](const codec::Json& v, const std::string&) -> core::Status {
                                 cfg.notify = v;
                                 return core::Ok();
                               }));
  UCSC_RETURN_IF_ERROR(
      r.Int("escalate_after_days", cfg.escalate_after_days, codec::Need::kOptional));
  UCSC_RETURN_IF_ERROR(r.Value(
      "finding_sla", codec::Need::kOptional,
      [&](const codec::Json& v, const std::string& at) -> core::Status {
        codec::ObjectReader sla(v, at);
        auto& p = cfg.finding_sla;
        for (auto [key, days] : {std::pair<const char*, int*>{"critical_days", &p.critical_days},
                                 {"high_days", &p.high_days},
                                 {"medium_days", &p.medium_days},
                                 {"low_days", &p.low_days},
                                 {"unknown_days", &p.unknown_days}}) {
          UCSC_RETURN_IF_ERROR(sla.Int(key, *days, codec::Need::kOptional));
          if (*days < 1 || *days > 3650) {
            return core::InvalidArgument("must be 1–3650 days", at + "/" + key);
          }
        }
        return sla.Finish();
      }));
  auto st = r.Finish();
  if (!st) return core::InvalidArgument(path + ": " + st.error().message + " " + st.error().field);
  cfg.threads = static_cast<int>(threads);
  cfg.workers = static_cast<int>(workers);
  cfg.max_body_bytes = static_cast<size_t>(body);
  return core::Ok();
}

int Serve(const Common& common, const ServeConfig& cfg) {
  sys::SystemClock clock;
  core::IdGenerator ids(clock, sys::SecureRandomFill);
  server::ApiConfig api_config;
  api_config.max_body_bytes = cfg.max_body_bytes;
  // What the modules read (capability::Env::settings): paths from the environment, the rest from
  // the config file.
  codec::Json settings = SettingsFromEnvironment();
  settings["escalate_after_days"] = cfg.escalate_after_days;
  settings["max_upload_bytes"] = static_cast<int64_t>(api_config.max_upload_bytes);
  settings["finding_sla"] = {{"critical_days", cfg.finding_sla.critical_days},
                             {"high_days", cfg.finding_sla.high_days},
                             {"medium_days", cfg.finding_sla.medium_days},
                             {"low_days", cfg.finding_sla.low_days},
                             {"unknown_days", cfg.finding_sla.unknown_days}};
  std::unique_ptr<notify::Notifier> notifier;
  capability::Env env{clock, ids, settings, api_config.max_json_depth,
                      [&notifier] { return notifier.get(); }};
  capability::ModuleList modules = MakeModules(env);
  capability::Registry registry = capability::RegisterAll(modules);
  Common with_tables = common;
  with_tables.tables = registry.tables();
  auto store = OpenStore(with_tables, clock);
  if (!store) return Fail(store.error());
  auto colon = cfg.listen.rfind(':');
  if (colon == std::string::npos)
    return Fail({core::ErrorCode::kInvalidArgument, "--listen must be HOST:PORT", ""});
  server::HttpServerConfig http;
  http.host = cfg.listen.substr(0, colon);
  if (!http.host.empty() && http.host.front() == '[')
    http.host = http.host.substr(1, http.host.size() - 2);
  http.port = std::atoi(cfg.listen.substr(colon + 1).c_str());
  http.threads = cfg.threads;
  http.max_body_bytes = cfg.max_body_bytes;
  http.tls_cert = cfg.tls_cert;
  http.tls_key = cfg.tls_key;
  http.on_answer = [](const server::Request& req, const server::Response& res, double secs) {
    if (res.status >= 500 || secs > 1.0) {
      Log(res.status >= 500 ? "error" : "warn", res.status >= 500 ? "server error" : "slow request",
          {{"method", req.method},
           {"path", req.path},
           {"status", res.status},
           {"seconds", secs},
           {"remote", req.remote_ip}});
    }
  };
  // The web console (built by `make build` into web/dist).
  server::StaticFiles web(EnvVar("UCSC_WEB_ROOT", "web/dist"));
  http.web = [&web](const server::Request& req) { return web.Serve(req); };
  // The transport admits evidence uploads; the Api applies the per-route limit.
  http.max_body_bytes = std::max(cfg.max_body_bytes, api_config.max_upload_bytes);
  auto made = server::Api::Make(**store, clock, ids, api_config, registry);
  if (!made) return Fail(made.error());
  server::Api& api = **made;
  server::HttpServer server(api, http);
  auto port = server.Bind();
  if (!port) return Fail(port.error());

  server::WorkerConfig wc;
  wc.threads = cfg.workers;
  // Unique across hosts and containers (where every server may be pid 1): a job's lease is
  // checked against this name.
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  wc.name =
      "serve-" + std::string(host) + "-" + std::to_string(getpid()) + "-" + auth::RandomToken(6);
  server::WorkerPool pool(**store, clock, ids, wc);
  server::RegisterBuiltinJobs(pool, clock);
  notify::NotifierRegistry notifiers;
  if (!cfg.notify.is_null()) {
    if (auto st = notify::RegisterSmtpNotifier(notifiers); !st) return Fail(st.error());
    auto sender = notifiers.CreateFromConfig(cfg.notify, {&clock});
    if (!sender) return Fail(sender.error());
    notifier = std::move(*sender);
  }
  // Every module's jobs and schedules.
  for (const auto& job : registry.jobs()) pool.Register(job.kind, job.run);
  for (const auto& sch : registry.schedules()) {
    if (auto st = pool.Schedule(sch.name, sch.cron, sch.kind, sch.payload); !st) {
      return Fail(st.error());
    }
  }
  if (auto st = pool.Schedule("session_cleanup", "@hourly", "session_cleanup", "{}"); !st) {
    return Fail(st.error());
  }
  if (auto st = pool.Schedule("audit_verify", "30 2 * * *", "audit_verify", "{}"); !st) {
    return Fail(st.error());
  }
  pool.Start();
  for (const auto& job : registry.jobs()) {
    if (!job.at_start) continue;
    if (auto id = pool.Enqueue(job.kind, "{}"); !id) {
      Log("warn", "start job not enqueued", {{"kind", job.kind}, {"error", id.error().message}});
    }
  }

  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  std::thread watcher([&] {
    while (g_signal == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Log("info", "shutting down", {{"signal", g_signal.load()}});
    server.Stop();
  });
  std::string scheme = server.tls() ? "https" : "http";
  Log("info", "serving",
      {{"url", scheme + "://" + http.host + ":" + std::to_string(*port) + "/"},
       {"store", std::string((*store)->Backend())},
       {"threads", http.threads},
       {"workers", wc.threads}});
  auto st = server.RunBound();
  g_signal = g_signal == 0 ? SIGTERM : g_signal.load();
  watcher.join();
  pool.Stop();
  Log("info", "stopped");
  if (!st) return Fail(st.error());
  return 0;
}

}  // namespace
}  // namespace ucsc::cli

int main(int argc, char** argv) {
  using namespace ucsc;
  using capability::Common;
  CLI::App app{"ucsc — Directive 18 cyber-incident response platform (ứng cứu sự cố)"};
  app.require_subcommand(1);
  Common common = capability::DefaultCommon();
  sys::SystemClock clock;
  core::IdGenerator ids(clock, sys::SecureRandomFill);
  // The modules as the command line sees them: their command groups and their tables (the server
  // makes its own, with the serve configuration; cli::Serve).
  const codec::Json cli_settings = cli::SettingsFromEnvironment();
  capability::ModuleList modules =
      cli::MakeModules(capability::Env{clock, ids, cli_settings, 32, {}});
  const capability::Registry registry = capability::RegisterAll(modules);
  const capability::CliEnv cli_env{&registry.tables()};
  auto add_db = [&](CLI::App* sub) { capability::AddStoreOptions(sub, common, cli_env); };

  // serve
  cli::ServeConfig serve_cfg;
  std::string config_file;
  auto* serve = app.add_subcommand("serve", "Serve the web API and run background jobs");
  add_db(serve);
  serve->add_option("--config", config_file, "JSON config file (overridden by env and flags)");
  serve->add_option("--listen", serve_cfg.listen, "HOST:PORT (env UCSC_LISTEN)");
  serve->add_option("--threads", serve_cfg.threads, "HTTP worker threads (env UCSC_THREADS)");
  serve->add_option("--workers", serve_cfg.workers, "Background job threads");
  serve->add_option("--tls-cert", serve_cfg.tls_cert, "PEM certificate: serve HTTPS");
  serve->add_option("--tls-key", serve_cfg.tls_key, "PEM private key");

  // db migrate
  auto* db = app.add_subcommand("db", "Database maintenance");
  db->require_subcommand(1);
  auto* migrate = db->add_subcommand("migrate", "Apply pending migrations");
  add_db(migrate);

  // user add
  auto* user = app.add_subcommand("user", "Users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user; prints a one-time password");
  add_db(user_add);
  std::string u_name, u_role, u_org, u_display, u_email;
  user_add->add_option("--username", u_name, "Sign-in name")->required();
  user_add
      ->add_option("--role", u_role,
                   "admin, coordinator, responder, org_manager, org_staff, liaison, auditor")
      ->required();
  user_add->add_option("--org", u_org, "Organisation id or exact name")->required();
  user_add->add_option("--display-name", u_display, "Full name");
  user_add->add_option("--email", u_email, "E-mail");

  // import inventory
  auto* import = app.add_subcommand("import", "Bulk imports");
  import->require_subcommand(1);
  auto* import_inv = import->add_subcommand(
      "inventory", "Import organisations, systems, assets, contacts, IR team from CSV or XLSX");
  add_db(import_inv);
  std::string import_path;
  bool partial = false, import_json = false;
  import_inv
      ->add_option("PATH", import_path, "Directory of CSV files, one CSV, or an .xlsx workbook")
      ->required();
  import_inv->add_flag("--partial", partial, "Import the valid rows even if some rows are bad");
  import_inv->add_flag("--json", import_json, "Print the report as JSON");

  // audit verify
  auto* audit = app.add_subcommand("audit", "Audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "Check the audit log's hash chain");
  add_db(audit_verify);

  // backup / restore
  std::string backup_file;
  auto* backup = app.add_subcommand("backup", "Write a logical backup (JSON lines) of the store");
  add_db(backup);
  backup->add_option("FILE", backup_file, "Output file")->required();
  auto* restore = app.add_subcommand("restore", "Load a backup into an empty store");
  add_db(restore);
  restore->add_option("FILE", backup_file, "Backup file")->required();

  // demo
  auto* demo = app.add_subcommand("demo", "Demo province and benchmark data");
  demo->require_subcommand(1);
  auto* demo_init = demo->add_subcommand("init", "Create the demo province and one user per role");
  add_db(demo_init);
  std::string demo_dir = "data/demo";
  demo_init->add_option("--from", demo_dir, "Directory of the demo CSV files");
  std::string demo_rules = capability::EnvVar("UCSC_RULEPACKS", "data/rulepacks");
  demo_init->add_option("--rules", demo_rules, "Rule packs for the demo's evidence history");
  auto* demo_gen = demo->add_subcommand("generate", "Add synthetic systems (benchmarks)");
  add_db(demo_gen);
  int gen_systems = 100000, gen_orgs = 1000;
  demo_gen->add_option("--systems", gen_systems, "Number of systems");
  demo_gen->add_option("--orgs", gen_orgs, "Number of organisations");

  // The modules' command groups (capability::Registry::AddCommands).
  std::vector<capability::Command> extra;
  for (const auto& add : registry.commands()) add(app, cli_env, extra);

  CLI11_PARSE(app, argc, argv);

  for (const auto& c : extra) {
    if (c.sub->parsed()) return c.run();
  }

  const std::string actor = "cli:" + capability::OsUser();

  if (serve->parsed()) {
    if (!config_file.empty()) {
      auto st = cli::LoadConfigFile(config_file, serve_cfg, common);
      if (!st) return capability::Fail(st.error());
      // Flags given on the command line win over the file.
      CLI11_PARSE(app, argc, argv);
    }
    if (serve->count("--listen") == 0)
      serve_cfg.listen = capability::EnvVar("UCSC_LISTEN", serve_cfg.listen);
    if (serve->count("--threads") == 0) {
      serve_cfg.threads =
          std::atoi(capability::EnvVar("UCSC_THREADS", std::to_string(serve_cfg.threads)).c_str());
    }
    return cli::Serve(common, serve_cfg);
  }

  auto store = capability::OpenStore(common, clock);
  if (!store) return capability::Fail(store.error());
  store::Store& st = **store;

  if (migrate->parsed()) {
    std::cout << (common.lang == "en" ? "database is up to date\n" : "cơ sở dữ liệu đã cập nhật\n");
    return 0;
  }
  if (user_add->parsed()) {
    auto role = core::ParseRole(u_role);
    if (!role)
      return capability::Fail({core::ErrorCode::kInvalidArgument, "unknown role " + u_role, ""});
    std::string password = "Otp-" + auth::RandomToken(12);
    auto r = st.Write([&](store::Tx& tx) -> core::Status {
      std::string org_id = u_org;
      if (!tx.Orgs().Get(org_id, store::Scope::All())) {
        store::ListQuery q;
        q.search = u_org;
        q.limit = 500;
        UCSC_ASSIGN_OR_RETURN(auto page, tx.Orgs().List(q));
        org_id.clear();
        for (const auto& o : page.items) {
          if (o.name == u_org) org_id = o.id;
        }
        if (org_id.empty()) return core::InvalidArgument("no organisation named " + u_org);
      }
      core::User u;
      u.id = ids.Next();
      u.username = u_name;
      u.display_name = u_display;
      u.email = u_email;
      u.role = *role;
      u.org_id = org_id;
      UCSC_ASSIGN_OR_RETURN(u.password_hash,
                            auth::HashPassword(password, auth::HashStrength::kProduction));
      u.must_change_password = true;
      u.version = 1;
      u.created_at = u.updated_at = clock.Now();
      UCSC_RETURN_IF_ERROR(tx.Users().Insert(u));
      core::AuditRecord a;
      a.at = clock.Now();
      a.actor = actor;
      a.action = "create";
      a.object_type = "user";
      a.object_id = u.id;
      a.after = codec::ToJson(u).dump();
      return tx.Audit().Append(a).map([](auto) {});
    });
    if (!r) return capability::Fail(r.error());
    std::cout << u_name << " " << password << "\n";
    return 0;
  }
  if (import_inv->parsed()) {
    auto tables = inventory::ReadInventoryFiles(import_path);
    if (!tables) return capability::Fail(tables.error());
    inventory::ImportOptions options;
    options.partial = partial;
    options.actor = actor;
    auto report = inventory::ImportInventory(st, *tables, clock, ids, options);
    if (!report) return capability::Fail(report.error());
    if (import_json) {
      codec::Json problems = codec::Json::array();
      for (const auto& p : report->problems) {
        problems.push_back(
            {{"sheet", p.sheet}, {"row", p.row}, {"column", p.column}, {"reason", p.reason}});
      }
      std::cout << codec::Json{{"committed", report->committed},
                               {"organisations", report->organisations},
                               {"systems", report->systems},
                               {"assets", report->assets},
                               {"contacts", report->contacts},
                               {"ir_team", report->team},
                               {"problems", problems}}
                       .dump(2)
                << "\n";
    } else {
      for (const auto& p : report->problems) {
        std::cerr << p.sheet << ":" << p.row << ": " << p.column << ": " << p.reason << "\n";
      }
      const bool en = common.lang == "en";
      std::cout << (report->committed ? (en ? "imported: " : "đã nhập: ")
                                      : (en ? "nothing imported; rows with problems: "
                                            : "không nhập gì; số dòng lỗi: "));
      if (report->committed) {
        std::cout << report->organisations << (en ? " organisations, " : " tổ chức, ")
                  << report->systems << (en ? " systems, " : " hệ thống, ") << report->assets
                  << (en ? " assets, " : " tài sản, ") << report->contacts
                  << (en ? " contacts, " : " liên hệ, ") << report->team
                  << (en ? " IR team members\n" : " thành viên đội ứng cứu\n");
      } else {
        std::cout << report->problems.size() << "\n";
      }
    }
    return report->committed ? (report->problems.empty() ? 0 : 2) : 1;
  }
  if (audit_verify->parsed()) {
    store::AuditVerifyReport report;
    auto r = st.Read([&](store::Tx& tx) -> core::Status {
      UCSC_ASSIGN_OR_RETURN(report, tx.Audit().Verify());
      return core::Ok();
    });
    if (!r) return capability::Fail(r.error());
    for (const auto& p : report.problems) std::cout << "TAMPERED: " << p << "\n";
    std::cout << report.records << (common.lang == "en" ? " records, chain " : " bản ghi, chuỗi ")
              << (report.ok() ? "OK" : "BROKEN") << "\n";
    // Records cut off the end leave a valid chain: keep this head somewhere else (a signed
    // report, another system) and compare it with a later run.
    if (!report.head_hash.empty()) {
      std::cout << (common.lang == "en" ? "head: record " : "đầu chuỗi: bản ghi ") << report.records
                << " " << report.head_hash << "\n";
    }
    return report.ok() ? 0 : 3;
  }
  if (backup->parsed()) {
    // The dump holds password hashes and TOTP secrets: owner-only from the first byte.
    const mode_t old_umask = umask(077);
    std::ofstream out(backup_file, std::ios::binary | std::ios::trunc);
    umask(old_umask);
    if (!out)
      return capability::Fail(
          {core::ErrorCode::kInvalidArgument, "cannot write " + backup_file, ""});
    int64_t lines = 0;
    auto r = st.Dump([&](std::string_view line) -> core::Status {
      out << line << '\n';
      ++lines;
      return out ? core::Ok() : core::Internal("write failed");
    });
    out.close();
    if (!r || !out)
      return capability::Fail(r ? core::Error{core::ErrorCode::kInternal, "write failed", ""}
                                : r.error());
    std::cout << lines << " rows written to " << backup_file << "\n";
    return 0;
  }
  if (restore->parsed()) {
    std::ifstream in(backup_file, std::ios::binary);
    if (!in)
      return capability::Fail(
          {core::ErrorCode::kInvalidArgument, "cannot read " + backup_file, ""});
    int64_t lines = 0;
    auto r = st.Load([&](std::string& line) -> core::Result<bool> {
      if (!std::getline(in, line)) return false;
      ++lines;
      return true;
    });
    if (!r) return capability::Fail(r.error());
    std::cout << lines << " rows restored from " << backup_file << "\n";
    return 0;
  }
  if (demo_init->parsed()) {
    // The demo inventory is dated 1/6/2021, before Directive 18, so that its obligations run
    // from the directive's date; then the modules' demo data and an evidence history give a mix
    // of compliance states.
    auto creds = cli::InitDemo(st, demo_dir, clock, ids, auth::HashStrength::kProduction,
                               core::StartOfLocalDay({2021, 6, 1}));
    if (!creds) return capability::Fail(creds.error());
    // The modules' demo data (plans and drills …), then a synthetic history for the evidence
    // types no module seeds.
    auto seeded = cli::SeedModuleDemos(st, registry.demos(), clock, ids);
    if (!seeded) return capability::Fail(seeded.error());
    auto evidence = cli::SeedComplianceHistory(st, demo_rules, clock, ids, *seeded);
    if (!evidence) return capability::Fail(evidence.error());
    std::cerr << *evidence
              << (common.lang == "en" ? " evidence records in the demo history\n"
                                      : " bằng chứng trong lịch sử mẫu\n");
    std::cout << (common.lang == "en" ? "Demo province created. One-time passwords:\n"
                                      : "Đã tạo tỉnh mẫu. Mật khẩu dùng một lần:\n");
    for (const auto& c : *creds) {
      std::cout << "  " << c.username << " (" << c.role << "): " << c.password << "\n";
    }
    return 0;
  }
  if (demo_gen->parsed()) {
    auto r = cli::GenerateInventory(st, gen_orgs, gen_systems, clock, ids);
    if (!r) return capability::Fail(r.error());
    std::cout << gen_systems << " systems in " << gen_orgs << " organisations generated\n";
    return 0;
  }
  return 0;
}
