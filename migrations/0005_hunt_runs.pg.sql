-- Hunt runs (issue 5: the server runs a hunt as a job and records R1 evidence): same shape as
-- scan runs; parent_id is empty.
CREATE TABLE hunt_runs (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  system_id TEXT NOT NULL REFERENCES systems(id),
  parent_id TEXT NOT NULL,
  state TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX hunt_runs_org ON hunt_runs(org_id, id);
