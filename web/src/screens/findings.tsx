// Vulnerability findings and advisories with their lifecycle actions.
import { useState } from 'preact/hooks';
import { call, get } from '../api';
import { formatDate, formatDateTime, parseDate } from '../format';
import { t, type Key } from '../i18n';
import { canWrite } from '../rbac';
import { currentUser } from '../session';
import { DateField, FormError, Loading, Page, Select, SubmitButton, TextArea, TextField, useLoad, useSubmit } from '../components/ui';

interface Finding {
  id: string;
  cve: string;
  severity: string;
  state: string;
  asset: string;
  port: number;
  cpe: string;
  kev_due: string | null;
  sla_due?: string;
  overdue?: boolean;
  exploitable?: boolean;
  system_id: string;
  first_seen: string;
}

function Transition({ f, onDone }: { f: Finding; onDone: () => void }) {
  const [event, setEvent] = useState('start_work');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const s = useSubmit(() => call('POST', `/findings/${f.id}/transition`, { body: { event, reason, ...(event === 'accept_risk' ? { until: parseDate(until) } : {}) } }), onDone);
  return (
    <form class="inline-form" onSubmit={s.submit} noValidate>
      <Select
        label={t('findings.action')}
        value={event}
        onChange={setEvent}
        error={s.fields['/event']}
        options={[
          ['start_work', t('findings.start_work')],
          ['accept_risk', t('findings.accept_risk')],
          ['false_positive', t('findings.false_positive')],
          ['reopen', t('findings.reopen')],
        ]}
      />
      {event === 'accept_risk' && <DateField label={t('findings.until')} value={until} onInput={setUntil} error={s.fields['/until']} />}
      <TextField label={t('findings.reason')} value={reason} onInput={setReason} error={s.fields['/reason']} />
      <FormError error={s.error} />
      <SubmitButton busy={s.busy} label={t('common.apply')} />
    </form>
  );
}

export function FindingList() {
  const user = currentUser()!;
  const params = new URLSearchParams(location.search);
  const systemId = params.get('system_id') ?? '';
  const [state, setState] = useState('');
  const { data, error, reload } = useLoad(() => get<{ items: Finding[] }>('/findings', { system_id: systemId || undefined, state: state || undefined, limit: 200 }), [systemId, state]);
  const [open, setOpen] = useState<string | null>(null);
  const writable = canWrite(user.role, 'findings');
  return (
    <Page title={t('findings.title')}>
      <div class="filters">
        <Select
          label={t('findings.state')}
          value={state}
          onChange={setState}
          options={[['', t('common.all')], ...['open', 'in_progress', 'accepted_risk', 'false_positive', 'fixed'].map((s): [string, string] => [s, t(('fstate.' + s) as Key)])]}
        />
      </div>
      {!data ? (
        <Loading error={error} />
      ) : data.items.length === 0 ? (
        <p class="muted">{t('common.none')}</p>
      ) : (
        <div class="table-wrap">
          <table data-testid="findings">
            <thead>
              <tr>
                <th scope="col">CVE</th>
                <th scope="col">{t('findings.severity')}</th>
                <th scope="col">{t('findings.where')}</th>
                <th scope="col">{t('findings.state')}</th>
                <th scope="col">{t('findings.due')}</th>
                {writable && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {data.items.map((f) => (
                <tr>
                  <td>
                    {f.cve || '—'} {f.kev_due && <span class="badge badge-overdue">KEV</span>}
                  </td>
                  <td>{t(('severity.' + f.severity) as Key)}</td>
                  <td>
                    {f.asset}:{f.port}
                    <div class="hint">{f.cpe}</div>
                  </td>
                  <td>{t(('fstate.' + f.state) as Key)}</td>
                  <td>
                    {formatDate(f.kev_due ?? f.sla_due)} {f.overdue && <span class="badge badge-overdue">{t('status.overdue')}</span>}
                  </td>
                  {writable && (
                    <td>
                      {open === f.id ? (
                        <Transition
                          f={f}
                          onDone={() => {
                            setOpen(null);
                            reload();
                          }}
                        />
                      ) : (
                        <button type="button" onClick={() => setOpen(f.id)}>
                          {t('findings.change')}
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
    </Page>
  );
}

interface Advisory {
  id: string;
  state: string;
  cve?: string;
  title?: string;
  due?: string;
  overdue?: boolean;
  created_at: string;
  [k: string]: unknown;
}

export function AdvisoryList() {
  const user = currentUser()!;
  const { data, error, reload } = useLoad(() => get<{ items: Advisory[] }>('/advisories', { limit: 200 }), []);
  const [noteFor, setNoteFor] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const writable = canWrite(user.role, 'advisories');
  const ack = (id: string) => call('POST', `/advisories/${id}/state`, { body: { state: 'acknowledged' } }).then(reload);
  const s = useSubmit(() => call('POST', `/advisories/${noteFor}/state`, { body: { state: 'remediated', note } }), () => {
    setNoteFor(null);
    setNote('');
    reload();
  });
  return (
    <Page title={t('advisories.title')}>
      {noteFor && (
        <section class="card">
          <form onSubmit={s.submit} noValidate>
            <TextArea label={t('advisories.note')} value={note} onInput={setNote} error={s.fields['/note']} />
            <FormError error={s.error} />
            <SubmitButton busy={s.busy} label={t('advisories.remediated')} />
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
                <th scope="col">{t('advisories.what')}</th>
                <th scope="col">{t('findings.state')}</th>
                <th scope="col">{t('findings.due')}</th>
                <th scope="col">{t('common.created')}</th>
                {writable && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr>
                  <td>{a.cve ?? a.title ?? a.id}</td>
                  <td>{t(('astate.' + a.state) as Key)}</td>
                  <td>
                    {formatDate(a.due)} {a.overdue && <span class="badge badge-overdue">{t('status.overdue')}</span>}
                  </td>
                  <td>{formatDateTime(a.created_at)}</td>
                  {writable && (
                    <td class="row">
                      {a.state === 'sent' && (
                        <button type="button" onClick={() => ack(a.id)}>
                          {t('advisories.ack')}
                        </button>
                      )}
                      {a.state !== 'remediated' && (
                        <button type="button" onClick={() => setNoteFor(a.id)}>
                          {t('advisories.remediated')}
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
    </Page>
  );
}
