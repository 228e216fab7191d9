-- Advisories (issue 6 point 6): a CVE newly listed in KEV or NVD that affects an organisation's
-- systems, sent to that organisation only; acknowledged and remediated by it. One row per
-- (organisation, CVE); parent_id is the CVE id; system_id is empty (the document lists the
-- affected systems).
CREATE TABLE advisories (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organisations(id),
  system_id TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  state TEXT NOT NULL,
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX advisories_org ON advisories(org_id, id);
