// Dates, times and numbers as the house style shows them (GLOSSARY.md "UI text rules"):
// dd/mm/yyyy and 24-hour HH:mm in Asia/Ho_Chi_Minh whatever the browser's zone, Vietnamese
// digit grouping (1.234,5) in the Vietnamese UI and 1,234.5 in the English one.
import { lang, type Lang } from './i18n';

const TZ = 'Asia/Ho_Chi_Minh';
const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of partsFmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

// "2026-03-05" (a legal calendar date) or an instant → "05/03/2026" (the local date in Vietnam).
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = new Date(value);
  if (isNaN(d.getTime())) return value;
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

// An instant → "05/03/2026 08:05" in Vietnam time; withSeconds for audit trails.
export function formatDateTime(value: string | null | undefined, withSeconds = false): string {
  if (!value) return '—';
  const d = new Date(value);
  if (isNaN(d.getTime())) return value;
  const p = parts(d);
  const time = `${p.hour}:${p.minute}` + (withSeconds ? `:${p.second}` : '');
  return `${p.day}/${p.month}/${p.year} ${time}`;
}

export function formatNumber(n: number, l: Lang = lang(), maxFraction = 1): string {
  return new Intl.NumberFormat(l === 'vi' ? 'vi-VN' : 'en-US', {
    maximumFractionDigits: maxFraction,
  }).format(n);
}

export function formatPercent(n: number, l: Lang = lang()): string {
  return formatNumber(n, l) + '%';
}

// Today's date in Vietnam as YYYY-MM-DD (for date inputs).
export function todayIso(now: Date = new Date()): string {
  const p = parts(now);
  return `${p.year}-${p.month}-${p.day}`;
}

// What a person typed as "dd/mm/yyyy" → "YYYY-MM-DD"; anything else is returned unchanged so
// that the server names the field and the reason.
export function parseDate(text: string): string {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return text.trim();
  return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
}

// "dd/mm/yyyy HH:mm" in Vietnam time → an RFC 3339 instant ("…+07:00"); else unchanged.
export function parseDateTime(text: string): string {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return text.trim();
  return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}T${m[4].padStart(2, '0')}:${m[5]}:00+07:00`;
}
