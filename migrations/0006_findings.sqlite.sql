-- Vulnerability findings (issue 6 point 5): one row per fingerprint (system, asset, port,
-- product, CVE); the document is the finding with its lifecycle. parent_id is the CVE id.
CREATE TABLE findings (
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
CREATE INDEX findings_org ON findings(org_id, id);
CREATE INDEX findings_system ON findings(system_id, id);
