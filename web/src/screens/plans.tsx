// Incident-response plans (issue 15): the plans of the systems in scope with their state
// (draft / submitted / approved, stale when the system changed) and completeness (R4); the
// editor of a plan's sections, saved under If-Match (a 412 keeps the user's text and shows the
// other version beside it); submit; the manager's approval or refusal, with the missing
// sections shown when the approval is refused.
import { useState } from 'preact/hooks';
import { ApiError, call, get } from '../api';
import { formatDate, formatDateTime } from '../format';
import { lang, t, type Key } from '../i18n';
import { canWrite } from '../rbac';
import { navigate } from '../router';
import { currentUser } from '../session';
import { Field, FormError, Loading, Page, Select, SubmitButton, TextField, useLoad, useSubmit } from '../components/ui';
import type { System } from './systems';

interface Localized {
  vi: string;
  en: string;
}
const loc = (x: Localized | undefined) => (x ? (lang() === 'vi' ? x.vi : x.en) : '');

interface Missing {
  section_id: string;
  title: Localized;
  reason: Localized;
}
export interface Plan {
  id: string;
  version: number;
  scope: 'system' | 'provincial';
  org_id: string;
  system_id: string;
  title: string;
  outline_id: string;
  state: 'draft' | 'submitted' | 'approved';
  sections: { id: string; text: string }[];
  submitted_at: string | null;
  approved_at: string | null;
  history: { from: string; to: string; actor: string; role: string; at: string; reason: string }[];
  updated_at: string;
  completeness: { complete: boolean; missing: Missing[] };
  status?: { kind: 'none' | 'draft' | 'approved_current' | 'stale'; stale: boolean; overdue: boolean; stale_since?: string; change_kind?: string; reapproval_due?: string };
}

const SECTION_IDS = ['scope', 'continuity', 'objectives', 'current_state', 'risks', 'scenarios', 'organisation', 'response', 'serious_incident', 'coordination', 'resources', 'training', 'implementation'];
// The server names the missing sections in both languages; the others by the catalogue.
function sectionTitle(plan: Plan, id: string): string {
  const m = plan.completeness.missing.find((x) => x.section_id === id);
  if (m) return loc(m.title);
  return SECTION_IDS.includes(id) ? t(('plansec.' + id) as Key) : id;
}

// draft / submitted / approved, or stale (an approved plan whose system changed since, R3).
export function PlanState({ plan }: { plan: Plan }) {
  const stale = plan.status?.stale;
  const shown = stale ? 'stale' : plan.state;
  const cls = shown === 'approved' ? 'ok' : shown === 'stale' ? 'overdue' : shown === 'submitted' ? 'due_soon' : 'not_applicable';
  return (
    <span class={'badge badge-' + cls} data-testid="plan-state" data-state={shown}>
      {t(('plan.state_' + shown) as Key)}
    </span>
  );
}

function Completeness({ plan }: { plan: Plan }) {
  const total = plan.sections.length;
  const missing = plan.completeness.missing.length;
  return plan.completeness.complete ? <span>{t('plan.complete')}</span> : <span>{t('plan.missing_n', { n: missing, total })}</span>;
}

export function PlanList() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const systemId = params.get('system_id') ?? '';
  const { data, error } = useLoad(async () => {
    const [plans, systems] = await Promise.all([
      get<{ items: Plan[] }>('/plans', { system_id: systemId || undefined }).then((x) => x.items),
      get<{ items: System[] }>('/systems', { limit: 200 }).then((x) => x.items),
    ]);
    return { plans, systems };
  }, [systemId]);
  const [newSystem, setNewSystem] = useState('');
  const [title, setTitle] = useState('');
  const create = useSubmit(
    async () => (await call<Plan>('POST', '/plans', { body: { system_id: newSystem || data?.systems.find((s) => !data.plans.some((p) => p.system_id === s.id))?.id || '', title } })).data,
    (p) => navigate('/plans/' + p.id),
  );
  if (!data) {
    return (
      <Page title={t('plan.list_title')}>
        <Loading error={error} />
      </Page>
    );
  }
  const sysName = (id: string) => data.systems.find((s) => s.id === id)?.name ?? id;
  const without = data.systems.filter((s) => !data.plans.some((p) => p.system_id === s.id));
  const writable = canWrite(user.role, 'plans');
  return (
    <Page title={t('plan.list_title')}>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('plan.list_title')}>
        <table data-testid="plans">
          <thead>
            <tr>
              <th scope="col">{t('common.system')}</th>
              <th scope="col">{t('plan.title')}</th>
              <th scope="col">{t('plan.version')}</th>
              <th scope="col">{t('plan.state')}</th>
              <th scope="col">{t('plan.completeness')}</th>
              <th scope="col">{t('common.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {data.plans.map((p) => (
              <tr data-system={p.system_id}>
                <td>{p.scope === 'provincial' ? t('plan.provincial') : <a href={'/systems/' + p.system_id}>{sysName(p.system_id)}</a>}</td>
                <td>
                  <a href={'/plans/' + p.id}>{p.title || t('plan.untitled')}</a>
                </td>
                <td>{p.version}</td>
                <td>
                  <PlanState plan={p} />
                </td>
                <td>
                  <Completeness plan={p} />
                </td>
                <td>{formatDateTime(p.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.plans.length === 0 && <p class="muted">{t('common.none')}</p>}
      {writable && without.length > 0 && (
        <form class="card form" onSubmit={create.submit} noValidate data-testid="plan-new">
          <h2>{t('plan.new')}</h2>
          <Select
            label={t('common.system')}
            name="system_id"
            value={newSystem || without[0].id}
            onChange={setNewSystem}
            error={create.fields['/system_id']}
            options={without.map((s): [string, string] => [s.id, `${s.name} (${t('system.level_n', { n: s.level })})`])}
          />
          <TextField label={t('plan.title')} name="plan_title" value={title} onInput={setTitle} error={create.fields['/title']} />
          <FormError error={create.error} />
          <SubmitButton busy={create.busy} label={t('plan.create')} />
        </form>
      )}
    </Page>
  );
}

export function PlanDetail({ id }: { id: string }) {
  const user = currentUser()!;
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [theirs, setTheirs] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState(false);
  const [saved, setSaved] = useState(false);
  const [refused, setRefused] = useState<Missing[] | null>(null);
  const [reason, setReason] = useState('');
  const [etag, setEtag] = useState<string | null>(null);
  const loaded = useLoad(async () => {
    const a = await call<Plan>('GET', '/plans/' + encodeURIComponent(id));
    setEtag(a.etag);
    setTexts(Object.fromEntries(a.data.sections.map((s) => [s.id, s.text])));
    const system = a.data.system_id ? await get<System>('/systems/' + encodeURIComponent(a.data.system_id)).catch(() => null) : null;
    return { plan: a.data, system };
  }, [id]);
  const plan = loaded.data?.plan;
  const take = (a: { data: Plan; etag: string | null }) => {
    setEtag(a.etag);
    loaded.setData({ plan: a.data, system: loaded.data?.system ?? null });
  };
  const save = useSubmit(
    async () => {
      const changed: Record<string, string> = {};
      for (const s of plan!.sections) if ((texts[s.id] ?? '') !== s.text) changed[s.id] = texts[s.id] ?? '';
      try {
        return await call<Plan>('PATCH', '/plans/' + encodeURIComponent(id), { body: { sections: changed }, etag });
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) setConflict(true);
        throw e;
      }
    },
    (a) => {
      setConflict(false);
      setTheirs({});
      setSaved(true);
      take(a);
    },
  );
  // After a 412: the other version and its ETag; the user's text stays in the editor and the
  // other text is shown under each section that differs, so the next save is a deliberate choice.
  const loadTheirs = async () => {
    const a = await call<Plan>('GET', '/plans/' + encodeURIComponent(id));
    const other: Record<string, string> = {};
    for (const s of a.data.sections) if (s.text !== (texts[s.id] ?? '')) other[s.id] = s.text;
    setTheirs(other);
    setConflict(false);
    save.setError('');
    take(a);
  };
  const submit = useSubmit(() => call<Plan>('POST', `/plans/${encodeURIComponent(id)}/submit`), take);
  const decide = (decision: 'approve' | 'reject') =>
    call<Plan>('POST', `/plan-approvals/${encodeURIComponent(id)}`, { body: decision === 'reject' ? { decision, reason } : { decision } });
  const approve = useSubmit(
    async () => {
      setRefused(null);
      try {
        return await decide('approve');
      } catch (e) {
        // R4: refused with the missing sections; show them from the plan as it is now.
        if (e instanceof ApiError && (e.status === 409 || e.status === 422) && e.problem.errors?.some((x) => x.pointer === '/sections')) {
          const a = await call<Plan>('GET', '/plans/' + encodeURIComponent(id));
          take(a);
          setRefused(a.data.completeness.missing);
        }
        throw e;
      }
    },
    take,
  );
  const reject = useSubmit(() => decide('reject'), (a) => {
    setReason('');
    take(a);
  });
  if (!plan) {
    return (
      <Page title={t('plan.detail_title')}>
        <Loading error={loaded.error} />
      </Page>
    );
  }
  const system = loaded.data!.system;
  const editable = canWrite(user.role, 'plans') && plan.state !== 'submitted';
  const mayDecide =
    plan.state === 'submitted' &&
    canWrite(user.role, 'plan_approvals') &&
    (plan.scope === 'provincial' ? user.role === 'coordinator' : user.role === 'org_manager' && user.org_id === plan.org_id);
  const missingIds = new Set(plan.completeness.missing.map((m) => m.section_id));
  return (
    <Page title={plan.title || t('plan.detail_title')} actions={<PlanState plan={plan} />}>
      <dl class="facts">
        <dt>{t('common.system')}</dt>
        <dd>{system ? <a href={'/systems/' + system.id}>{`${system.name} (${t('system.level_n', { n: system.level })})`}</a> : plan.scope === 'provincial' ? t('plan.provincial') : '—'}</dd>
        <dt>{t('plan.version')}</dt>
        <dd>{plan.version}</dd>
        <dt>{t('plan.completeness')}</dt>
        <dd data-testid="plan-completeness">
          <Completeness plan={plan} />
        </dd>
        {plan.approved_at && (
          <>
            <dt>{t('plan.approved_at')}</dt>
            <dd>{formatDateTime(plan.approved_at)}</dd>
          </>
        )}
        {plan.status?.stale && (
          <>
            <dt>{t('plan.stale_since')}</dt>
            <dd>
              {formatDateTime(plan.status.stale_since)}
              {plan.status.reapproval_due && ' — ' + t('plan.reapproval_due', { date: formatDate(plan.status.reapproval_due) })}
            </dd>
          </>
        )}
      </dl>
      {plan.state === 'approved' && editable && <p class="hint">{t('plan.edit_makes_version')}</p>}
      {plan.state === 'submitted' && <p class="notice">{t('plan.submitted_note')}</p>}
      <form class="form" onSubmit={save.submit} noValidate data-testid="plan-editor">
        {plan.sections.map((s) => (
          <section class="card" data-section={s.id}>
            <Field label={sectionTitle(plan, s.id)} error={save.fields['/sections/' + s.id]} hint={missingIds.has(s.id) ? loc(plan.completeness.missing.find((m) => m.section_id === s.id)!.reason) : undefined}>
              {(fid, described, invalid) => (
                <textarea
                  id={fid}
                  name={'section_' + s.id}
                  rows={4}
                  readOnly={!editable}
                  aria-invalid={invalid}
                  aria-describedby={described}
                  value={texts[s.id] ?? ''}
                  onInput={(e) => {
                    setSaved(false);
                    const v = (e.target as HTMLTextAreaElement).value;
                    setTexts((x) => ({ ...x, [s.id]: v }));
                  }}
                />
              )}
            </Field>
            {theirs[s.id] !== undefined && (
              <div class="notice" data-testid="their-text">
                <strong>{t('plan.their_text')}</strong>
                <p class="pre">{theirs[s.id] || '—'}</p>
              </div>
            )}
          </section>
        ))}
        {conflict && (
          <div class="form-error" role="alert" data-testid="plan-conflict">
            {t('plan.conflict')}{' '}
            <button type="button" onClick={() => void loadTheirs()}>
              {t('plan.load_theirs')}
            </button>
          </div>
        )}
        {!conflict && <FormError error={save.error} />}
        {saved && (
          <p class="notice" role="status" data-testid="plan-saved">
            {t('plan.saved')}
          </p>
        )}
        {editable && (
          <div class="row">
            <SubmitButton busy={save.busy} label={t('plan.save')} />
          </div>
        )}
      </form>
      {canWrite(user.role, 'plans') && plan.state === 'draft' && (
        <form class="card" onSubmit={submit.submit}>
          <p class="hint">{t('plan.submit_hint')}</p>
          <FormError error={Object.keys(submit.fields).length ? Object.values(submit.fields).join(' ') : submit.error} />
          <SubmitButton busy={submit.busy} label={t('plan.submit')} />
        </form>
      )}
      {mayDecide && (
        <section class="card" aria-labelledby="decide-title" data-testid="plan-decision">
          <h2 id="decide-title">{t('plan.decision')}</h2>
          <form onSubmit={approve.submit} class="row">
            <SubmitButton busy={approve.busy} label={t('plan.approve')} />
          </form>
          {refused && (
            <div class="form-error" role="alert" data-testid="plan-refused">
              {t('plan.refused_missing')}
              <ul>
                {refused.map((m) => (
                  <li data-section={m.section_id}>{loc(m.reason)}</li>
                ))}
              </ul>
            </div>
          )}
          {!refused && <FormError error={approve.error} />}
          <form onSubmit={reject.submit} noValidate class="inline-form">
            <TextField label={t('plan.reject_reason')} name="reject_reason" value={reason} onInput={setReason} error={reject.fields['/reason']} />
            <FormError error={reject.error} />
            <SubmitButton busy={reject.busy} label={t('plan.reject')} />
          </form>
        </section>
      )}
      {plan.history.length > 0 && (
        <section class="card" aria-labelledby="hist-title">
          <h2 id="hist-title">{t('plan.history')}</h2>
          <ol class="runs">
            {plan.history.map((h) => (
              <li>
                <strong>{formatDateTime(h.at)}</strong> — {t(('plan.state_' + h.from) as Key)} → {t(('plan.state_' + h.to) as Key)} · {t(('role.' + h.role) as Key)}
                {h.reason && ` (${h.reason})`}
              </li>
            ))}
          </ol>
        </section>
      )}
    </Page>
  );
}
