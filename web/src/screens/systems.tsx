// Information systems: list, detail (level, approval, last hunt and scan, findings, compliance)
// and the create/edit form with the server's field errors beside each field.
import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { formatDate, formatDateTime, parseDate } from '../format';
import { t } from '../i18n';
import { canRead, canWrite } from '../rbac';
import { navigate } from '../router';
import { currentUser } from '../session';
import { allOrgs } from '../orgs';
import { DateField, Field, FormError, Loading, Page, Select, StateBadge, SubmitButton, TextArea, TextField, useLoad, useSubmit } from '../components/ui';
import { SearchBox, usePaged } from './organisations';
import type { StatusRow } from './dashboard';
import { formatMissing } from '../i18n/missing';
import { PlanState, type Plan } from './plans';

export interface System {
  id: string;
  name: string;
  description?: string;
  level: number;
  owner_org_id: string;
  operator_org_id?: string;
  approval?: { decision_no: string; date: string; approver: string };
  public_endpoints?: string[];
  national_important?: boolean;
  version: number;
  updated_at?: string;
}
interface Run {
  id: string;
  state: string;
  created_at: string;
  updated_at: string;
}

export function SystemList() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const q = params.get('q') ?? '';
  const level = params.get('level') ?? '';
  const list = usePaged<System>('/systems', { q: q || undefined, level: level || undefined });
  const orgs = useLoad(allOrgs, []);
  const name = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? '';
  return (
    <Page
      title={t('system.list_title')}
      actions={
        canWrite(user.role, 'systems') && (
          <a class="button primary" href="/systems/new">
            {t('system.new')}
          </a>
        )
      }
    >
      <SearchBox value={q} label={t('system.search')} onSearch={(v) => navigate('/systems' + (v ? '?q=' + encodeURIComponent(v) : ''))} />
      {!list.items ? (
        <Loading error={list.error} />
      ) : (
        <>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('system.name')}</th>
                  <th scope="col">{t('system.level')}</th>
                  <th scope="col">{t('system.owner')}</th>
                  <th scope="col">{t('system.approval')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((s) => (
                  <tr>
                    <td>
                      <a href={'/systems/' + s.id}>{s.name}</a>
                    </td>
                    <td>{t('system.level_n', { n: s.level })}</td>
                    <td>{name(s.owner_org_id)}</td>
                    <td>{s.approval?.date ? formatDate(s.approval.date) : t('system.not_approved')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.items.length === 0 && <p class="muted">{t('common.none')}</p>}
          {list.more && (
            <button type="button" onClick={list.more}>
              {t('common.more')}
            </button>
          )}
        </>
      )}
    </Page>
  );
}

async function lastRun(path: string, systemId: string): Promise<Run | null> {
  try {
    return (await get<{ items: Run[] }>(path, { system_id: systemId, limit: 1 })).items[0] ?? null;
  } catch {
    return null;
  }
}

export function SystemDetail({ id }: { id: string }) {
  const user = currentUser()!;
  const r = user.role;
  const { data, error } = useLoad(async () => {
    const sys = await get<System>('/systems/' + encodeURIComponent(id));
    const [orgs, hunt, scan, findings, status, plan] = await Promise.all([
      allOrgs(),
      canRead(r, 'hunts') ? lastRun('/hunts/runs', id) : null,
      canRead(r, 'scans') ? lastRun('/scans/runs', id) : null,
      canRead(r, 'findings') ? get<{ items: { id: string; cve: string; severity: string; state: string }[] }>('/findings', { system_id: id, limit: 50 }).then((x) => x.items) : [],
      canRead(r, 'compliance')
        ? get<{ items: StatusRow[] }>('/compliance/status', { org: sys.owner_org_id, limit: 500 }).then((x) => x.items.filter((row) => row.subject_id === id))
        : [],
      canRead(r, 'plans') ? get<{ items: Plan[] }>('/plans', { system_id: id }).then((x) => x.items[0] ?? null, () => null) : null,
    ]);
    return { sys, orgs, hunt, scan, findings, status, plan };
  }, [id]);
  if (!data) {
    return (
      <Page title={t('system.detail_title')}>
        <Loading error={error} />
      </Page>
    );
  }
  const { sys, orgs, hunt, scan, findings, status, plan } = data;
  const orgName = (oid?: string) => orgs.find((o) => o.id === oid)?.name ?? oid ?? '—';
  return (
    <Page
      title={sys.name}
      actions={
        canWrite(r, 'systems') && (
          <a class="button" href={`/systems/${sys.id}/edit`}>
            {t('common.edit')}
          </a>
        )
      }
    >
      <dl class="facts">
        <dt>{t('system.level')}</dt>
        <dd>{t('system.level_n', { n: sys.level })}</dd>
        <dt>{t('system.owner')}</dt>
        <dd>
          <a href={'/organisations/' + sys.owner_org_id}>{orgName(sys.owner_org_id)}</a>
        </dd>
        <dt>{t('system.operator')}</dt>
        <dd>{orgName(sys.operator_org_id)}</dd>
        <dt>{t('system.approval')}</dt>
        <dd>
          {sys.approval?.date
            ? t('system.approval_text', { no: sys.approval.decision_no, date: formatDate(sys.approval.date), approver: sys.approval.approver })
            : t('system.not_approved')}
        </dd>
        <dt>{t('system.endpoints')}</dt>
        <dd>{sys.public_endpoints?.length ? sys.public_endpoints.join(', ') : '—'}</dd>
        <dt>{t('system.last_hunt')}</dt>
        <dd>{hunt ? `${formatDateTime(hunt.created_at)} (${hunt.state})` : '—'}</dd>
        <dt>{t('system.last_scan')}</dt>
        <dd>{scan ? `${formatDateTime(scan.created_at)} (${scan.state})` : '—'}</dd>
        <dt>{t('system.plan')}</dt>
        <dd data-testid="system-plan">
          {plan ? (
            <>
              <PlanState plan={plan} /> <a href={'/plans/' + plan.id}>{t('plan.system_link')}</a>
            </>
          ) : canRead(r, 'plans') && canWrite(r, 'plans') ? (
            <a href="/plans">{t('system.plan_none')}</a>
          ) : (
            t('system.plan_none')
          )}
        </dd>
        <dt>{t('common.updated')}</dt>
        <dd>{formatDateTime(sys.updated_at)}</dd>
      </dl>
      {sys.description && <p>{sys.description}</p>}
      {canRead(r, 'compliance') && (
        <section class="card">
          <h2>{t('nav.compliance')}</h2>
          <StatusTable rows={status} showOrg={false} />
        </section>
      )}
      {canRead(r, 'findings') && (
        <section class="card">
          <h2>{t('nav.findings')}</h2>
          {findings.length ? (
            <ul>
              {findings.map((f) => (
                <li>
                  {f.cve || f.id} · {t(('severity.' + f.severity) as never)} · {f.state}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('common.none')}</p>
          )}
        </section>
      )}
    </Page>
  );
}

export function StatusTable({ rows, showOrg, action }: { rows: StatusRow[]; showOrg: boolean; action?: (r: StatusRow) => preact.JSX.Element | null }) {
  if (!rows.length) return <p class="muted">{t('common.none')}</p>;
  return (
    <div class="table-wrap">
      <table data-testid="status-table">
        <thead>
          <tr>
            {showOrg && <th scope="col">{t('common.organisation')}</th>}
            <th scope="col">{t('compliance.subject')}</th>
            <th scope="col">{t('compliance.rule')}</th>
            <th scope="col">{t('compliance.basis')}</th>
            <th scope="col">{t('compliance.state')}</th>
            <th scope="col">{t('compliance.due')}</th>
            <th scope="col">{t('compliance.missing')}</th>
            {action && <th scope="col">{t('common.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-rule={r.rule_id} data-subject={r.subject_id}>
              {showOrg && <td>{r.org_name}</td>}
              <td>{r.subject_name}</td>
              <td>
                <strong>{r.rule_id}</strong> {r.title}
              </td>
              <td>
                {r.basis.document}
                {r.basis.article ? ' — ' + r.basis.article : ''}
              </td>
              <td>
                <StateBadge state={r.state} />
                {r.evidence_pending_review && <span class="hint"> {t('compliance.pending_review')}</span>}
              </td>
              <td>{formatDate(r.due)}</td>
              <td>{r.state === 'ok' || r.state === 'not_applicable' ? '' : formatMissing(r.missing)}</td>
              {action && <td>{action(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SystemForm({ id }: { id?: string }) {
  const user = currentUser()!;
  const [form, setForm] = useState<Record<string, string>>({ level: '1', owner_org_id: user.org_id });
  const [etag, setEtag] = useState<string | null>(null);
  const loaded = useLoad(async () => {
    const orgs = await allOrgs();
    if (id) {
      const a = await call<System>('GET', '/systems/' + encodeURIComponent(id));
      const s = a.data;
      setEtag(a.etag);
      setForm({
        name: s.name,
        description: s.description ?? '',
        level: String(s.level),
        owner_org_id: s.owner_org_id,
        operator_org_id: s.operator_org_id ?? '',
        decision_no: s.approval?.decision_no ?? '',
        approval_date: s.approval?.date ? formatDate(s.approval.date) : '',
        approver: s.approval?.approver ?? '',
        endpoints: (s.public_endpoints ?? []).join('\n'),
      });
    }
    return orgs;
  }, [id]);
  const set = (k: string) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const s = useSubmit(
    async () => {
      const body: Record<string, unknown> = {
        name: form.name ?? '',
        description: form.description ?? '',
        level: Number(form.level),
        operator_org_id: form.operator_org_id ?? '',
        approval: { decision_no: form.decision_no ?? '', date: parseDate(form.approval_date ?? ''), approver: form.approver ?? '' },
        public_endpoints: (form.endpoints ?? '')
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean),
      };
      if (!id) body.owner_org_id = form.owner_org_id;
      const a = id ? await call<System>('PATCH', '/systems/' + encodeURIComponent(id), { body, etag }) : await call<System>('POST', '/systems', { body });
      return a.data;
    },
    (sys) => navigate('/systems/' + sys.id),
  );
  if (!loaded.data) {
    return (
      <Page title={id ? t('system.edit_title') : t('system.new')}>
        <Loading error={loaded.error} />
      </Page>
    );
  }
  const f = s.fields;
  const orgOptions = loaded.data.map((o): [string, string] => [o.id, o.name]);
  return (
    <Page title={id ? t('system.edit_title') : t('system.new')}>
      <form class="form card" onSubmit={s.submit} noValidate>
        <TextField label={t('system.name')} name="name" value={form.name ?? ''} onInput={set('name')} error={f['/name']} required />
        <TextArea label={t('system.description')} name="description" value={form.description ?? ''} onInput={set('description')} error={f['/description']} />
        <Select
          label={t('system.level')}
          name="level"
          value={form.level}
          onChange={set('level')}
          error={f['/level']}
          options={[1, 2, 3, 4, 5].map((n): [string, string] => [String(n), t('system.level_n', { n })])}
        />
        {!id && <Select label={t('system.owner')} name="owner_org_id" value={form.owner_org_id} onChange={set('owner_org_id')} error={f['/owner_org_id']} options={orgOptions} />}
        <Select
          label={t('system.operator')}
          name="operator_org_id"
          value={form.operator_org_id ?? ''}
          onChange={set('operator_org_id')}
          error={f['/operator_org_id']}
          options={[['', t('system.operator_same')], ...orgOptions]}
        />
        <fieldset>
          <legend>{t('system.approval')}</legend>
          <TextField label={t('system.decision_no')} name="decision_no" value={form.decision_no ?? ''} onInput={set('decision_no')} error={f['/approval/decision_no']} />
          <DateField label={t('system.approval_date')} name="approval_date" value={form.approval_date ?? ''} onInput={set('approval_date')} error={f['/approval/date']} />
          <TextField label={t('system.approver')} name="approver" value={form.approver ?? ''} onInput={set('approver')} error={f['/approval/approver']} />
        </fieldset>
        <Field label={t('system.endpoints')} error={f['/public_endpoints'] ?? Object.entries(f).find(([k]) => k.startsWith('/public_endpoints/'))?.[1]} hint={t('system.endpoints_hint')}>
          {(fid, described, invalid) => (
            <textarea id={fid} name="endpoints" rows={3} aria-invalid={invalid} aria-describedby={described} value={form.endpoints ?? ''} onInput={(e) => set('endpoints')((e.target as HTMLTextAreaElement).value)} />
          )}
        </Field>
        <FormError error={s.error} />
        <div class="row">
          <SubmitButton busy={s.busy} label={t('common.save')} />
          <a class="button" href={id ? '/systems/' + id : '/systems'}>
            {t('common.cancel')}
          </a>
        </div>
      </form>
    </Page>
  );
}
