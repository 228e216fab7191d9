-- Scan authorisations and runs (issue 6 point 2): a scan run by the server needs an approved
-- scope (targets, ports) and time window. The documents are the server's JSON; the columns are
-- what queries filter on.
CREATE TABLE scan_authorisations (
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
CREATE INDEX scan_authorisations_org ON scan_authorisations(org_id, id);

CREATE TABLE scan_runs (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  system_id TEXT NOT NULL REFERENCES systems(id),
  parent_id TEXT NOT NULL REFERENCES scan_authorisations(id),
  state TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX scan_runs_org ON scan_runs(org_id, id);
