// What a role may do, as src/server/rbac.cc decides it: the console shows only what the signed-in
// role may act on (the server enforces it anyway).
export type Role = 'admin' | 'coordinator' | 'responder' | 'org_manager' | 'org_staff' | 'liaison' | 'auditor';
export type Resource =
  | 'organisations' | 'systems' | 'assets' | 'contacts' | 'team' | 'tasks' | 'users' | 'audit'
  | 'jobs' | 'evidence' | 'compliance' | 'scans' | 'scan_approvals' | 'hunts' | 'findings' | 'advisories'
  | 'incidents' | 'plans' | 'plan_approvals';

// The policy rows the capability modules declare (src/incident/module.cc kPolicy,
// src/plan/module.cc kPolicy): none, read or write per role.
type Grant = 0 | 1 | 2;
const MODULE_ROWS: Partial<Record<Resource, Record<Role, Grant>>> = {
  incidents: { admin: 2, coordinator: 2, responder: 2, org_manager: 2, org_staff: 2, liaison: 0, auditor: 1 },
  plans: { admin: 1, coordinator: 2, responder: 1, org_manager: 2, org_staff: 2, liaison: 0, auditor: 1 },
  plan_approvals: { admin: 0, coordinator: 2, responder: 0, org_manager: 2, org_staff: 0, liaison: 0, auditor: 1 },
};

export function allowed(role: Role, r: Resource, write: boolean): boolean {
  const row = MODULE_ROWS[r];
  if (row) return row[role] >= (write ? 2 : 1);
  switch (role) {
    case 'admin':
      return true;
    case 'auditor':
      return !write && r !== 'jobs';
    case 'coordinator':
      return r !== 'users' && r !== 'jobs' && r !== 'audit';
    case 'responder':
      if (['organisations', 'systems', 'contacts', 'team', 'evidence', 'compliance'].includes(r)) return !write;
      return ['assets', 'tasks', 'scans', 'hunts', 'findings', 'advisories'].includes(r);
    case 'org_manager':
      if (['team', 'compliance', 'scans'].includes(r)) return !write;
      return ['organisations', 'systems', 'assets', 'contacts', 'tasks', 'evidence', 'hunts', 'findings', 'advisories'].includes(r);
    case 'org_staff':
      if (['organisations', 'systems', 'contacts', 'team', 'compliance', 'scans'].includes(r)) return !write;
      return ['assets', 'tasks', 'evidence', 'hunts', 'findings', 'advisories'].includes(r);
    case 'liaison':
      return !write && (r === 'organisations' || r === 'contacts');
  }
  return false;
}

export const canRead = (role: Role, r: Resource) => allowed(role, r, false);
export const canWrite = (role: Role, r: Resource) => allowed(role, r, true);
