// The province dashboard (coordinator): compliance league table and heat grid of rules ×
// organisations (click through to the status list), overdue items with their rule and legal
// basis, the trend from the daily snapshots, open findings by severity, KEV findings and the
// advisories not yet acknowledged.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { formatDate, formatNumber, formatPercent } from '../format';
import { t } from '../i18n';
import { canRead, canWrite } from '../rbac';
import { currentUser } from '../session';
import { Chart } from '../components/chart';
import { Loading, Page, useLoad } from '../components/ui';

export interface Card {
  ok: number;
  due_soon: number;
  overdue: number;
  not_applicable: number;
  compliant_percent: number;
}
export interface StatusRow {
  basis: { article: string; document: string };
  days_overdue?: number;
  due: string | null;
  evidence_id: string | null;
  evidence_pending_review: boolean;
  missing: string;
  org_id: string;
  org_name: string;
  rule_id: string;
  state: string;
  subject_id: string;
  subject_kind: string;
  subject_name: string;
  title: string;
  level?: number;
}
interface Scorecard {
  at: string;
  overall: Card;
  organisations: (Card & { org_id: string; org_name: string })[];
  overdue: StatusRow[];
  trend: (Card & { day: string })[];
}
interface Finding {
  id: string;
  severity: string;
  cve: string;
  kev_due: string | null;
  system_id: string;
  asset: string;
  port: number;
  state: string;
  overdue?: boolean;
}
interface Advisory {
  id: string;
  org_id: string;
  state: string;
  cve?: string;
  due?: string;
  overdue?: boolean;
  title?: string;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'];

function ruleCompare(a: string, b: string): number {
  return parseInt(a.slice(1), 10) - parseInt(b.slice(1), 10) || a.localeCompare(b);
}

// The rest of the dashboard: the heat grid's rows, findings and advisories (all at once).
async function loadDetails(role: string) {
  const r = role as never;
  const [overdue, dueSoon, findings, advisories] = await Promise.all([
    get<{ items: StatusRow[] }>('/compliance/status', { state: 'overdue', limit: 500 }),
    get<{ items: StatusRow[] }>('/compliance/status', { state: 'due_soon', limit: 500 }),
    canRead(r, 'findings') ? get<{ items: Finding[] }>('/findings', { state: 'open', limit: 200 }) : Promise.resolve({ items: [] as Finding[] }),
    canRead(r, 'advisories') ? get<{ items: Advisory[] }>('/advisories', { state: 'sent', limit: 200 }) : Promise.resolve({ items: [] as Advisory[] }),
  ]);
  return { grid: [...overdue.items, ...dueSoon.items], findings: findings.items, advisories: advisories.items };
}

function HeatGrid({ rows, orgs }: { rows: StatusRow[]; orgs: { org_id: string; org_name: string }[] }) {
  const rules = [...new Set(rows.map((r) => r.rule_id))].sort(ruleCompare);
  const cell = new Map<string, { overdue: number; due_soon: number }>();
  for (const r of rows) {
    const k = r.org_id + '|' + r.rule_id;
    const c = cell.get(k) ?? { overdue: 0, due_soon: 0 };
    if (r.state === 'overdue') c.overdue++;
    else c.due_soon++;
    cell.set(k, c);
  }
  return (
    <div class="table-wrap">
      <table class="heat" data-testid="heat-grid">
        <caption>{t('dash.heat_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.organisation')}</th>
            {rules.map((r) => (
              <th scope="col">{r}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {orgs.map((o) => (
            <tr>
              <th scope="row">
                <a href={'/organisations/' + o.org_id}>{o.org_name}</a>
              </th>
              {rules.map((r) => {
                const c = cell.get(o.org_id + '|' + r);
                const state = !c ? 'ok' : c.overdue ? 'overdue' : 'due_soon';
                const label = !c
                  ? t('dash.cell_ok', { rule: r, org: o.org_name })
                  : t('dash.cell_counts', { rule: r, org: o.org_name, overdue: c.overdue, due_soon: c.due_soon });
                return (
                  <td class={'cell-' + state}>
                    {c ? (
                      <a href={`/compliance?org=${o.org_id}&rule=${r}`} aria-label={label} title={label}>
                        {c.overdue || c.due_soon}
                      </a>
                    ) : (
                      <span aria-label={label} title={label}>
                        ·
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">{t('dash.heat_legend')}</p>
    </div>
  );
}

const LEAGUE_ROWS = 50;

export function Dashboard() {
  const user = currentUser()!;
  // The scorecard (figures, league table, overdue list) first; the rest is asked for after it.
  const { data: card, error } = useLoad(() => get<Scorecard>('/compliance/scorecard'), []);
  // The league lists the least compliant first; a province of a thousand organisations shows
  // the first LEAGUE_ROWS until asked for all (drawing every row delayed the first view).
  const [allOrgs, setAllOrgs] = useState(false);
  // Started once the scorecard is in: the status queries evaluate every (rule, subject) pair
  // too, and running three evaluations at once on the server delays the first view (with 100K
  // systems, by tens of seconds on a 2-core machine).
  const details = useLoad(() => (card ? loadDetails(user.role) : new Promise<never>(() => {})), [!!card]);
  useEffect(() => {
    // Read by the browser tests: interactive once the scorecard is drawn, complete with the rest.
    if (card) requestAnimationFrame(() => performance.mark('ucsc-dashboard-ready'));
  }, [card]);
  useEffect(() => {
    if (card && details.data) requestAnimationFrame(() => performance.mark('ucsc-dashboard-complete'));
  }, [card, details.data]);
  if (!card) {
    return (
      <Page title={t('dash.title')}>
        <Loading error={error} />
      </Page>
    );
  }
  const { grid, findings, advisories } = details.data ?? { grid: [], findings: [], advisories: [] };
  const pending = !details.data;
  const o = card.overall;
  const bySeverity = SEVERITIES.map((s) => findings.filter((f) => f.severity === s).length);
  const kev = findings.filter((f) => f.kev_due);
  const trendX = card.trend.map((d) => Date.parse(d.day + 'T00:00:00+07:00') / 1000);
  const canUrge = canWrite(user.role, 'compliance');
  const worst = card.organisations.slice(0, 25);
  return (
    <Page title={t('dash.title')}>
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-value">{formatPercent(o.compliant_percent)}</span>
          <span class="kpi-label">{t('dash.compliant')}</span>
        </div>
        <div class="kpi kpi-overdue">
          <span class="kpi-value">{formatNumber(o.overdue)}</span>
          <span class="kpi-label">{t('status.overdue')}</span>
        </div>
        <div class="kpi kpi-due_soon">
          <span class="kpi-value">{formatNumber(o.due_soon)}</span>
          <span class="kpi-label">{t('status.due_soon')}</span>
        </div>
        <div class="kpi kpi-ok">
          <span class="kpi-value">{formatNumber(o.ok)}</span>
          <span class="kpi-label">{t('status.ok')}</span>
        </div>
        <div class="kpi">
          <span class="kpi-value">{pending ? '…' : formatNumber(kev.length)}</span>
          <span class="kpi-label">{t('dash.kev_findings')}</span>
        </div>
        <div class="kpi">
          <span class="kpi-value">{pending ? '…' : formatNumber(advisories.length)}</span>
          <span class="kpi-label">{t('dash.unacked_advisories')}</span>
        </div>
      </div>

      <div class="grid2">
        <section class="card">
          <h2>{t('dash.league')}</h2>
          <div class="table-wrap">
            <table data-testid="league">
              <thead>
                <tr>
                  <th scope="col">{t('common.organisation')}</th>
                  <th scope="col" class="num">{t('dash.compliant')}</th>
                  <th scope="col" class="num">{t('status.overdue')}</th>
                  <th scope="col" class="num">{t('status.due_soon')}</th>
                </tr>
              </thead>
              <tbody>
                {(allOrgs ? card.organisations : card.organisations.slice(0, LEAGUE_ROWS)).map((org) => (
                  <tr>
                    <td>
                      <a href={'/compliance?org=' + org.org_id}>{org.org_name}</a>
                    </td>
                    <td class="num">{formatPercent(org.compliant_percent)}</td>
                    <td class="num">{formatNumber(org.overdue)}</td>
                    <td class="num">{formatNumber(org.due_soon)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!allOrgs && card.organisations.length > LEAGUE_ROWS ? (
            <button type="button" onClick={() => setAllOrgs(true)}>
              {t('dash.league_all', { n: formatNumber(card.organisations.length) })}
            </button>
          ) : null}
        </section>
        <section class="card">
          <h2>{t('dash.trend')}</h2>
          {card.trend.length ? (
            <Chart
              title={t('dash.trend_chart')}
              xTitle={t('dash.day')}
              x={trendX}
              formatX={(v) => formatDate(new Date(v * 1000).toISOString())}
              series={[
                { label: t('status.overdue'), values: card.trend.map((d) => d.overdue), stroke: '#b3261e' },
                { label: t('status.due_soon'), values: card.trend.map((d) => d.due_soon), stroke: '#8a5a00' },
                { label: t('status.ok'), values: card.trend.map((d) => d.ok), stroke: '#1b6e3a' },
              ]}
            />
          ) : (
            <p class="muted">{t('dash.no_trend')}</p>
          )}
          <h2>{t('dash.findings_by_severity')}</h2>
          <Chart
            title={t('dash.findings_chart')}
            xTitle={t('findings.severity')}
            bars
            x={SEVERITIES.map((_, i) => i)}
            xLabels={SEVERITIES.map((s) => t(('severity.' + s) as never))}
            series={[{ label: t('dash.open_findings'), values: bySeverity, stroke: '#0b5394' }]}
          />
        </section>
      </div>

      <section class="card">
        <h2>{t('dash.heat')}</h2>
        {pending ? <Loading error={details.error} /> : <HeatGrid rows={grid} orgs={worst} />}
      </section>

      <section class="card">
        <h2>{t('dash.overdue_items')}</h2>
        <div class="table-wrap">
          <table data-testid="overdue">
            <thead>
              <tr>
                <th scope="col">{t('common.organisation')}</th>
                <th scope="col">{t('compliance.subject')}</th>
                <th scope="col">{t('compliance.rule')}</th>
                <th scope="col">{t('compliance.basis')}</th>
                <th scope="col">{t('compliance.due')}</th>
                <th scope="col" class="num">{t('compliance.days_overdue')}</th>
                {canUrge && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {card.overdue.slice(0, 30).map((r) => (
                <tr>
                  <td>
                    <a href={'/compliance?org=' + r.org_id}>{r.org_name}</a>
                  </td>
                  <td>{r.subject_name}</td>
                  <td>
                    <strong>{r.rule_id}</strong> {r.title}
                  </td>
                  <td>
                    {r.basis.document}
                    {r.basis.article ? ' — ' + r.basis.article : ''}
                  </td>
                  <td>{formatDate(r.due)}</td>
                  <td class="num">{formatNumber(r.days_overdue ?? 0)}</td>
                  {canUrge && (
                    <td>
                      <a class="button" href={`/compliance?org=${r.org_id}&urge=1&rule=${r.rule_id}`}>
                        {t('compliance.urge')}
                      </a>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div class="grid2">
        <section class="card">
          <h2>{t('dash.kev_findings')}</h2>
          {kev.length ? (
            <ul>
              {kev.slice(0, 20).map((f) => (
                <li>
                  <a href={'/findings?system_id=' + f.system_id}>{f.cve}</a> — {f.asset}:{f.port} · {t('findings.kev_due')}{' '}
                  {formatDate(f.kev_due)}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('common.none')}</p>
          )}
        </section>
        <section class="card">
          <h2>{t('dash.unacked_advisories')}</h2>
          {advisories.length ? (
            <ul>
              {advisories.slice(0, 20).map((a) => (
                <li>
                  <a href="/advisories">{a.cve ?? a.title ?? a.id}</a> · {formatDate(a.due)}
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('common.none')}</p>
          )}
        </section>
      </div>
    </Page>
  );
}
