// Small shared pieces: labelled fields that show the server's field error beside the field,
// a submit guard (one request per submit, however often the button is clicked), loading and
// error states, status badges.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { t, type Key } from '../i18n';
import { translateDetail } from '../i18n/server';

let idCounter = 0;
export function useId(prefix = 'f'): string {
  const ref = useRef<string>('');
  if (!ref.current) ref.current = `${prefix}-${++idCounter}`;
  return ref.current;
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined, invalid: boolean) => JSX.Element;
}
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const errId = error ? id + '-err' : undefined;
  const hintId = hint ? id + '-hint' : undefined;
  const described = [errId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={'field' + (error ? ' field-invalid' : '')}>
      <label for={id}>{label}</label>
      {children(id, described, !!error)}
      {hint && (
        <div class="hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div class="field-error" id={errId} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  name?: string;
  inputMode?: 'numeric' | 'text';
  placeholder?: string;
}
export function TextField(p: TextFieldProps) {
  return (
    <Field label={p.label} error={p.error} hint={p.hint}>
      {(id, described, invalid) => (
        <input
          id={id}
          name={p.name}
          type={p.type ?? 'text'}
          value={p.value}
          required={p.required}
          autoComplete={p.autoComplete}
          inputMode={p.inputMode}
          placeholder={p.placeholder}
          aria-invalid={invalid}
          aria-describedby={described}
          onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

export function TextArea(p: { label: string; value: string; onInput: (v: string) => void; error?: string; name?: string }) {
  return (
    <Field label={p.label} error={p.error}>
      {(id, described, invalid) => (
        <textarea
          id={id}
          name={p.name}
          rows={3}
          value={p.value}
          aria-invalid={invalid}
          aria-describedby={described}
          onInput={(e) => p.onInput((e.target as HTMLTextAreaElement).value)}
        />
      )}
    </Field>
  );
}

export function Select(p: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
  error?: string;
  name?: string;
}) {
  return (
    <Field label={p.label} error={p.error}>
      {(id, described, invalid) => (
        <select
          id={id}
          name={p.name}
          value={p.value}
          aria-invalid={invalid}
          aria-describedby={described}
          onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}
        >
          {p.options.map(([v, l]) => (
            <option value={v}>{l}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

// Runs `action` for a form submit; while it runs, further submits are ignored (a double click
// creates one object). Field errors from an RFC 7807 answer land in `fields` by JSON pointer.
export function useSubmit<T>(action: () => Promise<T>, onDone?: (v: T) => void) {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>('');
  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError('');
    setFields({});
    try {
      const v = await action();
      onDone?.(v);
    } catch (err) {
      if (err instanceof ApiError) {
        const f = err.fields();
        for (const k of Object.keys(f)) f[k] = translateDetail(f[k]);
        setFields(f);
        setError(Object.keys(f).length ? t('form.fix_fields') : errorText(err));
      } else {
        setError(String(err));
      }
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { submit, busy, fields, error, setError };
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 404) return t('error.not_found');
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 412) return t('error.stale');
    const p = err.problem;
    return [p.title, p.detail && translateDetail(p.detail)].filter(Boolean).join(': ') || t('error.generic');
  }
  return String(err);
}

export function FormError({ error }: { error: string }) {
  if (!error) return null;
  return (
    <div class="form-error" role="alert">
      {error}
    </div>
  );
}

export function SubmitButton({ busy, label }: { busy: boolean; label: string }) {
  return (
    <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
      {busy ? t('form.saving') : label}
    </button>
  );
}

// Loads data with `load` whenever a dependency changes; shows loading / error states.
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (d) => live && setData(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((x) => x + 1), setData };
}

export function Loading({ error, children }: { error: unknown; children?: ComponentChildren }) {
  if (error) {
    return (
      <div class="form-error" role="alert">
        {errorText(error)}
      </div>
    );
  }
  return (
    <p class="muted" aria-live="polite">
      {children ?? t('common.loading')}
    </p>
  );
}

export function StateBadge({ state }: { state: string }) {
  const keys: Record<string, Key> = {
    ok: 'status.ok',
    due_soon: 'status.due_soon',
    overdue: 'status.overdue',
    not_applicable: 'status.not_applicable',
  };
  return <span class={'badge badge-' + state}>{keys[state] ? t(keys[state]) : state}</span>;
}

export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  useEffect(() => {
    document.title = title + ' — ucsc';
  }, [title]);
  return (
    <section class="page">
      <div class="page-head">
        <h1 tabIndex={-1} id="page-title">
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Progress({ value, label }: { value: number; label: string }) {
  return (
    <div class="progress-wrap">
      <progress max={100} value={Math.round(value * 100)} aria-label={label} />
      <span>{Math.round(value * 100)}%</span>
    </div>
  );
}

// A date typed as dd/mm/yyyy (house style, whatever the browser's locale); the caller converts
// with parseDate(). withTime: "dd/mm/yyyy HH:mm" in Vietnam time (parseDateTime()).
export function DateField(p: Omit<TextFieldProps, 'type' | 'placeholder' | 'hint'> & { withTime?: boolean }) {
  const pattern = p.withTime ? t('date.pattern_time') : t('date.pattern');
  return <TextField {...p} placeholder={pattern} hint={t('date.hint', { pattern })} autoComplete="off" />;
}
