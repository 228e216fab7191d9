// The compliance engine's "missing" text (machine English, e.g. "hunt_report after 2026-03-30",
// "ir_plan on or after 2022-10-13", "drill_report for the period 2025-01-01 to 2025-12-31",
// "security_plan (none on record)") in the user's language with dd/mm/yyyy dates; an unknown
// form is shown as the server wrote it.
import { formatDate } from '../format';
import { catalogues, t, type Key } from './index';

function types(s: string): string {
  return s
    .split(' or ')
    .map((x) => {
      const k = ('evtype.' + x.trim()) as Key;
      return k in catalogues.vi ? t(k) : x;
    })
    .join(t('missing.or'));
}

const D = '(\\d{4}-\\d{2}-\\d{2})';
const FORMS: [RegExp, (m: RegExpExecArray) => string][] = [
  [new RegExp(`^(.+) \\(none on record\\)$`), (m) => t('missing.none', { what: types(m[1]) })],
  [new RegExp(`^(.+) on or after ${D}$`), (m) => t('missing.on_or_after', { what: types(m[1]), date: formatDate(m[2]) })],
  [new RegExp(`^(.+) after ${D}$`), (m) => t('missing.after', { what: types(m[1]), date: formatDate(m[2]) })],
  [new RegExp(`^(.+) for the period ${D} to ${D}$`), (m) => t('missing.period', { what: types(m[1]), from: formatDate(m[2]), to: formatDate(m[3]) })],
];

export function formatMissing(s: string): string {
  for (const [re, f] of FORMS) {
    const m = re.exec(s);
    if (m) return f(m);
  }
  return s;
}
