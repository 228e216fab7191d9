// Hunts: upload a system's logs (progress bar), watch the job, and see the detections grouped
// by rule and level, with their times.
import { useState } from 'preact/hooks';
import { upload } from '../api';
import { formatDateTime, formatNumber } from '../format';
import { t, type Key } from '../i18n';
import { canWrite } from '../rbac';
import { currentUser } from '../session';
import { get } from '../api';
import { FormError, Loading, Page, Progress, Select, useLoad, errorText } from '../components/ui';
import { usePoll, useSystems } from './scans';

interface HuntRun {
  id: string;
  system_id: string;
  state: string;
  file_name: string;
  size: number;
  created_at: string;
  finished_at?: string;
  error?: string;
  evidence_id?: string;
  stats?: { events: number; detections: number; rules: number; bad_records: number };
}
interface Detection {
  rule_id?: string;
  rule_title?: string;
  title?: string;
  level?: string;
  timestamp?: string;
  time?: string;
  [k: string]: unknown;
}

const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'];

function Detections({ run }: { run: HuntRun }) {
  const { data, error } = useLoad(async () => {
    if (!run.evidence_id || !run.stats?.detections) return [] as Detection[];
    const res = await fetch(`/api/v1/evidence/${run.evidence_id}/file`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(res.statusText);
    const text = await res.text();
    return text
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as Detection);
  }, [run.id, run.evidence_id]);
  if (!data) return <Loading error={error} />;
  if (!data.length) return <p class="muted">{t('hunt.no_detections')}</p>;
  const groups = new Map<string, { title: string; level: string; times: string[]; n: number }>();
  for (const d of data) {
    const key = String(d.rule_id ?? d.rule_title ?? '?');
    const g = groups.get(key) ?? { title: String(d.rule_title ?? d.title ?? key), level: String(d.level ?? ''), times: [], n: 0 };
    const ts = d.timestamp ?? d.time;
    if (typeof ts === 'string') g.times.push(ts);
    g.n++;
    groups.set(key, g);
  }
  const rows = [...groups.entries()].sort((a, b) => LEVELS.indexOf(a[1].level) - LEVELS.indexOf(b[1].level));
  return (
    <div class="table-wrap">
      <table data-testid="detections">
        <thead>
          <tr>
            <th scope="col">{t('hunt.level')}</th>
            <th scope="col">{t('hunt.rule')}</th>
            <th scope="col" class="num">{t('hunt.count')}</th>
            <th scope="col">{t('hunt.timeline')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([, g]) => {
            const times = g.times.sort();
            return (
              <tr>
                <td>
                  <span class={'badge level-' + g.level}>{LEVELS.includes(g.level) ? t(('level.' + g.level) as Key) : g.level}</span>
                </td>
                <td>{g.title}</td>
                <td class="num">{formatNumber(g.n)}</td>
                <td>{times.length ? `${formatDateTime(times[0], true)} – ${formatDateTime(times[times.length - 1], true)}` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function HuntPage() {
  const user = currentUser()!;
  const systems = useSystems();
  const runs = useLoad(() => get<{ items: HuntRun[] }>('/hunts/runs', { limit: 30 }).then((x) => x.items), []);
  const [systemId, setSystemId] = useState('');
  const [format, setFormat] = useState('auto');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [openRun, setOpenRun] = useState<string | null>(null);
  const active = (runs.data ?? []).some((r) => r.state === 'queued' || r.state === 'running');
  usePoll(active, runs.reload);
  const sys = systemId || systems.data?.[0]?.id || '';
  const send = async (f: File) => {
    if (progress !== null && progress < 1) return;
    setError('');
    setProgress(0);
    try {
      await upload('/hunts/file', f, setProgress, { system_id: sys, format });
      runs.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const sysName = (id: string) => systems.data?.find((s) => s.id === id)?.name ?? id;
  return (
    <Page title={t('hunt.title')}>
      {canWrite(user.role, 'hunts') && systems.data && (
        <section class="card">
          <h2>{t('hunt.upload')}</h2>
          <Select label={t('common.system')} name="system_id" value={sys} onChange={setSystemId} options={systems.data.map((s): [string, string] => [s.id, s.name])} />
          <Select label={t('hunt.format')} name="format" value={format} onChange={setFormat} options={['auto', 'evtx', 'jsonl', 'xml', 'csv', 'syslog'].map((x): [string, string] => [x, x === 'auto' ? t('hunt.auto') : x])} />
          <label class="button">
            {t('hunt.choose_file')}
            <input
              type="file"
              class="sr-only"
              data-testid="hunt-file"
              onChange={(e) => {
                const f = (e.target as HTMLInputElement).files?.[0];
                if (f) send(f);
              }}
            />
          </label>
          {progress !== null && <Progress value={progress} label={t('evidence.progress')} />}
          <FormError error={error} />
        </section>
      )}
      <section class="card">
        <h2>{t('hunt.runs')}</h2>
        {!runs.data ? (
          <Loading error={runs.error} />
        ) : runs.data.length === 0 ? (
          <p class="muted">{t('common.none')}</p>
        ) : (
          <ul class="runs" data-testid="hunt-runs" aria-live="polite">
            {runs.data.map((r) => (
              <li>
                <strong>{r.file_name}</strong> · {sysName(r.system_id)} · {t(('runstate.' + r.state) as Key)} · {formatDateTime(r.created_at)}
                {(r.state === 'queued' || r.state === 'running') && <progress aria-label={t('scan.in_progress')} />}
                {r.error && <div class="form-error">{r.error}</div>}
                {r.stats && (
                  <div>
                    {t('hunt.stats', { events: formatNumber(r.stats.events), detections: formatNumber(r.stats.detections), rules: formatNumber(r.stats.rules) })}{' '}
                    <button type="button" onClick={() => setOpenRun(openRun === r.id ? null : r.id)} aria-expanded={openRun === r.id}>
                      {t('hunt.show_detections')}
                    </button>
                  </div>
                )}
                {openRun === r.id && <Detections run={r} />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}
