// Every key in both languages, no empty text, the same {placeholders}, and every key the code
// asks for (t('…') literals) present; formatting follows the house style.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { vi } from './vi';
import { EVENT_KINDS, HARMS, INCIDENT_TYPES, OBSERVABLE_TYPES } from '../incident/enums';
import { itemKey, stepKey, WORKFLOWS } from '../incident/workflow';
import { allowed, type Role } from '../rbac';
import { formatDate, formatDateTime, formatNumber, formatPercent, parseDate, parseDateTime, todayIso } from '../format';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(n) && !n.endsWith('.test.ts') ? [p] : [];
  });
}

describe('catalogue', () => {
  it('has every Vietnamese key in English and no extra one', () => {
    const missingEn = Object.keys(vi).filter((k) => !(k in en));
    const missingVi = Object.keys(en).filter((k) => !(k in vi));
    expect(missingEn).toEqual([]);
    expect(missingVi).toEqual([]);
  });
  it('has no empty text and the same placeholders in both languages', () => {
    for (const [k, v] of Object.entries(vi)) {
      expect(v.trim(), k).not.toBe('');
      const e = (en as Record<string, string>)[k];
      expect(e.trim(), k).not.toBe('');
      expect(placeholders(e), k).toEqual(placeholders(v));
    }
  });
  it('has every key the code asks for', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    const used = new Set<string>();
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-z_]+\.[a-z_]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in vi))).toEqual([]);
  });
  it('names every value of the enumerations the code looks up by prefix', () => {
    const groups: Record<string, string[]> = {
      role: ['admin', 'coordinator', 'responder', 'org_manager', 'org_staff', 'liaison', 'auditor'],
      status: ['ok', 'due_soon', 'overdue', 'not_applicable'],
      severity: ['critical', 'high', 'medium', 'low', 'none'],
      fstate: ['open', 'in_progress', 'accepted_risk', 'false_positive', 'fixed'],
      astate: ['sent', 'acknowledged', 'remediated'],
      scanstate: ['requested', 'approved', 'rejected', 'revoked'],
      runstate: ['queued', 'running', 'done', 'failed', 'killed'],
      review: ['pending', 'accepted', 'rejected'],
      orgtype: ['coordinator', 'province', 'agency', 'commune', 'public_service_unit', 'enterprise', 'police', 'military', 'external'],
      itype: INCIDENT_TYPES,
      harm: HARMS,
      otype: OBSERVABLE_TYPES,
      event: EVENT_KINDS,
      capacity: ['unknown', 'within_capacity', 'beyond_capacity'],
      criterion: ['met', 'not_met', 'unknown'],
      plansec: ['scope', 'continuity', 'objectives', 'current_state', 'risks', 'scenarios', 'organisation', 'response', 'serious_incident', 'coordination', 'resources', 'training', 'implementation'],
    };
    for (const v of ['open', 'response_ended', 'closed']) expect(`incident.state_${v}` in vi, v).toBe(true);
    for (const v of ['normal', 'possibly_serious', 'serious']) expect(`incident.outcome_${v}` in vi, v).toBe(true);
    for (const v of ['met', 'late', 'running', 'not_started']) expect(`clock.state_${v}` in vi, v).toBe(true);
    for (const v of ['draft', 'submitted', 'approved', 'stale']) expect(`plan.state_${v}` in vi, v).toBe(true);
    for (const [g, values] of Object.entries(groups)) {
      for (const v of values) expect(`${g}.${v}` in vi, `${g}.${v}`).toBe(true);
    }
  });
  it('writes Vietnamese with its diacritics', () => {
    expect(vi['status.overdue']).toBe('Quá hạn');
    expect(vi['nav.hunts']).toBe('Săn lùng mối nguy hại');
  });
});

describe('missing evidence text', () => {
  it('names the evidence in Vietnamese with dd/mm/yyyy dates', async () => {
    const { formatMissing } = await import('./missing');
    expect(formatMissing('hunt_report after 2026-03-30')).toBe('Báo cáo săn lùng mối nguy hại sau ngày 30/03/2026');
    expect(formatMissing('security_plan (none on record)')).toBe('Phương án bảo đảm an toàn: chưa có');
    expect(formatMissing('drill_report for the period 2025-01-01 to 2025-12-31')).toBe('Báo cáo diễn tập thực chiến cho giai đoạn 01/01/2025 – 31/12/2025');
    expect(formatMissing('something else')).toBe('something else');
  });
});

describe('format', () => {
  it('shows instants as dd/mm/yyyy HH:mm in Vietnam time', () => {
    expect(formatDateTime('2026-03-04T18:05:00Z')).toBe('05/03/2026 01:05');
    expect(formatDateTime('2026-12-31T16:59:59Z', true)).toBe('31/12/2026 23:59:59');
    expect(formatDate('2026-12-31T17:00:00Z')).toBe('01/01/2027');
  });
  it('shows legal dates without shifting them', () => {
    expect(formatDate('2026-03-05')).toBe('05/03/2026');
    expect(formatDate(null)).toBe('—');
  });
  it('groups digits the Vietnamese way in Vietnamese and the English way in English', () => {
    expect(formatNumber(1234.5, 'vi')).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1,234.5');
    expect(formatPercent(63.4, 'vi')).toBe('63,4%');
    expect(formatNumber(20000000, 'vi')).toBe('20.000.000');
  });
  it('reads dates typed as dd/mm/yyyy and times in Vietnam time', () => {
    expect(parseDate('5/3/2026')).toBe('2026-03-05');
    expect(parseDate('31/12/2026')).toBe('2026-12-31');
    expect(parseDate('2026-31-12 ')).toBe('2026-31-12'); // left for the server to refuse
    expect(parseDateTime('07/12/2026 08:05')).toBe('2026-12-07T08:05:00+07:00');
  });
  it('gives the Vietnam calendar day for date inputs', () => {
    expect(todayIso(new Date('2026-12-06T17:30:00Z'))).toBe('2026-12-07');
  });
});

describe('incident workflow table', () => {
  it('names every step and checklist item of both processes in both languages', () => {
    expect(WORKFLOWS.normal.length).toBe(4);
    expect(WORKFLOWS.serious.length).toBe(7);
    for (const p of ['normal', 'serious'] as const) {
      for (const step of WORKFLOWS[p]) {
        expect(stepKey(p, step.n) in vi, stepKey(p, step.n)).toBe(true);
        for (const item of step.items) {
          expect(item.id.startsWith(step.n + '.'), item.id).toBe(true);
          expect(itemKey(p, item.id) in en, itemKey(p, item.id)).toBe(true);
        }
      }
    }
    expect(itemKey('normal', '1.đ')).toBe('wf.normal_1dd');
  });
});

describe('rbac rows of the incident and plan modules', () => {
  const roles: Role[] = ['admin', 'coordinator', 'responder', 'org_manager', 'org_staff', 'liaison', 'auditor'];
  it('gives the liaison no incidents or plans and the auditor read only', () => {
    for (const r of ['incidents', 'plans', 'plan_approvals'] as const) {
      expect(allowed('liaison', r, false)).toBe(false);
      expect(allowed('auditor', r, false)).toBe(true);
      expect(allowed('auditor', r, true)).toBe(false);
    }
  });
  it('lets only managers and the coordinator decide plans; the admin only reads plans', () => {
    expect(roles.filter((r) => allowed(r, 'plan_approvals', true))).toEqual(['coordinator', 'org_manager']);
    expect(allowed('admin', 'plans', false)).toBe(true);
    expect(allowed('admin', 'plans', true)).toBe(false);
    expect(roles.filter((r) => allowed(r, 'incidents', true))).toEqual(['admin', 'coordinator', 'responder', 'org_manager', 'org_staff']);
  });
});
