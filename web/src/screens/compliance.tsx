// Compliance status per organisation and system, with the actions the role may take: submit
// evidence (drag and drop, upload progress), and for the coordinator urging, inspections and
// the review of evidence.
import { useRef, useState } from 'preact/hooks';
import { call, get, upload } from '../api';
import { formatDate, formatDateTime, parseDate, todayIso } from '../format';
import { t, type Key } from '../i18n';
import { canRead, canWrite } from '../rbac';
import { navigate } from '../router';
import { currentUser } from '../session';
import { allOrgs } from '../orgs';
import { DateField, FormError, Loading, Page, Progress, Select, SubmitButton, TextArea, TextField, useLoad, useSubmit, errorText } from '../components/ui';
import { StatusTable } from './systems';
import type { StatusRow } from './dashboard';

interface Rule {
  id: string;
  evidence: string[];
  title: { vi: string; en: string };
  version: number;
}
export interface Evidence {
  id: string;
  org_id: string;
  subject_kind: string;
  subject_id: string;
  type: string;
  title: string;
  performed_on: string;
  review: string;
  review_reason: string;
  file: { name: string; size: number; content_type: string } | null;
  version: number;
  created_at: string;
}

let rulesCache: Promise<Rule[]> | null = null;
function rules(): Promise<Rule[]> {
  if (!rulesCache) rulesCache = get<{ rules: Rule[] }>('/compliance/rules').then((r) => r.rules);
  return rulesCache;
}

function DropZone({ onFile, label }: { onFile: (f: File) => void; label: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <div
      class={'dropzone' + (over ? ' over' : '')}
      data-testid="dropzone"
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const f = e.dataTransfer?.files?.[0];
        if (f) onFile(f);
      }}
    >
      <p>{t('evidence.drop')}</p>
      <label class="button">
        {label}
        <input
          ref={input}
          type="file"
          class="sr-only"
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) onFile(f);
          }}
        />
      </label>
    </div>
  );
}

// Uploads a file to an evidence record with a progress bar.
export function FileUpload({ evidenceId, onDone }: { evidenceId: string; onDone: () => void }) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [name, setName] = useState('');
  const send = async (f: File) => {
    if (progress !== null && progress < 1) return;
    setName(f.name);
    setError('');
    setProgress(0);
    try {
      await upload('/evidence/' + evidenceId + '/file', f, setProgress);
      onDone();
    } catch (e) {
      setProgress(null);
      setError(errorText(e));
    }
  };
  return (
    <div>
      <DropZone onFile={send} label={t('evidence.choose_file')} />
      {progress !== null && (
        <div>
          {name} <Progress value={progress} label={t('evidence.progress')} />
        </div>
      )}
      <FormError error={error} />
    </div>
  );
}

function EvidenceForm({ row, onDone, onCancel }: { row: StatusRow; onDone: () => void; onCancel: () => void }) {
  const rl = useLoad(rules, []);
  const types = rl.data?.filter((r) => r.id === row.rule_id).flatMap((r) => r.evidence) ?? [];
  const [type, setType] = useState('');
  const [title, setTitle] = useState('');
  const [date, setDate] = useState(formatDate(todayIso()));
  const [desc, setDesc] = useState('');
  const [created, setCreated] = useState<Evidence | null>(null);
  const s = useSubmit(
    async () =>
      (
        await call<Evidence>('POST', '/evidence', {
          body: { subject_kind: row.subject_kind, subject_id: row.subject_id, type: type || types[0] || '', performed_on: parseDate(date), title, description: desc },
        })
      ).data,
    setCreated,
  );
  return (
    <section class="card" aria-labelledby="ev-title">
      <h2 id="ev-title">{t('evidence.submit_for', { rule: row.rule_id, subject: row.subject_name })}</h2>
      {!created ? (
        <form onSubmit={s.submit} noValidate>
          <Select
            label={t('evidence.type')}
            name="type"
            value={type || types[0] || ''}
            onChange={setType}
            error={s.fields['/type']}
            options={[...new Set(types)].map((x) => [x, t(('evtype.' + x) as Key)])}
          />
          <TextField label={t('evidence.title')} name="title" value={title} onInput={setTitle} error={s.fields['/title']} />
          <DateField label={t('evidence.performed_on')} name="performed_on" value={date} onInput={setDate} error={s.fields['/performed_on']} />
          <TextArea label={t('evidence.description')} name="description" value={desc} onInput={setDesc} error={s.fields['/description']} />
          <FormError error={s.error} />
          <div class="row">
            <SubmitButton busy={s.busy} label={t('evidence.create')} />
            <button type="button" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p role="status">{t('evidence.created')}</p>
          <FileUpload evidenceId={created.id} onDone={onDone} />
          <button type="button" onClick={onDone}>
            {t('evidence.without_file')}
          </button>
        </>
      )}
    </section>
  );
}

function UrgeForm({ orgId, ruleIds, onDone }: { orgId: string; ruleIds: string[]; onDone: () => void }) {
  const [message, setMessage] = useState('');
  const [due, setDue] = useState('');
  const [done, setDone] = useState(false);
  const s = useSubmit(async () => {
    const body: Record<string, unknown> = { org_id: orgId, message, rule_ids: ruleIds };
    if (due) body.due_date = parseDate(due);
    await call('POST', '/compliance/urge', { body });
  }, () => setDone(true));
  if (done) {
    return (
      <section class="card">
        <p role="status" data-testid="urge-sent">
          {t('urge.sent')}
        </p>
        <button type="button" onClick={onDone}>
          {t('common.close')}
        </button>
      </section>
    );
  }
  return (
    <section class="card" aria-labelledby="urge-title">
      <h2 id="urge-title">{t('urge.title')}</h2>
      {ruleIds.length > 0 && <p>{t('urge.rules', { rules: ruleIds.join(', ') })}</p>}
      <form onSubmit={s.submit} noValidate>
        <TextArea label={t('urge.message')} name="message" value={message} onInput={setMessage} error={s.fields['/message']} />
        <DateField label={t('urge.due_date')} name="due_date" value={due} onInput={setDue} error={s.fields['/due_date']} />
        <FormError error={s.error} />
        <div class="row">
          <SubmitButton busy={s.busy} label={t('urge.send')} />
          <button type="button" onClick={onDone}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

function InspectionForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const [date, setDate] = useState(formatDate(todayIso()));
  const [result, setResult] = useState<{ checklist?: { rule_id: string; title: string; state: string }[] } | null>(null);
  const s = useSubmit(async () => (await call<typeof result>('POST', '/compliance/inspections', { body: { org_id: orgId, date: parseDate(date) } })).data, setResult);
  return (
    <section class="card" aria-labelledby="insp-title">
      <h2 id="insp-title">{t('inspection.title')}</h2>
      {result ? (
        <>
          <p role="status">{t('inspection.recorded')}</p>
          <ul>
            {(result.checklist ?? []).map((c) => (
              <li>
                {c.rule_id} — {c.title} ({c.state})
              </li>
            ))}
          </ul>
          <button type="button" onClick={onDone}>
            {t('common.close')}
          </button>
        </>
      ) : (
        <form onSubmit={s.submit} noValidate>
          <DateField label={t('inspection.date')} name="date" value={date} onInput={setDate} error={s.fields['/date']} />
          <FormError error={s.error} />
          <div class="row">
            <SubmitButton busy={s.busy} label={t('inspection.record')} />
            <button type="button" onClick={onDone}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function CompliancePage() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const org = params.get('org') ?? '';
  const rule = params.get('rule') ?? '';
  const state = params.get('state') ?? '';
  const [panel, setPanel] = useState<'urge' | 'inspect' | null>(params.get('urge') ? 'urge' : null);
  const [evidenceRow, setEvidenceRow] = useState<StatusRow | null>(null);
  const orgs = useLoad(allOrgs, []);
  const { data, error, reload } = useLoad(
    () => get<{ items: StatusRow[]; next_cursor: string | null }>('/compliance/status', { org: org || undefined, rule: rule || undefined, state: state || undefined, limit: 200 }),
    [org, rule, state],
  );
  const go = (k: string, v: string) => {
    const p = new URLSearchParams(location.search);
    if (v) p.set(k, v);
    else p.delete(k);
    p.delete('urge');
    navigate('/compliance' + (p.toString() ? '?' + p : ''));
  };
  const coordinator = canWrite(user.role, 'compliance');
  const mayEvidence = canWrite(user.role, 'evidence');
  const urgeRules = rule ? [rule] : [...new Set((data?.items ?? []).filter((r) => r.state === 'overdue').map((r) => r.rule_id))];
  return (
    <Page
      title={t('compliance.title')}
      actions={
        coordinator &&
        org && (
          <>
            <button type="button" class="primary" onClick={() => setPanel('urge')}>
              {t('compliance.urge')}
            </button>
            <button type="button" onClick={() => setPanel('inspect')}>
              {t('inspection.record')}
            </button>
          </>
        )
      }
    >
      <div class="filters">
        {orgs.data && orgs.data.length > 1 && (
          <Select label={t('common.organisation')} value={org} onChange={(v) => go('org', v)} options={[['', t('common.all')], ...orgs.data.map((o): [string, string] => [o.id, o.name])]} />
        )}
        <Select
          label={t('compliance.state')}
          value={state}
          onChange={(v) => go('state', v)}
          options={[
            ['', t('common.all')],
            ['overdue', t('status.overdue')],
            ['due_soon', t('status.due_soon')],
            ['ok', t('status.ok')],
            ['not_applicable', t('status.not_applicable')],
          ]}
        />
        {rule && (
          <p>
            {t('compliance.rule')}: <strong>{rule}</strong>{' '}
            <button type="button" onClick={() => go('rule', '')}>
              {t('common.clear')}
            </button>
          </p>
        )}
      </div>
      {panel === 'urge' && org && <UrgeForm orgId={org} ruleIds={urgeRules} onDone={() => setPanel(null)} />}
      {panel === 'inspect' && org && <InspectionForm orgId={org} onDone={() => setPanel(null)} />}
      {evidenceRow && (
        <EvidenceForm
          row={evidenceRow}
          onCancel={() => setEvidenceRow(null)}
          onDone={() => {
            setEvidenceRow(null);
            reload();
          }}
        />
      )}
      {!data ? (
        <Loading error={error} />
      ) : (
        <StatusTable
          rows={data.items}
          showOrg={!org}
          action={
            mayEvidence
              ? (r) =>
                  r.state === 'overdue' || r.state === 'due_soon' ? (
                    <button type="button" onClick={() => setEvidenceRow(r)}>
                      {t('evidence.submit')}
                    </button>
                  ) : null
              : undefined
          }
        />
      )}
    </Page>
  );
}

export function EvidenceList() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const review = params.get('review') ?? 'pending';
  const subject = params.get('subject_id') ?? '';
  const org = params.get('org_id') ?? '';
  const { data, error, reload } = useLoad(
    () => get<{ items: Evidence[] }>('/evidence', { review: review || undefined, subject_id: subject || undefined, org_id: org || undefined, limit: 100 }),
    [review, subject, org],
  );
  const orgs = useLoad(allOrgs, []);
  const coordinator = canWrite(user.role, 'compliance');
  const [reviewing, setReviewing] = useState<Evidence | null>(null);
  const [reason, setReason] = useState('');
  const decision = useRef('accept');
  const s = useSubmit(async () => {
    await call('POST', `/compliance/evidence/${reviewing!.id}/review`, { body: { decision: decision.current, reason } });
  }, () => {
    setReviewing(null);
    setReason('');
    reload();
  });
  return (
    <Page title={t('evidence.list_title')}>
      <div class="filters">
        <Select
          label={t('evidence.review')}
          value={review}
          onChange={(v) => {
            const p = new URLSearchParams(location.search);
            p.set('review', v);
            navigate('/evidence?' + p);
          }}
          options={[
            ['', t('common.all')],
            ['pending', t('review.pending')],
            ['accepted', t('review.accepted')],
            ['rejected', t('review.rejected')],
          ]}
        />
      </div>
      {reviewing && (
        <section class="card">
          <h2>{t('evidence.review_title', { title: reviewing.title })}</h2>
          <form onSubmit={s.submit} noValidate>
            <TextArea label={t('evidence.reason')} name="reason" value={reason} onInput={setReason} error={s.fields['/reason']} />
            <FormError error={s.error} />
            <div class="row">
              <button type="submit" class="primary" disabled={s.busy} onClick={() => (decision.current = 'accept')}>
                {t('evidence.accept')}
              </button>
              <button type="submit" disabled={s.busy} onClick={() => (decision.current = 'reject')}>
                {t('evidence.reject')}
              </button>
              <button type="button" onClick={() => setReviewing(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </section>
      )}
      {!data ? (
        <Loading error={error} />
      ) : data.items.length === 0 ? (
        <p class="muted">{t('common.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('evidence.title')}</th>
                <th scope="col">{t('common.organisation')}</th>
                <th scope="col">{t('evidence.type')}</th>
                <th scope="col">{t('evidence.performed_on')}</th>
                <th scope="col">{t('evidence.file')}</th>
                <th scope="col">{t('evidence.review')}</th>
                {coordinator && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr data-evidence={e.id}>
                  <td>{e.title}</td>
                  <td>{orgs.data?.find((o) => o.id === e.org_id)?.name ?? ''}</td>
                  <td>{t(('evtype.' + e.type) as Key)}</td>
                  <td>{formatDate(e.performed_on)}</td>
                  <td>
                    {e.file ? (
                      <a href={`/api/v1/evidence/${e.id}/file`} download>
                        {e.file.name}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    {t(('review.' + e.review) as Key)}
                    {e.review_reason ? ` — ${e.review_reason}` : ''}
                    <div class="hint">{formatDateTime(e.created_at)}</div>
                  </td>
                  {coordinator && (
                    <td>
                      {e.review === 'pending' && (
                        <button type="button" onClick={() => setReviewing(e)}>
                          {t('evidence.review_action')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canRead(user.role, 'compliance') && (
        <p>
          <a href="/compliance">{t('nav.compliance')}</a>
        </p>
      )}
    </Page>
  );
}
