-- ucsc schema 0001 (SQLite). Keep in step with 0001_init.pg.sql: same tables, same columns.
-- Each inventory row keeps its full JSON document in `doc`; the other columns are the keys
-- that queries filter, scope and sort on. Times are Unix milliseconds (UTC).
CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  parent_id TEXT REFERENCES organisations(id),
  type TEXT NOT NULL,
  network_member INTEGER NOT NULL DEFAULT 0,
  name_key TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_name ON organisations(name_key, id);
CREATE INDEX organisations_parent ON organisations(parent_id);

CREATE TABLE systems (
  id TEXT PRIMARY KEY,
  owner_org_id TEXT NOT NULL REFERENCES organisations(id),
  operator_org_id TEXT NOT NULL REFERENCES organisations(id),
  level INTEGER NOT NULL,
  national_important INTEGER NOT NULL DEFAULT 0,
  name_key TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX systems_name ON systems(name_key, id);
CREATE INDEX systems_owner ON systems(owner_org_id, name_key, id);
CREATE INDEX systems_operator ON systems(operator_org_id, name_key, id);
CREATE INDEX systems_level ON systems(level, name_key, id);

CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  system_id TEXT NOT NULL REFERENCES systems(id),
  org_id TEXT NOT NULL REFERENCES organisations(id),
  name_key TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX assets_name ON assets(name_key, id);
CREATE INDEX assets_org ON assets(org_id, name_key, id);
CREATE INDEX assets_system ON assets(system_id, name_key, id);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  name_key TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_name ON contacts(name_key, id);
CREATE INDEX contacts_org ON contacts(org_id, name_key, id);

CREATE TABLE ir_team_members (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  outsourced INTEGER NOT NULL DEFAULT 0,
  name_key TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX ir_team_members_name ON ir_team_members(name_key, id);
CREATE INDEX ir_team_members_org ON ir_team_members(org_id, name_key, id);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  system_id TEXT REFERENCES systems(id),
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  assignee TEXT NOT NULL DEFAULT '',
  due_date TEXT NOT NULL DEFAULT '',
  name_key TEXT NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_name ON tasks(name_key, id);
CREATE INDEX tasks_org ON tasks(org_id, name_key, id);
CREATE INDEX tasks_system ON tasks(system_id);
CREATE INDEX tasks_state ON tasks(state, due_date);

CREATE TABLE change_events (
  id TEXT PRIMARY KEY,
  system_id TEXT NOT NULL,
  field TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  actor TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX change_events_system ON change_events(system_id, at);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  role TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  before_json TEXT NOT NULL,
  after_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  run_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL,
  worker TEXT NOT NULL,
  last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_runnable ON jobs(state, run_at);

CREATE TABLE schedules (
  name TEXT PRIMARY KEY,
  cron TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  next_run BIGINT NOT NULL
);
