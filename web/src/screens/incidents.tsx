// Incidents (issue 14): the list with filters and keyset paging, the report form (DOMAIN.md A
// fields, the server's field errors beside each field), and the case page: R14 classification
// criterion by criterion, the workflow step with its checklist and the allowed transitions, the
// timeline, observables (add, defanged display, seen in other incidents) and the legal clocks.
import { useRef, useState } from 'preact/hooks';
import { call, get } from '../api';
import { formatDateTime, parseDateTime } from '../format';
import { lang, t, type Key } from '../i18n';
import { canWrite } from '../rbac';
import { navigate } from '../router';
import { currentUser } from '../session';
import { allOrgs } from '../orgs';
import { DateField, FormError, Loading, Page, Select, SubmitButton, TextArea, TextField, errorText, useLoad, useSubmit } from '../components/ui';
import { itemKey, stepKey, WORKFLOWS, type Process } from '../incident/workflow';
import { HARMS, INCIDENT_TYPES, OBSERVABLE_TYPES } from '../incident/enums';
import type { System } from './systems';

interface Localized {
  vi: string;
  en: string;
}
const loc = (x: Localized | undefined) => (x ? (lang() === 'vi' ? x.vi : x.en) : '');

interface Criterion {
  id: string;
  title: Localized;
  outcome: 'met' | 'not_met' | 'unknown';
  reason: Localized;
}
interface TimelineEvent {
  kind: string;
  at: string;
  ref: string;
  actor: string;
  detail: string;
}
export interface Incident {
  id: string;
  org_id: string;
  title: string;
  description: string;
  type: string;
  detected_at: string;
  reported_at?: string;
  affected_systems: { system_id?: string; name?: string; address?: string; level?: number }[];
  harms: string[];
  capacity: string;
  state: 'open' | 'response_ended' | 'closed';
  process: Process;
  step: number;
  checklist_done: string[];
  reopen_count: number;
  version: number;
  created_at: string;
  notification?: { reporter?: { name?: string }; operator_name?: string; handling_result?: string };
  classification: { outcome: 'normal' | 'possibly_serious' | 'serious'; process: Process; criteria: Criterion[]; summary: Localized };
  allowed_actions: string[];
  timeline?: TimelineEvent[];
}
interface Clock {
  clock_id: string;
  rule: string;
  title: Localized;
  basis: string;
  state: 'not_started' | 'running' | 'satisfied' | 'overdue';
  late: boolean;
  started_at: string | null;
  due_at: string | null;
  satisfied_at: string | null;
}
interface StoredObservable {
  id: string;
  type: string;
  value: string;
  defanged: string;
  comment: string;
  created_at: string;
  seen_in_incidents: { incident_id: string; title: string }[];
}

export function SeriousBadge({ outcome }: { outcome: string }) {
  const cls = outcome === 'serious' ? 'overdue' : outcome === 'possibly_serious' ? 'due_soon' : 'ok';
  return <span class={'badge badge-' + cls}>{t(('incident.outcome_' + outcome) as Key)}</span>;
}

function StateText({ inc }: { inc: Incident }) {
  return (
    <>
      {t(('incident.state_' + inc.state) as Key)} · {t('incident.step_of', { n: inc.step, total: WORKFLOWS[inc.process].length })}
    </>
  );
}

export function IncidentList() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const filter = {
    state: params.get('state') ?? '',
    serious: params.get('serious') ?? '',
    org_id: params.get('org_id') ?? '',
    type: params.get('type') ?? '',
  };
  const setFilter = (k: string, v: string) => {
    const q = new URLSearchParams({ ...filter, [k]: v });
    for (const [key, val] of [...q.entries()]) if (!val) q.delete(key);
    const s = q.toString();
    navigate('/incidents' + (s ? '?' + s : ''), true);
  };
  const key = JSON.stringify(filter);
  const [extra, setExtra] = useState<Incident[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const [moreError, setMoreError] = useState('');
  const query = { state: filter.state || undefined, serious: filter.serious || undefined, org_id: filter.org_id || undefined, type: filter.type || undefined, limit: 25 };
  const first = useLoad(async () => {
    setExtra([]);
    const p = await get<{ items: Incident[]; next_after: string | null }>('/incidents', query);
    setAfter(p.next_after);
    return p.items;
  }, [key]);
  const orgs = useLoad(allOrgs, []);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? '';
  const more = async () => {
    if (!after) return;
    setMoreError('');
    try {
      const p = await get<{ items: Incident[]; next_after: string | null }>('/incidents', { ...query, after });
      setExtra((x) => [...x, ...p.items]);
      setAfter(p.next_after);
    } catch (e) {
      setMoreError(errorText(e));
    }
  };
  const items = first.data ? [...first.data, ...extra] : null;
  return (
    <Page
      title={t('incident.list_title')}
      actions={
        canWrite(user.role, 'incidents') && (
          <a class="button primary" href="/incidents/new">
            {t('incident.report')}
          </a>
        )
      }
    >
      <div class="filters" role="search" aria-label={t('incident.filters')}>
        <Select
          label={t('incident.state')}
          name="state"
          value={filter.state}
          onChange={(v) => setFilter('state', v)}
          options={[['', t('common.all')], ...(['open', 'response_ended', 'closed'].map((s): [string, string] => [s, t(('incident.state_' + s) as Key)]))]}
        />
        <Select
          label={t('incident.seriousness')}
          name="serious"
          value={filter.serious}
          onChange={(v) => setFilter('serious', v)}
          options={[
            ['', t('common.all')],
            ['true', t('incident.serious_only')],
            ['false', t('incident.normal_only')],
          ]}
        />
        <Select
          label={t('incident.type')}
          name="type"
          value={filter.type}
          onChange={(v) => setFilter('type', v)}
          options={[['', t('common.all')], ...INCIDENT_TYPES.map((x): [string, string] => [x, t(('itype.' + x) as Key)])]}
        />
        {(orgs.data?.length ?? 0) > 1 && (
          <Select
            label={t('common.organisation')}
            name="org_id"
            value={filter.org_id}
            onChange={(v) => setFilter('org_id', v)}
            options={[['', t('common.all')], ...(orgs.data ?? []).map((o): [string, string] => [o.id, o.name])]}
          />
        )}
      </div>
      {!items ? (
        <Loading error={first.error} />
      ) : (
        <>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={t('incident.list_title')}>
            <table data-testid="incidents">
              <thead>
                <tr>
                  <th scope="col">{t('incident.title')}</th>
                  <th scope="col">{t('incident.type')}</th>
                  <th scope="col">{t('common.organisation')}</th>
                  <th scope="col">{t('incident.detected_at')}</th>
                  <th scope="col">{t('incident.seriousness')}</th>
                  <th scope="col">{t('incident.state')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr>
                    <td>
                      <a href={'/incidents/' + i.id}>{i.title}</a>
                    </td>
                    <td>{t(('itype.' + i.type) as Key)}</td>
                    <td>{orgName(i.org_id)}</td>
                    <td>{formatDateTime(i.detected_at)}</td>
                    <td>
                      <SeriousBadge outcome={i.classification.outcome} />
                    </td>
                    <td>
                      <StateText inc={i} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {items.length === 0 && <p class="muted">{t('common.none')}</p>}
          <FormError error={moreError} />
          {after && (
            <button type="button" onClick={more}>
              {t('common.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}

// DOMAIN.md A (the notification): reporter, system, operator, owner, description, detection
// date and time, initial handling result, recommendations, other information; plus the type, the
// harms and the capacity that drive the R14 classification.
export function IncidentForm() {
  const user = currentUser()!;
  const [form, setForm] = useState<Record<string, string>>({ type: 'malware', capacity: 'unknown', system_id: '' });
  const [harms, setHarms] = useState<string[]>([]);
  const loaded = useLoad(async () => {
    const [orgs, systems] = await Promise.all([allOrgs(), get<{ items: System[] }>('/systems', { limit: 200 }).then((x) => x.items)]);
    const mine = orgs.find((o) => o.id === user.org_id);
    setForm((f) => ({
      ...f,
      org_id: user.org_id,
      reporter_name: mine?.name ?? '',
      reporter_address: (mine as { address?: string } | undefined)?.address ?? '',
      operator_name: mine?.name ?? '',
      system_id: systems.find((s) => s.owner_org_id === user.org_id)?.id ?? '',
    }));
    return { orgs, systems };
  }, []);
  const set = (k: string) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const s = useSubmit(
    async () => {
      const affected: Record<string, unknown>[] = [];
      if (form.system_id) affected.push({ system_id: form.system_id });
      if ((form.other_system ?? '').trim()) affected.push({ name: form.other_system.trim() });
      const body = {
        org_id: form.org_id || undefined,
        title: form.title ?? '',
        description: form.description ?? '',
        type: form.type,
        detected_at: parseDateTime(form.detected_at ?? ''),
        affected_systems: affected,
        harms,
        capacity: form.capacity,
        notification: {
          reporter: { name: form.reporter_name ?? '', address: form.reporter_address ?? '', phone: form.reporter_phone ?? '', email: form.reporter_email ?? '' },
          operator_name: form.operator_name ?? '',
          owner_name: form.owner_name ?? '',
          handling_result: form.handling_result ?? '',
          recommendations: form.recommendations ?? '',
          other_information: form.other_information ?? '',
        },
      };
      return (await call<Incident>('POST', '/incidents', { body })).data;
    },
    (inc) => navigate('/incidents/' + inc.id),
  );
  if (!loaded.data) {
    return (
      <Page title={t('incident.report')}>
        <Loading error={loaded.error} />
      </Page>
    );
  }
  const f = s.fields;
  const sysError = f['/affected_systems'] ?? Object.entries(f).find(([k]) => k.startsWith('/affected_systems/'))?.[1];
  const orgsInScope = loaded.data.orgs;
  return (
    <Page title={t('incident.report')}>
      <form class="form card" onSubmit={s.submit} noValidate data-testid="incident-form">
        <p class="hint">{t('incident.form_explain')}</p>
        {orgsInScope.length > 1 && (
          <Select label={t('common.organisation')} name="org_id" value={form.org_id ?? ''} onChange={set('org_id')} error={f['/org_id']} options={orgsInScope.map((o): [string, string] => [o.id, o.name])} />
        )}
        <TextField label={t('incident.title')} name="title" value={form.title ?? ''} onInput={set('title')} error={f['/title']} required />
        <Select label={t('incident.type')} name="type" value={form.type} onChange={set('type')} error={f['/type']} options={INCIDENT_TYPES.map((x): [string, string] => [x, t(('itype.' + x) as Key)])} />
        <TextArea label={t('incident.description')} name="description" value={form.description ?? ''} onInput={set('description')} error={f['/description']} />
        <DateField label={t('incident.detected_at')} name="detected_at" withTime value={form.detected_at ?? ''} onInput={set('detected_at')} error={f['/detected_at']} />
        <fieldset>
          <legend>{t('incident.affected')}</legend>
          <Select
            label={t('incident.system')}
            name="system_id"
            value={form.system_id ?? ''}
            onChange={set('system_id')}
            error={sysError}
            options={[['', t('incident.system_none')], ...loaded.data.systems.map((x): [string, string] => [x.id, `${x.name} (${t('system.level_n', { n: x.level })})`])]}
          />
          <TextField label={t('incident.other_system')} name="other_system" value={form.other_system ?? ''} onInput={set('other_system')} hint={t('incident.other_system_hint')} />
          <TextField label={t('incident.operator_name')} name="operator_name" value={form.operator_name ?? ''} onInput={set('operator_name')} error={f['/notification/operator_name']} />
          <TextField label={t('incident.owner_name')} name="owner_name" value={form.owner_name ?? ''} onInput={set('owner_name')} error={f['/notification/owner_name']} />
        </fieldset>
        <fieldset>
          <legend>{t('incident.reporter')}</legend>
          <TextField label={t('incident.reporter_name')} name="reporter_name" value={form.reporter_name ?? ''} onInput={set('reporter_name')} error={f['/notification/reporter/name']} />
          <TextField label={t('incident.reporter_address')} name="reporter_address" value={form.reporter_address ?? ''} onInput={set('reporter_address')} error={f['/notification/reporter/address']} />
          <TextField label={t('org.phone')} name="reporter_phone" value={form.reporter_phone ?? ''} onInput={set('reporter_phone')} error={f['/notification/reporter/phone']} />
          <TextField label={t('org.email')} name="reporter_email" type="email" value={form.reporter_email ?? ''} onInput={set('reporter_email')} error={f['/notification/reporter/email']} />
        </fieldset>
        <TextArea label={t('incident.handling_result')} name="handling_result" value={form.handling_result ?? ''} onInput={set('handling_result')} error={f['/notification/handling_result']} />
        <TextArea label={t('incident.recommendations')} name="recommendations" value={form.recommendations ?? ''} onInput={set('recommendations')} error={f['/notification/recommendations']} />
        <TextArea label={t('incident.other_information')} name="other_information" value={form.other_information ?? ''} onInput={set('other_information')} error={f['/notification/other_information']} />
        <fieldset>
          <legend>{t('incident.classification_inputs')}</legend>
          <div class="checks" role="group" aria-label={t('incident.harms')}>
            {HARMS.map((h) => (
              <label class="check">
                <input
                  type="checkbox"
                  name={'harm_' + h}
                  checked={harms.includes(h)}
                  onChange={(e) => {
                    const on = (e.target as HTMLInputElement).checked;
                    setHarms((x) => (on ? [...x, h] : x.filter((y) => y !== h)));
                  }}
                />{' '}
                {t(('harm.' + h) as Key)}
              </label>
            ))}
            {f['/harms'] && <div class="field-error" role="alert">{f['/harms']}</div>}
          </div>
          <Select
            label={t('incident.capacity')}
            name="capacity"
            value={form.capacity}
            onChange={set('capacity')}
            error={f['/capacity']}
            options={['unknown', 'within_capacity', 'beyond_capacity'].map((c): [string, string] => [c, t(('capacity.' + c) as Key)])}
          />
        </fieldset>
        <FormError error={s.error} />
        <div class="row">
          <SubmitButton busy={s.busy} label={t('incident.report_submit')} />
          <a class="button" href="/incidents">
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </Page>
  );
}

// "3 ngày 4 giờ" until (or since) the due time.
export function remaining(dueIso: string, now = Date.now()): { late: boolean; text: string } {
  const ms = new Date(dueIso).getTime() - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86400e3);
  const hours = Math.floor((abs % 86400e3) / 3600e3);
  const minutes = Math.floor((abs % 3600e3) / 60e3);
  const text = days > 0 ? t('time.days_hours', { d: days, h: hours }) : hours > 0 ? t('time.hours_minutes', { h: hours, m: minutes }) : t('time.minutes', { m: minutes });
  return { late: ms < 0, text };
}

function ClockTable({ clocks }: { clocks: Clock[] }) {
  if (!clocks.length) return <p class="muted">{t('common.none')}</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t('incident.clocks')}>
      <table data-testid="clocks">
        <thead>
          <tr>
            <th scope="col">{t('compliance.rule')}</th>
            <th scope="col">{t('clock.title')}</th>
            <th scope="col">{t('clock.due')}</th>
            <th scope="col">{t('compliance.state')}</th>
            <th scope="col">{t('clock.remaining')}</th>
          </tr>
        </thead>
        <tbody>
          {clocks.map((c) => {
            // met / late / running, as the legal deadline sees it.
            const shown = c.state === 'satisfied' ? (c.late ? 'late' : 'met') : c.state === 'overdue' ? 'late' : c.state;
            const badge = shown === 'met' ? 'ok' : shown === 'late' ? 'overdue' : shown === 'running' ? 'due_soon' : 'not_applicable';
            const rem = c.due_at && c.state === 'running' ? remaining(c.due_at) : c.due_at && c.state === 'overdue' ? remaining(c.due_at) : null;
            return (
              <tr data-clock={c.clock_id} data-state={shown}>
                <td>
                  <strong>{c.rule}</strong>
                </td>
                <td>
                  {loc(c.title)}
                  <div class="hint">{c.basis}</div>
                </td>
                <td>{c.due_at ? formatDateTime(c.due_at) : '—'}</td>
                <td>
                  <span class={'badge badge-' + badge}>{t(('clock.state_' + shown) as Key)}</span>
                  {c.satisfied_at && <div class="hint">{t('clock.satisfied_at', { at: formatDateTime(c.satisfied_at) })}</div>}
                </td>
                <td>{rem ? (rem.late ? t('clock.late_by', { text: rem.text }) : t('clock.left', { text: rem.text })) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Workflow({ inc, writable, onChange }: { inc: Incident; writable: boolean; onChange: (i: Incident) => void }) {
  const steps = WORKFLOWS[inc.process];
  const step = steps[inc.step - 1];
  const [reason, setReason] = useState('');
  const [toStep, setToStep] = useState('1');
  const pendingRef = useRef<{ action: string; item?: string }>({ action: '' });
  const s = useSubmit(
    async () => {
      const pending = pendingRef.current;
      const body: Record<string, unknown> = { action: pending.action };
      if (pending.item) body.item = pending.item;
      if (pending.action === 'reopen') {
        body.reason = reason;
        body.to_step = Number(toStep);
      }
      if (pending.action === 'change_process') {
        body.reason = reason;
        body.process = inc.process === 'normal' ? 'serious' : 'normal';
      }
      return (await call<Incident>('POST', `/incidents/${inc.id}/transitions`, { body })).data;
    },
    (next) => {
      setReason('');
      onChange(next);
    },
  );
  // One guarded submit for every button: the command is set, then sent once.
  const act = (action: string, item?: string) => (e: Event) => {
    pendingRef.current = { action, item };
    void s.submit(e);
  };
  const allowed = (a: string) => writable && inc.allowed_actions.includes(a);
  const needsReason = allowed('reopen') || allowed('change_process');
  return (
    <section class="card" aria-labelledby="wf-title" data-testid="workflow">
      <h2 id="wf-title">{t('incident.workflow')}</h2>
      <p>
        <strong>{t(('incident.process_' + inc.process) as Key)}</strong> — <StateText inc={inc} />
      </p>
      <ol class="steps">
        {steps.map((st) => (
          <li class={st.n === inc.step ? 'current' : st.n < inc.step ? 'done' : ''} aria-current={st.n === inc.step ? 'step' : undefined}>
            {t(stepKey(inc.process, st.n))}
          </li>
        ))}
      </ol>
      {inc.state !== 'closed' && step && (
        <>
          <h3>{t('incident.checklist', { n: step.n })}</h3>
          <ul class="checklist" data-testid="checklist">
            {step.items.map((it) => {
              const done = inc.checklist_done.includes(it.id);
              return (
                <li data-item={it.id} class={done ? 'done' : ''}>
                  <span>
                    {done ? '✓ ' : ''}
                    {it.id} {t(itemKey(inc.process, it.id))}
                    {!it.required && <span class="hint"> ({t('incident.optional')})</span>}
                  </span>{' '}
                  {!done && allowed('check_item') && (
                    <button type="button" disabled={s.busy} onClick={act('check_item', it.id)}>
                      {t('incident.mark_done')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <form class="row" onSubmit={(e) => e.preventDefault()}>
        {needsReason && (
          <TextField label={t('incident.reason')} name="reason" value={reason} onInput={setReason} error={s.fields['/reason']} />
        )}
        {allowed('reopen') && (
          <Select
            label={t('incident.reopen_at')}
            name="to_step"
            value={toStep}
            onChange={setToStep}
            error={s.fields['/to_step']}
            options={steps.slice(0, inc.process === 'serious' ? 5 : 3).map((st): [string, string] => [String(st.n), t(stepKey(inc.process, st.n))])}
          />
        )}
      </form>
      <div class="row" data-testid="transitions">
        {allowed('complete_step') && (
          <button type="button" class="primary" disabled={s.busy} onClick={act('complete_step')}>
            {t('incident.complete_step', { n: inc.step })}
          </button>
        )}
        {allowed('close') && (
          <button type="button" class="primary" disabled={s.busy} onClick={act('close')}>
            {t('incident.close')}
          </button>
        )}
        {allowed('reopen') && (
          <button type="button" disabled={s.busy} onClick={act('reopen')}>
            {t('incident.reopen')}
          </button>
        )}
        {allowed('change_process') && (
          <button type="button" disabled={s.busy} onClick={act('change_process')}>
            {inc.process === 'normal' ? t('incident.escalate') : t('incident.deescalate')}
          </button>
        )}
      </div>
      {writable && !inc.allowed_actions.includes('complete_step') && !inc.allowed_actions.includes('close') && inc.state !== 'closed' && (
        <p class="hint">{inc.step === steps.length ? t('incident.close_needs') : t('incident.items_needed')}</p>
      )}
      <FormError error={Object.keys(s.fields).length ? Object.entries(s.fields).filter(([k]) => k !== '/reason' && k !== '/to_step').map(([, v]) => v).join(' ') : s.error} />
    </section>
  );
}

function Observables({ inc, writable }: { inc: Incident; writable: boolean }) {
  const list = useLoad(() => get<{ items: StoredObservable[] }>(`/incidents/${inc.id}/observables`).then((x) => x.items), [inc.id]);
  const [type, setType] = useState('ip');
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const s = useSubmit(
    () => call('POST', `/incidents/${inc.id}/observables`, { body: { observables: [{ type, value, comment }] } }),
    () => {
      setValue('');
      setComment('');
      list.reload();
    },
  );
  const f = s.fields;
  return (
    <section class="card" aria-labelledby="obs-title">
      <h2 id="obs-title">{t('incident.observables')}</h2>
      {!list.data ? (
        <Loading error={list.error} />
      ) : list.data.length === 0 ? (
        <p class="muted">{t('common.none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('incident.observables')}>
          <table data-testid="observables">
            <thead>
              <tr>
                <th scope="col">{t('observable.type')}</th>
                <th scope="col">{t('observable.value')}</th>
                <th scope="col">{t('observable.comment')}</th>
                <th scope="col">{t('observable.seen_in')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((o) => (
                <tr>
                  <td>{t(('otype.' + o.type) as Key)}</td>
                  <td>
                    <code class="break">{o.defanged}</code>
                  </td>
                  <td>{o.comment}</td>
                  <td>
                    {o.seen_in_incidents.length
                      ? o.seen_in_incidents.map((x, i) => (
                          <>
                            {i > 0 && ', '}
                            <a href={'/incidents/' + x.incident_id}>{x.title}</a>
                          </>
                        ))
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {writable && inc.state !== 'closed' && (
        <form class="inline-form" onSubmit={s.submit} noValidate data-testid="observable-form">
          <Select label={t('observable.type')} name="obs_type" value={type} onChange={setType} error={f['/observables/0/type']} options={OBSERVABLE_TYPES.map((x): [string, string] => [x, t(('otype.' + x) as Key)])} />
          <TextField label={t('observable.value')} name="obs_value" value={value} onInput={setValue} error={f['/observables/0/value'] ?? f['/observables']} hint={t('observable.hint')} />
          <TextField label={t('observable.comment')} name="obs_comment" value={comment} onInput={setComment} error={f['/observables/0/comment']} />
          <FormError error={s.error} />
          <SubmitButton busy={s.busy} label={t('observable.add')} />
        </form>
      )}
    </section>
  );
}

export function IncidentDetail({ id }: { id: string }) {
  const user = currentUser()!;
  const writable = canWrite(user.role, 'incidents');
  const { data, error, setData } = useLoad(async () => {
    const [inc, clocks, orgs] = await Promise.all([
      get<Incident>('/incidents/' + encodeURIComponent(id)),
      get<{ items: Clock[] }>(`/incidents/${encodeURIComponent(id)}/clocks`).then((x) => x.items),
      allOrgs(),
    ]);
    return { inc, clocks, orgs };
  }, [id]);
  if (!data) {
    return (
      <Page title={t('incident.detail_title')}>
        <Loading error={error} />
      </Page>
    );
  }
  const { inc, clocks, orgs } = data;
  // A transition answers the incident without its timeline or clocks: load both again.
  const refresh = async () => {
    const [next, nextClocks] = await Promise.all([
      get<Incident>('/incidents/' + encodeURIComponent(id)),
      get<{ items: Clock[] }>(`/incidents/${encodeURIComponent(id)}/clocks`).then((x) => x.items),
    ]);
    setData({ inc: next, clocks: nextClocks, orgs });
  };
  const cls = inc.classification;
  return (
    <Page title={inc.title}>
      <dl class="facts">
        <dt>{t('common.organisation')}</dt>
        <dd>{orgs.find((o) => o.id === inc.org_id)?.name ?? '—'}</dd>
        <dt>{t('incident.type')}</dt>
        <dd>{t(('itype.' + inc.type) as Key)}</dd>
        <dt>{t('incident.detected_at')}</dt>
        <dd>{formatDateTime(inc.detected_at)}</dd>
        <dt>{t('incident.affected')}</dt>
        <dd>
          {inc.affected_systems.length
            ? inc.affected_systems.map((s, i) => (
                <>
                  {i > 0 && '; '}
                  {s.system_id ? <a href={'/systems/' + s.system_id}>{s.name || s.system_id}</a> : s.name || s.address}
                  {s.level ? ` (${t('system.level_n', { n: s.level })})` : ''}
                </>
              ))
            : '—'}
        </dd>
        <dt>{t('incident.state')}</dt>
        <dd data-testid="incident-state">
          <StateText inc={inc} />
        </dd>
        {inc.reopen_count > 0 && (
          <>
            <dt>{t('incident.reopened_times')}</dt>
            <dd>{inc.reopen_count}</dd>
          </>
        )}
      </dl>
      <p class="pre">{inc.description}</p>
      <section class="card" aria-labelledby="clock-title">
        <h2 id="clock-title">{t('incident.clocks')}</h2>
        <p class="hint">{t('incident.clocks_hint')}</p>
        <ClockTable clocks={clocks} />
      </section>
      <Workflow inc={inc} writable={writable} onChange={() => void refresh()} />
      <section class="card" aria-labelledby="cls-title" data-testid="classification">
        <h2 id="cls-title">
          {t('incident.classification')} <SeriousBadge outcome={cls.outcome} />
        </h2>
        <p>{loc(cls.summary)}</p>
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('incident.classification')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('incident.criterion')}</th>
                <th scope="col">{t('incident.criterion_outcome')}</th>
                <th scope="col">{t('incident.criterion_reason')}</th>
              </tr>
            </thead>
            <tbody>
              {cls.criteria.map((c) => (
                <tr data-criterion={c.id}>
                  <td>
                    <strong>{c.id}</strong> {loc(c.title)}
                  </td>
                  <td>
                    <span class={'badge badge-' + (c.outcome === 'met' ? 'overdue' : c.outcome === 'not_met' ? 'ok' : 'not_applicable')}>{t(('criterion.' + c.outcome) as Key)}</span>
                  </td>
                  <td>{loc(c.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <Observables inc={inc} writable={writable} />
      <section class="card" aria-labelledby="tl-title">
        <h2 id="tl-title">{t('incident.timeline')}</h2>
        <ol class="runs" data-testid="timeline">
          {(inc.timeline ?? []).map((e) => (
            <li>
              <strong>{formatDateTime(e.at)}</strong> — {t(('event.' + e.kind) as Key)}
              {e.kind === 'checklist_item_done' && e.ref ? ` ${e.ref}` : ''}
              {e.kind === 'step_completed' && e.ref ? ` ${t('incident.step_n', { n: e.ref })}` : ''}
              {e.detail && e.kind !== 'possibly_serious' ? ` (${e.detail})` : ''}
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}
