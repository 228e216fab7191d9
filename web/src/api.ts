// The REST client: cookie session (same origin), the CSRF token from the sign-in answer on every
// write, If-Match with the ETag on updates, RFC 7807 problems turned into ApiError with the
// field errors by JSON pointer, and a 401 in the middle of work handed to the re-login dialog
// (the screen and its typed text stay; the request is retried once after signing in again).
import { lang } from './i18n';

export interface FieldError {
  pointer: string;
  detail: string;
}
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public problem: Problem,
  ) {
    super(problem.detail || problem.title || `HTTP ${status}`);
  }
  // Field errors keyed by JSON pointer ("/name", "/approval/date").
  fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.pointer] = e.detail;
    return out;
  }
}

let csrf = sessionStorage.getItem('ucsc.csrf') ?? '';
export function setCsrf(token: string): void {
  csrf = token;
  sessionStorage.setItem('ucsc.csrf', token);
}

type Reauth = () => Promise<void>;
let reauth: Reauth | null = null;
// Installs the handler that shows the re-login dialog and resolves once signed in again.
export function onSessionExpired(f: Reauth | null): void {
  reauth = f;
}

// Requests failing together wait for one dialog.
let pending: Promise<void> | null = null;
function reauthOnce(): Promise<void> {
  if (!pending) pending = reauth!().finally(() => (pending = null));
  return pending;
}

export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface CallOptions {
  body?: unknown;
  etag?: string | null;
  query?: Record<string, string | number | undefined | null>;
  noReauth?: boolean;
}

export function buildUrl(path: string, query?: CallOptions['query']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return '/api/v1' + path + (s ? '?' + s : '');
}

async function parseProblem(res: Response): Promise<Problem> {
  try {
    return (await res.json()) as Problem;
  } catch {
    return { status: res.status, title: res.statusText };
  }
}

export async function call<T = unknown>(
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'Accept-Language': lang(), Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.etag) headers['If-Match'] = opts.etag;
  const res = await fetch(buildUrl(path, opts.query), {
    method,
    headers,
    credentials: 'same-origin',
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (res.status === 401 && !opts.noReauth && reauth) {
    await reauthOnce();
    return call<T>(method, path, { ...opts, noReauth: true });
  }
  if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
  const text = res.status === 204 ? '' : await res.text();
  return { data: (text ? JSON.parse(text) : null) as T, etag: res.headers.get('ETag'), status: res.status };
}

export const get = <T>(path: string, query?: CallOptions['query']) =>
  call<T>('GET', path, { query }).then((a) => a.data);

// Sends a file as the raw body with progress (XMLHttpRequest reports upload progress; fetch
// does not). onProgress gets 0..1.
export function upload<T>(
  path: string,
  file: File,
  onProgress: (fraction: number) => void,
  query?: CallOptions['query'],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl(path, query));
    xhr.setRequestHeader('Accept-Language', lang());
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = { title: xhr.statusText };
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
      } else if (xhr.status === 401 && reauth) {
        reauthOnce().then(() => upload<T>(path, file, onProgress, query).then(resolve, reject), reject);
      } else {
        reject(new ApiError(xhr.status, body as Problem));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, { title: 'network error' }));
    xhr.send(file);
  });
}
