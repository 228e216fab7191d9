-- Compliance (PostgreSQL): evidence records, daily scorecard snapshots, the reminder log (issue 4).
CREATE TABLE evidence (
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  type TEXT NOT NULL,
  performed_on TEXT NOT NULL,
  review TEXT NOT NULL,
  name_key TEXT COLLATE "C" NOT NULL,
  name_fold TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX evidence_name ON evidence(name_key, id);
CREATE INDEX evidence_org ON evidence(org_id, name_key, id);
-- Covering index: compliance evaluation reads every record's key columns from it alone.
CREATE INDEX evidence_facts ON evidence(subject_id, type, performed_on, review, subject_kind, id);

CREATE TABLE compliance_snapshots (
  day TEXT NOT NULL,
  org_id TEXT NOT NULL,
  ok BIGINT NOT NULL,
  due_soon BIGINT NOT NULL,
  overdue BIGINT NOT NULL,
  not_applicable BIGINT NOT NULL,
  PRIMARY KEY (day, org_id)
);

CREATE TABLE reminders (
  key TEXT PRIMARY KEY,
  detail TEXT NOT NULL,
  at BIGINT NOT NULL
);
