// The UI's text: every visible string comes from the catalogue of the current language
// (Vietnamese by default, English second). t() fills {name} placeholders.
import { vi, type Key } from './vi';
import { en } from './en';

export type Lang = 'vi' | 'en';
export const catalogues: Record<Lang, Record<Key, string>> = { vi, en };

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('ucsc.lang') : null;
let current: Lang = stored === 'en' ? 'en' : 'vi';
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  if (typeof localStorage !== 'undefined') localStorage.setItem('ucsc.lang', l);
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  listeners.forEach((f) => f());
}

export function onLangChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function t(key: Key, params?: Record<string, string | number>): string {
  let s = catalogues[current][key] ?? key;
  if (params) {
    for (const [k, v] of Object.entries(params)) s = s.split('{' + k + '}').join(String(v));
  }
  return s;
}

export type { Key };
