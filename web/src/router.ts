// A tiny History-API router: the path is the state; links are plain <a href> intercepted.
const listeners = new Set<() => void>();

export function path(): string {
  return location.pathname;
}

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((f) => f());
  window.scrollTo(0, 0);
}

export function onRoute(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

window.addEventListener('popstate', () => listeners.forEach((f) => f()));

// Same-origin link clicks without modifier keys stay in the app.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/api/')) return;
  e.preventDefault();
  navigate(href);
});

// Matches "/systems/:id" against a path; returns the params or null.
export function match(pattern: string, p: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = p.split('/');
  if (a.length !== b.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) {
      if (!b[i]) return null;
      out[a[i].slice(1)] = decodeURIComponent(b[i]);
    } else if (a[i] !== b[i]) return null;
  }
  return out;
}
