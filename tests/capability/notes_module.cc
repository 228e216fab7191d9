#include "notes_module.h"

#include "codec/json_reader.h"

namespace ucsc::capability::testing {
namespace {

// SQL as named constants beside the repository; parameters always bound.
constexpr std::string_view kInsertNote =
    "INSERT INTO test_notes (id, org_id, body, created_at) VALUES ($1, $2, $3, $4)";
constexpr std::string_view kSelectNote = "SELECT id, org_id, body FROM test_notes WHERE id = $1";
constexpr std::string_view kCountNotes = "SELECT COUNT(*) FROM test_notes WHERE org_id = $1";

struct Note {
  std::string id;
  std::string org_id;
  std::string body;
};

class NotesRepo {
 public:
  explicit NotesRepo(store::SqlSession& sql) : sql_(sql) {}
  core::Status Insert(const Note& n, core::Instant at) {
    std::vector<store::SqlParam> p{n.id, n.org_id, n.body, core::FormatRfc3339Utc(at)};
    UCSC_ASSIGN_OR_RETURN(int64_t changed, sql_.Exec(kInsertNote, p));
    (void)changed;
    return core::Ok();
  }
  core::Result<Note> Get(const std::string& id, const store::Scope& scope) {
    std::vector<store::SqlParam> p{id};
    UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kSelectNote, p));
    if (rows.empty() || !InScope(scope, rows[0][1].value_or(""))) {
      return core::NotFound("no such note");
    }
    return Note{rows[0][0].value_or(""), rows[0][1].value_or(""), rows[0][2].value_or("")};
  }
  core::Result<int64_t> Count(const std::string& org_id) {
    std::vector<store::SqlParam> p{org_id};
    UCSC_ASSIGN_OR_RETURN(auto rows, sql_.Query(kCountNotes, p));
    return std::stoll(rows.at(0).at(0).value_or("0"));
  }

 private:
  store::SqlSession& sql_;
};

Json NoteJson(const Note& n) { return Json{{"id", n.id}, {"org_id", n.org_id}, {"body", n.body}}; }

class NotesModule final : public Module {
 public:
  explicit NotesModule(const Env& env) : clock_(env.clock), ids_(env.ids) {}
  std::string_view Name() const override { return "notes"; }

  void Register(Registry& r) override {
    r.AddTables({"notes",
                 {{"notes/0001_init",
                   "CREATE TABLE test_notes (id TEXT PRIMARY KEY, org_id TEXT NOT NULL "
                   "REFERENCES organisations(id), body TEXT NOT NULL, created_at TEXT NOT NULL);",
                   "CREATE TABLE test_notes (id TEXT PRIMARY KEY, org_id TEXT NOT NULL "
                   "REFERENCES organisations(id), body TEXT NOT NULL, created_at TEXT NOT NULL);"}},
                 {{"test_notes", {"id", "org_id", "body", "created_at"}}}});
    r.AddPolicy({.resource = "test-notes",
                 .admin = Grant::kWrite,
                 .coordinator = Grant::kWrite,
                 .responder = Grant::kRead,
                 .org_manager = Grant::kWrite,
                 .org_staff = Grant::kRead,
                 .liaison = Grant::kNone,
                 .auditor = Grant::kRead});
    const core::Clock* clock = &clock_;
    const core::IdGenerator* ids = &ids_;
    RouteSpec create(
        "POST", "/api/v1/test-notes", "Create a note: {\"org_id\", \"body\"}", true, "test-notes",
        Access::kWrite, [clock, ids](Ctx& c, store::Tx& tx) -> core::Status {
          UCSC_ASSIGN_OR_RETURN(auto body, ParseBody(c, 8));
          Note n;
          n.id = ids->Next();
          codec::ObjectReader reader(body, "");
          UCSC_RETURN_IF_ERROR(reader.String("org_id", n.org_id, codec::Need::kRequired, 64));
          UCSC_RETURN_IF_ERROR(reader.String("body", n.body, codec::Need::kRequired, 1000));
          UCSC_RETURN_IF_ERROR(reader.Finish());
          if (!InScope(c.scope, n.org_id)) {
            return core::InvalidArgument("matches no organisation you can see", "/org_id");
          }
          UCSC_RETURN_IF_ERROR(NotesRepo(tx.Sql()).Insert(n, clock->Now()));
          UCSC_RETURN_IF_ERROR(AppendAudit(tx, c, clock->Now(), "create", "test_note", n.id, "",
                                           NoteJson(n).dump()));
          SetJson(c, 201, NoteJson(n));
          return core::Ok();
        });
    create.request_schema = create.response_schema = "TestNote";
    r.AddRoute(std::move(create));
    r.AddRoute({"GET", "/api/v1/test-notes/{id}", "One note", false, "test-notes", Access::kRead,
                [](Ctx& c, store::Tx& tx) -> core::Status {
                  UCSC_ASSIGN_OR_RETURN(auto n, NotesRepo(tx.Sql()).Get(c.params["id"], c.scope));
                  SetJson(c, 200, NoteJson(n));
                  return core::Ok();
                }});
    r.AddSchema("TestNote", SchemaOf(NoteJson(Note{})));
    r.AddJob(
        {"notes_count", [clock, ids](const core::Job& job, store::Store& s) -> core::Status {
           UCSC_ASSIGN_OR_RETURN(auto payload, codec::ParseJson(job.payload));
           const std::string org = payload.value("org_id", "");
           return s.Write([&](store::Tx& tx) -> core::Status {
             NotesRepo repo(tx.Sql());
             UCSC_ASSIGN_OR_RETURN(int64_t n, repo.Count(org));
             return repo.Insert({ids->Next(), org, "count=" + std::to_string(n)}, clock->Now());
           });
         }});
    r.AddSchedule({"notes_count", "0 3 * * *", "notes_count", "{}"});
  }

 private:
  const core::Clock& clock_;
  const core::IdGenerator& ids_;
};

}  // namespace

std::unique_ptr<Module> MakeNotesModule(const Env& env) {
  return std::make_unique<NotesModule>(env);
}

}  // namespace ucsc::capability::testing
