// Scans: request an authorisation (scope and window), the coordinator's decision, runs inside an
// approved scope with live progress, their results, and the kill switch.
import { useEffect, useState } from 'preact/hooks';
import { call, get } from '../api';
import { formatDateTime, parseDateTime } from '../format';
import { t, type Key } from '../i18n';
import { canWrite } from '../rbac';
import { currentUser } from '../session';
import { DateField, FormError, Loading, Page, Select, SubmitButton, TextArea, TextField, useLoad, useSubmit, errorText } from '../components/ui';
import type { System } from './systems';

interface Auth {
  id: string;
  system_id: string;
  state: string;
  targets: string[];
  ports: string;
  window_start: string;
  window_end: string;
  reason: string;
  created_at: string;
}
interface Run {
  id: string;
  authorisation_id?: string;
  system_id: string;
  state: string;
  targets: string[];
  ports: string;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  open?: { endpoint: string; service: string; product: string; version: string; cpe: string }[];
  findings?: Record<string, number>;
  error?: string;
  killed?: boolean;
}


export function useSystems() {
  return useLoad(() => get<{ items: System[] }>('/systems', { limit: 500 }).then((x) => x.items), []);
}

// Polls `reload` every `ms` while `active` (a run is queued or running).
export function usePoll(active: boolean, reload: () => void, ms = 1500) {
  useEffect(() => {
    if (!active) return;
    const id = setInterval(reload, ms);
    return () => clearInterval(id);
  }, [active]);
}

function RequestForm({ systems, onDone }: { systems: System[]; onDone: () => void }) {
  const [f, setF] = useState<Record<string, string>>({ system_id: systems[0]?.id ?? '', ports: '1-1024' });
  const set = (k: string) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const s = useSubmit(
    () =>
      call('POST', '/scans/authorisations', {
        body: {
          system_id: f.system_id,
          targets: (f.targets ?? '').split(/[\s,]+/).filter(Boolean),
          ports: f.ports ?? '',
          window_start: parseDateTime(f.start ?? ''),
          window_end: parseDateTime(f.end ?? ''),
          reason: f.reason ?? '',
        },
      }),
    onDone,
  );
  return (
    <section class="card">
      <h2>{t('scan.request')}</h2>
      <form onSubmit={s.submit} noValidate>
        <Select label={t('common.system')} name="system_id" value={f.system_id} onChange={set('system_id')} error={s.fields['/system_id']} options={systems.map((x): [string, string] => [x.id, x.name])} />
        <TextField label={t('scan.targets')} name="targets" hint={t('scan.targets_hint')} value={f.targets ?? ''} onInput={set('targets')} error={s.fields['/targets'] ?? Object.entries(s.fields).find(([k]) => k.startsWith('/targets/'))?.[1]} />
        <TextField label={t('scan.ports')} name="ports" value={f.ports ?? ''} onInput={set('ports')} error={s.fields['/ports']} />
        <DateField withTime label={t('scan.window_start')} name="window_start" value={f.start ?? ''} onInput={set('start')} error={s.fields['/window_start']} />
        <DateField withTime label={t('scan.window_end')} name="window_end" value={f.end ?? ''} onInput={set('end')} error={s.fields['/window_end']} />
        <TextArea label={t('scan.reason')} name="reason" value={f.reason ?? ''} onInput={set('reason')} error={s.fields['/reason']} />
        <FormError error={s.error} />
        <SubmitButton busy={s.busy} label={t('scan.send_request')} />
      </form>
    </section>
  );
}

export function ScanPage() {
  const user = currentUser()!;
  const systems = useSystems();
  const auths = useLoad(() => get<{ items: Auth[] }>('/scans/authorisations', { limit: 50 }).then((x) => x.items), []);
  const runs = useLoad(() => get<{ items: Run[] }>('/scans/runs', { limit: 50 }).then((x) => x.items), []);
  const [msg, setMsg] = useState('');
  const active = (runs.data ?? []).some((r) => r.state === 'queued' || r.state === 'running');
  usePoll(active, runs.reload);
  const mayScan = canWrite(user.role, 'scans');
  const mayApprove = canWrite(user.role, 'scan_approvals');
  const sysName = (id: string) => systems.data?.find((s) => s.id === id)?.name ?? id;
  const act = async (f: () => Promise<unknown>, ok: string) => {
    setMsg('');
    try {
      await f();
      setMsg(ok);
      auths.reload();
      runs.reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  return (
    <Page
      title={t('scan.title')}
      actions={
        mayScan && (
          <button type="button" class="danger" onClick={() => act(() => call('POST', '/scans/kill', { body: {} }), t('scan.killed'))}>
            {t('scan.kill')}
          </button>
        )
      }
    >
      {msg && (
        <p role="status" class="notice">
          {msg}
        </p>
      )}
      {mayScan && systems.data && systems.data.length > 0 && <RequestForm systems={systems.data} onDone={auths.reload} />}
      <section class="card">
        <h2>{t('scan.authorisations')}</h2>
        {!auths.data ? (
          <Loading error={auths.error} />
        ) : auths.data.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="authorisations">
              <thead>
                <tr>
                  <th scope="col">{t('common.system')}</th>
                  <th scope="col">{t('scan.scope')}</th>
                  <th scope="col">{t('scan.window')}</th>
                  <th scope="col">{t('findings.state')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {auths.data.map((a) => (
                  <tr>
                    <td>{sysName(a.system_id)}</td>
                    <td>
                      {a.targets.join(', ')} · {a.ports}
                      <div class="hint">{a.reason}</div>
                    </td>
                    <td>
                      {formatDateTime(a.window_start)} – {formatDateTime(a.window_end)}
                    </td>
                    <td>{t(('scanstate.' + a.state) as Key)}</td>
                    <td class="row">
                      {mayApprove && a.state === 'requested' && (
                        <>
                          <button type="button" class="primary" onClick={() => act(() => call('POST', `/scan-approvals/${a.id}`, { body: { decision: 'approve' } }), t('scan.approved'))}>
                            {t('scan.approve')}
                          </button>
                          <button
                            type="button"
                            onClick={() => act(() => call('POST', `/scan-approvals/${a.id}`, { body: { decision: 'reject', reason: t('scan.rejected_reason') } }), t('scan.rejected'))}
                          >
                            {t('scan.reject')}
                          </button>
                        </>
                      )}
                      {mayScan && a.state === 'approved' && (
                        <button type="button" class="primary" onClick={() => act(() => call('POST', '/scans/runs', { body: { authorisation_id: a.id } }), t('scan.queued'))}>
                          {t('scan.run')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card">
        <h2>{t('scan.runs')}</h2>
        {!runs.data ? (
          <Loading error={runs.error} />
        ) : runs.data.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <ul class="runs" data-testid="scan-runs" aria-live="polite">
            {runs.data.map((r) => (
              <li>
                <strong>{sysName(r.system_id)}</strong> · {t(('runstate.' + r.state) as Key)} · {formatDateTime(r.created_at)}
                {(r.state === 'queued' || r.state === 'running') && <progress aria-label={t('scan.in_progress')} />}
                {r.error && <div class="form-error">{r.error}</div>}
                {r.open && (
                  <div>
                    {t('scan.open_services', { n: r.open.length })}
                    <ul>
                      {r.open.map((o) => (
                        <li>
                          {o.endpoint} — {[o.service, o.product, o.version].filter(Boolean).join(' ')}
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
                {r.findings && (
                  <div>
                    {t('scan.findings_summary', { n: r.findings.new ?? 0 })} <a href={'/findings?system_id=' + r.system_id}>{t('nav.findings')}</a>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
